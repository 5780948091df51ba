"""One call from two legs' IMU data to the complete analysis result and its summary.

This is the seam every front end uses (``anklet analyze``, the demo, later replay
and reports), so they all produce the same numbers.
"""

from __future__ import annotations

import textwrap
from dataclasses import asdict, dataclass, replace
from typing import Any

import numpy as np

from anklet.gait.asymmetry import (
    ParameterAsymmetry,
    asymmetry_to_json,
    asymmetry_trend,
    session_asymmetry,
)
from anklet.gait.coordination import BilateralCoordination, bilateral_coordination
from anklet.gait.events import Placement
from anklet.gait.measured_accuracy import MEASURED_ACCURACY
from anklet.gait.mounting import MountingCheck, check_mounting
from anklet.gait.pipeline import GaitAnalysis, GaitPipeline
from anklet.imu import ImuData, Side
from anklet.result import analysis_to_json

#: The within-session trend (fatigue) follows swing-time SI in one-minute windows.
TREND_PARAMETER = "swing_time"
TREND_WINDOW_S = 60.0


@dataclass(frozen=True)
class AnalysisResult:
    """The gait analysis, its asymmetry (None with one leg) and the JSON document."""

    gait: GaitAnalysis
    asymmetry: dict[str, ParameterAsymmetry] | None
    bilateral: BilateralCoordination | None
    document: dict[str, Any]


def analyze(
    imu: dict[Side, ImuData],
    placement: Placement = "ankle",
    *,
    declared_up_axis: dict[Side, np.ndarray] | None = None,
) -> AnalysisResult:
    """Events, strides, asymmetry and coordination of one session.

    Args:
        imu: "left" and/or "right" -> that leg's raw data, both on one clock.
        placement: "ankle" (shank) or "foot".
        declared_up_axis: per side, the sensor-frame vector that points up when the
            sensor is worn as instructed; a sensor worn otherwise (upside down,
            rotated) is warned about (see docs/mounting-checks.md). None: not checked.

    Raises:
        anklet.errors.InsufficientDataError: a leg too short to analyse.
        anklet.gait.mounting.MountingSpecError: a declared up axis is not a non-zero 3-vector.
    """
    gait = GaitPipeline(placement).run(imu)
    mounting = check_mounting(
        {side: leg.frame for side, leg in gait.legs.items()},
        imu,
        {side: leg.swings.final_contacts_s for side, leg in gait.legs.items()},
        declared_up_axis,
    )
    gait = replace(gait, warnings=gait.warnings + tuple(f.message for f in mounting.findings))
    if "left" in gait.legs and "right" in gait.legs:
        left, right = gait.legs["left"].strides, gait.legs["right"].strides
        detected = {side: gait.legs[side].initial_contacts_s for side in gait.legs}
        asymmetry = session_asymmetry(left, right, detected_ic_s=detected)
        bilateral = bilateral_coordination(left, right, detected_ic_s=detected)
        extra = asymmetry_to_json(asymmetry, bilateral)
        extra["asymmetry_by_bout"] = [
            {
                "bout_index": b,
                **asymmetry_to_json(
                    session_asymmetry(left, right, bout_index=b, detected_ic_s=detected),
                    bilateral_coordination(left, right, bout_index=b, detected_ic_s=detected),
                ),
            }
            for b in range(len(gait.bouts))
        ]
        extra["asymmetry_trend"] = {
            "parameter": TREND_PARAMETER,
            "window_s": TREND_WINDOW_S,
            "windows": [
                asdict(w)
                for w in asymmetry_trend(
                    left, right, parameter=TREND_PARAMETER, window_s=TREND_WINDOW_S, detected_ic_s=detected
                )
            ],
        }
    else:
        asymmetry, bilateral = None, None
        extra = {"asymmetry": None, "bilateral": None, "asymmetry_by_bout": [], "asymmetry_trend": None}
        given = " and ".join(gait.legs) or "no"
        gait = replace(
            gait,
            warnings=gait.warnings
            + (f"asymmetry needs both legs: only the {given} leg was given, so no left/right comparison",),
        )
    extra["mounting"] = _mounting_to_json(mounting)
    accuracy = MEASURED_ACCURACY.get(placement)
    extra["measurement_accuracy"] = None if accuracy is None else accuracy.to_json()
    document = analysis_to_json(gait, extra)
    document["assumptions"].extend(mounting.assumptions)
    return AnalysisResult(gait, asymmetry, bilateral, document)


def _mounting_to_json(mounting: MountingCheck) -> dict[str, Any]:
    """The ``mounting`` section: the left/right evidence and the findings (docs/mounting-checks.md)."""
    return {
        "left_right_score_deg": mounting.left_right_score_deg,
        "declared_up_angle_deg": dict(mounting.up_angle_deg),
        "findings": [{"kind": f.kind, "side": f.side, "message": f.message} for f in mounting.findings],
    }


def summary_text(result: AnalysisResult) -> str:
    """A short terminal summary: strides per leg, bouts, warnings, asymmetry table."""
    gait = result.gait
    lines = [f"placement: {gait.placement}"]
    for side, leg in gait.legs.items():
        strides = leg.strides
        reasons: dict[str, int] = {}
        for reason in strides.excluded_reason:
            if reason is not None:
                reasons[reason] = reasons.get(reason, 0) + 1
        excluded = ", ".join(f"{n} {r.replace('_', ' ')}" for r, n in sorted(reasons.items()))
        lines.append(
            f"{side:>5}: {len(leg.initial_contacts_s)} initial contacts, {len(strides)} strides, "
            f"{int(np.sum(strides.included))} steady-state" + (f" (excluded: {excluded})" if excluded else "")
        )
    time_s = gait.activity_time_s()
    turns = ", ".join(f"{t.heading_change_deg:+.0f} deg" for t in gait.turns)
    lines.append(
        f"bouts: {len(gait.bouts)} (walking {time_s['walk']:.1f} s, running {time_s['run']:.1f} s); "
        f"standing {time_s['standing']:.1f} s; turns: {len(gait.turns)}" + (f" ({turns})" if turns else "")
    )
    lines.extend(f"warning: {w}" for w in gait.warnings)
    if result.asymmetry is not None and result.bilateral is not None:
        from anklet.gait.summary_table import format_asymmetry_table

        lines.append("")
        lines.append(format_asymmetry_table(result.asymmetry, result.bilateral))
        accuracy = MEASURED_ACCURACY.get(gait.placement)
        if accuracy is not None:
            lines.extend(["", textwrap.fill(accuracy.note(includes_running=time_s["run"] > 0), width=100)])
    return "\n".join(lines)
