"""Qt widgets of the live dashboard (PySide6 + pyqtgraph): scrolling traces with
IC/FC markers, per-leg stride tables, the asymmetry bars with 95 % intervals, the
asymmetry trend and the per-sensor status. Each widget is updated from a
:class:`anklet.live.session.LiveSnapshot` by its ``show`` method."""

from __future__ import annotations

import bisect
import time
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from anklet.gait.asymmetry import ParameterAsymmetry
from anklet.gait.coordination import DEFAULT_LIMITS
from anklet.gait.strides import StrideTable
from anklet.imu import SIDES, Side
from anklet.live.session import DISPLAY_WINDOW_S, TREND_PARAMETERS, LiveSnapshot, ShownEvent
from anklet.live.sources import SensorStatus

#: One colour per leg everywhere on the dashboard.
SIDE_COLOURS: dict[Side, str] = {"left": "#1f6fb4", "right": "#d9731a"}
#: Asymmetry parameters shown as bars, in order, with their display names.
BAR_PARAMETERS: dict[str, str] = {
    "stride_time": "Stride time",
    "stance_time": "Stance time",
    "swing_time": "Swing time",
    "step_time": "Step time",
    "double_support_time": "Double support",
    "peak_swing_angular_velocity": "Peak swing velocity",
}
TREND_COLOURS: dict[str, str] = {
    "stride_time": "#555555",
    "stance_time": "#2a9d8f",
    "swing_time": "#8e44ad",
    "step_time": "#c0392b",
}
#: Rows of the per-leg stride tables.
STRIDE_ROWS = 12
_STRIDE_COLUMNS = ("start (s)", "stride (s)", "stance (s)", "swing (s)", "used")


def side_name(side: Side) -> str:
    """ "left" -> "Left"."""
    return side.capitalize()


#: Pen width of the traces, px. Qt draws 1 px lines on a fast path; 1.5 px lines
#: cost ~10x more per frame (measured, benchmarks/live_latency.py).
TRACE_PEN_WIDTH = 1
#: Colour of the traces' grid lines (opaque, drawn under the traces).
GRID_COLOUR = "#e4e4e4"
#: Smallest y span of the trace plots (deg/s, m/s^2), so a leg standing still is
#: not magnified into noise.
MIN_GYRO_SPAN_DPS = 100.0
MIN_ACC_SPAN_MPS2 = 5.0


def nice_step(span: float, intervals: int = 4) -> float:
    """The 1, 2 or 5 x 10^k step that cuts ``span`` (> 0) into about ``intervals`` parts."""
    raw = span / intervals
    power = 10.0 ** np.floor(np.log10(raw))
    return float(power * min((m for m in (1.0, 2.0, 5.0, 10.0) if m * power >= raw), default=10.0))


def sticky_range(
    low: float, high: float, current: tuple[float, float] | None, min_span: float
) -> tuple[float, float] | None:
    """Y range for data in [``low``, ``high``] that changes only when it must.

    ``current`` is kept while it holds the data and is at most twice the span the
    data need; otherwise the data's range, padded by 5 % (at least ``min_span``),
    is rounded out to a :func:`nice_step`. An unchanged axis is not redrawn.

    Returns:
        (low, high), or ``current`` when the data are empty or not finite.
    """
    if not (np.isfinite(low) and np.isfinite(high)):
        return current
    centre, half = 0.5 * (low + high), max(0.55 * (high - low), 0.5 * min_span)
    low, high = centre - half, centre + half
    if current is not None and current[0] <= low and high <= current[1] and current[1] - current[0] <= 4 * half:
        return current
    step = nice_step(high - low)
    return float(np.floor(low / step) * step), float(np.ceil(high / step) * step)


