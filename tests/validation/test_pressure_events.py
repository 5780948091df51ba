"""Tests of anklet.validation.pressure_events: synthetic footswitch signals with
known events, and sensor fault detection."""

from __future__ import annotations

import numpy as np

from anklet.validation.pressure_events import (
    PressureThresholds,
    contacts_from_pressure,
    sensor_problem,
)

RATE_HZ = 100.0
RAMP_S = 0.06


def trapezoids(time_s: np.ndarray, intervals_s: np.ndarray, base: float, peak: float) -> np.ndarray:
    """``base`` outside, ``peak`` inside each (start, end), linear ramps of RAMP_S after start and end."""
    fraction = np.zeros_like(time_s)
    for start, end in intervals_s:
        up = np.clip((time_s - start) / RAMP_S, 0, 1)
        down = np.clip(1 - (time_s - end) / RAMP_S, 0, 1)
        fraction = np.maximum(fraction, np.minimum(up, down))
    return base + (peak - base) * fraction


def synthetic_walk(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Eight strides of 1.1 s, 62 % stance: heel loaded early, toe late."""
    time_s = np.arange(0, 11, 1 / RATE_HZ)
    ic_s = 1.0 + 1.1 * np.arange(8) + rng.uniform(-0.02, 0.02, 8)
    fc_s = ic_s + 0.62 * 1.1
    heel = trapezoids(time_s, np.column_stack([ic_s, ic_s + 0.35]), base=80, peak=1500)
    toe = trapezoids(time_s, np.column_stack([ic_s + 0.15, fc_s - RAMP_S]), base=60, peak=2100)
    noise = rng.normal(0, 15, (2, time_s.shape[0]))
    return time_s, heel + noise[0], toe + noise[1], ic_s, fc_s


def test_synthetic_events_recovered_within_one_sample() -> None:
    rng = np.random.default_rng(3)
    time_s, heel, toe, ic_s, fc_s = synthetic_walk(rng)
    contacts = contacts_from_pressure(time_s, heel, toe)
    low = PressureThresholds().low_fraction
    # Heel crosses the low level low*RAMP_S after IC; the toe ends its ramp at FC.
    np.testing.assert_allclose(contacts.initial_contacts_s, ic_s + low * RAMP_S, atol=1 / RATE_HZ)
    np.testing.assert_allclose(contacts.final_contacts_s, fc_s - low * RAMP_S, atol=1 / RATE_HZ)


def test_stuck_and_flat_sensors_are_reported() -> None:
    rng = np.random.default_rng(4)
    _, heel, _, _, _ = synthetic_walk(rng)
    assert sensor_problem(heel) is None
    stuck = np.where(np.arange(heel.shape[0]) % 3 == 0, 4093.0, heel)
    assert "4093" in sensor_problem(stuck)
    assert "flat" in sensor_problem(np.full(heel.shape[0], 512.0) + rng.normal(0, 5, heel.shape[0]))
