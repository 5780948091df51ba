"""Ground truth of a simulated session, on the session (true) timeline.

Strides follow :class:`anklet.gait.strides.StrideTable`: stride ``k`` of a leg runs
from an IC to the leg's next IC in the same gait bout, its FC opens the swing that
ends the stride. Event definitions relative to the signal: see
:mod:`anklet.simulate.templates` and docs/simulation.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from anklet.gait.strides import StrideTable
from anklet.imu import Side
from anklet.simulate.schedule import LegSchedule, Schedule
from anklet.simulate.specs import GaitSpec


@dataclass(frozen=True)
class LegTruth:
    """True events and strides of one leg.

    Attributes:
        side: "left" or "right".
        stance_fraction: imposed stance time / stride time of this leg.
        initial_contacts_s: (n,) every IC, s (session time).
        final_contacts_s: (n,) every FC, s; ``final_contacts_s[j]`` opens the swing
            that ``initial_contacts_s[j]`` closes.
        swing_bout_index: (n,) gait bout of each swing.
        strides: one row per stride; ``peak_swing_angular_velocity_dps`` is the
            model's sagittal pitch-rate peak (swing size * leg peak * nominal /
            actual stride time); excluded strides carry the reason "first_stride_of_bout",
            "last_stride_of_bout" or "turn".
        in_turn, first_of_bout, last_of_bout: (m,) per stride.
    """

    side: Side
    stance_fraction: float
    initial_contacts_s: np.ndarray
    final_contacts_s: np.ndarray
    swing_bout_index: np.ndarray
    strides: StrideTable
    in_turn: np.ndarray
    first_of_bout: np.ndarray
    last_of_bout: np.ndarray


@dataclass(frozen=True)
class GroundTruth:
    """Everything the simulation imposed.

    Attributes:
        legs: per side.
        imposed_asymmetry_pct: right minus left, % of the mean, as imposed by the
            GaitSpec (exact in the strides when the stride-time CV is 0): keys
            "stance_time", "swing_time", "step_time", "peak_swing".
        gait_bouts_s: (n, 2) start/end of each gait bout (standing -> standing), s.
        turns_s: (m, 2) start/end of each turn, s; ``turn_angle_deg`` (m,) its angle.
        mounting_rotation: per side, (3, 3) rotation mapping sensor-frame vectors
            to the segment frame (v_segment = R @ v_sensor).
    """

    legs: dict[Side, LegTruth]
    imposed_asymmetry_pct: dict[str, float]
    gait_bouts_s: np.ndarray
    turns_s: np.ndarray
    turn_angle_deg: np.ndarray
    mounting_rotation: dict[Side, np.ndarray]


def _stride_rows(leg: LegSchedule) -> np.ndarray:
    """Index ``j`` of the swings whose IC opens a stride (next swing in the same bout)."""
    return (
        np.flatnonzero(leg.swing_bout[:-1] == leg.swing_bout[1:])
        if leg.swing_bout.size > 1
        else np.zeros(0, int)
    )


def _bilateral(
    start_s: np.ndarray, bout: np.ndarray, other: LegSchedule
) -> tuple[np.ndarray, np.ndarray]:
    """Step time and initial double support of strides opening at ``start_s``.

    Step time: start minus the last contralateral IC before it in the same bout.
    Double support: from start to the contralateral FC that ends the stance begun
    at that contralateral IC, 0 if that FC came first (flight). NaN without a
    contralateral IC earlier in the bout.
    """
    k = np.searchsorted(other.initial_contacts_s, start_s, side="left") - 1
    valid = k >= 0
    k = np.maximum(k, 0)
    valid &= other.swing_bout[k] == bout
    step = np.where(valid, start_s - other.initial_contacts_s[k], np.nan)
    nxt = np.minimum(k + 1, other.final_contacts_s.size - 1)
    has_next = (
        valid & (k + 1 < other.final_contacts_s.size) & (other.swing_bout[nxt] == bout)
    )
    double = np.where(
        has_next, np.maximum(other.final_contacts_s[nxt] - start_s, 0.0), np.nan
    )
    return step, double


def leg_truth(
    leg: LegSchedule, other: LegSchedule, gait: GaitSpec, peak_swing_dps: float
) -> LegTruth:
    """The truth of one leg from the schedules of both.

    Args:
        leg, other: this leg's and the contralateral leg's schedules.
        gait: the gait spec (nominal stride time).
        peak_swing_dps: this leg's swing peak at the nominal stride, deg/s.
    """
    j = _stride_rows(leg)
    start = leg.initial_contacts_s[j]
    end = leg.initial_contacts_s[j + 1]
    fc = leg.final_contacts_s[j + 1]
    bout = leg.swing_bout[j]
    stride = end - start
    in_turn = leg.swing_in_turn[j + 1]
    first = (j == 0) | (np.concatenate(([-1], leg.swing_bout))[j] != bout)
    last = (j + 2 >= leg.swing_bout.size) | (
        np.concatenate((leg.swing_bout, [-1]))[j + 2] != bout
    )
    reasons = tuple(
        "first_stride_of_bout"
        if is_first
        else "last_stride_of_bout"
        if is_last
        else "turn"
        if turning
        else None
        for is_first, is_last, turning in zip(first, last, in_turn, strict=True)
    )
    step, double = _bilateral(start, bout, other)
    table = StrideTable(
        side=leg.side,
        start_s=start,
        end_s=end,
        final_contact_s=fc,
        stride_time_s=stride,
        stance_time_s=fc - start,
        swing_time_s=end - fc,
        step_time_s=step,
        double_support_time_s=double,
        cadence_steps_per_min=120.0 / stride,
        peak_swing_angular_velocity_dps=leg.swing_scale[j + 1]
        * peak_swing_dps
        * gait.stride_time_s
        / stride,
        bout_index=bout,
        included=np.array([r is None for r in reasons], dtype=bool),
        excluded_reason=reasons,
    )
    return LegTruth(
        side=leg.side,
        stance_fraction=leg.stance_fraction,
        initial_contacts_s=leg.initial_contacts_s,
        final_contacts_s=leg.final_contacts_s,
        swing_bout_index=leg.swing_bout,
        strides=table,
        in_turn=in_turn,
        first_of_bout=first,
        last_of_bout=last,
    )


def ground_truth(
    schedule: Schedule, gait: GaitSpec, mounting_rotation: dict[Side, np.ndarray]
) -> GroundTruth:
    """Assemble the session's ground truth from its schedule."""
    left, right = schedule.legs["left"], schedule.legs["right"]
    peak_left, peak_right = gait.peak_swing_dps()
    return GroundTruth(
        legs={
            "left": leg_truth(left, right, gait, peak_left),
            "right": leg_truth(right, left, gait, peak_right),
        },
        imposed_asymmetry_pct=gait.imposed_asymmetry_pct(),
        gait_bouts_s=schedule.gait_bouts_s,
        turns_s=schedule.turns_s,
        turn_angle_deg=schedule.turn_angle_deg,
        mounting_rotation=mounting_rotation,
    )
