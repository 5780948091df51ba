"""A live session: samples from a source (BLE collector, replay) flow into display
ring buffers, the recording and the incremental gait analyzer; the GUI or the
terminal view pulls :class:`LiveSnapshot` objects on its own timer.

Threads (acquisition is never blocked by a reader):

* the source's thread calls :meth:`LiveSession.on_samples`: it only copies the chunk
  into the ring buffer and the recording and queues it, O(chunk);
* the analysis thread feeds the queued chunks to the analyzer, collects its IC/FC
  events and updates the strides at most every ``asymmetry_interval_s``, and the
  running asymmetry (the bootstrap CIs are the expensive part) when the strides grew
  by :data:`ASYMMETRY_GROWTH` since its last update;
* readers (Qt timer at ~30 fps, terminal once a second) call :meth:`snapshot` and
  :meth:`traces`, which copy under short locks. What grows with the session (events,
  trend) is kept in tuples replaced when they change, so a snapshot costs the same
  after an hour as after a minute.
"""

from __future__ import annotations

import bisect
import queue
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from anklet.analysis import AnalysisResult, analyze
from anklet.errors import AnkletError, InsufficientDataError
from anklet.gait.asymmetry import ParameterAsymmetry, session_asymmetry
from anklet.gait.orientation import SagittalFrame, SagittalFrameEstimator
from anklet.gait.strides import StrideTable
from anklet.imu import SIDES, ImuData, Placement, Side
from anklet.live.ring import SampleRing
from anklet.live.sources import SampleSource, SensorStatus

#: Parameters whose running Symmetry Index is kept as the session trend.
TREND_PARAMETERS: tuple[str, ...] = ("stride_time", "stance_time", "swing_time", "step_time")
#: Display window of the scrolling traces, s.
DISPLAY_WINDOW_S = 10.0
#: Highest sampling rate the display rings are sized for, Hz.
MAX_SAMPLING_RATE_HZ = 1000.0
#: Bootstrap resamples of the running SI intervals (the final summary uses the default 2000).
LIVE_BOOTSTRAP = 500
#: The running asymmetry is recomputed when the session's strides (both legs) grew by
#: this fraction since its last update (at least one stride): its bootstrap costs
#: O(strides), so updates every ``f * n`` strides cost the same per second at any
#: session length, while a whole-session mean moves in between by at most ``f`` times
#: the distance of the new strides' mean from it.
ASYMMETRY_GROWTH = 0.02
#: Largest share of one core the running asymmetry may take: an update that took
#: ``c`` seconds is followed by the next one no sooner than ``c / share`` (a long
#: session's thousands of strides make the bootstrap slower, so it runs less often).
ASYMMETRY_CPU_SHARE = 0.02


class GaitEventLike(Protocol):
    """An IC/FC event of :class:`anklet.gait.incremental.IncrementalGaitAnalyzer`."""

    side: Side
    kind: str
    time_s: float


class IncrementalAnalyzer(Protocol):
    """The incremental gait analysis the session feeds (helper API of ``anklet.gait.incremental``)."""

    def push(self, side: Side, chunk: ImuData) -> list[GaitEventLike]:
        """Add samples of one leg; return the events they completed."""

    def strides(self, side: Side) -> StrideTable:
        """All strides of ``side`` found so far."""


@dataclass(frozen=True)
class ShownEvent:
    """An IC or FC as the dashboard shows it.

    Attributes:
        side: "left" or "right".
        kind: "initial_contact" or "final_contact".
        time_s: when it happened, session s.
        arrival_wall_s: ``time.perf_counter()`` when the chunk holding its sample
            arrived (for the end-to-end latency).
        detected_wall_s: ``time.perf_counter()`` when the analyzer emitted it.
    """

    side: Side
    kind: str
    time_s: float
    arrival_wall_s: float
    detected_wall_s: float


@dataclass(frozen=True)
class TrendPoint:
    """Running Symmetry Index of :data:`TREND_PARAMETERS` at one session time (None = undefined)."""

    time_s: float
    symmetry_index_pct: dict[str, float | None]


