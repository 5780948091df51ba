"""Dashboard widgets in a real offscreen Qt window: the fixed-axis traces (relative
time, sticky y range, event marks of the window only, markers) and the range rules."""

from __future__ import annotations

import os

import numpy as np
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from anklet.live.qt_widgets import MIN_GYRO_SPAN_DPS, SIDE_COLOURS, TracePlots, nice_step, sticky_range
from anklet.live.session import DISPLAY_WINDOW_S, ShownEvent


@pytest.mark.parametrize(("span", "step"), [(800.0, 200.0), (10.0, 5.0), (7.0, 2.0), (0.3, 0.1), (1500.0, 500.0)])
def test_nice_step_cuts_the_span_into_about_four_round_parts(span: float, step: float) -> None:
    assert nice_step(span) == pytest.approx(step)


def test_sticky_range_holds_until_the_data_leave_it_or_shrink_a_lot() -> None:
    first = sticky_range(-380.0, 420.0, None, MIN_GYRO_SPAN_DPS)
    assert first is not None and first[0] <= -380.0 * 1.05 and first[1] >= 420.0 * 1.05
    assert first[0] % nice_step(first[1] - first[0]) == 0  # rounded to its own step
    assert sticky_range(-300.0, 350.0, first, MIN_GYRO_SPAN_DPS) == first  # still fits: unchanged
    wider = sticky_range(-380.0, 900.0, first, MIN_GYRO_SPAN_DPS)
    assert wider[1] >= 900.0 and wider != first
    shrunk = sticky_range(-20.0, 30.0, wider, MIN_GYRO_SPAN_DPS)  # standing after walking
    assert shrunk[1] - shrunk[0] < 0.25 * (wider[1] - wider[0])
    assert shrunk[1] - shrunk[0] >= MIN_GYRO_SPAN_DPS  # noise is not magnified
    assert sticky_range(np.nan, np.nan, first, MIN_GYRO_SPAN_DPS) == first


def _traces(now_s: float, rate_hz: float = 200.0) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    time_s = np.arange(now_s - DISPLAY_WINDOW_S, now_s, 1.0 / rate_hz)
    gyro = 300.0 * np.sin(2 * np.pi * time_s)
    return {side: (time_s, gyro, 9.81 + np.abs(gyro) / 100.0) for side in ("left", "right")}


def test_traces_are_drawn_on_seconds_before_now_with_only_the_window_s_events(qtbot) -> None:
    plots = TracePlots()
    qtbot.addWidget(plots)
    plots.show()
    events = [ShownEvent("left", "initial_contact", t, 0.0, 0.0) for t in (5.0, 52.25, 58.75)]
    plots.add_events(events + [ShownEvent("right", "final_contact", 59.5, 0.0, 0.0)])
    plots.add_markers([(10.0, "old"), (55.0, "turn")])
    plots.show_traces(_traces(60.0), now_s=60.0)

    x, y = plots.gyro_curves["left"].getData()
    assert x[-1] == pytest.approx(-1 / 200.0) and x[0] == pytest.approx(-DISPLAY_WINDOW_S)
    marks = plots.event_marks.shown("left", "initial_contact")
    np.testing.assert_allclose(marks[0], [52.25 - 60.0, 58.75 - 60.0])  # the IC at 5 s left the window
    np.testing.assert_allclose(marks[1], 300.0 * np.sin(2 * np.pi * np.array([52.25, 58.75])), atol=10.0)
    assert plots.event_marks.shown("right", "final_contact")[0].tolist() == [pytest.approx(-0.5)]
    assert plots.event_marks.shown("right", "initial_contact")[0].size == 0
    (_, old), (_, turn) = plots.marker_lines
    assert not old.isVisible() and turn.isVisible() and turn.value() == pytest.approx(-5.0)
    assert plots.gyro.getViewBox().viewRange()[0] == pytest.approx([-DISPLAY_WINDOW_S, 0.0])

    y_range = plots.scrolling["gyro"].y_range
    assert y_range[0] <= -300.0 and y_range[1] >= 300.0
    plots.show_traces(_traces(60.5), now_s=60.5)  # the same signal a frame later: axes untouched
    assert plots.scrolling["gyro"].y_range == y_range
    assert plots.gyro_curves["left"].getData()[0][-1] == pytest.approx(-1 / 200.0)
    assert plots.event_marks.shown("right", "final_contact")[0].tolist() == [pytest.approx(-1.0)]  # moved along


