"""Sensor clock -> session timeline: a lower-envelope fit of host arrival time
against sensor time, offline and online, with rollover unwrapping and
re-anchoring after a sensor restart.

Why a lower envelope: a packet can only arrive *after* its last sample was
taken; BLE adds a one-sided, heavy-tailed delay (waiting for the next
connection event, retransmissions, host scheduling). Only the packets that
arrived with the least delay say where the sensor clock is. The model line
``arrival = offset + sensor_time * (1 + drift)`` is fitted to them:

- **slope (drift)**: the sensor time is cut into windows
  (:data:`ENVELOPE_WINDOW_S`, wider for long recordings, see
  :func:`envelope_window_s`); each window's least-delayed packet is kept and the
  slope is the Theil-Sen estimate over those window minima (median of all
  pairwise slopes; H. Theil 1950, "A rank-invariant method of linear and
  polynomial regression analysis", Proc. KNAW 53; P. K. Sen 1968, "Estimates of
  the regression coefficient based on Kendall's tau", JASA 63:1379-1389),
  computed with :func:`scipy.stats.theilslopes`.
- **offset**: the line is then lowered until it lies below every packet, so
  ``offset_s`` includes the minimum latency (similar on both legs).

The classic lower envelope, the linear program of S. B. Moon, P. Skelly and
D. Towsley, "Estimation and removal of clock skew from network delay
measurements", Proc. IEEE INFOCOM 1999, pp. 227-234, takes its slope from the
two hull points that straddle the mean sensor time. On a host whose event loop
is busy the least delay itself wanders by a millisecond or two, and those two
points then tilt the line by up to 200 ppm over 20 s; the median over all
window minima is robust to a minority of windows with a raised floor
(docs/clock-alignment.md has the measurement). Robust skew estimation from
minimum delays goes back to V. Paxson, "On calibrating measurements of packet
transit times", Proc. ACM SIGMETRICS 1998.

Model (:class:`anklet.recording.ClockModel`):
``session_time_s = offset_s + sensor_time_s * (1 + drift_ppm * 1e-6)``.
Details, accuracy and the cost for sensors without timestamps: docs/clock-alignment.md.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from anklet.errors import InsufficientDataError
from anklet.recording.model import ClockModel

#: Below this sensor-time span (s) the drift is not estimated (fixed at 0 ppm):
#: a 1 ms envelope error over 10 s is already 100 ppm.
MIN_DRIFT_SPAN_S = 10.0
#: Longest possible link stall: the largest BLE supervision timeout (Core Spec
#: v5.4, Vol 6, Part B, 4.5.2: connSupervisionTimeout 100 ms .. 32 s). A packet
#: cannot be delayed longer without the link being declared lost.
MAX_LINK_STALL_S = 32.0
#: A sensor time that goes back by more than this (and is no rollover) is a restart.
MAX_BACKWARD_S = 1.0
#: Without sensor timestamps (time = sample count / rate), lost notifications are
#: invisible; an arrival-minus-sensor-time rise above this starts a new segment.
UNTIMED_MAX_RISE_S = 0.2
#: Width of the sensor-time windows whose least-delayed packet enters the drift fit, s.
ENVELOPE_WINDOW_S = 1.0
#: Most windows in one fit; beyond, the window width doubles (the Theil-Sen
#: median costs O(windows^2): about 1.3 ms for 256 windows).
MAX_ENVELOPE_WINDOWS = 256


def fit_clock_model(sensor_time_s: np.ndarray, arrival_time_s: np.ndarray) -> ClockModel:
    """Fit the clock model of one sensor (one clock segment) from packet times.

    Args:
        sensor_time_s: (n,) sensor time of the last sample of each packet,
            seconds on the sensor clock, unwrapped (see :func:`clock_segments`).
        arrival_time_s: (n,) host arrival time of each packet, session seconds.

    Returns:
        The lower-envelope line as a :class:`ClockModel`; ``offset_s`` includes
        the minimum latency; ``residual_s`` is the median distance of the points
        above the line (the typical latency beyond the minimum). With a
        sensor-time span below :data:`MIN_DRIFT_SPAN_S` the drift is 0.

    Raises:
        InsufficientDataError: no points.
        ValueError: the arrays differ in shape or hold NaN/inf.
    """
    x = np.asarray(sensor_time_s, dtype=np.float64)
    y = np.asarray(arrival_time_s, dtype=np.float64)
    if x.shape != y.shape or x.ndim != 1:
        raise ValueError(f"sensor_time_s and arrival_time_s must be 1-D of equal length, got {x.shape}, {y.shape}")
    if x.size == 0:
        raise InsufficientDataError("cannot fit a clock model without packets")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        raise ValueError("sensor_time_s and arrival_time_s must be finite")
    x_ref = float(x[0])
    intercept, slope = _envelope_line(x - x_ref, y)
    residual_s = float(np.median(y - (intercept + slope * (x - x_ref))))
    return ClockModel(offset_s=intercept - slope * x_ref, drift_ppm=(slope - 1.0) * 1e6, residual_s=residual_s)


def envelope_window_s(span_s: float) -> float:
    """Width (s) of the drift fit's windows for a sensor-time span of ``span_s``:
    :data:`ENVELOPE_WINDOW_S`, doubled until at most :data:`MAX_ENVELOPE_WINDOWS` windows cover the span."""
    width_s = ENVELOPE_WINDOW_S
    while span_s / width_s >= MAX_ENVELOPE_WINDOWS:
        width_s *= 2.0
    return width_s


def _window_minima(x: np.ndarray, y: np.ndarray, window_s: float) -> np.ndarray:
    """Indices (ascending) of the point with the least ``y - x`` (the least delay)
    in each ``window_s`` wide window of ``x``, windows counted from ``x.min()``."""
    window = ((x - x.min()) // window_s).astype(np.int64)
    order = np.lexsort((y - x, window))
    return np.sort(order[np.flatnonzero(np.diff(window[order], prepend=-1))])


def _envelope_line(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """(intercept, slope) of the line below all points (x, y) whose slope is the
    Theil-Sen slope of the window minima; slope 1 when x spans < MIN_DRIFT_SPAN_S."""
    span_s = float(x.max() - x.min())
    slope = 1.0
    if span_s >= MIN_DRIFT_SPAN_S:
        lowest = _window_minima(x, y, envelope_window_s(span_s))
        slope = float(stats.theilslopes(y[lowest], x[lowest]).slope)
    return float(np.min(y - slope * x)), slope


def classify_steps(
    delta_sensor_s: np.ndarray,
    delta_arrival_s: np.ndarray,
    *,
    wrap_period_s: float | None,
    timestamped: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """Classify the steps between consecutive packets as rollovers or restarts.

    Args:
        delta_sensor_s: (m,) first sensor time of a packet minus the last sensor
            time of the packet before, raw (wrapped) seconds.
        delta_arrival_s: (m,) arrival time difference of the same packets, s.
        wrap_period_s: period after which the sensor clock wraps to 0 (s), or
            None when it does not wrap.
        timestamped: False for sensors whose time is a host-side sample count
            (lost packets are invisible; see :data:`UNTIMED_MAX_RISE_S`).

    Returns:
        ``(wrapped, restarted)`` boolean arrays. A step is a rollover when the
        sensor time went back and adding one wrap period makes its advance agree
        with the arrival advance within :data:`MAX_LINK_STALL_S`. Otherwise it
        is a restart (a new clock segment) when the sensor time went back by more
        than :data:`MAX_BACKWARD_S`, or arrival-minus-sensor time changed by more
        than the largest possible delay change (rise limit
        :data:`MAX_LINK_STALL_S`, or :data:`UNTIMED_MAX_RISE_S` when not
        timestamped; fall limit :data:`MAX_LINK_STALL_S`).
    """
    ds = np.asarray(delta_sensor_s, dtype=np.float64)
    da = np.asarray(delta_arrival_s, dtype=np.float64)
    wrapped = np.zeros(ds.shape, dtype=bool)
    if wrap_period_s is not None:
        wrapped = (ds < -MAX_BACKWARD_S) & (np.abs(ds + wrap_period_s - da) <= MAX_LINK_STALL_S)
    advance_s = ds + np.where(wrapped, wrap_period_s or 0.0, 0.0)
    rise_s = da - advance_s
    max_rise_s = MAX_LINK_STALL_S if timestamped else UNTIMED_MAX_RISE_S
    restarted = ~wrapped & ((advance_s < -MAX_BACKWARD_S) | (rise_s > max_rise_s) | (rise_s < -MAX_LINK_STALL_S))
    return wrapped, restarted


def clock_segments(
    first_sensor_time_s: np.ndarray,
    last_sensor_time_s: np.ndarray,
    arrival_time_s: np.ndarray,
    *,
    wrap_period_s: float | None = None,
    timestamped: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """Unwrap rollovers and split a packet stream where the sensor clock restarted.

    Args:
        first_sensor_time_s, last_sensor_time_s: (n,) raw sensor times of the
            first and last sample of each packet, in arrival order, s.
        arrival_time_s: (n,) host arrival times, session s.
        wrap_period_s, timestamped: see :func:`classify_steps`.

    Returns:
        ``(unwrap_s, segment)``: per packet the seconds to add to its raw sensor
        times (whole wrap periods) and its clock segment index (0, 1, ...;
        increases at each restart). Each segment gets its own clock model.

    Raises:
        ValueError: the arrays differ in shape.
    """
    first = np.asarray(first_sensor_time_s, dtype=np.float64)
    last = np.asarray(last_sensor_time_s, dtype=np.float64)
    arrival = np.asarray(arrival_time_s, dtype=np.float64)
    if not first.shape == last.shape == arrival.shape or first.ndim != 1:
        raise ValueError("first/last sensor times and arrival times must be 1-D of equal length")
    wrapped, restarted = classify_steps(
        first[1:] - last[:-1], np.diff(arrival), wrap_period_s=wrap_period_s, timestamped=timestamped
    )
    unwrap_s = np.concatenate([[0.0], np.cumsum(wrapped) * (wrap_period_s or 0.0)])
    segment = np.concatenate([[0], np.cumsum(restarted)])
    return unwrap_s, segment


def to_session_time(model: ClockModel, sensor_time_s: np.ndarray) -> np.ndarray:
    """Session seconds of unwrapped sensor times (s) under ``model``."""
    return model.offset_s + np.asarray(sensor_time_s, dtype=np.float64) * (1.0 + model.drift_ppm * 1e-6)


class OnlineClockFit:
    """The lower-envelope clock fit, fed packet by packet (live use).

    Memory is bounded: per sensor-time bin (:data:`ENVELOPE_WINDOW_S`, doubling
    when more than :data:`MAX_ENVELOPE_WINDOWS` are needed, i.e. after about
    four minutes) only the point lowest relative to the current line is kept;
    the line is refitted over the bins when a bin closes or when a packet
    arrives below it. Rollovers
    are unwrapped and restarts start a new segment with a fresh fit (see
    :func:`classify_steps`).

    Args:
        wrap_period_s: the sensor clock's wrap period (s), None if it does not wrap.
        timestamped: False when sensor time is a host-side sample count.
    """

    def __init__(self, *, wrap_period_s: float | None = None, timestamped: bool = True) -> None:
        self._wrap_period_s = wrap_period_s
        self._timestamped = timestamped
        self._unwrap_s = 0.0
        self._previous: tuple[float, float] | None = None  # raw last sensor time, arrival
        self._last_emitted_s = -np.inf
        self._bin_s = ENVELOPE_WINDOW_S
        self._bin_x = np.zeros(0)
        self._bin_y = np.zeros(0)
        self._bin_anchor_s = 0.0
        self._model: ClockModel | None = None
        self.segments = 0

    @property
    def model(self) -> ClockModel | None:
        """The current segment's clock model (unwrapped sensor time), None before the first packet."""
        return self._model

    def update(self, sensor_time_s: np.ndarray, arrival_time_s: float) -> np.ndarray:
        """Add one packet and return the session times of its samples.

        Args:
            sensor_time_s: (k,) raw sensor times of the packet's samples, s.
            arrival_time_s: the packet's host arrival time, session s.

        Returns:
            (k,) session seconds, strictly increasing across all calls: after a
            refit that moves the line earlier, samples are held 1 us after the
            previous one until the line catches up.
        """
        raw = np.asarray(sensor_time_s, dtype=np.float64)
        if raw.size == 0:
            return np.zeros(0)
        if self._previous is None:
            self._start_segment()
        else:
            wrapped, restarted = classify_steps(
                np.array([raw[0] - self._previous[0]]),
                np.array([arrival_time_s - self._previous[1]]),
                wrap_period_s=self._wrap_period_s,
                timestamped=self._timestamped,
            )
            if wrapped[0]:
                self._unwrap_s += self._wrap_period_s or 0.0
            elif restarted[0]:
                self._unwrap_s = 0.0
                self._start_segment()
        self._previous = (float(raw[-1]), float(arrival_time_s))
        self._add_point(float(raw[-1]) + self._unwrap_s, float(arrival_time_s))
        times_s = self.to_session(raw)
        floor_s = self._last_emitted_s + 1e-6 * np.arange(1, raw.size + 1)
        times_s = np.maximum(np.maximum.accumulate(times_s), floor_s)
        self._last_emitted_s = float(times_s[-1])
        return times_s

    def to_session(self, sensor_time_s: np.ndarray) -> np.ndarray:
        """Session seconds of raw sensor times of the current segment (no monotonic hold).

        Raises:
            InsufficientDataError: no packet yet.
        """
        if self._model is None:
            raise InsufficientDataError("the online clock fit has no packet yet")
        return to_session_time(self._model, np.asarray(sensor_time_s, dtype=np.float64) + self._unwrap_s)

    def _start_segment(self) -> None:
        self.segments += 1
        self._bin_s = ENVELOPE_WINDOW_S
        self._bin_x, self._bin_y = np.zeros(0), np.zeros(0)
        self._model = None

    def _add_point(self, x: float, y: float) -> None:
        slope = 1.0 if self._model is None else 1.0 + self._model.drift_ppm * 1e-6
        if self._bin_x.size == 0:
            self._bin_anchor_s = x
        new_bin = self._bin_x.size == 0 or self._bin_index(x) != self._bin_index(float(self._bin_x[-1]))
        if new_bin:
            self._bin_x, self._bin_y = np.append(self._bin_x, x), np.append(self._bin_y, y)
        elif y - slope * x < self._bin_y[-1] - slope * self._bin_x[-1]:
            self._bin_x[-1], self._bin_y[-1] = x, y
        if self._bin_x.size > MAX_ENVELOPE_WINDOWS:
            self._coarsen(slope)
        below = self._model is not None and y < to_session_time(self._model, np.array([x]))[0]
        if new_bin or below:
            x_ref = float(self._bin_x[0])
            intercept, fitted_slope = _envelope_line(self._bin_x - x_ref, self._bin_y)
            residual_s = float(np.median(self._bin_y - (intercept + fitted_slope * (self._bin_x - x_ref))))
            self._model = ClockModel(intercept - fitted_slope * x_ref, (fitted_slope - 1.0) * 1e6, residual_s)

    def _bin_index(self, x: float) -> int:
        return int((x - self._bin_anchor_s) // self._bin_s)

    def _coarsen(self, slope: float) -> None:
        """Double the bin width, keeping the lowest point (relative to ``slope``) of each merged bin."""
        self._bin_s *= 2.0
        index = ((self._bin_x - self._bin_anchor_s) // self._bin_s).astype(np.int64)
        order = np.lexsort((self._bin_y - slope * self._bin_x, index))
        keep = np.sort(order[np.flatnonzero(np.diff(index[order], prepend=-1))])
        self._bin_x, self._bin_y = self._bin_x[keep], self._bin_y[keep]