@dataclass(frozen=True)
class LiveSnapshot:
    """Everything a view shows, copied at one instant.

    Attributes:
        now_s: time of the newest sample, session s (NaN before any).
        status: per-side sensor status.
        events: every IC/FC found so far, in emission order.
        strides: per-side stride tables so far.
        asymmetry: running asymmetry per parameter, None until both legs have strides;
            a new object exactly when it was recomputed (see :func:`asymmetry_due`).
        trend: running SI over the session, one point per asymmetry update.
        markers: (time_s, text) markers added.
        recording: samples are being kept for the recording and final analysis.
        recorded_s: session seconds recorded so far.
        problem: the analyzer's last complaint (e.g. not enough data yet), or None.
        analysis_updates: how many times the strides (and display frames) were
            updated; a view redraws its stride tables only when this changed.
    """

    now_s: float
    status: dict[Side, SensorStatus]
    events: tuple[ShownEvent, ...]
    strides: dict[Side, StrideTable]
    asymmetry: dict[str, ParameterAsymmetry] | None
    trend: tuple[TrendPoint, ...]
    markers: tuple[tuple[float, str], ...]
    recording: bool
    recorded_s: float
    problem: str | None
    analysis_updates: int = 0


def next_asymmetry_update_s(started_s: float, cost_s: float, interval_s: float) -> float:
    """When the running asymmetry may be recomputed next (wall s): ``interval_s`` after
    the last update began, or later if that update took more than
    :data:`ASYMMETRY_CPU_SHARE` of the time in between."""
    return started_s + max(interval_s, cost_s / ASYMMETRY_CPU_SHARE)


def asymmetry_due(strides_now: int, strides_then: int) -> bool:
    """True when ``strides_now`` (both legs) grew by :data:`ASYMMETRY_GROWTH` of
    ``strides_then`` (at least one stride) since the running asymmetry's last update."""
    return strides_now >= strides_then + max(1, int(np.ceil(ASYMMETRY_GROWTH * strides_then)))


def default_analyzer(placement: Placement) -> IncrementalAnalyzer:
    """The project's incremental analyzer for ``placement`` ("ankle" or "foot")."""
    from anklet.gait.incremental import IncrementalGaitAnalyzer

    return IncrementalGaitAnalyzer(placement)


