"""Live mapping of a sensor clock onto the session timeline (lower-envelope fit).

A notification arrives after its last sample was taken, by a latency that is
never negative and is near its minimum in most connection events. So the lower
envelope of ``arrival_time_s - sensor_time_s`` over time is the clock offset
plus the minimum latency, and its slope is the drift (the idea behind
one-way-delay clock synchronisation, e.g. Moon, Skelly & Towsley, "Estimation
and removal of clock skew from network delay measurements", IEEE INFOCOM 1999).

:class:`LiveClockFit` keeps, per window of sensor time, the packet with the
smallest ``arrival - sensor`` and fits a straight line through these minima
(least squares), refitting whenever a window closes: O(windows) memory,
one small ``numpy.polyfit`` per window.
"""

from __future__ import annotations

import math

import numpy as np

from anklet.recording.model import ClockModel

#: Window of sensor time over which one minimum is kept, s.
WINDOW_S = 1.0


class LiveClockFit:
    """Online fit of ``session_time_s = offset + sensor_time_s * (1 + drift)``.

    Feed :meth:`add` with each packet's last sample time and arrival time;
    :meth:`to_session` maps sensor times with the current fit. Before two
    windows have closed only the offset is fitted (drift 0).
    """

    def __init__(self, window_s: float = WINDOW_S) -> None:
        self._window_s = window_s
        self._reference_s: float | None = (
            None  # sensor time subtracted for conditioning
        )
        self._window_index: int | None = None
        self._window_min: tuple[float, float] | None = (
            None  # (x, y) of the current window's minimum
        )
        self._minima_x: list[float] = []
        self._minima_y: list[float] = []
        self._intercept = (
            0.0  # y = intercept + slope * x, x = sensor - reference, y = arrival - x
        )
        self._slope = 0.0

    @property
    def ready(self) -> bool:
        """True once at least one packet was added."""
        return self._reference_s is not None

    def add(self, sensor_time_s: float, arrival_time_s: float) -> None:
        """Add one packet: its last sample's sensor time and its arrival (session) time, s."""
        if self._reference_s is None:
            self._reference_s = sensor_time_s
        x = sensor_time_s - self._reference_s
        y = arrival_time_s - x
        index = math.floor(x / self._window_s)
        if (
            self._window_index is not None
            and index != self._window_index
            and self._window_min is not None
        ):
            self._minima_x.append(self._window_min[0])
            self._minima_y.append(self._window_min[1])
            self._window_min = None
            self._refit()
        self._window_index = index
        if self._window_min is None or y < self._window_min[1]:
            self._window_min = (x, y)
        if len(self._minima_x) < 2:
            current = [*self._minima_y, self._window_min[1]]
            self._intercept, self._slope = min(current), 0.0

    def _refit(self) -> None:
        if len(self._minima_x) >= 2:
            self._slope, self._intercept = np.polyfit(self._minima_x, self._minima_y, 1)

    def to_session(self, sensor_time_s: np.ndarray) -> np.ndarray:
        """Session times (s) of sensor times (s) with the current fit.

        Raises:
            ValueError: nothing was added yet.
        """
        if self._reference_s is None:
            raise ValueError("LiveClockFit.to_session before any packet was added")
        x = np.asarray(sensor_time_s, dtype=np.float64) - self._reference_s
        return self._intercept + x * (1.0 + self._slope)

    def to_sensor(self, session_time_s: float) -> float:
        """The sensor time (s) the current fit maps to ``session_time_s``.

        Raises:
            ValueError: nothing was added yet.
        """
        if self._reference_s is None:
            raise ValueError("LiveClockFit.to_sensor before any packet was added")
        return self._reference_s + (session_time_s - self._intercept) / (
            1.0 + self._slope
        )

    def model(self) -> ClockModel:
        """The fit as a :class:`ClockModel` (the open window included); ``residual_s`` is the RMS
        distance of the window minima from the line.

        Raises:
            ValueError: nothing was added yet.
        """
        if self._reference_s is None or self._window_min is None and not self._minima_x:
            raise ValueError("LiveClockFit.model before any packet was added")
        xs = np.array(
            self._minima_x + ([self._window_min[0]] if self._window_min else [])
        )
        ys = np.array(
            self._minima_y + ([self._window_min[1]] if self._window_min else [])
        )
        if xs.size >= 2:
            slope, intercept = np.polyfit(xs, ys, 1)
        else:
            slope, intercept = 0.0, float(ys.min())
        residual_s = float(np.sqrt(np.mean((ys - (intercept + slope * xs)) ** 2)))
        rate = 1.0 + slope
        return ClockModel(
            offset_s=float(intercept - self._reference_s * rate),
            drift_ppm=float(slope * 1e6),
            residual_s=residual_s,
        )
