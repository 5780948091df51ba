"""The progress report: several sessions of one subject over time, each metric's
asymmetry per session with its 95 % interval, the change from the first to the
last session judged against the measurement's variability (:mod:`anklet.report.change`),
and the trend per week.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from anklet.errors import InsufficientDataError
from anklet.gait.coordination import DEFAULT_LIMITS
from anklet.gait.measured_accuracy import MEASURED_ACCURACY
from anklet.report.change import Change, Estimate, compare, weekly_slope
from anklet.report.document import Block, Figure, Heading, Paragraph, Report, Table
from anklet.report.formatting import (
    MISSING,
    ci_text,
    duration_text,
    signed_pct_text,
    unsigned_text,
)
from anklet.report.inputs import SessionInput
from anklet.report.progress_figure import ProgressPanel, draw_progress
from anklet.report.session import FOOTER, check_reportable


class MixedSubjectsWarning(UserWarning):
    """The sessions of a progress report belong to different subject ids."""


@dataclass(frozen=True)
class Metric:
    """One tracked asymmetry metric.

    Attributes:
        key: machine name ("swing_time", "gait_asymmetry", ...).
        label: human name with its unit, e.g. "swing time SI (%)".
        signed: True for SI (sign = which leg is larger), False for GA/PCI.
        limit: upper limit of the typical healthy range (of |value|).
        estimate: reads the value and its interval from a JSON result document.
    """

    key: str
    label: str
    signed: bool
    limit: float
    estimate: Callable[[Mapping[str, Any]], Estimate]


def _si(parameter: str, document: Mapping[str, Any]) -> Estimate:
    item = document["asymmetry"][parameter]
    ci = item["symmetry_index_ci95"]
    return Estimate(item["symmetry_index_pct"], None if ci is None else (ci[0], ci[1]))


def _bilateral(value_key: str, ci_key: str, document: Mapping[str, Any]) -> Estimate:
    ci = document["bilateral"][ci_key]
    return Estimate(document["bilateral"][value_key], None if ci is None else (ci[0], ci[1]))


_SI_LIMIT = DEFAULT_LIMITS.symmetry_index_pct
#: Metrics of the progress report, in report order (cadence mirrors stride time,
#: contact time is stance time, flight time exists only in running).
METRICS: tuple[Metric, ...] = (
    *(
        Metric(p, f"{p.replace('_', ' ')} SI (%)", True, _SI_LIMIT, partial(_si, p))
        for p in (
            "stride_time",
            "stance_time",
            "swing_time",
            "step_time",
            "double_support_time",
            "peak_swing_angular_velocity",
        )
    ),
    Metric(
        "gait_asymmetry",
        "gait asymmetry GA",
        False,
        DEFAULT_LIMITS.gait_asymmetry_pct,
        partial(_bilateral, "gait_asymmetry", "gait_asymmetry_ci95"),
    ),
    Metric(
        "phase_coordination_index",
        "phase coordination index PCI (%)",
        False,
        DEFAULT_LIMITS.phase_coordination_index_pct,
        partial(_bilateral, "phase_coordination_index_pct", "phase_coordination_index_ci95"),
    ),
)
#: Metrics shown with their intervals in the per-session table.
TABLE_METRICS = ("stance_time", "swing_time", "step_time", "gait_asymmetry", "phase_coordination_index")


def _value_text(metric: Metric, value: float | None) -> str:
    return signed_pct_text(value) if metric.signed else unsigned_text(value)


def estimate_text(metric: Metric, estimate: Estimate) -> str:
    """ "+8.0\\n(+6.9 to +8.5)": the value over its 95 % interval."""
    return f"{_value_text(metric, estimate.value)}\n({ci_text(estimate.ci95, metric.signed)})"


def change_verdict(change: Change | None) -> str:
    """Short verdict: "smaller (beyond variability)", "larger (...)", "no detectable change", ..."""
    if change is None:
        return "not computable"
    if change.beyond_variability is None:
        return "no interval: cannot judge"
    if not change.beyond_variability:
        return "no detectable change"
    direction = {True: "smaller", False: "larger", None: "changed"}[change.magnitude_smaller]
    return f"{direction} (beyond variability)"


def sort_sessions(sessions: Sequence[SessionInput]) -> list[SessionInput]:
    """Sessions by start time (unknown start times last, in the given order)."""
    indexed = list(enumerate(sessions))
    indexed.sort(key=lambda pair: (pair[1].start_time_utc is None, pair[1].start_time_utc or 0, pair[0]))
    return [session for _, session in indexed]


def _days(sessions: Sequence[SessionInput]) -> tuple[list[float], str]:
    """x positions: days since the first session when every start time is known, else session numbers."""
    starts = [s.start_time_utc for s in sessions]
    if all(start is not None for start in starts):
        first = starts[0]
        days = [(start - first).total_seconds() / 86400.0 for start in starts]  # type: ignore[operator]
        if days[-1] > 0:
            return days, "days since the first session"
    return [float(i) for i in range(len(sessions))], "session number"


def _date(session: SessionInput) -> str:
    return MISSING if session.start_time_utc is None else f"{session.start_time_utc:%Y-%m-%d}"


def _check_subjects(sessions: Sequence[SessionInput]) -> None:
    subjects = sorted({s.subject_id for s in sessions})
    if len(subjects) > 1:
        listing = ", ".join(f"{s.source}: {s.subject_id or 'no id'}" for s in sessions)
        warnings.warn(
            f"the sessions belong to different subjects ({listing}); a progress report compares one "
            "subject over time, so check the files",
            MixedSubjectsWarning,
            stacklevel=3,
        )


def _headline(
    metric: Metric,
    first: SessionInput,
    last: SessionInput,
    a: Estimate,
    b: Estimate,
    change: Change | None,
    slope: float | None,
) -> str:
    if change is None or a.value is None or b.value is None:
        return f"{metric.label}: not computable in the first or last session."
    unit = " points" if metric.signed else ""
    verdict = (
        "no change larger than the measurement's variability"
        if not change.beyond_variability
        else f"{'smaller' if change.magnitude_smaller else 'larger'} asymmetry, beyond the measurement's variability"
    )
    sdc = MISSING if change.smallest_detectable is None else f"{change.smallest_detectable:.1f}"
    trend = "" if slope is None else f" Trend: {slope:+.1f}{unit} per week."
    return (
        f"{metric.label[0].upper()}{metric.label[1:]}: {_value_text(metric, a.value)} on {_date(first)} and "
        f"{_value_text(metric, b.value)} on {_date(last)}, a change of {change.difference:+.1f}{unit}: "
        f"{verdict} (smallest detectable change {sdc}{unit}; 95 % intervals "
        f"{'overlap' if change.intervals_overlap else 'do not overlap'}).{trend}"
    )


def _change_accuracy_text(sessions: Sequence[SessionInput]) -> str:
    """The measured accuracy of a change for the sessions' placement, as a sentence
    with a leading space; "" when the sessions mix placements or the placement was
    not measured."""
    placements = {s.result.document["placement"] for s in sessions}
    accuracy = MEASURED_ACCURACY.get(placements.pop()) if len(placements) == 1 else None
    return "" if accuracy is None else " " + accuracy.change_note()


def progress_report(sessions: Sequence[SessionInput]) -> Report:
    """The progress report of two or more sessions, sorted by start time.

    Warns:
        MixedSubjectsWarning: if the sessions have different subject ids.

    Raises:
        InsufficientDataError: fewer than two sessions, or a session with one leg
            only or without steady-state strides.
    """
    if len(sessions) < 2:
        raise InsufficientDataError("a progress report needs at least two sessions; give one file for a session report")
    for session in sessions:
        check_reportable(session)
    _check_subjects(sessions)
    ordered = sort_sessions(sessions)
    x, x_label = _days(ordered)
    estimates = {m.key: [m.estimate(s.result.document) for s in ordered] for m in METRICS}
    changes = {m.key: compare(estimates[m.key][0], estimates[m.key][-1]) for m in METRICS}
    slopes = {m.key: weekly_slope(x, estimates[m.key]) if x_label.startswith("days") else None for m in METRICS}
    by_key = {m.key: m for m in METRICS}

    session_rows = tuple(
        (
            str(i),
            _date(s),
            s.activity or MISSING,
            duration_text(s.duration_s),
            " / ".join(str(s.result.document[side]["n_strides_included"]) for side in ("left", "right")),
            s.source,
        )
        for i, s in enumerate(ordered, start=1)
    )
    per_session = tuple(
        (str(i), _date(s), *(estimate_text(by_key[k], estimates[k][i - 1]) for k in TABLE_METRICS))
        for i, s in enumerate(ordered, start=1)
    )
    change_rows = []
    for metric in METRICS:
        change = changes[metric.key]
        first, last = estimates[metric.key][0], estimates[metric.key][-1]
        change_rows.append(
            (
                metric.label,
                estimate_text(metric, first),
                estimate_text(metric, last),
                MISSING if change is None else f"{change.difference:+.1f}",
                MISSING
                if change is None or change.smallest_detectable is None
                else f"{change.smallest_detectable:.1f}",
                MISSING
                if change is None or change.intervals_overlap is None
                else ("yes" if change.intervals_overlap else "no"),
                change_verdict(change),
                MISSING if slopes[metric.key] is None else f"{slopes[metric.key]:+.1f}",
            )
        )
    largest = max(
        (m for m in METRICS if m.signed and estimates[m.key][0].value is not None),
        key=lambda m: abs(estimates[m.key][0].value or 0.0),
    )
    headlines = [
        _headline(m, ordered[0], ordered[-1], estimates[m.key][0], estimates[m.key][-1], changes[m.key], slopes[m.key])
        for m in (largest, by_key["gait_asymmetry"], by_key["phase_coordination_index"])
    ]
    panels = [ProgressPanel(m.label, tuple(estimates[m.key]), m.limit, m.signed) for m in METRICS]
    blocks: list[Block] = [
        Heading("Sessions"),
        Table(
            ("#", "date", "activity", "duration", "strides L / R", "file"),
            session_rows,
            (0.3, 0.9, 1.8, 0.9, 0.9, 2.2),
            "llllrl",
            label="sessions",
        ),
        Heading("What changed"),
        *[Paragraph(text) for text in headlines],
        Heading("Asymmetry per session"),
        Table(
            ("#", "date", *(by_key[k].label for k in TABLE_METRICS)),
            per_session,
            (0.3, 0.9, 1.15, 1.15, 1.15, 1.15, 1.15),
            "llrrrrr",
            label="per_session",
        ),
        Paragraph(
            "Each cell: the session's value over its 95 % interval (bootstrap). SI: positive = right "
            "larger; the asymmetry is smaller when |SI| is smaller. GA and PCI: smaller = more symmetric, "
            "better coordinated.",
            style="note",
        ),
        Heading("Change from the first to the last session"),
        Table(
            ("metric", "first", "last", "change", "SDC", "CIs overlap", "verdict", "per week"),
            tuple(change_rows),
            (1.75, 1.05, 1.05, 0.5, 0.4, 0.55, 1.2, 0.55),
            "lrrrrrlr",
            label="change",
        ),
        Paragraph(
            "SDC: smallest detectable change, 1.96 √(SE₁² + SE₂²) with each session's standard error "
            "from its 95 % interval (SE = width / 3.92). A change larger than the SDC is beyond the "
            "measurement's stride-to-stride variability; day-to-day variability is not included, so "
            "confirm a change over several sessions. Non-overlapping intervals are a stricter test. "
            "Per week: weighted least-squares trend." + _change_accuracy_text(ordered),
            style="note",
        ),
        Figure(
            partial(
                draw_progress,
                panels=panels,
                x=x,
                x_label=x_label,
                tick_labels=[_date(s) if x_label.startswith("days") else str(i + 1) for i, s in enumerate(ordered)],
            ),
            height_in=4.6,
            caption="Each metric per session with its 95 % interval; grey band: typical healthy range; "
            "dashed line: weighted trend. Points moving into the band mean less asymmetry.",
            label="progress",
        ),
    ]
    subjects = sorted({s.subject_id or MISSING for s in ordered})
    subtitle = f"Subject {', '.join(subjects)} · {len(ordered)} sessions · {_date(ordered[0])} to {_date(ordered[-1])}"
    return Report(title="Gait asymmetry progress report", subtitle=subtitle, blocks=tuple(blocks), footer=FOOTER)