def test_event_marks_follow_new_events_the_window_and_refitted_traces(qtbot) -> None:
    plots = TracePlots()
    qtbot.addWidget(plots)
    plots.show()
    plots.add_events([ShownEvent("left", "initial_contact", 51.0, 0.0, 0.0)])
    plots.show_traces(_traces(60.0), now_s=60.0)
    np.testing.assert_allclose(plots.event_marks.shown("left", "initial_contact")[0], [-9.0])
    plots.add_events([ShownEvent("left", "initial_contact", 60.25, 0.0, 0.0)])
    plots.show_traces(_traces(61.5), now_s=61.5)  # the IC at 51 s left the window, 60.25 s entered it
    x, y = plots.event_marks.shown("left", "initial_contact")
    np.testing.assert_allclose(x, [60.25 - 61.5])
    assert y[0] == pytest.approx(300.0, abs=10.0)
    flipped = {side: (t, -gyro, acc) for side, (t, gyro, acc) in _traces(61.5).items()}
    plots.show_traces(flipped, now_s=61.5)  # without a refit the marks stay where they were
    assert plots.event_marks.shown("left", "initial_contact")[1][0] == pytest.approx(y[0])
    plots.show_traces(flipped, now_s=61.5, refit=True)  # a new sagittal frame: marks placed again
    assert plots.event_marks.shown("left", "initial_contact")[1][0] == pytest.approx(-y[0])


def test_painting_the_traces_is_reported(qtbot) -> None:
    plots = TracePlots()
    qtbot.addWidget(plots)
    plots.show()
    with qtbot.waitSignal(plots.gyro.painted, timeout=2000) as blocker:
        plots.show_traces(_traces(12.0), now_s=12.0)
    assert blocker.args[0] > 0.0


def _mark_pixels(plots: TracePlots, x: float, y: float) -> int:
    """Pixels of the left leg's colour within 7 px of the plot point (x, y) on a fresh paint."""
    from PySide6 import QtCore, QtGui

    image = plots.gyro.grab().toImage()
    centre = plots.gyro.mapFromScene(plots.gyro.getViewBox().mapViewToScene(QtCore.QPointF(x, y)))
    colour = QtGui.QColor(SIDE_COLOURS["left"]).rgb()
    return sum(
        image.pixel(centre.x() + dx, centre.y() + dy) == colour for dx in range(-7, 8) for dy in range(-7, 8)
    )


def test_event_marks_are_painted_where_they_moved(qtbot) -> None:
    """A filled IC triangle (11 px) is on screen at its place frame after frame."""
    plots = TracePlots()
    qtbot.addWidget(plots)
    plots.resize(800, 500)
    plots.show()
    flat = {side: (t, 0.0 * gyro, acc) for side, (t, gyro, acc) in _traces(60.0).items()}
    plots.add_events([ShownEvent("left", "initial_contact", 55.0, 0.0, 0.0)])
    plots.show_traces(flat, now_s=60.0)
    assert _mark_pixels(plots, -5.0, 0.0) > 30
    later = {side: (t + 2.0, gyro, acc) for side, (t, gyro, acc) in flat.items()}
    plots.add_events([ShownEvent("left", "initial_contact", 61.0, 0.0, 0.0)])  # after the last frame's window
    plots.show_traces(later, now_s=62.0)
    assert _mark_pixels(plots, -7.0, 0.0) > 30 and _mark_pixels(plots, -1.0, 0.0) > 30
    assert _mark_pixels(plots, -5.0, 0.0) < 15  # only the trace line is left there
