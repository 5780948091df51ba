"""Uniform resampling of one sensor's samples as they arrive, chunk by chunk.

The streaming twin of :func:`anklet.timing.to_uniform_segments`, with the same
rules so the live analysis sees the grid the whole-file analysis sees:

* the sampling rate is inferred (:func:`anklet.timing.infer_sampling_rate_hz`)
  from the first :data:`RATE_WINDOW_S` of data, then kept (the whole-file path
  infers it from all data; with counter- or sensor-clock time stamps both give
  the nominal rate);
* an interval longer than ``GAP_THRESHOLD_PERIODS`` periods is a gap; a gap of at
  most ``max_bridged_gap_s`` is bridged by linear interpolation, a longer one
  closes the segment and the next sample opens a new one;
* each segment's grid is ``first sample time + k / rate``.

Samples are buffered until the rate is known; afterwards only the last sample
before the newest grid point is kept besides the grid itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from anklet.errors import AnkletError
from anklet.imu import ImuData
from anklet.timing import Gap, UniformSegment, infer_sampling_rate_hz
from anklet.timing.resample import _TIME_TOLERANCE_S, GAP_THRESHOLD_PERIODS

#: Data (s) from which the sampling rate is inferred before the first grid point.
RATE_WINDOW_S = 2.0


class StreamOrderError(AnkletError):
    """A chunk's sample times do not follow the previous samples of the same sensor."""


class GrowingRows:
    """An (n, width) array that grows by appending rows (amortised doubling).

    Appending costs the rows appended (plus, rarely, one copy when the capacity
    doubles), whatever the length so far.

    Args:
        width: columns per row.
        dtype: element type (float64 unless given).
    """

    def __init__(self, width: int, dtype: type = np.float64) -> None:
        self._data = np.empty((256, width), dtype=dtype)
        self._n = 0

    def append(self, rows: np.ndarray) -> None:
        """Append ``rows`` ((m, width), or (m,) for width 1)."""
        rows = rows.reshape(-1, self._data.shape[1])
        end = self._n + rows.shape[0]
        if end > self._data.shape[0]:
            grown = np.empty((max(end, 2 * self._data.shape[0]), self._data.shape[1]), dtype=self._data.dtype)
            grown[: self._n] = self._data[: self._n]
            self._data = grown
        self._data[self._n : end] = rows
        self._n = end

    def truncate(self, n: int) -> None:
        """Keep the first ``n`` rows only (rows appended later overwrite the others)."""
        self._n = min(max(n, 0), self._n)

    def view(self, start: int = 0) -> np.ndarray:
        """Rows ``start:`` (a view: copy before keeping it across appends)."""
        return self._data[start : self._n]

    def __len__(self) -> int:
        return self._n


@dataclass
class OpenSegment:
    """The segment still growing: its grid so far (acc, gyr, interpolated flag per row)."""

    start_s: float
    sampling_rate_hz: float
    rows: GrowingRows = field(default_factory=lambda: GrowingRows(7))

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def end_s(self) -> float:
        """Time of the next grid point (one period after the last one), s."""
        return self.start_s + len(self) / self.sampling_rate_hz

    def to_segment(self, start: int = 0, stop: int | None = None) -> UniformSegment:
        """Grid rows ``start:stop`` as a :class:`UniformSegment` (copied)."""
        rows = self.rows.view(start)[: None if stop is None else stop - start].copy()
        return UniformSegment(
            start_s=self.start_s + start / self.sampling_rate_hz,
            sampling_rate_hz=self.sampling_rate_hz,
            acc_mps2=rows[:, :3],
            gyr_dps=rows[:, 3:6],
            interpolated=rows[:, 6] > 0.5,
        )


