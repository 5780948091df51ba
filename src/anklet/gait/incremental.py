"""Incremental gait analysis: chunks in as they arrive, final IC/FC events out.

Each leg's samples are gridded as they arrive (:mod:`anklet.gait.stream_resampling`,
the same grid as the whole-file path). The vectorised
:class:`~anklet.gait.events.GyroEventDetector` of the offline pipeline runs again
on a sliding window of the newest data, and a swing becomes final, with its FC
and IC, once its IC lies :data:`FINAL_HORIZON_S` before the newest sample: the
detector's decisions about a swing depend on the data up to a little after its
IC (trough prominence, 15 Hz zero-phase filter tail), so later data no longer
change them. Final events are never retracted. When a gap splits the data, or at
:meth:`IncrementalGaitAnalyzer.finish`, the segment's end is known and the
window is analysed exactly as the offline pipeline analyses a segment's end.

The sagittal frame (:mod:`anklet.gait.orientation`) follows the rule of
:class:`~anklet.gait.orientation.FrameSchedule`, which the whole-file pipeline
applies too: at fixed data times the frame of the data so far is tried, and the
first one that shows enough swings with a confident sign is the leg's frame for
good. Events are held until then, so live and offline find every event in one
frame. Design and measured agreement with the offline pipeline: docs/live-analysis.md.

The stride tables of the final swings (:meth:`IncrementalGaitAnalyzer.strides`)
are those of :meth:`GaitPipeline.assemble <anklet.gait.pipeline.GaitPipeline.assemble>`,
kept up to date from what is new (:class:`~anklet.gait.live_strides.LiveStrideTables`),
so that their cost does not grow with the session.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from anklet.errors import InsufficientDataError
from anklet.gait.events import SwingEvents
from anklet.gait.live_strides import FC, IC, MS, PEAK, SEGMENT, SWING_COLUMNS, LiveStrideTables
from anklet.gait.orientation import SagittalFrame, grid_slice, slice_segments
from anklet.gait.pipeline import GaitAnalysis, GaitPipeline, LegEvents, frame_warnings
from anklet.gait.stream_resampling import GrowingRows, StreamOrderError, StreamResampler
from anklet.gait.strides import StrideTable, build_stride_table
from anklet.imu import SIDES, ImuData, Placement, Side
from anklet.timing import Gap, UniformSegment

EventKind = Literal["initial_contact", "final_contact"]

#: A swing is final once its IC is this old (s of data after it).
FINAL_HORIZON_S = 0.2
#: The detector re-runs once this much new data (s) arrived for a leg.
HOP_S = 0.025
#: Data (s) of the sliding window before the oldest swing that may still change.
WINDOW_BACK_S = 3.0


@dataclass(frozen=True)
class GaitEvent:
    """One final IC or FC of one leg.

    Attributes:
        side: "left" or "right".
        kind: "initial_contact" (heel strike) or "final_contact" (toe-off).
        time_s: session time of the event, s.
        emitted_at_s: data time when it was emitted: the newest sample time of
            that side when the push that completed it returned, s.
    """

    side: Side
    kind: EventKind
    time_s: float
    emitted_at_s: float

    @property
    def latency_s(self) -> float:
        """emitted_at_s - time_s: how much data after the event it took, s."""
        return self.emitted_at_s - self.time_s


class _Leg:
    """One leg's stream: grid, frame, final swings (rows of FC, MS, IC, PEAK, SEGMENT).

    It is the :class:`~anklet.gait.live_strides.LegView` the live stride tables read.
    """

    def __init__(self, side: Side, pipeline: GaitPipeline, frame: SagittalFrame | None) -> None:
        self.side = side
        self.pipeline = pipeline
        self.resampler = StreamResampler(pipeline.max_bridged_gap_s)
        self.source = ""
        self.frame = frame
        self.next_check = 0  # index of the next frame schedule time to try
        self.swings = GrowingRows(SWING_COLUMNS)  # final swings in time order, columns FC, MS, IC, PEAK, SEGMENT
        self.flushed = 0  # closed segments analysed to their end
        self.settled_s = -np.inf  # no swing with a mid-swing before this can still change
        self.detected_at = 0  # open-segment grid length at the last detection

    @property
    def gaps(self) -> list[Gap]:
        """Every gap in the data so far, in time order."""
        return self.resampler.gaps

    @property
    def last_mid_swing_s(self) -> float:
        n = len(self.swings)
        return float(self.swings.view(n - 1)[0, MS]) if n else -np.inf

    def push(self, chunk: ImuData) -> list[GaitEvent]:
        if chunk.source:
            self.source = chunk.source
        before = len(self.resampler.closed)
        self.resampler.push(chunk)
        if len(self.resampler.closed) != before:
            self.detected_at = 0  # a new open segment
        if self.frame is None:
            self.frame = self._settle_frame()
        if self.frame is None or self.resampler.sampling_rate_hz is None:
            return []
        events = self._flush_closed()
        seg = self.resampler.open
        hop = max(1, round(HOP_S * seg.sampling_rate_hz)) if seg is not None else 0
        if seg is not None and len(seg) - self.detected_at >= hop:
            self.detected_at = len(seg)
            start = self._window_start_index(seg.start_s, seg.sampling_rate_hz)
            events += self._analyse(len(self.resampler.closed), seg.to_segment(start), False)
        return events

    def flush(self) -> list[GaitEvent]:
        """End of data: close the grid, settle the frame if not yet, analyse every segment's end.

        A frame not settled yet is the offline one (:meth:`GaitPipeline.orient`: the
        same schedule, now up to the end of the data, then all data).

        Raises:
            InsufficientDataError: less than 2 s of data, or no rotation at all.
        """
        self.resampler.close()
        if self.frame is None:
            segments = self.segments()
            if not segments:
                raise InsufficientDataError(
                    f"{self.source or self.side}: too few samples to analyse (need at least 2 s of data)"
                )
            self.frame = self.pipeline.orient(segments, self.source, [])
        return self._flush_closed()

    def segments(self) -> list[UniformSegment]:
        return self.resampler.segments()

    def leg_events(self, frame: SagittalFrame) -> LegEvents:
        """The final swings so far with the segments they lie in (copied: costs the whole session)."""
        rows = self.swings.view().copy()
        swings = SwingEvents(rows[:, FC], rows[:, MS], rows[:, IC], rows[:, PEAK])
        return LegEvents(
            tuple(self.segments()), tuple(self.resampler.gaps), frame, swings, rows[:, SEGMENT].astype(int)
        )

    def segment_gyr(self, index: int) -> tuple[float, float, np.ndarray]:
        """Start (s), rate (Hz) and gyroscope rows so far ((n, 3) deg/s, a view) of segment ``index``."""
        closed = self.resampler.closed
        if index < len(closed):
            seg = closed[index]
            return seg.start_s, seg.sampling_rate_hz, seg.gyr_dps
        assert index == len(closed) and self.resampler.open is not None
        growing = self.resampler.open
        return growing.start_s, growing.sampling_rate_hz, growing.rows.view()[:, 3:6]

    def _settle_frame(self) -> SagittalFrame | None:
        """Try the frame schedule's times the grid has reached; the settled frame or None."""
        schedule = self.pipeline.frame_schedule
        segments = self.resampler.closed
        seg = self.resampler.open if self.resampler.open is not None and len(self.resampler.open) else None
        last = seg if seg is not None else (segments[-1] if segments else None)
        if last is None:
            return None
        first_s = segments[0].start_s if segments else last.start_s
        while schedule.reached(last, at_s := schedule.check_time_s(first_s, self.next_check)):
            self.next_check += 1
            window = slice_segments(segments, at_s - schedule.window_s, at_s)
            if seg is not None:
                cut = grid_slice(seg.start_s, seg.sampling_rate_hz, len(seg), at_s - schedule.window_s, at_s)
                if cut.stop > cut.start:
                    window.append(seg.to_segment(cut.start, cut.stop))
            frame = schedule.check(window)
            if frame is not None:
                return frame
        return None

    def _flush_closed(self) -> list[GaitEvent]:
        events: list[GaitEvent] = []
        closed = self.resampler.closed
        while self.flushed < len(closed):
            seg = closed[self.flushed]
            start = self._window_start_index(seg.start_s, seg.sampling_rate_hz)
            window = UniformSegment(
                seg.start_s + start / seg.sampling_rate_hz,
                seg.sampling_rate_hz,
                seg.acc_mps2[start:],
                seg.gyr_dps[start:],
                seg.interpolated[start:],
            )
            events += self._analyse(self.flushed, window, True)
            self.flushed += 1
            self.settled_s = -np.inf
        return events

    def _window_start_index(self, start_s: float, rate_hz: float) -> int:
        """First grid index the detector must see: WINDOW_BACK_S before anything unsettled."""
        first_s = max(self.settled_s, self.last_mid_swing_s) - WINDOW_BACK_S
        return int(np.floor((first_s - start_s) * rate_hz)) if first_s > start_s else 0

    def _detect(self, window: UniformSegment, frame: SagittalFrame) -> SwingEvents:
        detector = self.pipeline.detector
        return detector.detect(window.gyr_dps @ frame.medio_lateral, window.sampling_rate_hz, window.start_s)

    def _analyse(self, segment_index: int, window: UniformSegment, at_end: bool) -> list[GaitEvent]:
        """Detect on ``window`` and make final the swings that can no longer change."""
        assert self.frame is not None
        swings = self._detect(window, self.frame)
        end_s = window.start_s + (len(window) - 1) / window.sampling_rate_hz
        search_s = 1.5 * self.pipeline.detector.max_contact_search_s
        min_gap_s = 0.5 * self.pipeline.detector.min_stride_time_s
        events: list[GaitEvent] = []
        now_s = self.resampler.last_time_s
        for fc, ms, ic, peak in zip(
            swings.final_contacts_s, swings.mid_swing_s, swings.initial_contacts_s, swings.peak_swing_dps,
            strict=True,
        ):
            if ms <= self.last_mid_swing_s + min_gap_s or ms < self.settled_s:
                continue
            if np.isfinite(ic):
                final = at_end or ic <= end_s - FINAL_HORIZON_S
            else:
                final = at_end or ms <= end_s - search_s - FINAL_HORIZON_S
            if not final:
                break
            self.swings.append(np.array([fc, ms, ic, peak, segment_index], dtype=float))
            events += [
                GaitEvent(self.side, kind, float(t), now_s)
                for kind, t in (("final_contact", fc), ("initial_contact", ic))
                if np.isfinite(t)
            ]
        if not at_end:
            self.settled_s = max(self.settled_s, end_s - search_s - FINAL_HORIZON_S - min_gap_s)
        return events