class TimedPlotWidget(pg.PlotWidget):
    """A plot widget that reports when it has been painted (``painted(perf_counter s)``)."""

    painted = QtCore.Signal(float)

    def paintEvent(self, event: QtGui.QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        """Paint, then emit :attr:`painted` with ``time.perf_counter()``."""
        super().paintEvent(event)
        self.painted.emit(time.perf_counter())


def _plot(title: str, y_label: str, legend_columns: int, widget: type[pg.PlotWidget]) -> pg.PlotWidget:
    plot = widget()
    plot.setTitle(title, size="11pt")
    plot.setLabel("left", y_label)
    plot.setMouseEnabled(x=False, y=False)
    plot.hideButtons()
    plot.addLegend(offset=(10, 5), labelTextSize="9pt", colCount=legend_columns, brush=pg.mkBrush(255, 255, 255, 200))
    return plot


def _trace_curve(plot: pg.PlotWidget, pen: QtGui.QPen, name: str) -> pg.PlotCurveItem:
    """A bare curve item for a trace: pyqtgraph's ``PlotDataItem`` (what ``plot()``
    makes) adds a Python layer of clipping and downsampling per ``setData`` that a
    window exactly as wide as the view does not need (its auto peak downsampling
    keeps every point below 5 points per pixel, i.e. up to ~3 kHz here); the GUI
    thread redrawing 31 times a second measured 3-5 % of a core less without it."""
    curve = pg.PlotCurveItem(pen=pen, name=name)
    plot.addItem(curve)
    return curve


class ScrollingPlot:
    """One trace plot of the last :data:`DISPLAY_WINDOW_S` seconds on a fixed time axis
    (seconds before the newest sample), so the axes are redrawn only when the y range
    changes (:func:`sticky_range`), not at every frame; its own grid is a single
    line item under the traces (pyqtgraph's axis grid repaints its tick labels at
    every frame, measured 3-4 ms).

    Args:
        plot: the plot widget to set up.
        min_span: smallest y span, in the plot's unit.
    """

    def __init__(self, plot: pg.PlotWidget, min_span: float) -> None:
        self.plot = plot
        self.min_span = min_span
        self.y_range: tuple[float, float] | None = None
        plot.setLabel("bottom", "seconds before the newest sample")
        plot.setXRange(-DISPLAY_WINDOW_S, 0.0, padding=0)
        self.seconds = np.arange(-DISPLAY_WINDOW_S, 0.5, 1.0)
        bottom = plot.getAxis("bottom")
        bottom.setTicks([[(s, f"{s:g}") for s in self.seconds]])
        bottom.setStyle(hideOverlappingLabels=False)  # "-10" and "0" sit on the edges,
        plot.getPlotItem().layout.setContentsMargins(1, 1, 10, 1)  # with room for "0"
        for name in ("left", "bottom"):
            # the traces' repaint region touches the axes at every frame; a pixmap cache
            # blits them instead of replaying their drawing (redrawn when the y range changes)
            plot.getAxis(name).setCacheMode(QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.grid = pg.PlotCurveItem(connect="pairs", pen=pg.mkPen(GRID_COLOUR), antialias=False)
        self.grid.setZValue(-100)
        plot.addItem(self.grid, ignoreBounds=True)

    def fit_y(self, values: list[np.ndarray]) -> None:
        """Keep the y range (and its ticks and grid) fitting ``values`` (see :func:`sticky_range`)."""
        values = [v for v in values if v.size]
        low = min((float(np.nanmin(v)) for v in values), default=np.nan)
        high = max((float(np.nanmax(v)) for v in values), default=np.nan)
        y_range = sticky_range(low, high, self.y_range, self.min_span)
        if y_range is None or y_range == self.y_range:
            return
        self.y_range = y_range
        self.plot.setYRange(*y_range, padding=0)
        step = nice_step(y_range[1] - y_range[0])
        ticks = np.arange(np.ceil(y_range[0] / step), np.floor(y_range[1] / step) + 1) * step + 0.0  # no "-0"
        self.plot.getAxis("left").setTicks([[(float(v), f"{v:g}") for v in ticks]])
        x = np.concatenate([np.repeat(self.seconds, 2), np.tile([-DISPLAY_WINDOW_S, 0.0], ticks.size)])
        y = np.concatenate([np.tile(y_range, self.seconds.size), np.repeat(ticks, 2)])
        self.grid.setData(x, y)


#: IC/FC mark per kind: (symbol, legend name); IC filled with the leg's colour, FC white.
EVENT_SYMBOLS: dict[str, tuple[str, str]] = {"initial_contact": ("t", "IC"), "final_contact": ("t1", "FC")}
_EVENT_KEYS: tuple[tuple[Side, str], ...] = tuple((side, kind) for side in SIDES for kind in EVENT_SYMBOLS)


class EventMarks:
    """The IC/FC marks of both legs on the angular-velocity plot, as one scatter item.

    The points sit at their session times and the item is shifted by ``-now_s``, so
    a frame only moves it; the points (and their restyling, the costly part of
    pyqtgraph's scatter ``setData``) are rebuilt only when an event enters or leaves
    the window or the traces were refitted. One item instead of one per leg and kind
    also paints once per frame instead of four times (profiled, docs/dashboard.md).

    Args:
        plot: the angular-velocity plot (its legend gets one entry per leg and kind).
    """

    def __init__(self, plot: pg.PlotWidget) -> None:
        self.item = pg.ScatterPlotItem(size=11)
        plot.addItem(self.item)
        self._times_s: dict[tuple[Side, str], list[float]] = {key: [] for key in _EVENT_KEYS}
        self._styles: dict[tuple[Side, str], tuple[str, QtGui.QPen, QtGui.QBrush]] = {}
        for side, kind in _EVENT_KEYS:
            symbol, name = EVENT_SYMBOLS[kind]
            pen = pg.mkPen(SIDE_COLOURS[side], width=1.5)
            brush = pg.mkBrush(SIDE_COLOURS[side] if kind == "initial_contact" else "w")
            self._styles[(side, kind)] = (symbol, pen, brush)
            sample = pg.ScatterPlotItem(size=11, symbol=symbol, pen=pen, brush=brush)
            plot.getPlotItem().legend.addItem(sample, f"{side_name(side)} {name}")
        self._shown_key: tuple[int, ...] | None = None

    def add(self, events: Sequence[ShownEvent]) -> None:
        """Keep new events (in emission order, i.e. time order per leg and kind)."""
        for event in events:
            self._times_s[(event.side, event.kind)].append(event.time_s)
        if events:
            self._shown_key = None

    def show(self, traces: dict[Side, tuple[np.ndarray, np.ndarray, np.ndarray]], now_s: float, refit: bool) -> None:
        """Mark the events of the window ending at ``now_s`` (session s) on the
        angular-velocity ``traces`` ((time_s, deg/s, ...) per side)."""
        oldest_s = now_s - DISPLAY_WINDOW_S
        first = {key: bisect.bisect_left(times, oldest_s) for key, times in self._times_s.items()}
        key = tuple(first.values())
        if refit or key != self._shown_key:
            self._rebuild(traces, first)
            self._shown_key = key
        self.item.setPos(-now_s, 0.0)
        self.item.viewTransformChanged()  # its cached view rectangle (used to cull points) moved too

    def shown(self, side: Side, kind: str) -> tuple[np.ndarray, np.ndarray]:
        """(seconds before now, deg/s) of the marks of ``side`` and ``kind`` on screen."""
        index = _EVENT_KEYS.index((side, kind))
        points = [p for p in self.item.points() if p.data() == index]
        x = np.array([p.pos().x() for p in points]) + self.item.pos().x()
        return x, np.array([p.pos().y() for p in points])

    def _rebuild(self, traces: dict[Side, tuple[np.ndarray, ...]], first: dict[tuple[Side, str], int]) -> None:
        x: list[np.ndarray] = []
        y: list[np.ndarray] = []
        keys: list[int] = []  # index in _EVENT_KEYS per point
        for index, (key, times) in enumerate(self._times_s.items()):
            shown = np.array(times[first[key] :])
            time_s, gyro_dps = traces.get(key[0], (np.zeros(0), np.zeros(0)))[:2]
            if shown.size == 0 or time_s.size == 0:
                continue
            x.append(shown)
            y.append(np.interp(shown, time_s, gyro_dps))
            keys += [index] * shown.size
        styles = [self._styles[_EVENT_KEYS[k]] for k in keys]
        self.item.setData(
            x=np.concatenate(x) if x else np.zeros(0),
            y=np.concatenate(y) if y else np.zeros(0),
            symbol=[s[0] for s in styles],
            pen=[s[1] for s in styles],
            brush=[s[2] for s in styles],
            data=keys,
        )


class TracePlots(QtWidgets.QWidget):
    """Both legs' sagittal angular velocity (with IC/FC marks and the user's markers)
    and acceleration magnitude over the last :data:`DISPLAY_WINDOW_S` seconds.

    Attributes:
        gyro: the angular-velocity plot; its ``painted`` signal tells when new
            events reached the screen.
        marker_lines: (session time s, line) of every marker added.
    """

    def __init__(self) -> None:
        super().__init__()
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.gyro = _plot("Sagittal angular velocity (forward swing +)", "deg/s", 6, TimedPlotWidget)
        self.acc = _plot("Acceleration magnitude", "m/s²", 2, pg.PlotWidget)
        self.scrolling = {
            "gyro": ScrollingPlot(self.gyro, MIN_GYRO_SPAN_DPS),
            "acc": ScrollingPlot(self.acc, MIN_ACC_SPAN_MPS2),
        }
        layout.addWidget(self.gyro, 3)
        layout.addWidget(self.acc, 2)
        pens = {s: pg.mkPen(SIDE_COLOURS[s], width=TRACE_PEN_WIDTH) for s in SIDES}
        self.gyro_curves = {s: _trace_curve(self.gyro, pens[s], side_name(s)) for s in SIDES}
        self.acc_curves = {s: _trace_curve(self.acc, pens[s], side_name(s)) for s in SIDES}
        self.event_marks = EventMarks(self.gyro)
        self.marker_lines: list[tuple[float, pg.InfiniteLine]] = []

    def add_events(self, events: Sequence[ShownEvent]) -> None:
        """Keep new IC/FC events for :meth:`show_traces` to mark (see :meth:`EventMarks.add`)."""
        self.event_marks.add(events)

    def add_markers(self, markers: Sequence[tuple[float, str]]) -> None:
        """Add labelled vertical lines for new (time_s, text) markers."""
        for time_s, text in markers:
            line = pg.InfiniteLine(
                0.0, angle=90, pen=pg.mkPen("#444444", style=QtCore.Qt.PenStyle.DashLine),
                label=text, labelOpts={"position": 0.92, "color": "#444444"},
            )
            line.setVisible(False)
            self.gyro.addItem(line)
            self.marker_lines.append((time_s, line))

    def show_traces(
        self, traces: dict[Side, tuple[np.ndarray, np.ndarray, np.ndarray]], now_s: float, refit: bool = False
    ) -> None:
        """Draw each side's (time_s, sagittal deg/s, |acc| m/s^2), the events and the
        markers of the window ending at ``now_s`` (session s) on the fixed time axis.

        ``refit``: the traces' values may have changed for past samples (a new
        sagittal frame), so the event marks are placed on them again."""
        if not np.isfinite(now_s):
            return
        for side, (time_s, gyro_dps, acc_mps2) in traces.items():
            self.gyro_curves[side].setData(time_s - now_s, gyro_dps)
            self.acc_curves[side].setData(time_s - now_s, acc_mps2)
        self.scrolling["gyro"].fit_y([trace[1] for trace in traces.values()])
        self.scrolling["acc"].fit_y([trace[2] for trace in traces.values()])
        self.event_marks.show(traces, now_s, refit)
        oldest_s = now_s - DISPLAY_WINDOW_S
        for time_s, line in self.marker_lines:
            visible = oldest_s <= time_s <= now_s
            line.setVisible(visible)
            if visible:
                line.setPos(time_s - now_s)


def _item(text: str, align_right: bool = True) -> QtWidgets.QTableWidgetItem:
    item = QtWidgets.QTableWidgetItem(text)
    item.setFlags(QtCore.Qt.ItemFlag.ItemIsEnabled)
    if align_right:
        item.setTextAlignment(QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter)
    return item


def _table(columns: tuple[str, ...], rows: int) -> QtWidgets.QTableWidget:
    table = QtWidgets.QTableWidget(rows, len(columns))
    table.setHorizontalHeaderLabels(list(columns))
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.Stretch)
    table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.NoSelection)
    table.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setDefaultSectionSize(20)
    return table