class StreamResampler:
    """Uniform, gap-split segments of one sensor, built as chunks arrive.

    Args:
        max_bridged_gap_s: longest gap (missing time, s) bridged by interpolation.

    Attributes:
        sampling_rate_hz: the grid rate, None until :data:`RATE_WINDOW_S` of data arrived.
        closed: segments ended by an unbridged gap (or by :meth:`close`), in time order.
        gaps: every gap so far, in time order.
        open: the segment still growing, None before the rate is known or after close.
        last_time_s: time of the newest sample pushed (-inf before any).
    """

    def __init__(self, max_bridged_gap_s: float) -> None:
        self.max_bridged_gap_s = max_bridged_gap_s
        self.sampling_rate_hz: float | None = None
        self.closed: list[UniformSegment] = []
        self.gaps: list[Gap] = []
        self.open: OpenSegment | None = None
        self.last_time_s = -np.inf
        self._pending: list[ImuData] = []
        self._tail_time_s = np.zeros(0)
        self._tail_values = np.zeros((0, 6))

    def push(self, chunk: ImuData) -> None:
        """Add samples (times strictly increasing, after every earlier sample).

        Raises:
            StreamOrderError: times not after the previous chunk's or not increasing.
        """
        if len(chunk) == 0:
            return
        time_s = np.asarray(chunk.time_s, dtype=np.float64)
        if time_s[0] <= self.last_time_s or np.any(np.diff(time_s) <= 0):
            raise StreamOrderError(
                f"{chunk.source or 'sensor'}: sample times must increase strictly, within a chunk "
                f"and from one chunk to the next (got {time_s[0]:.6f} s after {self.last_time_s:.6f} s); "
                "push each sensor's samples in time order, once"
            )
        self.last_time_s = float(time_s[-1])
        values = np.column_stack([chunk.acc_mps2, chunk.gyr_dps]).astype(np.float64)
        if self.sampling_rate_hz is None:
            self._pending.append(ImuData(time_s, values[:, :3], values[:, 3:]))
            first = self._pending[0].time_s[0]
            if self.last_time_s - first < RATE_WINDOW_S:
                return
            time_s = np.concatenate([p.time_s for p in self._pending])
            values = np.concatenate([np.column_stack([p.acc_mps2, p.gyr_dps]) for p in self._pending])
            self._pending = []
            self.sampling_rate_hz = infer_sampling_rate_hz(time_s)
        self._extend(time_s, values)

    def close(self) -> None:
        """End of data: close the open segment (or grid the buffered samples)."""
        if self.sampling_rate_hz is None and self._pending:
            time_s = np.concatenate([p.time_s for p in self._pending])
            values = np.concatenate([np.column_stack([p.acc_mps2, p.gyr_dps]) for p in self._pending])
            self._pending = []
            if time_s.size >= 2:
                self.sampling_rate_hz = infer_sampling_rate_hz(time_s)
                self._extend(time_s, values)
        self._close_open()

    def segments(self) -> list[UniformSegment]:
        """Every segment so far, the open one last (copied)."""
        opened = [self.open.to_segment()] if self.open is not None and len(self.open) else []
        return [*self.closed, *opened]

    def _extend(self, time_s: np.ndarray, values: np.ndarray) -> None:
        """Split the new samples at unbridged gaps and grid each piece."""
        assert self.sampling_rate_hz is not None
        period_s = 1.0 / self.sampling_rate_hz
        all_time = np.concatenate([self._tail_time_s[-1:], time_s])
        intervals = np.diff(all_time)
        is_gap = intervals > GAP_THRESHOLD_PERIODS * period_s
        gap_start = all_time[:-1] + period_s
        duration = all_time[1:] - gap_start
        bridged = duration <= self.max_bridged_gap_s + _TIME_TOLERANCE_S
        offset = all_time.size - time_s.size  # 1 when a previous sample exists
        split_before = np.flatnonzero(is_gap & ~bridged) + 1 - offset  # index into time_s
        for k in np.flatnonzero(is_gap):
            self.gaps.append(Gap(float(gap_start[k]), float(all_time[k + 1]), float(duration[k]), bool(bridged[k])))
        starts = set(split_before.tolist())
        bounds = sorted({0, *starts, time_s.size})
        for a, b in zip(bounds[:-1], bounds[1:], strict=True):
            if a in starts:
                self._close_open()
            self._grid(time_s[a:b], values[a:b])

    def _grid(self, time_s: np.ndarray, values: np.ndarray) -> None:
        """Append the grid points up to ``time_s[-1]`` of the open segment."""
        assert self.sampling_rate_hz is not None
        rate = self.sampling_rate_hz
        if self.open is None:
            self.open = OpenSegment(float(time_s[0]), rate)
            self._tail_time_s, self._tail_values = time_s[:0], values[:0]
        seg = self.open
        t = np.concatenate([self._tail_time_s, time_s])
        v = np.concatenate([self._tail_values, values])
        n_total = int(np.floor((t[-1] - seg.start_s) * rate + _TIME_TOLERANCE_S * rate)) + 1
        k = np.arange(len(seg), n_total)
        grid_s = seg.start_s + k / rate
        if t.size == 1:
            rows = np.column_stack([np.repeat(v, k.size, axis=0), np.zeros(k.size)])
        else:
            right = np.clip(np.searchsorted(t, grid_s, side="right"), 1, t.size - 1)
            left = right - 1
            weight = np.clip((grid_s - t[left]) / (t[right] - t[left]), 0.0, 1.0)
            interpolated = (
                (t[right] - t[left] > GAP_THRESHOLD_PERIODS / rate)
                & (grid_s - t[left] > _TIME_TOLERANCE_S)
                & (t[right] - grid_s > _TIME_TOLERANCE_S)
            )
            rows = np.column_stack(
                [v[left] + (v[right] - v[left]) * weight[:, None], interpolated.astype(float)]
            )
        seg.rows.append(rows)
        # Keep the samples the next grid point may need: the last one at or before it, and later.
        next_grid_s = seg.start_s + n_total / rate
        keep = max(int(np.searchsorted(t, next_grid_s, side="right")) - 1, 0)
        self._tail_time_s, self._tail_values = t[keep:], v[keep:]

    def _close_open(self) -> None:
        if self.open is not None and len(self.open):
            self.closed.append(self.open.to_segment())
        self.open = None
        self._tail_time_s, self._tail_values = np.zeros(0), np.zeros((0, 6))
