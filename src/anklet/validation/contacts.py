"""Foot-contact intervals, and their initial and final contacts, from two
"contact level" signals of one foot (e.g. heel and toe pressure, or minus the
heel and toe marker speeds).

Each signal has a hysteresis band ``[low, high]`` (a Schmitt trigger): it signals
contact once above ``high`` and no contact once below ``low``. The foot is in
contact while either signal is. The initial contact (IC) is the time the signal
that opens the contact last rose through its ``low`` level; the final contact (FC)
the time the last signal in contact fell through its ``low`` level; both linearly
interpolated between samples. Short swings (weight shifts) are merged into the
surrounding contact, then short contacts are dropped, so ICs and FCs alternate.

A contact running into the start or the end of the recording yields no event
there. Recordings are assumed to start and end standing: a signal whose first
(last) samples lie inside its band counts as in contact there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class FootContacts:
    """Gait events of one foot, seconds on the input time axis.

    Attributes:
        initial_contacts_s: (n,) contact onsets, increasing.
        final_contacts_s: (m,) contact ends, increasing; ICs and FCs alternate.
    """

    initial_contacts_s: np.ndarray
    final_contacts_s: np.ndarray


@dataclass(frozen=True)
class ContactLevel:
    """One contact signal and its hysteresis levels (same unit as the signal).

    Attributes:
        values: (n,) signal, higher = more contact.
        low: below it the signal says "no contact"; events are timed here.
        high: above it the signal says "contact"; ``high >= low``.
    """

    values: np.ndarray
    low: float
    high: float


def contacts_from_levels(
    time_s: np.ndarray, levels: Sequence[ContactLevel], min_swing_s: float, min_contact_s: float
) -> FootContacts:
    """Initial and final contacts of one foot from its contact signals.

    Args:
        time_s: (n,) strictly increasing sample times, seconds.
        levels: one or more contact signals of the foot, each (n,).
        min_swing_s: swings shorter than this are merged into contact, seconds.
        min_contact_s: contacts shorter than this (after merging) are dropped, seconds.

    Returns:
        Alternating ICs and FCs (see the module docstring).

    Raises:
        ValueError: no signal, a signal of another length, ``high < low``, or
            time not strictly increasing.
    """
    time_s = np.asarray(time_s, dtype=float)
    if time_s.ndim != 1 or np.any(np.diff(time_s) <= 0):
        raise ValueError("time_s must be a 1-D strictly increasing array of seconds")
    if not levels:
        raise ValueError("need at least one contact signal")
    states = [_SignalState.of(time_s, level) for level in levels]
    contact = np.logical_or.reduce([s.in_contact for s in states])
    step = np.diff(contact.astype(np.int8))
    onset_k = np.flatnonzero(step == 1) + 1
    offset_k = np.flatnonzero(step == -1) + 1
    on_s = np.fmin.reduce([s.rise_s[onset_k] for s in states])
    off_s = np.fmax.reduce([s.fall_s[offset_k] for s in states])
    return _clean_intervals(on_s, off_s, bool(contact[0]), min_swing_s, min_contact_s)


@dataclass(frozen=True)
class _SignalState:
    """Hysteresis state of one signal and its interpolated low-level crossings.

    ``rise_s[k]`` is set where the signal enters contact at sample k (the time it
    last rose through ``low``), ``fall_s[k]`` where it leaves contact at k (the time
    it fell through ``low``); NaN elsewhere.
    """

    in_contact: np.ndarray
    rise_s: np.ndarray
    fall_s: np.ndarray

    @classmethod
    def of(cls, time_s: np.ndarray, level: ContactLevel) -> _SignalState:
        values = np.asarray(level.values, dtype=float)
        low, high = level.low, level.high
        if values.shape != time_s.shape:
            raise ValueError(f"a contact signal has shape {values.shape}, time_s has {time_s.shape}")
        if high < low:
            raise ValueError(f"contact level high ({high}) must not be below low ({low})")
        n = values.shape[0]
        index = np.arange(n)
        # Schmitt trigger: the last sample outside the band decides the state.
        decided = np.where((values > high) | (values < low), index, -1)
        last_decided = np.maximum.accumulate(decided)
        in_contact = np.where(
            last_decided >= 0, values[np.maximum(last_decided, 0)] > high, bool(values[0] >= low)
        )
        # Recordings end standing: a signal ending inside the band is in contact
        # from its last rise through low.
        below = np.flatnonzero(values < low)
        if not in_contact[-1] and values[-1] >= low and below.size:
            in_contact[below[-1] + 1 :] = True

        # crossing_s[k]: where the signal crosses low between samples k-1 and k.
        before, after = values[:-1], values[1:]
        crosses = ((before < low) != (after < low)) & (before != after)
        fraction = np.where(crosses, (low - before) / np.where(crosses, after - before, 1.0), np.nan)
        crossing_s = np.r_[np.nan, time_s[:-1] + fraction * np.diff(time_s)]
        rising = np.r_[False, crosses & (after > before)]

        step = np.diff(in_contact.astype(np.int8))
        on_k = np.flatnonzero(step == 1) + 1
        off_k = np.flatnonzero(step == -1) + 1
        last_rise = np.maximum.accumulate(np.where(rising, index, -1))[on_k]
        rise_s = np.full(n, np.nan)
        fall_s = np.full(n, np.nan)
        # A signal only enters contact after being below low, so a rise exists;
        # and it leaves contact from at or above low, so the crossing exists.
        rise_s[on_k] = crossing_s[last_rise]
        fall_s[off_k] = crossing_s[off_k]
        return cls(in_contact=in_contact, rise_s=rise_s, fall_s=fall_s)


def _clean_intervals(
    on_s: np.ndarray, off_s: np.ndarray, starts_in_contact: bool, min_swing_s: float, min_contact_s: float
) -> FootContacts:
    """Merge short swings and drop short contacts; events stay alternating."""
    # Complete the intervals: contact from -inf when the recording starts in
    # contact, to +inf when it ends in contact.
    starts = np.r_[-np.inf, on_s] if starts_in_contact else on_s
    ends = off_s if starts.shape[0] == off_s.shape[0] else np.r_[off_s, np.inf]
    short_swing = (starts[1:] - ends[:-1]) < min_swing_s
    starts = np.r_[starts[:1], starts[1:][~short_swing]]
    ends = np.r_[ends[:-1][~short_swing], ends[-1:]]
    long_contact = (ends - starts) >= min_contact_s
    starts, ends = starts[long_contact], ends[long_contact]
    return FootContacts(initial_contacts_s=starts[np.isfinite(starts)], final_contacts_s=ends[np.isfinite(ends)])