class StrideTables(QtWidgets.QWidget):
    """The last :data:`STRIDE_ROWS` strides of each leg, newest first."""

    def __init__(self) -> None:
        super().__init__()
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.titles: dict[Side, QtWidgets.QLabel] = {}
        self.tables: dict[Side, QtWidgets.QTableWidget] = {}
        for side in SIDES:
            box = QtWidgets.QVBoxLayout()
            title = QtWidgets.QLabel()
            title.setStyleSheet(f"color: {SIDE_COLOURS[side]}; font-weight: bold;")
            box.addWidget(title)
            table = _table(_STRIDE_COLUMNS, STRIDE_ROWS)
            box.addWidget(table)
            layout.addLayout(box)
            self.titles[side], self.tables[side] = title, table
        self.show_strides({})

    def show_strides(self, strides: dict[Side, StrideTable]) -> None:
        """Fill both tables from the stride tables (missing side: empty)."""
        for side in SIDES:
            table_data = strides.get(side)
            n = 0 if table_data is None else len(table_data)
            used = 0 if table_data is None else int(np.sum(table_data.included))
            self.titles[side].setText(f"{side_name(side)} leg: {n} strides ({used} steady-state)")
            table = self.tables[side]
            table.clearContents()
            for row, k in enumerate(range(n - 1, max(n - 1 - STRIDE_ROWS, -1), -1)):
                assert table_data is not None
                values = (
                    f"{table_data.start_s[k]:.2f}",
                    f"{table_data.stride_time_s[k]:.3f}",
                    f"{table_data.stance_time_s[k]:.3f}",
                    f"{table_data.swing_time_s[k]:.3f}",
                    "yes" if table_data.included[k] else (table_data.excluded_reason[k] or "no").replace("_", " "),
                )
                for column, text in enumerate(values):
                    table.setItem(row, column, _item(text, align_right=column < 4))