class IncrementalGaitAnalyzer:
    """The gait pipeline fed chunk by chunk, emitting final events as they settle.

    Args:
        placement: "ankle" (shank, just above the ankle) or "foot".
        frames: known sagittal frames per side (e.g. from an earlier analysis of
            the same mounting); such a leg emits events from its first swing and
            keeps that frame. Default: found from the data (see module docs).

    Both legs must share one clock (session time). :meth:`finish` returns what
    :meth:`GaitPipeline.run <anklet.gait.pipeline.GaitPipeline.run>` returns on all
    the data pushed, event for event (within one sample; see docs/live-analysis.md).
    """

    def __init__(self, placement: Placement = "ankle", frames: dict[Side, SagittalFrame] | None = None) -> None:
        self.pipeline = GaitPipeline(placement)
        self.placement = placement
        self._frames = dict(frames) if frames is not None else {}
        self._legs: dict[Side, _Leg] = {}
        self._flushed = False
        self._strides_cache: tuple[tuple[int, ...], dict[Side, StrideTable]] | None = None
        self._live_strides = LiveStrideTables(self.pipeline)

    def push(self, side: Side, chunk: ImuData) -> list[GaitEvent]:
        """Add samples of one leg and return the events that became final, in time order.

        Args:
            side: "left" or "right".
            chunk: samples on the session time axis, after every earlier sample of
                that side; any size, gaps allowed (bridged or split as offline).

        Raises:
            ValueError: ``side`` is not "left" or "right".
            anklet.gait.stream_resampling.StreamOrderError: times not increasing, or
                pushed after :meth:`flush`/:meth:`finish`.
        """
        if side not in SIDES:
            raise ValueError(f"side must be 'left' or 'right', got {side!r}")
        if self._flushed:
            raise StreamOrderError("data pushed after the end of the stream (flush/finish); start a new analyzer")
        leg = self._legs.get(side)
        if leg is None:
            leg = self._legs[side] = _Leg(side, self.pipeline, self._frames.get(side))
        return leg.push(chunk)

    def strides(self, side: Side) -> StrideTable:
        """Strides of ``side`` from its final swings so far (empty before any).

        The newest stride is excluded as "last_stride_of_bout" until the next one
        follows, exactly as the whole-file analysis would do at this point: the
        table equals ``GaitPipeline.assemble`` on the final swings so far, but is
        computed once per new final swing, from the new swings, gaps and samples
        (a few strides' work, however long the session; plus copying the table).
        """
        key = tuple(len(self._legs[s].swings) if s in self._legs else -1 for s in SIDES)
        if self._strides_cache is None or self._strides_cache[0] != key:
            ready = {s: leg for s, leg in self._legs.items() if len(leg.swings) and leg.frame is not None}
            tables = self._live_strides.update({s: ready[s] for s in SIDES if s in ready}) if ready else {}
            self._strides_cache = (key, tables)
        tables = self._strides_cache[1]
        return tables[side] if side in tables else _empty_strides(side)

    def flush(self) -> list[GaitEvent]:
        """End of data: return the events that only the end of the data makes final.

        Later pushes are refused; :meth:`finish` then returns the analysis.

        Raises:
            InsufficientDataError: a leg too short to analyse (less than 2 s).
        """
        events: list[GaitEvent] = []
        if not self._flushed:
            self._flushed = True
            for side in SIDES:
                if side in self._legs:
                    events += self._legs[side].flush()
        return events

    def finish(self) -> GaitAnalysis:
        """End of data: make every remaining swing final and return the whole analysis.

        The frames are those the events were found in (without given frames: the
        offline frames), segments and gaps those of the whole data (as offline),
        the swings the final swings of the stream.

        Raises:
            InsufficientDataError: no data pushed, or a leg too short to analyse.
        """
        if not self._legs:
            raise InsufficientDataError("no leg to analyse: push the left and/or the right sensor's data")
        self.flush()
        warnings: list[str] = []
        legs: dict[Side, LegEvents] = {}
        for side in SIDES:
            if side in self._legs:
                leg = self._legs[side]
                assert leg.frame is not None  # flush() settled it
                warnings += frame_warnings(leg.frame, leg.source)
                legs[side] = leg.leg_events(leg.frame)
        return self.pipeline.assemble(legs, warnings)


def _empty_strides(side: Side) -> StrideTable:
    empty = np.zeros(0)
    return build_stride_table(side, empty, empty, empty, np.zeros(0, dtype=int), np.zeros(0, dtype=bool))
