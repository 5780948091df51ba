"""The live dashboard window: pulls from a :class:`~anklet.live.session.LiveSession`
on a ~30 fps Qt timer (never from acquisition callbacks), after the timer-driven
update of pyqtgraph's ``examples/scrollingPlots.py``.

Keys: R start/stop recording, M add a marker, Space pause/resume the view.
"""

from __future__ import annotations

import time

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from anklet.gait.asymmetry import ParameterAsymmetry
from anklet.imu import SIDES
from anklet.live.qt_widgets import (
    AsymmetryPanel,
    SensorStatusPanel,
    StrideTables,
    TracePlots,
    TrendPlot,
    bold_font,
    recording_time_text,
)
from anklet.live.session import LiveSession, LiveSnapshot, ShownEvent

#: Redraw period of the view, ms (~30 fps).
FRAME_INTERVAL_MS = 33
#: Window over which the delivered sampling rate is measured, s.
RATE_WINDOW_S = 2.0
#: Refresh period of the header clock and the sensor chips, s.
STATUS_INTERVAL_S = 0.5


class Dashboard(QtWidgets.QMainWindow):
    """Main window of ``anklet live``, ``anklet demo`` and ``anklet replay``.

    Args:
        session: the running (or about to start) session it shows.
        subtitle: what is shown, e.g. "demo: emulated sensor pair".

    Attributes:
        frames_drawn: frames of the traces painted since the start.
        latencies_s: per IC/FC, in the session's event order, the time from its
            chunk's arrival to the end of the first paint that showed it, s (for
            benchmarks).
    """

    def __init__(self, session: LiveSession, subtitle: str) -> None:
        super().__init__()
        pg.setConfigOptions(antialias=True, background="w", foreground="#222222")
        self.session = session
        self.frames_drawn = 0
        self.latencies_s: list[float] = []
        self._events_shown = 0  # events handed to the traces
        self._unpainted: list[ShownEvent] = []  # of those, not painted yet
        self._paused = False
        self._analysis_shown = -1
        self._asymmetry_shown: dict[str, ParameterAsymmetry] | None = None
        self._refit = False  # the display frame may have changed since the last drawn frame
        self._drawn: tuple[int, ...] = ()  # what the traces show: samples per side, events, markers
        self._next_status_s = -np.inf
        self._clock_recording: bool | None = None
        self.setWindowTitle(f"anklet: gait asymmetry ({subtitle})")
        self.traces = TracePlots()
        self.asymmetry = AsymmetryPanel()
        self.strides = StrideTables()
        self.trend = TrendPlot()
        self.status = SensorStatusPanel()
        self._build(subtitle)
        self.traces.gyro.painted.connect(self._on_traces_painted)
        self.timer = QtCore.QTimer(self)
        self.timer.setInterval(FRAME_INTERVAL_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()

    def _build(self, subtitle: str) -> None:
        title = QtWidgets.QLabel("anklet")
        title.setFont(bold_font(16))
        source = QtWidgets.QLabel(subtitle)
        source.setStyleSheet("color: #555555;")
        self.clock = QtWidgets.QLabel()
        self.clock.setFont(bold_font(14))
        self.record_button = QtWidgets.QPushButton()
        self.record_button.clicked.connect(self.toggle_recording)
        self.marker_button = QtWidgets.QPushButton("Add marker (M)")
        self.marker_button.clicked.connect(self.add_marker)
        self.pause_button = QtWidgets.QPushButton()
        self.pause_button.clicked.connect(self.toggle_pause)
        self.problem = QtWidgets.QLabel()
        self.problem.setStyleSheet("color: #a04000;")
        header = QtWidgets.QHBoxLayout()
        for widget in (title, source):
            header.addWidget(widget)
        header.addStretch(1)
        for widget in (self.clock, self.record_button, self.marker_button, self.pause_button):
            header.addWidget(widget)
        grid = QtWidgets.QGridLayout()
        grid.addWidget(self.traces, 0, 0)
        grid.addWidget(self.asymmetry, 0, 1)
        grid.addWidget(self.strides, 1, 0)
        grid.addWidget(self.trend, 1, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        grid.setRowStretch(0, 3)
        grid.setRowStretch(1, 2)
        status_row = QtWidgets.QHBoxLayout()
        status_row.addWidget(self.status)
        status_row.addWidget(self.problem, 1)
        root = QtWidgets.QVBoxLayout()
        root.addLayout(header)
        root.addLayout(status_row)
        root.addLayout(grid, 1)
        central = QtWidgets.QWidget()
        central.setLayout(root)
        central.setStyleSheet("QPushButton { padding: 4px 12px; }")
        self.setCentralWidget(central)
        for key, slot in (("R", self.toggle_recording), ("M", self.add_marker), ("Space", self.toggle_pause)):
            QtGui.QShortcut(QtGui.QKeySequence(key), self, activated=slot)
        self._show_controls()
        self.resize(1440, 900)

    # -- controls -------------------------------------------------------------------
    def toggle_recording(self) -> None:
        """Start or stop keeping samples."""
        if self.session.recording:
            self.session.stop_recording()
        else:
            self.session.start_recording()
        self._show_controls()

    def add_marker(self) -> None:
        """Add a numbered marker at the newest sample."""
        self.session.add_marker(f"marker {len(self.session.snapshot().markers) + 1}")

    def toggle_pause(self) -> None:
        """Freeze or resume the traces (acquisition and analysis go on)."""
        self._paused = not self._paused
        self._show_controls()

    @property
    def paused(self) -> bool:
        """True while the view is paused."""
        return self._paused

    def _show_controls(self) -> None:
        recording = self.session.recording
        self.record_button.setText("Stop recording (R)" if recording else "Start recording (R)")
        self.pause_button.setText("Resume view (Space)" if self._paused else "Pause view (Space)")
        self._next_status_s = -np.inf  # show the recording state at the next frame

    # -- drawing ----------------------------------------------------------------------
    def refresh(self) -> None:
        """Pull the newest data and update what changed (the timer's slot).

        Traces and event marks move at every frame that has new samples, events
        or markers (a frame without them is not redrawn; the marks are placed on the
        traces again when the analysis updated, as the display frame may have
        changed); the stride tables only when the session recomputed them (about
        once a second), the asymmetry bars and trend only when it recomputed the
        asymmetry; the header and sensor chips every :data:`STATUS_INTERVAL_S`.
        """
        snapshot = self.session.snapshot()
        wall_s = time.perf_counter()
        if wall_s >= self._next_status_s:
            self._show_status(snapshot)
            self._next_status_s = wall_s + STATUS_INTERVAL_S
        analysed = snapshot.analysis_updates != self._analysis_shown
        if analysed:
            self.strides.show_strides(snapshot.strides)
            self._analysis_shown = snapshot.analysis_updates
        if snapshot.asymmetry is not self._asymmetry_shown:  # recomputed less often than the strides
            self.asymmetry.show_asymmetry(snapshot.asymmetry)
            self.trend.show_trend(snapshot)
            self._asymmetry_shown = snapshot.asymmetry
        self._refit = self._refit or analysed
        drawn = (*(self.session.samples_received(side) for side in SIDES), len(snapshot.events), len(snapshot.markers))
        if self._paused or (drawn == self._drawn and not self._refit):  # nothing new: no repaint either
            return
        new_events = snapshot.events[self._events_shown :]
        self._events_shown = len(snapshot.events)
        self.traces.add_events(new_events)
        self.traces.add_markers(snapshot.markers[len(self.traces.marker_lines) :])
        traces = {side: self.session.traces(side) for side in SIDES}
        self.traces.show_traces(traces, snapshot.now_s, refit=self._refit)
        self._refit = False
        self._drawn = drawn
        self._unpainted.extend(new_events)

    def _show_status(self, snapshot: LiveSnapshot) -> None:
        """Header clock and sensor chips (Qt skips labels whose text did not change)."""
        rate_hz = {side: _rate_hz(self.session.traces(side, RATE_WINDOW_S)[0]) for side in SIDES}
        self.status.show_status(snapshot.status, rate_hz)
        self.clock.setText(f"{'● REC ' if snapshot.recording else '○ '}{recording_time_text(snapshot.recorded_s)}")
        if snapshot.recording != self._clock_recording:  # a style sheet change re-polishes the widget
            self.clock.setStyleSheet("color: #c0392b;" if snapshot.recording else "color: #555555;")
            self._clock_recording = snapshot.recording
        self.problem.setText(snapshot.problem or "")

    def _on_traces_painted(self, painted_s: float) -> None:
        """The traces reached the screen: count the frame, time the events it shows."""
        self.frames_drawn += 1
        self.latencies_s.extend(painted_s - event.arrival_wall_s for event in self._unpainted)
        self._unpainted.clear()

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        """Stop the timer when the window closes."""
        self.timer.stop()
        super().closeEvent(event)


def _rate_hz(time_s: np.ndarray) -> float:
    """Samples per session second of ``time_s`` (the last :data:`RATE_WINDOW_S`)."""
    if time_s.size < 2:
        return 0.0
    span = time_s[-1] - time_s[0]
    return (time_s.size - 1) / span if span > 0 else 0.0