class AsymmetryPanel(QtWidgets.QWidget):
    """Current Symmetry Index per parameter as horizontal bars with 95 % bootstrap
    intervals (positive = right larger), the healthy band shaded, and a table of the
    left and right means."""

    def __init__(self) -> None:
        super().__init__()
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.plot = pg.PlotWidget()
        self.plot.setTitle("Symmetry Index, 95 % CI", size="11pt")
        self.plot.setLabel("bottom", "◀ left larger      SI (%)      right larger ▶")
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.showGrid(x=True, alpha=0.2)
        names = list(BAR_PARAMETERS.values())
        axis = self.plot.getAxis("left")
        axis.setTicks([[(len(names) - 1 - i, name) for i, name in enumerate(names)]])
        limit = DEFAULT_LIMITS.symmetry_index_pct
        band = pg.LinearRegionItem(
            (-limit, limit), movable=False, brush=pg.mkBrush(60, 160, 90, 35), pen=pg.mkPen(None)
        )
        self.plot.addItem(band)
        self.plot.addItem(pg.InfiniteLine(0, angle=90, pen=pg.mkPen("#333333")))
        self.plot.setYRange(-0.6, len(names) - 0.4, padding=0)
        self.plot.setXRange(-20, 20, padding=0)
        self.bars = pg.BarGraphItem(x0=[], y=[], height=0.6, width=[], brushes=[])
        self.whiskers = pg.ErrorBarItem(x=np.zeros(0), y=np.zeros(0), beam=0.25, pen=pg.mkPen("#222222", width=1.5))
        self.plot.addItem(self.bars)
        self.plot.addItem(self.whiskers)
        layout.addWidget(self.plot, 3)
        self.table = _table(("parameter", "left mean", "right mean", "SI (%) [95 % CI]"), len(BAR_PARAMETERS))
        self.table.horizontalHeader().setSectionResizeMode(0, QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 2)

    def show_asymmetry(self, asymmetry: dict[str, ParameterAsymmetry] | None) -> None:
        """Draw the bars and fill the table (None: waiting for strides of both legs)."""
        if asymmetry is None:
            self.bars.setOpts(x0=[], y=[], width=[], brushes=[])
            self.whiskers.setData(x=np.zeros(0), y=np.zeros(0))
            return
        n = len(BAR_PARAMETERS)
        si = np.array([_or_nan(asymmetry[p].symmetry_index_pct) for p in BAR_PARAMETERS])
        ci = np.array([asymmetry[p].symmetry_index_ci95 or (np.nan, np.nan) for p in BAR_PARAMETERS])
        y = n - 1 - np.arange(n)
        shown = np.isfinite(si)
        brushes = [pg.mkBrush(SIDE_COLOURS["right"] if v > 0 else SIDE_COLOURS["left"]) for v in si[shown]]
        self.bars.setOpts(x0=np.zeros(int(shown.sum())), y=y[shown], width=si[shown], brushes=brushes)
        has_ci = shown & np.all(np.isfinite(ci), axis=1)
        self.whiskers.setData(
            x=si[has_ci], y=y[has_ci], left=si[has_ci] - ci[has_ci, 0], right=ci[has_ci, 1] - si[has_ci]
        )
        reach = np.nanmax(np.abs(np.concatenate([[15.0], si[shown], ci[has_ci].ravel()])))
        self.plot.setXRange(-1.1 * reach, 1.1 * reach, padding=0)
        for row, (parameter, name) in enumerate(BAR_PARAMETERS.items()):
            value = asymmetry[parameter]
            unit = value.unit
            cells = (
                name,
                _mean_text(value.left.mean, unit),
                _mean_text(value.right.mean, unit),
                _si_text(value),
            )
            for column, text in enumerate(cells):
                self.table.setItem(row, column, _item(text, align_right=column > 0))


