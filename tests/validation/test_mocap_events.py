"""Tests of anklet.validation.mocap_events on synthetic marker trajectories."""

from __future__ import annotations

import numpy as np
import pytest

from anklet.errors import InsufficientDataError
from anklet.validation.mocap_events import contacts_from_markers, walking_speed_mps

RATE_HZ = 100.0
STRIDE_S = 1.1
SWING_S = 0.42
STRIDE_MM = 1400.0


def foot_x_mm(time_s: np.ndarray, swing_starts_s: np.ndarray) -> np.ndarray:
    """Forward position: still in stance, a smooth (1 - cos) velocity burst in swing."""
    x = np.zeros_like(time_s)
    for start in swing_starts_s:
        phase = np.clip((time_s - start) / SWING_S, 0, 1)
        x += STRIDE_MM * (phase - np.sin(2 * np.pi * phase) / (2 * np.pi))
    return x


def markers(time_s: np.ndarray, swing_starts_s: np.ndarray, toe_lag_s: float) -> tuple[np.ndarray, np.ndarray]:
    """Heel and toe (n, 3) in mm: the heel leaves toe_lag_s before the toe and lands toe_lag_s earlier."""
    zeros = np.zeros_like(time_s)
    heel = np.column_stack([foot_x_mm(time_s, swing_starts_s - toe_lag_s), zeros, zeros + 50])
    toe = np.column_stack([foot_x_mm(time_s, swing_starts_s) + 200, zeros, zeros + 30])
    return heel, toe


def test_walking_speed_of_steady_walk() -> None:
    time_s = np.arange(0, 20, 1 / RATE_HZ)
    left = np.arange(8) * STRIDE_S + 2.0
    heel_l, toe_l = markers(time_s, left, 0.05)
    heel_r, toe_r = markers(time_s, left + STRIDE_S / 2, 0.05)
    speed = walking_speed_mps(np.stack([heel_l, toe_l, heel_r, toe_r], axis=1), RATE_HZ)
    assert speed == pytest.approx(STRIDE_MM / 1000 / STRIDE_S, rel=0.1)


def test_events_bracket_each_swing() -> None:
    time_s = np.arange(0, 12, 1 / RATE_HZ)
    swing_starts = np.arange(8) * STRIDE_S + 1.5
    heel, toe = markers(time_s, swing_starts, 0.0)
    speed = STRIDE_MM / 1000 / STRIDE_S
    contacts = contacts_from_markers(time_s, heel, toe, speed)
    # Every swing gives one FC near its start (toe speeds up) and one IC near its
    # end (heel slows down); the threshold crossings lie inside the swing.
    assert contacts.final_contacts_s.shape == swing_starts.shape
    assert contacts.initial_contacts_s.shape == swing_starts.shape
    assert np.all(contacts.final_contacts_s > swing_starts)
    assert np.all(contacts.final_contacts_s < swing_starts + SWING_S / 2)
    assert np.all(contacts.initial_contacts_s > swing_starts + SWING_S / 2)
    assert np.all(contacts.initial_contacts_s < swing_starts + SWING_S)


def test_no_walking_raises() -> None:
    still = np.zeros((500, 4, 3))
    with pytest.raises(InsufficientDataError, match="no walking"):
        walking_speed_mps(still, RATE_HZ)
