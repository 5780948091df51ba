"""LiveSession on a real walk: the live events and strides match the whole-file
analysis, and a stalled reader loses no data."""

from __future__ import annotations

import time

import numpy as np
import pytest

from anklet.analysis import analyze
from anklet.imu import ImuData, Side
from anklet.live.session import (
    ASYMMETRY_CPU_SHARE,
    ASYMMETRY_GROWTH,
    LiveSession,
    asymmetry_due,
    next_asymmetry_update_s,
)
from anklet.live.sources import ReplaySource
from anklet.live.terminal import status_line


def test_live_run_matches_the_offline_analysis(real_walk: dict[Side, ImuData]) -> None:
    session = LiveSession(ReplaySource(real_walk, speed=None), placement="foot")
    session.start()
    assert session.wait(timeout_s=60.0)
    snapshot = session.snapshot()
    result = session.finish()
    offline = analyze(real_walk, "foot")
    assert result.document["left"] == offline.document["left"]
    assert result.document["right"] == offline.document["right"]
    for side in ("left", "right"):
        live_ic = np.sort([e.time_s for e in snapshot.events if e.side == side and e.kind == "initial_contact"])
        # the incremental analyzer's own equivalence is tested in tests/gait; here: every IC reached the view
        np.testing.assert_allclose(live_ic, offline.gait.legs[side].initial_contacts_s, atol=0.05)
        assert abs(len(snapshot.strides[side]) - len(offline.gait.legs[side].strides)) <= 1
    assert snapshot.asymmetry is not None and snapshot.analysis_updates >= len(snapshot.trend) > 0
    assert snapshot.asymmetry["stride_time"].symmetry_index_pct == pytest.approx(
        offline.asymmetry["stride_time"].symmetry_index_pct, abs=2.0
    )
    line = status_line(snapshot)
    assert f"L {len(snapshot.strides['left']):3d}" in line and "SI stance" in line


def test_a_stalled_reader_loses_no_samples(real_walk: dict[Side, ImuData]) -> None:
    """The reader takes the snapshot lock and stalls; acquisition goes on."""
    session = LiveSession(ReplaySource(real_walk, speed=20.0), placement="foot")
    session.start()
    with session._lock:  # a reader frozen while holding its lock
        time.sleep(0.5)
    session.wait(timeout_s=60.0)
    session.stop()
    recorded = session.recorded_imu()
    for side, data in real_walk.items():
        np.testing.assert_array_equal(recorded[side].time_s, data.time_s)
        np.testing.assert_array_equal(recorded[side].gyr_dps, data.gyr_dps)


def test_markers_and_recording_toggle(real_walk: dict[Side, ImuData]) -> None:
    session = LiveSession(ReplaySource(real_walk, speed=None), placement="foot", record=False)
    session.start()
    session.wait(timeout_s=60.0)
    session.add_marker("turn")
    session.stop()
    assert session.recorded_imu() == {}
    assert session.snapshot().markers == ((pytest.approx(real_walk["right"].time_s[-1]), "turn"),)


def test_a_slow_asymmetry_update_waits_longer_than_the_interval() -> None:
    assert next_asymmetry_update_s(100.0, 0.002, 1.0) == pytest.approx(101.0)  # cheap: every interval
    slow = next_asymmetry_update_s(100.0, 0.1, 1.0)  # a long session's bootstrap
    assert slow == pytest.approx(100.0 + 0.1 / ASYMMETRY_CPU_SHARE) and 0.1 / (slow - 100.0) <= ASYMMETRY_CPU_SHARE


def test_the_running_asymmetry_is_recomputed_at_a_constant_cost_per_stride() -> None:
    """Updates every ASYMMETRY_GROWTH of the strides: early at every stride, later
    sparser, so O(strides) per update costs the same per stride at any length."""
    updates, last = [], 0
    for n in range(1, 5001):
        if asymmetry_due(n, last):
            updates.append(n)
            last = n
    assert updates[:10] == list(range(1, 11))  # a short session: every new stride
    gaps = np.diff(updates)
    assert np.all(gaps <= np.maximum(1, np.ceil(ASYMMETRY_GROWTH * np.array(updates[:-1])) + 1))
    work = np.sum(np.array(updates))  # bootstrap work ~ strides per update
    assert work <= 1.1 * (1 + ASYMMETRY_GROWTH) / ASYMMETRY_GROWTH * 5000  # linear in the session, not quadratic
    assert not asymmetry_due(100, 100) and not asymmetry_due(101, 100) and asymmetry_due(102, 100)
