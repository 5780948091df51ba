"""Tests of anklet.validation.contacts on hand-made contact signals."""

from __future__ import annotations

import numpy as np
import pytest

from anklet.validation.contacts import ContactLevel, contacts_from_levels

RATE_HZ = 100.0


def ramp_signal(time_s: np.ndarray, intervals_s: list[tuple[float, float]], ramp_s: float = 0.05) -> np.ndarray:
    """0 outside, 1 inside each interval, linear ramps of ``ramp_s`` starting at its ends."""
    values = np.zeros_like(time_s)
    for start, end in intervals_s:
        up = np.clip((time_s - start) / ramp_s, 0, 1)
        down = np.clip(1 - (time_s - end) / ramp_s, 0, 1)
        values = np.maximum(values, np.minimum(up, down))
    return values


def test_events_at_interpolated_low_crossings() -> None:
    time_s = np.arange(0, 5, 1 / RATE_HZ)
    heel = ramp_signal(time_s, [(1.003, 1.5), (3.0, 3.4)])
    toe = ramp_signal(time_s, [(1.2, 1.804), (3.2, 3.7)])
    low, ramp_s = 0.2, 0.05
    contacts = contacts_from_levels(
        time_s, [ContactLevel(heel, low, 0.5), ContactLevel(toe, low, 0.5)], min_swing_s=0.2, min_contact_s=0.15
    )
    np.testing.assert_allclose(contacts.initial_contacts_s, [1.003 + low * ramp_s, 3.0 + low * ramp_s], atol=1e-9)
    np.testing.assert_allclose(
        contacts.final_contacts_s, [1.804 + (1 - low) * ramp_s, 3.7 + (1 - low) * ramp_s], atol=1e-9
    )


def test_short_swing_merged_and_short_contact_dropped() -> None:
    time_s = np.arange(0, 5, 1 / RATE_HZ)
    # A 0.1 s unloading inside the first contact, and a 0.05 s blip at 3.0 s.
    heel = ramp_signal(time_s, [(1.0, 1.4), (1.5, 2.0), (3.0, 3.05)], ramp_s=0.01)
    contacts = contacts_from_levels(time_s, [ContactLevel(heel, 0.2, 0.5)], min_swing_s=0.2, min_contact_s=0.15)
    assert contacts.initial_contacts_s.shape == (1,) and contacts.final_contacts_s.shape == (1,)
    assert contacts.initial_contacts_s[0] == pytest.approx(1.002)
    assert contacts.final_contacts_s[0] == pytest.approx(2.008)


def test_standing_at_both_ends_gives_fc_first_and_ic_last() -> None:
    time_s = np.arange(0, 4, 1 / RATE_HZ)
    # Standing load inside the hysteresis band (0.35) before and after one swing.
    load = np.where((time_s > 1.0) & (time_s < 1.5), 0.0, 0.35)
    load[(time_s > 2.0) & (time_s < 2.5)] = 1.0
    contacts = contacts_from_levels(time_s, [ContactLevel(load, 0.2, 0.5)], min_swing_s=0.2, min_contact_s=0.15)
    assert contacts.final_contacts_s[0] < contacts.initial_contacts_s[0]
    assert contacts.initial_contacts_s[-1] > contacts.final_contacts_s[-1]
    assert contacts.final_contacts_s[0] == pytest.approx(1.0, abs=0.011)
    assert contacts.initial_contacts_s[-1] == pytest.approx(1.5, abs=0.011)


def test_noise_inside_the_band_does_not_toggle() -> None:
    rng = np.random.default_rng(1)
    time_s = np.arange(0, 3, 1 / RATE_HZ)
    load = ramp_signal(time_s, [(1.0, 2.0)], ramp_s=0.02) + rng.uniform(-0.05, 0.05, time_s.shape)
    dip = (time_s > 1.3) & (time_s < 1.6)
    load[dip] = 0.3 + rng.uniform(-0.05, 0.05, np.count_nonzero(dip))  # dips into the band only
    contacts = contacts_from_levels(time_s, [ContactLevel(load, 0.2, 0.5)], min_swing_s=0.0, min_contact_s=0.0)
    assert contacts.initial_contacts_s.shape == (1,) and contacts.final_contacts_s.shape == (1,)


def test_invalid_inputs_raise() -> None:
    time_s = np.arange(0, 1, 0.01)
    with pytest.raises(ValueError, match="high"):
        contacts_from_levels(time_s, [ContactLevel(time_s, 0.5, 0.2)], 0.2, 0.15)
    with pytest.raises(ValueError, match="shape"):
        contacts_from_levels(time_s, [ContactLevel(time_s[:-1], 0.2, 0.5)], 0.2, 0.15)
    with pytest.raises(ValueError, match="increasing"):
        contacts_from_levels(time_s[::-1], [ContactLevel(time_s, 0.2, 0.5)], 0.2, 0.15)
