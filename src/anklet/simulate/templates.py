"""Sagittal angular-velocity templates of the shank and the foot over one gait cycle.

A template is a smooth periodic function of the gait phase ``phi`` (0 = initial
contact, IC; ``stance_fraction`` = final contact, FC; 1 = next IC), built as a sum of
split-Gaussian lobes and a smooth stance plateau, and tabulated on a fine grid. Its
values are deg/s at the nominal stride time; the simulator rescales them by
``nominal_stride_time / actual_stride_time`` (the angle sweep per phase is fixed, so a
faster stride rotates faster). The segment pitch angle is the template's integral, so
the angle returns to its start after every cycle.

Shapes follow the shank gyroscope descriptions of Aminian et al. (2002, J Biomech
35:689), Salarian et al. (2004, IEEE TBME 51:1434) and Trojaniello et al. (2014,
J NeuroEng Rehabil 11:152), and the foot descriptions of Mariani et al. (2013, IEEE
TBME 60:155): a large positive mid-swing lobe, a negative trough around IC, a low
negative plateau in stance (shank) or ~0 during foot flat (foot), and a negative
trough before FC (the foot's push-off peak).

Ground-truth definition (calibrated into every template, see docs/simulation.md):

* ankle (shank): IC = the first trough after the swing lobe falls through zero;
  FC = midpoint between the trough before the swing lobe and the upward zero crossing
  that follows it;
* foot: IC = midpoint between the downward zero crossing after the swing lobe and the
  trough that follows it; FC = midpoint between the push-off trough and the upward
  zero crossing that follows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import numpy as np

from anklet.simulate.specs import GaitMode, Placement

#: Points of the tabulated cycle.
GRID_POINTS = 8192

#: Pitch angle is zero (segment as when standing) at this fraction of stance:
#: the shank passes the vertical around mid-stance; the foot is flat there.
_ANGLE_ZERO_STANCE_FRACTION = {"ankle": 0.5, "foot": 0.4}


@dataclass(frozen=True)
class _Lobe:
    """One component of a template. ``where`` places the centre: "stance" at
    ``position * f``, "swing" at ``f + position * (1 - f)``, "plateau" spans the
    whole stance with edges of width ``width_right``. Widths are in cycles, for
    "swing" lobes in swing durations. ``scaled``: "fixed" keeps ``amplitude_dps``
    (relative to the reference swing amplitude), "baseline" is scaled to a
    zero-mean cycle, "swing" to the reference peak. ``anchor``: lobes anchored to "ic"/"fc" are shifted together
    until that event's feature lies on the event."""

    scaled: Literal["fixed", "baseline", "swing"]
    anchor: Literal["ic", "fc", "none"]
    where: Literal["stance", "swing", "plateau"]
    position: float
    width_left: float
    width_right: float
    amplitude_dps: float


_LOBES: dict[tuple[Placement, GaitMode], tuple[_Lobe, ...]] = {
    ("ankle", "walk"): (
        _Lobe("baseline", "none", "plateau", 0.0, 0.0, 0.025, -40.0),
        _Lobe("fixed", "ic", "stance", 0.0, 0.015, 0.02, -90.0),
        _Lobe("fixed", "fc", "stance", 0.95, 0.04, 0.03, -130.0),
        _Lobe("swing", "none", "swing", 0.55, 0.2, 0.14, 300.0),
    ),
    ("ankle", "run"): (
        _Lobe("baseline", "none", "plateau", 0.0, 0.0, 0.02, -80.0),
        _Lobe("fixed", "ic", "stance", 0.0, 0.02, 0.02, -300.0),
        # swing-leg retraction before landing (Seyfarth et al. 2003)
        _Lobe("fixed", "ic", "swing", 0.9, 0.1, 0.1, -100.0),
        _Lobe("fixed", "fc", "stance", 0.9, 0.035, 0.05, -250.0),
        _Lobe("swing", "none", "swing", 0.5, 0.17, 0.12, 600.0),
    ),
    ("foot", "walk"): (
        _Lobe("fixed", "ic", "stance", 0.03, 0.015, 0.02, -200.0),
        _Lobe("baseline", "fc", "stance", 0.85, 0.07, 0.03, -100.0),
        _Lobe("fixed", "fc", "stance", 0.97, 0.04, 0.025, -300.0),
        _Lobe("swing", "none", "swing", 0.4, 0.13, 0.28, 300.0),
    ),
    ("foot", "run"): (
        _Lobe("fixed", "ic", "stance", 0.05, 0.03, 0.016, -300.0),
        _Lobe("baseline", "fc", "stance", 0.75, 0.05, 0.025, -200.0),
        _Lobe("fixed", "fc", "stance", 0.93, 0.03, 0.04, -600.0),
        _Lobe("swing", "none", "swing", 0.45, 0.12, 0.18, 600.0),
    ),
}


