"""The offline gait pipeline: two legs' raw IMU data in, events, strides and bouts out.

Per leg: uniform resampling with gap handling (:mod:`anklet.timing`), the sagittal
frame (:mod:`anklet.gait.orientation`), swings with IC/FC
(:mod:`anklet.gait.events`); then both legs together: bouts, turning strides and
the stride tables with step time and double support (:mod:`anklet.gait.strides`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from anklet.errors import InsufficientDataError
from anklet.gait.bouts import Bout, Turn, gap_between_swings, group_into_bouts, heading_change_deg, merge_intervals
from anklet.gait.events import GyroEventDetector, Placement, SwingEvents
from anklet.gait.input_checks import check_distinct_legs, check_sampling_rate, overlap_warnings, unit_warnings
from anklet.gait.orientation import FrameSchedule, SagittalFrame, SagittalFrameEstimator
from anklet.gait.strides import StrideTable, build_stride_table
from anklet.imu import SIDES, ImuData, Side
from anklet.timing import (
    DEFAULT_MAX_BRIDGED_GAP_S,
    Gap,
    UniformSegment,
    to_uniform_segments,
)

#: Smallest heading change of a reported turn, degrees (El-Gohary et al. 2014).
MIN_TURN_DEG = 45.0
#: Below this sign confidence the direction of travel (hence the sign of the
#: sagittal axis) is little better than a guess.
MIN_SIGN_CONFIDENCE = 0.1


@dataclass(frozen=True)
class LegEvents:
    """One leg's swings with what they were found on: the per-leg half of the pipeline.

    Attributes:
        segments: uniform, gap-free segments in time order.
        gaps: every gap of the leg's data, bridged or not.
        frame: the sagittal frame the swings were found in.
        swings: the swings of all segments, in time order.
        swing_segment: (n_swings,) index into ``segments`` of each swing.
    """

    segments: tuple[UniformSegment, ...]
    gaps: tuple[Gap, ...]
    frame: SagittalFrame
    swings: SwingEvents
    swing_segment: np.ndarray


@dataclass(frozen=True)
class LegAnalysis:
    """Everything found for one leg. Times in seconds on the input's time axis."""

    side: Side
    sampling_rate_hz: float
    frame: SagittalFrame
    segments: tuple[UniformSegment, ...]
    gaps: tuple[Gap, ...]
    swings: SwingEvents
    swing_bout_index: np.ndarray
    strides: StrideTable

    @property
    def initial_contacts_s(self) -> np.ndarray:
        """All detected ICs, sorted."""
        ic = self.swings.initial_contacts_s
        return np.sort(ic[np.isfinite(ic)])

    @property
    def final_contacts_s(self) -> np.ndarray:
        """All detected FCs, sorted."""
        fc = self.swings.final_contacts_s
        return np.sort(fc[np.isfinite(fc)])


@dataclass(frozen=True)
class GaitAnalysis:
    """Result of :meth:`GaitPipeline.run`: one :class:`LegAnalysis` per leg present."""

    placement: Placement
    legs: dict[Side, LegAnalysis]
    bouts: tuple[Bout, ...]
    turns: tuple[Turn, ...] = field(default=())
    warnings: tuple[str, ...] = field(default=())

    def activity_time_s(self) -> dict[str, float]:
        """Seconds spent walking and running (bouts), turning (inside bouts) and standing.

        Standing is the recorded time (first to last sample of either leg) outside
        every bout: standing or sitting still, which a leg sensor cannot tell apart.
        """
        spans = [
            (seg.start_s, seg.start_s + (len(seg) - 1) / seg.sampling_rate_hz)
            for leg in self.legs.values()
            for seg in leg.segments
        ]
        recorded_s = max(end for _, end in spans) - min(start for start, _ in spans) if spans else 0.0
        walk_s = sum(b.duration_s for b in self.bouts if b.activity == "walk")
        run_s = sum(b.duration_s for b in self.bouts if b.activity == "run")
        return {
            "walk": walk_s,
            "run": run_s,
            "turn": sum(t.duration_s for t in self.turns),
            "standing": max(recorded_s - walk_s - run_s, 0.0),
        }


