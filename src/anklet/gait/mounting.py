"""Mounting checks: were the left and right sensors swapped, is a sensor upside down?

anklet finds each leg's anatomical axes from the data (:mod:`anklet.gait.orientation`),
so the events and strides never depend on how a sensor is strapped. Two mounting
mistakes still matter to the user, and this module looks for them.

**Swapped legs.** The anatomical frame of each leg (``forward``, ``up``,
``medio_lateral`` pointing to the subject's right) is fixed by physics alone, the
same way for both legs, so it cannot tell a left leg from a right one. What can is
motion out of the sagittal plane, which is mirrored between the legs: a mirror in
the sagittal plane keeps the rate about the medio-lateral axis (pitch) and negates
the rates about ``forward`` (roll) and ``up`` (yaw). Per stride (one final contact
to the next) anklet integrates the body-frame rate ``gyr . (forward - up)``, i.e.
net roll minus net yaw, in degrees. Its per-stride median is negative on a left
leg and positive on a right leg in the validation data (foot and shank, three
public data sets, docs/mounting-checks.md); it comes from the coning of the 3-D
segment rotation (pitch combined with out-of-phase roll/axial rotation), which
integrates to a net body-frame rate even over a periodic stride. The check uses
the pair difference ``score = median(right) - median(left)``, which is anti-symmetric
under a swap (a swapped pair gives exactly ``-score``) and cancels what both legs
share (turning, a common sensor bias pattern). It warns only when ``score`` is below
``-swap_threshold_deg``; between the thresholds it says the labels were assumed.

**Upside down.** Gravity gives each sensor's ``up`` direction in its own frame, but
with an arbitrary strap rotation every ``up`` is legitimate: "upside down" only
means something against a declared mounting, i.e. the sensor axis that should point
up when worn as documented (the label side of our own board, or the user's
convention). Given that axis, the check reports the angle between it and the
observed ``up``.

Neither finding changes the analysis: they tell the user what anklet assumed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np

from anklet.errors import AnkletError
from anklet.gait.orientation import SagittalFrame
from anklet.gait.strides import MAX_STRIDE_TIME_S, MIN_STRIDE_TIME_S
from anklet.imu import SIDES, ImuData, Side

#: Pair score (deg per stride) beyond which the labels are called swapped. On the
#: development data no correctly labelled pair scored below -11 deg (see
#: docs/mounting-checks.md for the measured rates).
SWAP_THRESHOLD_DEG = 15.0
#: Fewest valid strides per leg before the left/right check is attempted.
MIN_STRIDES_PER_LEG = 3
#: Below this sign confidence a leg's forward direction (hence its roll sign) is a guess.
MIN_SIGN_CONFIDENCE = 0.1
#: A declared up axis further than this from the observed up is "upside down".
UPSIDE_DOWN_ANGLE_DEG = 120.0
#: A declared up axis further than this (but not upside down) is "rotated".
ROTATED_ANGLE_DEG = 45.0
#: A sample interval longer than this inside a stride drops the stride (lost data).
MAX_SAMPLE_GAP_S = 0.1

FindingKind = Literal["swapped_legs", "upside_down", "rotated"]


class MountingSpecError(AnkletError):
    """A declared mounting (e.g. the sensor's up axis) is malformed."""


@dataclass(frozen=True)
class MountingFinding:
    """One warning about how the sensors are worn.

    Attributes:
        kind: "swapped_legs", "upside_down" or "rotated".
        side: the leg concerned, or None for a finding about the pair.
        message: plain text: what was observed, what anklet assumed, what to check.
        evidence: the number the finding rests on (deg): the pair score for
            "swapped_legs", the angle between declared and observed up otherwise.
    """

    kind: FindingKind
    side: Side | None
    message: str
    evidence: float


@dataclass(frozen=True)
class MountingCheck:
    """Result of :func:`check_mounting`.

    Attributes:
        findings: warnings, empty when nothing looks wrong.
        assumptions: what anklet assumed about the mounting, one sentence each, for
            the result's ``assumptions`` list (always filled).
        left_right_score_deg: median per-stride (roll - yaw) of the right leg minus
            that of the left leg, deg; positive supports the labels as given,
            negative suggests a swap. None when it could not be computed.
        up_angle_deg: per side with a declared up axis, the angle (deg, 0..180)
            between the declared and the observed up direction (the mean specific
            force over the recording: gravity, as walking accelerations average out).
    """

    findings: tuple[MountingFinding, ...]
    assumptions: tuple[str, ...]
    left_right_score_deg: float | None
    up_angle_deg: Mapping[Side, float]


def stride_roll_minus_yaw_deg(
    frame: SagittalFrame, imu: ImuData, final_contacts_s: np.ndarray
) -> np.ndarray:
    """Net roll minus net yaw of each stride, body frame, in degrees.

    A stride runs from one final contact to the next of the same leg. The body-frame
    rate ``gyr_dps . (forward - up)`` is integrated (trapezoid rule on the sample
    times) over each stride lasting :data:`MIN_STRIDE_TIME_S` to
    :data:`MAX_STRIDE_TIME_S` with no sample interval above :data:`MAX_SAMPLE_GAP_S`.

    Args:
        frame: the leg's anatomical directions in its sensor frame.
        imu: the leg's raw samples (sensor frame, deg/s, times in s).
        final_contacts_s: the leg's final contacts on ``imu.time_s``'s clock, any
            order, NaN allowed.

    Returns:
        (n_strides,) degrees; empty when no stride qualifies.
    """
    time_s = imu.time_s
    rate_dps = imu.gyr_dps @ (frame.forward - frame.up)
    angle_deg = np.concatenate(
        [[0.0], np.cumsum(0.5 * (rate_dps[1:] + rate_dps[:-1]) * np.diff(time_s))]
    )
    gaps_before = np.concatenate([[0], np.cumsum(np.diff(time_s) > MAX_SAMPLE_GAP_S)])
    contacts = np.sort(final_contacts_s[np.isfinite(final_contacts_s)])
    contacts = contacts[(contacts >= time_s[0]) & (contacts <= time_s[-1])]
    start, end = contacts[:-1], contacts[1:]
    duration = end - start
    # index of the last sample at or before each contact: equal gap counts mean no gap between
    gap_free = (
        gaps_before[np.searchsorted(time_s, start, side="right") - 1]
        == gaps_before[np.searchsorted(time_s, end, side="left")]
    )
    valid = (duration >= MIN_STRIDE_TIME_S) & (duration <= MAX_STRIDE_TIME_S) & gap_free
    return np.interp(end[valid], time_s, angle_deg) - np.interp(
        start[valid], time_s, angle_deg
    )


def check_mounting(
    frames: Mapping[Side, SagittalFrame],
    imu: Mapping[Side, ImuData],
    final_contacts_s: Mapping[Side, np.ndarray],
    declared_up_axis: Mapping[Side, np.ndarray] | None = None,
    swap_threshold_deg: float = SWAP_THRESHOLD_DEG,
) -> MountingCheck:
    """Look for legs swapped between the sensors and for sensors worn upside down.

    Args:
        frames: per side, the anatomical directions found by
            :class:`anklet.gait.orientation.SagittalFrameEstimator`.
        imu: per side, the raw samples the frame was found from (sensor frame).
        final_contacts_s: per side, the detected final contacts (s, ``imu``'s clock).
        declared_up_axis: per side, the sensor-frame vector that points up when the
            sensor is worn as documented and the subject stands (e.g. ``(0, 0, 1)``);
            sides without one are not checked for upside-down mounting.
        swap_threshold_deg: the pair score must fall below minus this to warn.

    Returns:
        The findings, the assumptions made, and the evidence numbers.

    Raises:
        MountingSpecError: a declared up axis is not a non-zero, finite 3-vector.
    """
    findings: list[MountingFinding] = []
    assumptions: list[str] = []
    score = _left_right_score_deg(frames, imu, final_contacts_s, assumptions)
    if score is not None:
        if score < -swap_threshold_deg:
            findings.append(
                MountingFinding(
                    kind="swapped_legs",
                    side=None,
                    message=(
                        f"the sensors look swapped between the legs: the out-of-plane rotation of the "
                        f"sensor labelled 'left' looks like a right leg's and vice versa (score "
                        f"{score:+.1f} deg, a swap is called below -{swap_threshold_deg:.0f}). anklet "
                        "kept the labels as given, so every left/right result and the asymmetry sign "
                        "may be reversed. Check which sensor was on which leg; if they were swapped, "
                        "relabel the files (or the sensors) and analyse again."
                    ),
                    evidence=score,
                )
            )
            assumptions.append(
                f"the sensor labelled 'left' is on the left leg, as labelled, although the data suggest the "
                f"legs were swapped (left/right score {score:+.1f} deg, below -{swap_threshold_deg:.0f}); "
                "see the warning."
            )
        elif score > swap_threshold_deg:
            assumptions.append(
                f"the sensor labelled 'left' is on the left leg; the data support this "
                f"(left/right score {score:+.1f} deg, above +{swap_threshold_deg:.0f})."
            )
        else:
            assumptions.append(
                f"the sensor labelled 'left' is on the left leg, as labelled; the data neither "
                f"confirm nor contradict it (left/right score {score:+.1f} deg, inconclusive "
                f"between -{swap_threshold_deg:.0f} and +{swap_threshold_deg:.0f})."
            )
    up_angle_deg: dict[Side, float] = {}
    for side, axis in (declared_up_axis or {}).items():
        if side not in imu:
            continue
        mean_specific_force = imu[side].acc_mps2.mean(axis=0)
        observed_up = mean_specific_force / np.linalg.norm(mean_specific_force)
        angle = _angle_deg(_unit(axis), observed_up)
        up_angle_deg[side] = angle
        finding = _up_finding(side, axis, observed_up, angle)
        if finding is None:
            assumptions.append(
                f"{side}: the sensor is worn the declared way up (axis {_fmt(axis)} within {angle:.0f} deg of up)."
            )
        else:
            findings.append(finding)
    assumptions.append(
        "sensor axes were found from the data (any strap rotation is accepted); the results "
        "do not depend on how each sensor was turned on its leg."
    )
    return MountingCheck(
        findings=tuple(findings),
        assumptions=tuple(assumptions),
        left_right_score_deg=score,
        up_angle_deg=up_angle_deg,
    )


def _left_right_score_deg(
    frames: Mapping[Side, SagittalFrame],
    imu: Mapping[Side, ImuData],
    final_contacts_s: Mapping[Side, np.ndarray],
    assumptions: list[str],
) -> float | None:
    """median(right) - median(left) of the per-stride roll - yaw; None (with the reason
    added to ``assumptions``) when the check cannot be made."""
    if not all(
        side in frames and side in imu and side in final_contacts_s for side in SIDES
    ):
        assumptions.append(
            "the sensor's leg is as labelled; it cannot be checked with one leg's data."
        )
        return None
    unsure = [
        side for side in SIDES if frames[side].sign_confidence < MIN_SIGN_CONFIDENCE
    ]
    if unsure:
        assumptions.append(
            f"the sensors are on the legs as labelled; not checked because the direction of "
            f"travel of {' and '.join(unsure)} is uncertain."
        )
        return None
    per_stride = {
        side: stride_roll_minus_yaw_deg(frames[side], imu[side], final_contacts_s[side])
        for side in SIDES
    }
    few = [side for side in SIDES if per_stride[side].size < MIN_STRIDES_PER_LEG]
    if few:
        assumptions.append(
            f"the sensors are on the legs as labelled; not checked because {' and '.join(few)} "
            f"has fewer than {MIN_STRIDES_PER_LEG} complete strides."
        )
        return None
    return float(np.median(per_stride["right"]) - np.median(per_stride["left"]))


def _up_finding(
    side: Side, declared: np.ndarray, observed_up: np.ndarray, angle_deg: float
) -> MountingFinding | None:
    """The finding for one sensor's declared up axis, None when it points up."""
    observed = f"gravity says up is {_fmt(observed_up)} in the sensor frame"
    if angle_deg > UPSIDE_DOWN_ANGLE_DEG:
        return MountingFinding(
            kind="upside_down",
            side=side,
            message=(
                f"{side}: the sensor looks upside down: its declared up axis {_fmt(declared)} points "
                f"{angle_deg:.0f} deg away from up ({observed}). anklet found the axes from the data, "
                "so the analysis is unaffected; check the strap if the sensor was meant to be worn the "
                "documented way up, and check that the declared axis is right."
            ),
            evidence=angle_deg,
        )
    if angle_deg > ROTATED_ANGLE_DEG:
        return MountingFinding(
            kind="rotated",
            side=side,
            message=(
                f"{side}: the sensor is not worn the declared way: its declared up axis {_fmt(declared)} "
                f"is {angle_deg:.0f} deg from up ({observed}). anklet found the axes from the data, "
                "so the analysis is unaffected; check the strap if a fixed orientation was intended."
            ),
            evidence=angle_deg,
        )
    return None


def _unit(vector: np.ndarray) -> np.ndarray:
    """``vector`` scaled to length 1; raises MountingSpecError unless a finite non-zero 3-vector."""
    array = np.asarray(vector, dtype=float)
    norm = np.linalg.norm(array) if array.shape == (3,) else 0.0
    if norm == 0.0 or not np.isfinite(norm):
        raise MountingSpecError(
            f"a declared up axis must be a non-zero 3-vector such as (0, 0, 1), got {vector!r}"
        )
    return array / norm


def _angle_deg(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.degrees(np.arccos(np.clip(a @ b, -1.0, 1.0))))


def _fmt(vector: np.ndarray) -> str:
    return "(" + ", ".join(f"{v:+.2f}" for v in np.asarray(vector, dtype=float)) + ")"
