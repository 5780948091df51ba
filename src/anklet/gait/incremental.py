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
kept up to date from what is new (:class:`_LiveStrides`), so that their cost does not
grow with the session.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, fields
from typing import Literal

import numpy as np

from anklet.errors import InsufficientDataError
from anklet.gait.bouts import RunningHeading, group_into_bouts
from anklet.gait.events import SwingEvents
from anklet.gait.orientation import SagittalFrame, grid_slice, slice_segments
from anklet.gait.pipeline import GaitAnalysis, GaitPipeline, LegEvents, frame_warnings
from anklet.gait.stream_resampling import GrowingRows, StreamOrderError, StreamResampler
from anklet.gait.strides import StrideTable, build_stride_table
from anklet.imu import SIDES, ImuData, Placement, Side
from anklet.timing import UniformSegment

EventKind = Literal["initial_contact", "final_contact"]

#: A swing is final once its IC is this old (s of data after it).
FINAL_HORIZON_S = 0.2
#: The detector re-runs once this much new data (s) arrived for a leg.
HOP_S = 0.025
#: Data (s) of the sliding window before the oldest swing that may still change.
WINDOW_BACK_S = 3.0
#: Columns of a leg's final swings (:attr:`_Leg.swings`): FC, mid-swing, IC (s),
#: peak swing rate (deg/s), index of the segment the swing lies in.
FC, MS, IC, PEAK, SEGMENT = range(5)


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
    """One leg's stream: grid, frame, final swings (rows of FC, MS, IC, PEAK, SEGMENT)."""

    def __init__(self, side: Side, pipeline: GaitPipeline, frame: SagittalFrame | None) -> None:
        self.side = side
        self.pipeline = pipeline
        self.resampler = StreamResampler(pipeline.max_bridged_gap_s)
        self.source = ""
        self.frame = frame
        self.next_check = 0  # index of the next frame schedule time to try
        self.swings = GrowingRows(5)  # final swings in time order, columns FC, MS, IC, PEAK, SEGMENT
        self.flushed = 0  # closed segments analysed to their end
        self.settled_s = -np.inf  # no swing with a mid-swing before this can still change
        self.detected_at = 0  # open-segment grid length at the last detection

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


class _SideStrides:
    """What the live stride table of one leg keeps from one update to the next."""

    def __init__(self) -> None:
        self.n = 0  # swings taken into account
        self.gaps_seen = 0  # resampler gaps taken into account
        self.bout = GrowingRows(1, np.int64)  # bout index of each swing, as group_into_bouts numbers it
        self.heading = GrowingRows(1)  # heading at each swing's IC, deg (RunningHeading of its segment)
        self.running: tuple[int, RunningHeading] | None = None  # the newest swing's segment and its heading
        self.ic_sorted: list[float] = []  # finite ICs, s, sorted
        self.fc_sorted: list[float] = []  # finite FCs, s, sorted
        self.max_ic_lag_s = 0.0  # largest IC - mid-swing so far, s
        self.pairs = GrowingRows(1, np.int64)  # per row of the table: index of the stride's first swing
        self.table: StrideTable | None = None

    def add_events(self, new: np.ndarray) -> float:
        """Take the ICs and FCs of the new swings (rows of :attr:`_Leg.swings`).

        Returns:
            Time (s) from which a stride start of the other leg may see other
            step time or double support: a new IC counts for strides after it,
            a new FC for strides after the last older FC before it.
        """
        ic, fc = new[:, IC][np.isfinite(new[:, IC])], new[:, FC][np.isfinite(new[:, FC])]
        changed_s = float(ic.min()) if ic.size else np.inf
        if fc.size:
            older = bisect.bisect_right(self.fc_sorted, float(fc.min()))
            changed_s = min(changed_s, self.fc_sorted[older - 1] if older else -np.inf)
        for t in ic.tolist():
            bisect.insort(self.ic_sorted, t)
        for t in fc.tolist():
            bisect.insort(self.fc_sorted, t)
        lag = new[:, IC] - new[:, MS]
        lag = lag[np.isfinite(lag)]
        if lag.size:
            self.max_ic_lag_s = max(self.max_ic_lag_s, float(lag.max()))
        return changed_s

    def add_headings(self, leg: _Leg, new: np.ndarray) -> None:
        """Heading at the IC of each new swing, integrated on its segment's samples so far."""
        assert leg.frame is not None
        values = []
        for segment, ic in zip(new[:, SEGMENT].astype(int).tolist(), new[:, IC].tolist(), strict=True):
            start_s, rate_hz, gyr = leg.segment_gyr(segment)
            if self.running is None or self.running[0] != segment:
                self.running = (segment, RunningHeading(start_s, rate_hz))
            heading = self.running[1]
            done = len(heading)
            if len(gyr) > done:
                # A one-row product is summed differently from the same row in a
                # longer one (BLAS): recompute the previous row with it.
                begin = done - 1 if len(gyr) - done == 1 and done else done
                heading.extend((gyr[begin:] @ leg.frame.up)[done - begin :])
            values.append(heading.at(ic))
        self.heading.append(np.array(values, dtype=float))

    def events_after(self, time_s: float) -> tuple[np.ndarray, np.ndarray]:
        """This leg's finite ICs and FCs at or after ``time_s`` (s), sorted."""
        return (
            np.array(self.ic_sorted[bisect.bisect_left(self.ic_sorted, time_s) :], dtype=float),
            np.array(self.fc_sorted[bisect.bisect_left(self.fc_sorted, time_s) :], dtype=float),
        )