class GaitPipeline:
    """Events and strides of both legs from their raw IMU data.

    Args:
        placement: "ankle" (shank, just above the ankle) or "foot".
        max_bridged_gap_s: longest data gap bridged by interpolation; longer gaps
            split the data and no stride is made across them.
        max_pause_s: longest pause between swings inside one bout.
        turn_threshold_deg: heading change over one stride above which the stride
            is a turning stride (excluded from steady-state statistics).
        detector: event detector; default :class:`GyroEventDetector` for ``placement``.
    """

    def __init__(
        self,
        placement: Placement = "ankle",
        max_bridged_gap_s: float = DEFAULT_MAX_BRIDGED_GAP_S,
        max_pause_s: float = 2.5,
        turn_threshold_deg: float = 30.0,
        detector: GyroEventDetector | None = None,
    ) -> None:
        self.placement = placement
        self.max_bridged_gap_s = max_bridged_gap_s
        self.max_pause_s = max_pause_s
        self.turn_threshold_deg = turn_threshold_deg
        self.detector = detector if detector is not None else GyroEventDetector(placement)
        self.frame_estimator = SagittalFrameEstimator()
        self.frame_schedule = FrameSchedule(self.frame_estimator, self.detector)

    def run(self, imu: dict[Side, ImuData]) -> GaitAnalysis:
        """Analyse one or both legs. Both legs must share one clock.

        Args:
            imu: "left" and/or "right" -> that leg's data.

        Raises:
            InsufficientDataError: no leg given, a leg too short to analyse or sampled
                below 20 Hz.
            InputFormatError: time not in seconds, or the same data given for both
                legs (:mod:`anklet.gait.input_checks`).
        """
        if not imu:
            raise InsufficientDataError("no leg to analyse: give the left and/or the right sensor's data")
        check_distinct_legs(imu)
        warnings = overlap_warnings(imu)
        for side in (s for s in SIDES if s in imu):
            check_sampling_rate(imu[side], side)
            warnings.extend(unit_warnings(imu[side], side))
        legs = {side: self._detect(imu[side], warnings) for side in SIDES if side in imu}
        return self.assemble(legs, warnings)

    def orient(self, segments: list[UniformSegment], source: str, warnings: list[str]) -> SagittalFrame:
        """The sagittal frame of one leg: :meth:`FrameSchedule.settle` on its uniform segments.

        The frame of the first data prefix that shows enough swings with a confident
        sign (what a live stream of the same data settles on), else of all data.
        Appends a warning to ``warnings`` when the direction of travel is uncertain.

        Raises:
            InsufficientDataError: less than 2 s of data, or no rotation at all.
        """
        try:
            frame = self.frame_schedule.settle(segments).frame
        except InsufficientDataError as error:
            raise InsufficientDataError(f"{source or 'sensor'}: {error}") from None
        warnings.extend(frame_warnings(frame, source))
        return frame

    def assemble(self, legs: dict[Side, LegEvents], warnings: list[str]) -> GaitAnalysis:
        """Bouts, turning strides and stride tables from each leg's swings.

        The bilateral half of :meth:`run`, shared with
        :class:`anklet.gait.incremental.IncrementalGaitAnalyzer`.

        Args:
            legs: per side, its segments, frame and swings (time order).
            warnings: warnings so far; a leg without strides adds one.
        """
        warnings = list(warnings)
        gap_starts = np.array([g.start_s for leg in legs.values() for g in leg.gaps if not g.bridged])
        all_mid_swings = np.concatenate([leg.swings.mid_swing_s for leg in legs.values()])
        bout_of = group_into_bouts(all_mid_swings, gap_starts, self.max_pause_s)
        offsets = np.cumsum([0] + [len(leg.swings) for leg in legs.values()])
        swing_bouts = {side: bout_of[offsets[i] : offsets[i + 1]] for i, side in enumerate(legs)}
        turning = {side: self._turning(leg) for side, leg in legs.items()}
        analyses: dict[Side, LegAnalysis] = {}
        for side, leg in legs.items():
            other = next((o.swings for s, o in legs.items() if s != side), None)
            swings = leg.swings
            strides = build_stride_table(
                side,
                swings.initial_contacts_s,
                swings.final_contacts_s,
                swings.peak_swing_dps,
                swing_bouts[side],
                turning[side],
                None if other is None else other.initial_contacts_s,
                None if other is None else other.final_contacts_s,
                gap_between=gap_between_swings(swings.mid_swing_s, gap_starts),
            )
            if len(strides) == 0:
                warnings.append(f"{side}: no stride found (is the sensor on a walking leg?)")
            analyses[side] = LegAnalysis(
                side=side,
                sampling_rate_hz=leg.segments[0].sampling_rate_hz,
                frame=leg.frame,
                segments=leg.segments,
                gaps=leg.gaps,
                swings=swings,
                swing_bout_index=swing_bouts[side],
                strides=strides,
            )
        return GaitAnalysis(
            placement=self.placement,
            legs=analyses,
            bouts=_summarise_bouts(analyses),
            turns=_turns(legs, turning),
            warnings=tuple(warnings),
        )

    def _detect(self, imu: ImuData, warnings: list[str]) -> LegEvents:
        """Resample, orient and find the swings of one leg's whole recording."""
        segments, gaps = to_uniform_segments(imu, max_bridged_gap_s=self.max_bridged_gap_s)
        frame = self.orient(segments, imu.source, warnings)
        parts = [
            self.detector.detect(s.gyr_dps @ frame.medio_lateral, s.sampling_rate_hz, s.start_s)
            for s in segments
        ]
        swing_segment = np.concatenate([np.full(len(p), i, dtype=int) for i, p in enumerate(parts)])
        return LegEvents(tuple(segments), tuple(gaps), frame, SwingEvents.concatenate(parts), swing_segment)

    def _turning(self, leg: LegEvents) -> np.ndarray:
        """(n_swings - 1,) True where the stride between swing k and k+1 turns.

        The heading change is taken between the swings' ICs, or their mid-swings where
        an IC was not found (:func:`_swing_ends_s`): such a pair makes no stride, but
        a turn made of pivot steps without a clear contact is still seen.
        """
        swing_segment = leg.swing_segment
        turning = np.zeros(max(len(leg.swings) - 1, 0), dtype=bool)
        ends_s = _swing_ends_s(leg.swings)
        for i, seg in enumerate(leg.segments):
            pairs = np.flatnonzero((swing_segment[:-1] == i) & (swing_segment[1:] == i))
            if pairs.size == 0:
                continue
            change = heading_change_deg(
                seg.gyr_dps @ leg.frame.up, seg.sampling_rate_hz, seg.start_s, ends_s[pairs], ends_s[pairs + 1]
            )
            turning[pairs] = np.abs(np.nan_to_num(change)) > self.turn_threshold_deg
        return turning


