"""Sample sources for a live session: anything that calls ``on_samples(side, ImuData)``
from its own thread with samples on the session timeline.

:class:`ReplaySource` plays two legs' data (a decoded recording, a simulation) at
``speed`` times real time or as fast as possible, in short chunks, the way the BLE
collector delivers notifications. The BLE collector on its own thread
(:class:`anklet.collector.thread.CollectorSource`) is the other source;
:class:`SampleSource` is what both offer to :class:`anklet.live.LiveSession`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from anklet.errors import AnkletError
from anklet.imu import SIDES, ImuData, Side

#: Callback receiving one chunk of samples of one side (session timeline).
SampleSink = Callable[[Side, ImuData], None]


@dataclass(frozen=True)
class SensorStatus:
    """One sensor's state as the dashboard shows it.

    Attributes:
        connected: the link is up (replay: still playing).
        samples: samples delivered so far.
        lost: samples known lost (sequence gaps), so far.
        battery_pct: battery level in %, or None when unknown.
    """

    connected: bool
    samples: int
    lost: int
    battery_pct: int | None

    @property
    def loss_pct(self) -> float:
        """Lost samples in % of the samples that should have arrived."""
        expected = self.samples + self.lost
        return 100.0 * self.lost / expected if expected else 0.0


class SampleSource(Protocol):
    """What a :class:`~anklet.live.LiveSession` needs from a source of samples."""

    def start(self, sink: SampleSink) -> None:
        """Start delivering chunks to ``sink`` from the source's own thread."""

    def stop(self) -> None:
        """Stop delivering (idempotent); returns when no more chunks will come."""

    def finished(self) -> bool:
        """True when the source has delivered everything it will ever deliver."""

    def error(self) -> BaseException | None:
        """What ended the source early (e.g. a sensor not found), or None; the view raises it."""

    def status(self) -> dict[Side, SensorStatus]:
        """Per-side status snapshot (safe to call from any thread)."""


class ReplaySpeedError(AnkletError):
    """A replay speed that is not a positive number or "max"."""


def parse_speed(text: str) -> float | None:
    """``"max"`` -> None (as fast as possible), ``"2"`` -> 2.0 (times real time).

    Raises:
        ReplaySpeedError: anything else, or a speed <= 0.
    """
    if text.strip().lower() == "max":
        return None
    try:
        speed = float(text)
    except ValueError:
        speed = float("nan")
    if not speed > 0 or not np.isfinite(speed):
        raise ReplaySpeedError(f"--speed {text!r}: give a positive factor such as 1, 4 or 0.5, or 'max'")
    return speed


def _lost_samples(time_s: np.ndarray) -> np.ndarray:
    """Cumulative samples missing before each sample, from gaps over 1.5 median periods."""
    if time_s.size < 2:
        return np.zeros(time_s.size, dtype=int)
    dt = np.diff(time_s)
    period = float(np.median(dt))
    missing = np.where(dt > 1.5 * period, np.rint(dt / period) - 1, 0).astype(int)
    return np.concatenate([[0], np.cumsum(missing)])


class ReplaySource:
    """Replay both legs' samples in chunks, paced by their timestamps.

    Args:
        imu: "left"/"right" -> samples on one shared session timeline, s.
        speed: times real time (1.0 = as recorded); None = as fast as possible.
        chunk_s: session seconds per delivered chunk (BLE notifications carry
            about 20-50 ms of samples).

    Raises:
        ValueError: no leg, or a non-positive speed/chunk length.
    """

    def __init__(self, imu: Mapping[Side, ImuData], speed: float | None = 1.0, chunk_s: float = 0.05) -> None:
        if not imu:
            raise ValueError("give the samples of at least one leg")
        if (speed is not None and not speed > 0) or not chunk_s > 0:
            raise ValueError(f"speed and chunk_s must be positive, got {speed}, {chunk_s}")
        self._imu = {side: imu[side] for side in SIDES if side in imu}
        self._speed = speed
        self._chunk_s = chunk_s
        self._lost = {side: _lost_samples(data.time_s) for side, data in self._imu.items()}
        self._delivered = dict.fromkeys(self._imu, 0)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def sides(self) -> tuple[Side, ...]:
        """The legs replayed."""
        return tuple(self._imu)

    def start(self, sink: SampleSink) -> None:
        """Start the replay thread delivering to ``sink``.

        Raises:
            RuntimeError: if already started.
        """
        if self._thread is not None:
            raise RuntimeError("ReplaySource.start() may be called once")
        self._thread = threading.Thread(target=self._run, args=(sink,), name="anklet-replay", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop after the chunk in flight; returns once the thread has ended."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def finished(self) -> bool:
        """True when every sample was delivered or the replay was stopped."""
        return self._thread is not None and not self._thread.is_alive()

    def error(self) -> None:
        """A replay does not fail: always None."""
        return None

    def status(self) -> dict[Side, SensorStatus]:
        """Samples delivered and lost so far per side (battery unknown)."""
        playing = self._thread is not None and self._thread.is_alive()
        return {
            side: SensorStatus(
                connected=playing,
                samples=n,
                lost=int(self._lost[side][n - 1]) if n else 0,
                battery_pct=None,
            )
            for side, n in self._delivered.items()
        }

    def _run(self, sink: SampleSink) -> None:
        start_s = min(float(d.time_s[0]) for d in self._imu.values() if len(d))
        end_s = max(float(d.time_s[-1]) for d in self._imu.values() if len(d))
        wall_start = time.perf_counter()
        for chunk_end_s in np.arange(start_s + self._chunk_s, end_s + self._chunk_s, self._chunk_s):
            if self._speed is not None:
                due = wall_start + (chunk_end_s - start_s) / self._speed
                if self._stop.wait(max(0.0, due - time.perf_counter())):
                    return
            elif self._stop.is_set():
                return
            for side, data in self._imu.items():
                stop = int(np.searchsorted(data.time_s, chunk_end_s, side="left"))
                first = self._delivered[side]
                if stop > first:
                    sink(side, _slice(data, first, stop))
                    self._delivered[side] = stop
        for side, data in self._imu.items():  # the last sample sits exactly at end_s
            if self._delivered[side] < len(data):
                sink(side, _slice(data, self._delivered[side], len(data)))
                self._delivered[side] = len(data)


def _slice(data: ImuData, first: int, stop: int) -> ImuData:
    return ImuData(data.time_s[first:stop], data.acc_mps2[first:stop], data.gyr_dps[first:stop], data.source)
