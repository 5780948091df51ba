"""Fixed-memory ring buffers between the acquisition thread (one writer) and the
GUI (readers), after the preallocated ring index of pyqtgraph's
``examples/scrollingPlots.py`` and BrainFlow's peek-style board buffer reads.

The writer never waits for a reader for longer than one array copy: readers hold
the lock only while copying out, so a frozen GUI cannot stall acquisition.
"""

from __future__ import annotations

import threading

import numpy as np


class SampleRing:
    """The last ``capacity`` timestamped samples of ``n_channels`` channels.

    Args:
        capacity: samples kept (older ones are overwritten).
        n_channels: values per sample.

    Raises:
        ValueError: a non-positive capacity or channel count.
    """

    def __init__(self, capacity: int, n_channels: int) -> None:
        if capacity < 1 or n_channels < 1:
            raise ValueError(f"capacity and n_channels must be >= 1, got {capacity}, {n_channels}")
        self._time_s = np.full(capacity, np.nan)
        self._values = np.full((capacity, n_channels), np.nan)
        self._total = 0
        self._lock = threading.Lock()

    @property
    def capacity(self) -> int:
        """Samples kept."""
        return int(self._time_s.shape[0])

    @property
    def total_written(self) -> int:
        """Samples written since creation (including overwritten ones)."""
        return self._total

    def write(self, time_s: np.ndarray, values: np.ndarray) -> None:
        """Append samples (called by the one writer thread).

        Args:
            time_s: (n,) sample times, s, increasing.
            values: (n, n_channels) values.

        Raises:
            ValueError: shapes that do not match.
        """
        n = int(time_s.shape[0])
        if values.shape != (n, self._values.shape[1]):
            raise ValueError(f"values must have shape ({n}, {self._values.shape[1]}), got {values.shape}")
        cap = self.capacity
        keep = min(n, cap)
        index = (self._total + n - keep + np.arange(keep)) % cap
        with self._lock:
            self._time_s[index] = time_s[n - keep :]
            self._values[index] = values[n - keep :]
            self._total += n

    def latest(self, duration_s: float) -> tuple[np.ndarray, np.ndarray]:
        """Copies of the samples of the last ``duration_s`` seconds, oldest first.

        Only the times are copied whole (to find the window); the values are copied
        for the window alone, so a reader's cost does not grow with ``capacity``.

        Returns:
            (time_s (m,), values (m, n_channels)); empty before the first write.
        """
        with self._lock:
            total = self._total
            count = min(total, self.capacity)
            if count == 0:
                return self._time_s[:0].copy(), self._values[:0].copy()
            oldest = (total - count) % self.capacity  # physical index of the oldest kept sample
            time_s = np.concatenate([self._time_s[oldest:count], self._time_s[:oldest]])
            first = int(np.searchsorted(time_s, time_s[-1] - duration_s, side="left"))
            start = (oldest + first) % self.capacity
            stop = start + count - first
            if stop <= self.capacity:
                values = self._values[start:stop].copy()
            else:
                values = np.concatenate([self._values[start:], self._values[: stop - self.capacity]])
        return time_s[first:], values