def _swing_ends_s(swings: SwingEvents) -> np.ndarray:
    """Each swing's IC, or its mid-swing where no IC was found, s."""
    return np.where(np.isfinite(swings.initial_contacts_s), swings.initial_contacts_s, swings.mid_swing_s)


def _turns(legs: dict[Side, LegEvents], turning: dict[Side, np.ndarray]) -> tuple[Turn, ...]:
    """The turns: overlapping turning strides of both legs merged, with their heading change.

    A merged run whose heading changes by less than :data:`MIN_TURN_DEG` (turning
    strides that swing the heading back and forth, e.g. shuffling on the spot) is not
    a turn; one whose heading no leg's data cover is kept with a NaN heading.
    """
    starts, ends = [], []
    for side, leg in legs.items():
        pairs = np.flatnonzero(turning[side])
        swing_ends_s = _swing_ends_s(leg.swings)
        starts.append(swing_ends_s[pairs])
        ends.append(swing_ends_s[pairs + 1])
    if not sum(len(s) for s in starts):
        return ()
    start_s, end_s = np.array(merge_intervals(np.concatenate(starts), np.concatenate(ends))).T
    # Per leg, the heading change over each turn that lies inside one of its segments.
    change_deg = np.full((len(legs), start_s.size), np.nan)
    for row, leg in enumerate(legs.values()):
        for seg in leg.segments:
            last_s = seg.start_s + (len(seg) - 1) / seg.sampling_rate_hz
            inside = (start_s >= seg.start_s) & (end_s <= last_s)
            if inside.any():
                change_deg[row, inside] = heading_change_deg(
                    seg.gyr_dps @ leg.frame.up, seg.sampling_rate_hz, seg.start_s, start_s[inside], end_s[inside]
                )
    covered = np.isfinite(change_deg).any(axis=0)
    mean_deg = np.full(start_s.size, np.nan)
    mean_deg[covered] = np.nanmean(change_deg[:, covered], axis=0)
    return tuple(
        Turn(float(a), float(b), float(c))
        for a, b, c in zip(start_s, end_s, mean_deg, strict=True)
        if not abs(c) < MIN_TURN_DEG
    )


def frame_warnings(frame: SagittalFrame, source: str) -> list[str]:
    """The warning about ``frame`` for the user (none, or one when the sign is a guess)."""
    if frame.sign_confidence >= MIN_SIGN_CONFIDENCE:
        return []
    return [
        f"{source or 'sensor'}: the direction of travel is uncertain "
        f"(confidence {frame.sign_confidence:.2f}); forward swing was assumed positive "
        "about the axis found. Check that the recording contains walking or running."
    ]


def _summarise_bouts(legs: dict[Side, LegAnalysis]) -> tuple[Bout, ...]:
    """One :class:`Bout` per bout index, from the swings and strides of both legs."""
    bout_of_swing = np.concatenate([leg.swing_bout_index for leg in legs.values()])
    stride_bouts = np.concatenate([leg.strides.bout_index for leg in legs.values()])
    stance_fraction = np.concatenate(
        [leg.strides.stance_time_s / leg.strides.stride_time_s for leg in legs.values()]
    )
    starts = np.concatenate(
        [np.fmin(leg.swings.final_contacts_s, leg.swings.mid_swing_s) for leg in legs.values()]
    )
    ends = np.concatenate(
        [np.fmax(leg.swings.initial_contacts_s, leg.swings.mid_swing_s) for leg in legs.values()]
    )
    bouts = []
    for b in np.unique(bout_of_swing):
        in_bout = bout_of_swing == b
        fractions = stance_fraction[stride_bouts == b]
        running = fractions.size > 0 and float(np.median(fractions)) < 0.5
        bouts.append(
            Bout(
                start_s=float(np.nanmin(starts[in_bout])),
                end_s=float(np.nanmax(ends[in_bout])),
                activity="run" if running else "walk",
                n_strides=int(fractions.size),
            )
        )
    return tuple(bouts)
