"""The Qt dashboard in a real offscreen window on a replayed real recording."""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from anklet.analysis import analyze
from anklet.live.session import LiveSession
from anklet.live.sources import ReplaySource
from anklet.recording.decode import load_recording_imu

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


def test_dashboard_shows_strides_and_asymmetry_of_a_replayed_recording(qtbot, real_recording: Path) -> None:
    from anklet.live.dashboard import Dashboard
    from anklet.live.qt_widgets import BAR_PARAMETERS

    imu = load_recording_imu(real_recording).imu
    session = LiveSession(ReplaySource(imu, speed=10.0), placement="foot")
    window = Dashboard(session, f"replay: {real_recording.name}")
    qtbot.addWidget(window)
    window.show()
    session.start()
    time.sleep(0.3)  # the GUI thread freezes while acquisition goes on
    qtbot.waitUntil(lambda: session.source.finished(), timeout=30_000)
    assert session.wait(timeout_s=30.0)
    session.add_marker("turn")
    qtbot.wait(300)
    result = session.finish()
    offline = analyze(imu, "foot")

    for side in ("left", "right"):  # the frozen GUI lost nothing
        np.testing.assert_array_equal(session.recorded_imu()[side].time_s, imu[side].time_s)
    live = session.snapshot()
    strides = live.strides["left"]
    assert abs(len(strides) - len(offline.gait.legs["left"].strides)) <= 1
    assert window.strides.titles["left"].text().startswith(f"Left leg: {len(strides)} strides")
    assert window.strides.tables["left"].item(0, 0).text() == f"{strides.start_s[-1]:.2f}"
    swing_row = list(BAR_PARAMETERS).index("swing_time")
    swing_si = live.asymmetry["swing_time"].symmetry_index_pct
    assert float(window.asymmetry.table.item(swing_row, 3).text().split()[0]) == pytest.approx(swing_si, abs=0.051)
    assert swing_si == pytest.approx(result.asymmetry["swing_time"].symmetry_index_pct, abs=2.0)
    assert window.frames_drawn > 10 and len(window.latencies_s) == len(session.snapshot().events)
    ARTIFACTS.mkdir(exist_ok=True)
    assert window.grab().save(str(ARTIFACTS / "dashboard.png"))


def test_pause_freezes_the_traces_and_keys_control_the_session(qtbot, real_walk) -> None:
    from PySide6 import QtCore

    from anklet.live.dashboard import Dashboard

    session = LiveSession(ReplaySource(real_walk, speed=None), placement="foot")
    window = Dashboard(session, "test")
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    qtbot.keyClick(window, QtCore.Qt.Key.Key_Space)
    assert window.paused
    session.start()
    session.wait(timeout_s=30.0)
    qtbot.wait(100)
    assert window.traces.gyro_curves["left"].getData()[0].size == 0
    qtbot.keyClick(window, QtCore.Qt.Key.Key_M)
    qtbot.keyClick(window, QtCore.Qt.Key.Key_R)
    assert not session.recording and session.snapshot().markers[0][1] == "marker 1"
    qtbot.keyClick(window, QtCore.Qt.Key.Key_Space)
    qtbot.wait(100)
    assert window.traces.gyro_curves["left"].getData()[0].size > 0
    session.stop()


def test_events_are_timed_when_painted_and_tables_follow_the_analysis_while_paused(qtbot, real_walk) -> None:
    from anklet.live.dashboard import Dashboard

    session = LiveSession(ReplaySource(real_walk, speed=None), placement="foot")
    window = Dashboard(session, "test")
    window.timer.stop()  # frames driven by hand
    qtbot.addWidget(window)
    window.show()
    session.start()
    assert session.wait(timeout_s=30.0)
    snapshot = session.snapshot()

    window.toggle_pause()
    window.refresh()  # paused: tables, bars and trend still follow the analysis
    assert window.strides.titles["right"].text().startswith(f"Right leg: {len(snapshot.strides['right'])} strides")
    assert window.trend.curves["swing_time"].getData()[0].size == len(snapshot.trend)
    assert window.traces.gyro_curves["left"].getData()[0].size == 0 and window.latencies_s == []

    window.toggle_pause()
    window.refresh()  # the events are handed to the traces, but not on screen until painted
    assert window.latencies_s == []
    qtbot.waitUntil(lambda: len(window.latencies_s) == len(snapshot.events), timeout=2000)
    arrivals = np.array([e.arrival_wall_s for e in snapshot.events])
    assert np.all(np.array(window.latencies_s) > 0) and window.frames_drawn >= 1
    painted_s = arrivals + np.array(window.latencies_s)
    np.testing.assert_allclose(painted_s, painted_s[0], atol=1e-6)  # one paint showed them all

    frames = window.frames_drawn
    window.refresh()  # no new samples, events or markers: the traces are not redrawn
    qtbot.wait(100)
    assert window.frames_drawn == frames
    session.add_marker("turn")
    window.refresh()
    qtbot.waitUntil(lambda: window.frames_drawn > frames, timeout=2000)
    assert window.traces.marker_lines[0][1].isVisible()
    session.stop()