def _or_nan(value: float | None) -> float:
    return np.nan if value is None else value


def _mean_text(mean: float | None, unit: str) -> str:
    if mean is None:
        return "--"
    return f"{mean:.3f} {unit}" if unit == "s" else f"{mean:.0f} {unit}"


def _si_text(value: ParameterAsymmetry) -> str:
    if value.symmetry_index_pct is None:
        return "--"
    text = f"{value.symmetry_index_pct:+.1f}"
    if value.symmetry_index_ci95 is not None:
        low, high = value.symmetry_index_ci95
        text += f" [{low:+.1f}, {high:+.1f}]"
    return text


class TrendPlot(pg.PlotWidget):
    """Running Symmetry Index of :data:`TREND_PARAMETERS` over the session."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Asymmetry trend", size="11pt")
        self.setLabel("left", "SI (%)")
        self.setLabel("bottom", "session time", units="s")
        self.showGrid(x=True, y=True, alpha=0.2)
        self.hideButtons()
        self.addLegend(offset=(10, 5), labelTextSize="9pt")
        self.addItem(pg.InfiniteLine(0, angle=0, pen=pg.mkPen("#333333")))
        self.curves = {
            p: self.plot(pen=pg.mkPen(TREND_COLOURS[p], width=2), name=BAR_PARAMETERS[p]) for p in TREND_PARAMETERS
        }

    def show_trend(self, snapshot: LiveSnapshot) -> None:
        """Draw the trend points of the snapshot."""
        time_s = np.array([point.time_s for point in snapshot.trend])
        for parameter, curve in self.curves.items():
            curve.setData(time_s, np.array([_or_nan(p.symmetry_index_pct[parameter]) for p in snapshot.trend]))


class SensorStatusPanel(QtWidgets.QWidget):
    """Connection, signal quality (delivered rate), packet loss and battery per sensor."""

    def __init__(self) -> None:
        super().__init__()
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.labels: dict[Side, QtWidgets.QLabel] = {}
        for side in SIDES:
            label = QtWidgets.QLabel()
            label.setTextFormat(QtCore.Qt.TextFormat.RichText)
            label.setStyleSheet(
                f"border: 1px solid {SIDE_COLOURS[side]}; border-radius: 4px; padding: 3px 8px; background: white;"
            )
            layout.addWidget(label)
            self.labels[side] = label

    def show_status(self, status: dict[Side, SensorStatus], rate_hz: dict[Side, float]) -> None:
        """One chip per sensor: state dot, delivered rate, loss, battery."""
        for side in SIDES:
            s = status.get(side)
            if s is None:
                self.labels[side].setText(f"<b style='color:{SIDE_COLOURS[side]}'>{side_name(side)}</b> not used")
                continue
            dot = "#2e9e4f" if s.connected else "#999999"
            state = "connected" if s.connected else "disconnected"
            quality = "good" if s.connected and s.loss_pct < 1.0 else ("fair" if s.loss_pct < 5.0 else "poor")
            battery = "--" if s.battery_pct is None else f"{s.battery_pct} %"
            self.labels[side].setText(
                f"<b style='color:{SIDE_COLOURS[side]}'>{side_name(side)}</b> "
                f"<span style='color:{dot}'>●</span> {state} &nbsp; {rate_hz.get(side, 0.0):.0f} Hz &nbsp; "
                f"signal {quality} &nbsp; loss {s.loss_pct:.1f} % &nbsp; battery {battery}"
            )


def recording_time_text(seconds: float) -> str:
    """``83.4`` -> ``"01:23"`` (hours added when needed)."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    return (f"{hours}:" if hours else "") + f"{rest // 60:02d}:{rest % 60:02d}"


def bold_font(point_size: int) -> QtGui.QFont:
    """A bold font of ``point_size`` points."""
    font = QtGui.QFont()
    font.setPointSize(point_size)
    font.setBold(True)
    return font