@dataclass(frozen=True)
class PhaseTemplate:
    """Tabulated sagittal angular velocity and pitch angle of one segment over a cycle.

    Attributes:
        placement: "ankle" (shank) or "foot".
        mode: "walk" or "run".
        stance_fraction: phase of FC (IC is at phase 0).
        stride_time_s: nominal stride time the rates refer to, s.
        rate_dps: (GRID_POINTS + 1,) sagittal angular velocity at phases
            ``linspace(0, 1, GRID_POINTS + 1)``, deg/s at the nominal stride.
        angle_deg: (GRID_POINTS + 1,) pitch angle relative to standing, deg
            (positive: distal end / toes forward-up), its integral.
    """

    placement: Placement
    mode: GaitMode
    stance_fraction: float
    stride_time_s: float
    rate_dps: np.ndarray
    angle_deg: np.ndarray

    def rate_at(self, phase: np.ndarray) -> np.ndarray:
        """Sagittal angular velocity at the nominal stride, deg/s, at any phase
        (cycles; the integer part is ignored)."""
        return np.interp(phase - np.floor(phase), _GRID, self.rate_dps)

    def angle_at(self, phase: np.ndarray) -> np.ndarray:
        """Pitch angle relative to standing, deg, at any phase (cycles)."""
        return np.interp(phase - np.floor(phase), _GRID, self.angle_deg)


_GRID = np.linspace(0.0, 1.0, GRID_POINTS + 1)


def _wrapped(phase: np.ndarray, centre: float) -> np.ndarray:
    """Signed phase distance from ``centre`` in [-0.5, 0.5)."""
    return (phase - centre + 0.5) % 1.0 - 0.5


def _lobe_shape(
    lobe: _Lobe, centre: float, stance_fraction: float, phase: np.ndarray
) -> np.ndarray:
    """Unit-amplitude shape of one lobe on ``phase``."""
    if lobe.where == "plateau":
        # smooth box over [0, f], evaluated around the stance middle
        d = _wrapped(phase, stance_fraction / 2.0) + stance_fraction / 2.0
        w = lobe.width_right
        return 0.5 * (np.tanh(d / w) - np.tanh((d - stance_fraction) / w))
    d = _wrapped(phase, centre)
    scale = 1.0 - stance_fraction if lobe.where == "swing" else 1.0
    width = np.where(d < 0.0, lobe.width_left, lobe.width_right) * scale
    return np.exp(-0.5 * (d / width) ** 2)


def _zero_crossing(values: np.ndarray, k: int) -> float:
    """Fractional index of the sign change between ``values[k]`` and ``values[k+1]``."""
    return k + values[k] / (values[k] - values[k + 1])


def _trough(values: np.ndarray, k: int) -> float:
    """Fractional index of the minimum at ``k`` refined by a parabola."""
    a, b, c = values[k - 1], values[k], values[k + 1]
    denom = a - 2.0 * b + c
    return k + (0.5 * (a - c) / denom if denom > 0 else 0.0)