class _LiveStrides:
    """The stride tables of :meth:`GaitPipeline.assemble` on the final swings so far, kept up to date.

    An update costs the new swings and gaps and the strides they can change, not
    the session so far (plus one copy of each table, which is returned as a new
    array): a swing's heading is integrated once, on its segment's new samples
    only; bouts are renumbered from the newest swing or gap on; a stride row is
    rebuilt, by :func:`build_stride_table` on the swings from the stride before it
    on, when a new swing or gap may change its bout (or it was the last of its
    bout), or a new contralateral IC or FC its step time or double support. Every
    other row is kept: it is what the whole computation would give again.
    """

    def __init__(self, pipeline: GaitPipeline) -> None:
        self.pipeline = pipeline
        self._sides: dict[Side, _SideStrides] = {}
        self._gap_starts: list[float] = []  # unbridged gap starts of the legs, s, sorted
        self.rebuilt_swings: dict[Side, int] = {}  # per side, swings the last update rebuilt strides from

    def update(self, legs: dict[Side, _Leg]) -> dict[Side, StrideTable]:
        """Stride tables of ``legs`` (legs with final swings, hence with a frame)."""
        if list(legs) != list(self._sides):  # a leg joined: everything changes
            self._sides = {side: _SideStrides() for side in legs}
            self._gap_starts = []
        bout_from_s = np.inf  # bouts of swings from this mid-swing time on may change
        changed_s: dict[Side, float] = {}
        for side, leg in legs.items():
            state = self._sides[side]
            new = leg.swings.view(state.n)
            for gap in leg.resampler.gaps[state.gaps_seen :]:
                if not gap.bridged:
                    bisect.insort(self._gap_starts, gap.start_s)
                    bout_from_s = min(bout_from_s, gap.start_s)
            state.gaps_seen = len(leg.resampler.gaps)
            if len(new):
                bout_from_s = min(bout_from_s, float(new[0, MS]))
            changed_s[side] = state.add_events(new)
            state.add_headings(leg, new)
        renumbered = self._update_bouts(legs, bout_from_s)
        tables = {}
        for side, leg in legs.items():
            other = next((s for s in legs if s != side), None)
            tables[side] = self._update_table(
                side, leg, renumbered[side], None if other is None else self._sides[other],
                np.inf if other is None else changed_s[other],
            )
        for side, leg in legs.items():
            self._sides[side].n = len(leg.swings)
        return tables

    def _update_bouts(self, legs: dict[Side, _Leg], from_s: float) -> dict[Side, int]:
        """Renumber the bouts of the swings with a mid-swing at or after ``from_s``.

        Earlier swings keep theirs: no later swing or gap comes before them. The
        newest of them (either leg) anchors the numbering of the others.

        Returns:
            Per side, the index of its first renumbered swing.
        """
        first = {side: bisect.bisect_left(leg.swings.view()[:, MS], from_s) for side, leg in legs.items()}
        before = [
            (float(legs[side].swings.view(i - 1)[0, MS]), int(self._sides[side].bout.view(i - 1)[0, 0]))
            for side, i in first.items()
            if i
        ]
        times = np.concatenate([legs[side].swings.view(i)[:, MS] for side, i in first.items()])
        pause_s = self.pipeline.max_pause_s
        if before:
            anchor_s, anchor_bout = max(before)
            gaps = np.array(self._gap_starts[bisect.bisect_left(self._gap_starts, anchor_s) :], dtype=float)
            bouts = anchor_bout + group_into_bouts(np.concatenate(([anchor_s], times)), gaps, pause_s)[1:]
        else:
            bouts = group_into_bouts(times, np.array(self._gap_starts, dtype=float), pause_s)
        offset = 0
        for side, i in first.items():
            bout, count = self._sides[side].bout, len(legs[side].swings) - i
            bout.truncate(i)
            bout.append(bouts[offset : offset + count])
            offset += count
        return first

    def _update_table(
        self, side: Side, leg: _Leg, renumbered: int, other: _SideStrides | None, other_changed_s: float
    ) -> StrideTable:
        """Rebuild the rows of ``side`` that may have changed (see the class docs)."""
        state = self._sides[side]
        swings = leg.swings.view()
        # The first swing whose stride may change: its next swing was renumbered, or
        # its IC (at most max_ic_lag_s after its mid-swing) may lie after other_changed_s.
        changed = min(renumbered - 1, bisect.bisect_left(swings[:, MS], other_changed_s - state.max_ic_lag_s))
        # Rows before it are kept, but the last of them (it may no longer be the last
        # of its bout); the row before that is rebuilt too, as the first_of_bout
        # reference of the next, and dropped.
        kept = max(int(np.searchsorted(state.pairs.view()[:, 0], changed)) - 1, 0)
        first = int(state.pairs.view(kept - 1)[0, 0]) if kept else 0
        part = swings[first:]
        self.rebuilt_swings[side] = len(part)
        ic, fc = part[:, IC], part[:, FC]
        bout = state.bout.view(first)[:, 0]
        heading = state.heading.view(first)[:, 0]
        same_segment = part[1:, SEGMENT] == part[:-1, SEGMENT]
        turning = same_segment & (
            np.abs(np.nan_to_num(heading[1:] - heading[:-1])) > self.pipeline.turn_threshold_deg
        )
        other_ic, other_fc = (None, None) if other is None else other.events_after(_earliest_step_s(ic))
        rebuilt = build_stride_table(side, ic, fc, part[:, PEAK], bout, turning, other_ic, other_fc)
        pairs = first + _stride_pairs(ic, fc, bout)
        assert len(pairs) == len(rebuilt) and (not kept or pairs[0] == first)
        skip = 1 if kept else 0
        state.table = _join(state.table, kept, rebuilt, skip)
        state.pairs.truncate(kept)
        state.pairs.append(pairs[skip:])
        return state.table


