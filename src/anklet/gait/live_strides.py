"""Live stride tables: the strides of :meth:`GaitPipeline.assemble`, kept up to date from what is new.

:class:`LiveStrideTables` gives, after each batch of new final swings, the stride
tables that :meth:`GaitPipeline.assemble <anklet.gait.pipeline.GaitPipeline.assemble>`
would build from all the final swings so far, equal to the bit. Per leg it keeps
how many swings and gaps it has taken into account, each swing's bout number and
heading at its IC (with the running heading integral of the newest swing's
segment), the sorted finite ICs and FCs, the largest IC lag after mid-swing, and
the table so far with the first swing of each of its rows; for both legs, the
unbridged gap starts.

Its cost does not grow with the session: an update costs the new swings, gaps and
samples and the few strides they can change (plus one copy of each table). A
heading is integrated once, on its segment's new samples only; bouts are
renumbered from the newest swing or gap on; only the rows that a new swing, gap or
contralateral event can change are rebuilt, every other row is kept. Design and
measurements: docs/live-analysis.md.

The legs are read through :class:`LegView` (the incremental analyzer's per-leg
stream, :mod:`anklet.gait.incremental`, is one), whose swing rows have the
columns :data:`FC`, :data:`MS`, :data:`IC`, :data:`PEAK`, :data:`SEGMENT`.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import fields
from typing import Protocol

import numpy as np

from anklet.gait.bouts import RunningHeading, gap_between_swings, group_into_bouts
from anklet.gait.orientation import SagittalFrame
from anklet.gait.pipeline import GaitPipeline
from anklet.gait.stream_resampling import GrowingRows
from anklet.gait.strides import StrideTable, build_stride_table
from anklet.imu import Side
from anklet.timing import Gap

#: Columns of a leg's final swing rows (:attr:`LegView.swings`): FC, mid-swing, IC (s),
#: peak swing rate (deg/s), index of the segment the swing lies in.
FC, MS, IC, PEAK, SEGMENT = range(5)
#: Number of columns of a swing row.
SWING_COLUMNS = 5


class LegView(Protocol):
    """What the stride tables read of one leg's stream."""

    @property
    def swings(self) -> GrowingRows:
        """Final swings in time order, one row each (columns :data:`FC` ... :data:`SEGMENT`)."""
        ...

    @property
    def gaps(self) -> Sequence[Gap]:
        """Every gap in the leg's data so far, in time order (only ever appended to)."""
        ...

    @property
    def frame(self) -> SagittalFrame | None:
        """The leg's sagittal frame (set once the leg has final swings)."""
        ...

    def segment_gyr(self, index: int) -> tuple[float, float, np.ndarray]:
        """Start (s), rate (Hz) and gyroscope rows so far ((n, 3) deg/s) of segment ``index``."""
        ...


class _SideStrides:
    """What the live stride table of one leg keeps from one update to the next."""

    def __init__(self) -> None:
        self.n = 0  # swings taken into account
        self.gaps_seen = 0  # gaps (LegView.gaps) taken into account
        self.bout = GrowingRows(1, np.int64)  # bout index of each swing, as group_into_bouts numbers it
        self.heading = GrowingRows(1)  # heading at each swing's IC, deg (RunningHeading of its segment)
        self.running: tuple[int, RunningHeading] | None = None  # the newest swing's segment and its heading
        self.ic_sorted: list[float] = []  # finite ICs, s, sorted
        self.fc_sorted: list[float] = []  # finite FCs, s, sorted
        self.max_ic_lag_s = 0.0  # largest IC - mid-swing so far, s
        self.pairs = GrowingRows(1, np.int64)  # per row of the table: index of the stride's first swing
        self.table: StrideTable | None = None

    def add_events(self, new: np.ndarray) -> float:
        """Take the ICs and FCs of the new swings (rows of :attr:`LegView.swings`).

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

    def add_headings(self, leg: LegView, new: np.ndarray) -> None:
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


class LiveStrideTables:
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

    def update(self, legs: Mapping[Side, LegView]) -> dict[Side, StrideTable]:
        """Stride tables of ``legs`` (legs with final swings, hence with a frame)."""
        if list(legs) != list(self._sides):  # a leg joined: everything changes
            self._sides = {side: _SideStrides() for side in legs}
            self._gap_starts = []
        bout_from_s = np.inf  # bouts of swings from this mid-swing time on may change
        changed_s: dict[Side, float] = {}
        for side, leg in legs.items():
            state = self._sides[side]
            new = leg.swings.view(state.n)
            for gap in leg.gaps[state.gaps_seen :]:
                if not gap.bridged:
                    bisect.insort(self._gap_starts, gap.start_s)
                    bout_from_s = min(bout_from_s, gap.start_s)
            state.gaps_seen = len(leg.gaps)
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

    def _update_bouts(self, legs: Mapping[Side, LegView], from_s: float) -> dict[Side, int]:
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
        self, side: Side, leg: LegView, renumbered: int, other: _SideStrides | None, other_changed_s: float
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
        gap_between = gap_between_swings(part[:, MS], np.array(self._gap_starts, dtype=float))
        rebuilt = build_stride_table(
            side, ic, fc, part[:, PEAK], bout, turning, other_ic, other_fc, gap_between=gap_between
        )
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