class LiveSession:
    """Run a source into the display buffers, the recording and the gait analysis.

    Args:
        source: where samples come from (replay, collector).
        placement: sensor placement, "ankle" or "foot".
        analyzer_factory: builds the incremental analyzer for ``placement``.
        asymmetry_interval_s: shortest wall time between stride and running-asymmetry
            updates (longer when an update is slow, see :data:`ASYMMETRY_CPU_SHARE`;
            the asymmetry also waits for :data:`ASYMMETRY_GROWTH`).
        record: keep samples from the start (else only after :meth:`start_recording`).
    """

    def __init__(
        self,
        source: SampleSource,
        placement: Placement = "ankle",
        analyzer_factory: Callable[[Placement], IncrementalAnalyzer] = default_analyzer,
        asymmetry_interval_s: float = 1.0,
        record: bool = True,
    ) -> None:
        self.source = source
        self.placement = placement
        self._analyzer = analyzer_factory(placement)
        self._asymmetry_interval_s = asymmetry_interval_s
        capacity = int(MAX_SAMPLING_RATE_HZ * DISPLAY_WINDOW_S * 1.5)
        self._rings = {side: SampleRing(capacity, 6) for side in SIDES}
        self._arrivals: dict[Side, deque[tuple[float, float]]] = {side: deque(maxlen=4096) for side in SIDES}
        self._recorded: dict[Side, list[ImuData]] = {side: [] for side in SIDES}
        self._recording = record
        self._queue: queue.SimpleQueue[tuple[Side, ImuData] | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._events: tuple[ShownEvent, ...] = ()
        self._strides: dict[Side, StrideTable] = {}
        self._asymmetry: dict[str, ParameterAsymmetry] | None = None
        self._trend: tuple[TrendPoint, ...] = ()
        self._asymmetry_strides = 0  # strides (both legs) of the last running asymmetry
        self._markers: list[tuple[float, str]] = []
        self._problem: str | None = None
        self._analysis_updates = 0
        self._failure: BaseException | None = None
        self._frames: dict[Side, SagittalFrame] = {}
        self._now_s = float("nan")
        self._idle = threading.Event()
        self._worker = threading.Thread(target=self._analyse_loop, name="anklet-analysis", daemon=True)

    # -- acquisition side -------------------------------------------------------
    def start(self) -> None:
        """Start the analysis thread, then the source."""
        self._worker.start()
        self.source.start(self.on_samples)

    def on_samples(self, side: Side, chunk: ImuData) -> None:
        """Take one chunk of ``side`` (called on the source's thread; never blocks on readers)."""
        if len(chunk) == 0:
            return
        self._arrivals[side].append((float(chunk.time_s[-1]), time.perf_counter()))
        self._rings[side].write(chunk.time_s, np.hstack([chunk.gyr_dps, chunk.acc_mps2]))
        if self._recording:
            self._recorded[side].append(chunk)
        self._now_s = max(float(chunk.time_s[-1]), np.nan_to_num(self._now_s, nan=-np.inf))
        self._idle.clear()
        self._queue.put((side, chunk))

    # -- controls ---------------------------------------------------------------
    @property
    def recording(self) -> bool:
        """True while samples are kept for the recording."""
        return self._recording

    def start_recording(self) -> None:
        """Keep the samples that arrive from now on."""
        self._recording = True

    def stop_recording(self) -> None:
        """Stop keeping samples (display and live analysis go on)."""
        self._recording = False

    def add_marker(self, text: str) -> tuple[float, str]:
        """Mark the newest sample's time with ``text``; returns (time_s, text)."""
        marker = (float(np.nan_to_num(self._now_s, nan=0.0)), text)
        with self._lock:
            self._markers.append(marker)
        return marker

    def wait(self, timeout_s: float | None = None) -> bool:
        """Wait until the source is finished and every chunk was analysed; True if so."""
        deadline = None if timeout_s is None else time.perf_counter() + timeout_s
        while not self.source.finished():
            if deadline is not None and time.perf_counter() > deadline:
                return False
            time.sleep(0.01)
        self._queue.put(None)
        remaining = None if deadline is None else max(0.0, deadline - time.perf_counter())
        return self._idle.wait(remaining)

    def stop(self) -> None:
        """Stop the source and the analysis thread (idempotent).

        Raises:
            RuntimeError: the analysis thread died of a bug (chained).
        """
        self.source.stop()
        self._queue.put(None)
        if self._worker.is_alive():
            self._worker.join()
        if self._failure is not None:
            raise RuntimeError("the live analysis thread failed") from self._failure

    def finish(self) -> AnalysisResult:
        """Stop, then analyse the whole recording with :func:`anklet.analysis.analyze`
        (the same result as ``anklet analyze`` on the same samples).

        Raises:
            anklet.errors.InsufficientDataError: nothing (or too little) recorded.
        """
        self.stop()
        imu = self.recorded_imu()
        if not imu:
            raise InsufficientDataError("nothing was recorded: no sensor delivered samples while recording")
        return analyze(imu, self.placement)

    # -- readers ----------------------------------------------------------------
    def recorded_imu(self) -> dict[Side, ImuData]:
        """All recorded samples per side (sides without samples are absent)."""
        out: dict[Side, ImuData] = {}
        for side, chunks in self._recorded.items():
            chunks = list(chunks)
            if chunks:
                out[side] = ImuData(
                    np.concatenate([c.time_s for c in chunks]),
                    np.concatenate([c.acc_mps2 for c in chunks]),
                    np.concatenate([c.gyr_dps for c in chunks]),
                    chunks[0].source,
                )
        return out

    def samples_received(self, side: Side) -> int:
        """Samples of ``side`` received so far (a view redraws the traces only when this changed)."""
        return self._rings[side].total_written

    def traces(self, side: Side, duration_s: float = DISPLAY_WINDOW_S) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The last ``duration_s`` of ``side`` for display.

        Returns:
            (time_s, sagittal angular velocity in deg/s (forward swing positive once
            the sagittal frame is known, else the gyro axis of largest variance),
            acceleration magnitude in m/s^2).
        """
        time_s, values = self._rings[side].latest(duration_s)
        gyr, acc = values[:, :3], values[:, 3:]
        frame = self._frames.get(side)
        if frame is not None:
            sagittal = frame.sagittal_angular_velocity_dps(gyr)
        elif len(gyr):
            sagittal = gyr[:, int(np.argmax(gyr.var(axis=0)))]
        else:
            sagittal = np.zeros(0)
        return time_s, sagittal, np.linalg.norm(acc, axis=1)

    def snapshot(self) -> LiveSnapshot:
        """A consistent copy of the live state."""
        with self._lock:
            recorded = [c for chunks in self._recorded.values() for c in chunks[:1] + chunks[-1:]]
            recorded_s = (
                max(float(c.time_s[-1]) for c in recorded) - min(float(c.time_s[0]) for c in recorded)
                if recorded
                else 0.0
            )
            return LiveSnapshot(
                now_s=self._now_s,
                status=self.source.status(),
                events=self._events,
                strides=dict(self._strides),
                asymmetry=self._asymmetry,
                trend=self._trend,
                markers=tuple(self._markers),
                recording=self._recording,
                recorded_s=recorded_s,
                problem=self._problem,
                analysis_updates=self._analysis_updates,
            )

    # -- analysis thread ----------------------------------------------------------
    def _analyse_loop(self) -> None:
        next_update = -np.inf
        changed = False
        try:
            while True:
                item = self._queue.get()
                if item is None:
                    if self._queue.empty():
                        self._update_asymmetry(final=True)
                        self._idle.set()
                        if self.source.finished():
                            return
                    continue
                side, chunk = item
                changed |= self._push(side, chunk)
                if changed and time.perf_counter() >= next_update:
                    started = time.perf_counter()
                    self._update_asymmetry()
                    cost_s = time.perf_counter() - started
                    next_update = next_asymmetry_update_s(started, cost_s, self._asymmetry_interval_s)
                    changed = False
        except BaseException as error:  # surfaced by stop()
            self._failure = error
            self._idle.set()

    def _push(self, side: Side, chunk: ImuData) -> bool:
        """Feed one chunk; True if it completed events."""
        try:
            events = self._analyzer.push(side, chunk)
        except AnkletError as error:
            self._problem = str(error)
            return False
        if not events:
            return False
        detected = time.perf_counter()
        shown = [ShownEvent(e.side, e.kind, float(e.time_s), self._arrival(e.side, e.time_s), detected) for e in events]
        with self._lock:
            self._events = self._events + tuple(shown)  # O(events) per batch, not per read
        return True

    def _arrival(self, side: Side, time_s: float) -> float:
        """perf_counter() when the chunk holding the sample at ``time_s`` arrived."""
        arrivals = tuple(self._arrivals[side])  # (newest sample time, wall time) per chunk; copied at C speed
        k = bisect.bisect_left(arrivals, (time_s,))
        return arrivals[min(k, len(arrivals) - 1)][1]

    def _update_asymmetry(self, final: bool = False) -> None:
        """Strides and display frames; the running asymmetry and a trend point when
        :func:`asymmetry_due` (or ``final``: the data so far are all analysed)."""
        strides = {side: self._analyzer.strides(side) for side in SIDES}
        n_strides = sum(len(t) for t in strides.values())
        asymmetry = None
        if all(len(t) for t in strides.values()) and (
            asymmetry_due(n_strides, self._asymmetry_strides) or (final and n_strides != self._asymmetry_strides)
        ):
            asymmetry = session_asymmetry(strides["left"], strides["right"], n_bootstrap=LIVE_BOOTSTRAP)
            self._asymmetry_strides = n_strides
        frames = {side: self._estimate_frame(side) for side in SIDES}
        with self._lock:
            self._strides = strides
            self._frames.update({side: f for side, f in frames.items() if f is not None})
            if asymmetry is not None:
                self._asymmetry = asymmetry
                si = {p: asymmetry[p].symmetry_index_pct for p in TREND_PARAMETERS}
                self._trend = (*self._trend, TrendPoint(float(self._now_s), si))
            self._analysis_updates += 1

    def _estimate_frame(self, side: Side) -> SagittalFrame | None:
        """Sagittal frame of the displayed window (None when it cannot be found yet)."""
        time_s, values = self._rings[side].latest(DISPLAY_WINDOW_S)
        if time_s.size < 50:
            return None
        rate_hz = (time_s.size - 1) / max(time_s[-1] - time_s[0], 1e-9)
        try:
            return SagittalFrameEstimator().estimate(values[:, 3:], values[:, :3], rate_hz)
        except InsufficientDataError:
            return None