def _earliest_step_s(ic: np.ndarray) -> float:
    """Contralateral ICs before this time (s) are too old for any stride of swings with ICs ``ic``.

    A step time of a whole stride or more is discarded (:func:`build_stride_table`),
    so a stride from ``ic[k]`` to ``ic[k+1]`` looks back less than ``ic[k+1] - ic[k]``
    (1 s of margin for rounding); contralateral FCs after its start all come later.
    """
    reach = 2.0 * ic[:-1] - ic[1:]
    reach = reach[np.isfinite(reach)]
    return float(reach.min()) - 1.0 if reach.size else np.inf


def _stride_pairs(ic: np.ndarray, fc: np.ndarray, bout: np.ndarray) -> np.ndarray:
    """Index of the first swing of each stride :func:`build_stride_table` makes of these swings."""
    first = np.flatnonzero(bout[:-1] == bout[1:]) if bout.size > 1 else np.zeros(0, dtype=int)
    start, end, contact = ic[first], ic[first + 1], fc[first + 1]
    valid = np.isfinite(start) & np.isfinite(end) & np.isfinite(contact) & (start < contact) & (contact < end)
    return first[valid]


def _join(head: StrideTable | None, rows: int, tail: StrideTable, skip: int) -> StrideTable:
    """The first ``rows`` rows of ``head`` followed by the rows of ``tail`` after the first ``skip``."""
    if head is None or rows == 0:
        assert skip == 0
        return tail
    columns = {}
    for column in fields(StrideTable):
        if column.name != "side":
            a, b = getattr(head, column.name), getattr(tail, column.name)
            columns[column.name] = a[:rows] + b[skip:] if isinstance(a, tuple) else np.concatenate([a[:rows], b[skip:]])
    return StrideTable(side=tail.side, **columns)


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
        self._live_strides = _LiveStrides(self.pipeline)

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