def event_features(rate_dps: np.ndarray, placement: Placement) -> tuple[float, float]:
    """IC and FC phase of one cycle of a periodic sagittal rate (the rules of the
    module docstring), in cycles within [0, 1).

    Args:
        rate_dps: (n,) one cycle sampled uniformly (phase ``i / n``), swing positive.
        placement: "ankle" or "foot".

    Raises:
        ValueError: the cycle has no swing lobe with zero crossings around it.
    """
    n = rate_dps.size
    peak = int(np.argmax(rate_dps))
    after = np.roll(rate_dps, -peak)  # peak at index 0
    down = np.flatnonzero((after[:-1] > 0.0) & (after[1:] <= 0.0))
    before = np.roll(rate_dps, n // 2 - peak)  # peak at index n // 2
    up = np.flatnonzero((before[: n // 2 - 1] <= 0.0) & (before[1 : n // 2] > 0.0))
    if down.size == 0 or up.size == 0:
        raise ValueError("the template has no swing lobe bounded by zero crossings")
    k = int(down[0])
    zc_down = _zero_crossing(after, k)
    j = k + 1 + int(np.argmax(np.diff(after[k + 1 :]) >= 0.0))
    trough_ic = _trough(after, j)
    ic = trough_ic if placement == "ankle" else 0.5 * (zc_down + trough_ic)
    u = int(up[-1])
    zc_up = _zero_crossing(before, u)
    lo = max(u - int(0.3 * n), 1)
    t = lo + int(np.argmin(before[lo : u + 1]))
    fc = 0.5 * (_trough(before, t) + zc_up)
    ic_phase = ((ic + peak) / n) % 1.0
    fc_phase = ((fc + peak - n // 2) / n) % 1.0
    return float(ic_phase), float(fc_phase)


def sagittal_template(
    placement: Placement,
    mode: GaitMode,
    stance_fraction: float,
    peak_swing_dps: float,
    stride_time_s: float,
) -> PhaseTemplate:
    """The calibrated template of one segment.

    The shape depends on placement, mode and stance fraction only (cached); it is
    scaled so the cycle's maximum is ``peak_swing_dps``.

    Args:
        placement: "ankle" (shank) or "foot".
        mode: "walk" or "run".
        stance_fraction: FC phase, 0..1.
        peak_swing_dps: mid-swing peak at the nominal stride, deg/s (> 0).
        stride_time_s: nominal stride time, s (the angle is the rate integrated
            over this duration).

    Raises:
        ValueError: the shape cannot be calibrated for this stance fraction.
    """
    unit_rate = _unit_shape(placement, mode, round(float(stance_fraction), 9))
    rate = unit_rate * peak_swing_dps
    angle = np.concatenate(([0.0], np.cumsum(0.5 * (rate[1:] + rate[:-1])))) * (
        stride_time_s / GRID_POINTS
    )
    angle -= np.interp(
        _ANGLE_ZERO_STANCE_FRACTION[placement] * stance_fraction, _GRID, angle
    )
    rate.setflags(write=False)
    angle.setflags(write=False)
    return PhaseTemplate(placement, mode, stance_fraction, stride_time_s, rate, angle)


@lru_cache(maxsize=64)
def _unit_shape(
    placement: Placement, mode: GaitMode, stance_fraction: float
) -> np.ndarray:
    """The calibrated cycle with peak 1, on ``_GRID`` (read-only).

    The baseline lobe is scaled so the cycle has zero mean (the pitch angle is
    periodic), the swing lobe so the peak is the reference amplitude, and the lobes
    anchored to IC/FC are shifted until :func:`event_features` returns phase 0 and
    ``stance_fraction`` (to 1e-6 cycles).

    Raises:
        ValueError: the calibration did not converge.
    """
    lobes = _LOBES[(placement, mode)]
    f = stance_fraction
    phase = _GRID[:-1]
    centres = np.array(
        [
            lobe.position * f
            if lobe.where != "swing"
            else f + lobe.position * (1.0 - f)
            for lobe in lobes
        ]
    )
    amplitudes = np.array([lobe.amplitude_dps for lobe in lobes])
    scaled = np.array([lobe.scaled for lobe in lobes])
    anchors = np.array([lobe.anchor for lobe in lobes])
    b, s = (
        int(np.flatnonzero(scaled == "baseline")[0]),
        int(np.flatnonzero(scaled == "swing")[0]),
    )
    peak = amplitudes[s]
    for _ in range(200):
        shapes = np.array(
            [_lobe_shape(lb, c, f, phase) for lb, c in zip(lobes, centres, strict=True)]
        )
        areas = shapes.sum(axis=1)
        amplitudes[b] -= float(np.dot(amplitudes, areas)) / float(areas[b])
        rate = amplitudes @ shapes
        top = int(np.argmax(rate))
        amplitudes[s] += (peak - rate[top]) / shapes[s, top]
        rate = amplitudes @ shapes
        ic, fc = event_features(rate, placement)
        ic_error = (ic + 0.5) % 1.0 - 0.5
        fc_error = (fc - f + 0.5) % 1.0 - 0.5
        centres -= np.where(anchors == "ic", ic_error, 0.0) + np.where(
            anchors == "fc", fc_error, 0.0
        )
        error = max(abs(ic_error), abs(fc_error), abs(rate.max() - peak) / peak)
        if error < 1e-6 and abs(rate.mean()) < 1e-9 * peak:
            break
    else:
        raise ValueError(
            f"the {placement}/{mode} template cannot be calibrated for stance fraction {f:.3f}"
        )
    unit = np.append(rate, rate[0]) / rate.max()
    unit.setflags(write=False)
    return unit
