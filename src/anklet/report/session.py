"""The session report: who/when/what, the left-vs-right table, a plain-language
reading, figures and data quality, built once as a :class:`~anklet.report.document.Report`.

Table numbers are taken from the analysis' JSON document
(:attr:`anklet.analysis.AnalysisResult.document`) and formatted by
:mod:`anklet.report.formatting`, so the report quotes the JSON exactly.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

import numpy as np
from scipy import stats

from anklet.errors import InsufficientDataError
from anklet.gait.asymmetry import PARAMETER_UNITS, asymmetry_trend
from anklet.gait.coordination import DEFAULT_LIMITS, MIN_STRIDES_PER_LEG
from anklet.gait.measured_accuracy import MEASURED_ACCURACY
from anklet.imu import SIDES, Side
from anklet.report import figures
from anklet.report.document import (
    Block,
    Figure,
    Heading,
    PageBreak,
    Paragraph,
    Report,
    Table,
)
from anklet.report.formatting import (
    MISSING,
    ci_text,
    duration_text,
    mean_text,
    parameter_label,
    signed_pct_text,
    unsigned_text,
)
from anklet.report.gait_cycle import average_gait_cycle
from anklet.report.inputs import SessionInput
from anklet.report.reading import (
    bilateral_sentences,
    largest_asymmetry_sentences,
    overall_sentence,
)

FOOTER = (
    "Descriptive and educational, not a diagnosis: healthy people can be asymmetric and the "
    "'typical healthy range' limits are conventions. Discuss results with a qualified professional."
)
#: Parameters drawn in the stride-by-stride timeline: (StrideTable column, title).
TIMELINE_COLUMNS = (
    ("stride_time_s", "stride time (s)"),
    ("stance_time_s", "stance time (s)"),
    ("swing_time_s", "swing time (s)"),
    ("step_time_s", "step time (s)"),
    ("double_support_time_s", "double support time (s)"),
    ("peak_swing_angular_velocity_dps", "peak swing angular velocity (deg/s)"),
)
#: Parameters followed through the session in the trend figure, with their marker and line.
TREND_PARAMETERS = (("swing_time", "o", "-"), ("stance_time", "^", "--"), ("step_time", "D", ":"))
#: The trend uses 60 s windows when that gives at least this many, else 10-stride windows.
MIN_TREND_WINDOWS = 5
TREND_WINDOW_S = 60.0
TREND_WINDOW_STRIDES = 10


def check_reportable(session: SessionInput) -> None:
    """Raise unless the session has both legs and steady-state strides on each.

    Raises:
        InsufficientDataError: one leg only, or a leg without included strides.
    """
    legs = session.result.gait.legs
    missing = [side for side in SIDES if side not in legs]
    if missing:
        raise InsufficientDataError(
            f"{session.source}: no data from the {missing[0]} sensor; a report compares both legs, "
            "so record with a sensor on each leg"
        )
    empty = [side for side in SIDES if int(np.sum(legs[side].strides.included)) == 0]
    if empty:
        raise InsufficientDataError(
            f"{session.source}: no steady-state strides on the {' and '.join(empty)} "
            f"leg{'s' if len(empty) == 2 else ''}; a report needs walking or running "
            f"(at least {MIN_STRIDES_PER_LEG} strides per leg for reliable numbers)"
        )


def _info_table(session: SessionInput) -> Table:
    document = session.result.document
    time_s = session.result.gait.activity_time_s()
    date = MISSING if session.start_time_utc is None else session.start_time_utc.strftime("%Y-%m-%d %H:%M UTC")
    strides = ", ".join(
        f"{side} {document[side]['n_strides_included']} of {document[side]['n_strides']}" for side in SIDES
    )
    rows = (
        ("Subject (anonymous id)", session.subject_id or MISSING),
        ("Date", date),
        ("Activity", session.activity or MISSING),
        (
            "Duration",
            f"{duration_text(session.duration_s)} (walking {duration_text(time_s['walk'])}, "
            f"running {duration_text(time_s['run'])})",
        ),
        (
            "Sensors",
            f"worn at the {document['placement']}; left: {session.sensors.get('left', MISSING)}; "
            f"right: {session.sensors.get('right', MISSING)}",
        ),
        ("Steady-state strides used", strides),
        ("Source", f"{session.source} (anklet {document['anklet_version']})"),
    )
    return Table(header=(), rows=rows, widths=(1.7, 5.3), align="ll", label="session")


def _flag_cell(flag: str | None) -> str:
    if flag is None:
        return ""
    return "outside (uncertain)" if "uncertain" in flag else "outside"


def _asymmetry_table(asymmetry: Mapping[str, Mapping[str, Any]]) -> Table:
    rows = []
    notes: dict[str, int] = {}
    for name, item in asymmetry.items():
        unit = PARAMETER_UNITS[name]
        details = "; ".join(text for text in (item["flag"], item["note"]) if text)
        flag = _flag_cell(item["flag"])
        if details:
            flag = f"{flag} [{notes.setdefault(details, len(notes) + 1)}]".strip()
        rows.append(
            (
                parameter_label(name, PARAMETER_UNITS),
                f"{mean_text(item['left'], unit)} ± {mean_text(item['left_sd'], unit)}",
                f"{mean_text(item['right'], unit)} ± {mean_text(item['right_sd'], unit)}",
                f"{item['n_left']} / {item['n_right']}",
                signed_pct_text(item["symmetry_index_pct"]),
                ci_text(item["symmetry_index_ci95"], signed=True),
                flag,
            )
        )
    return Table(
        header=("parameter", "left mean ± SD", "right mean ± SD", "strides L / R", "SI %", "95 % CI of SI", "flag"),
        rows=tuple(rows),
        widths=(2.0, 1.15, 1.15, 0.85, 0.55, 1.05, 1.05),
        align="lrrrrrl",
        notes=tuple(f"[{n}] {text}" for text, n in notes.items()),
        label="asymmetry",
    )


def _bilateral_table(bilateral: Mapping[str, Any]) -> Table:
    def flag_of(prefix: str) -> str:
        return next((_flag_cell(f) for f in bilateral["flags"] if f.startswith(prefix) and "outside" in f), "")

    rows = (
        (
            "gait asymmetry GA (swing times)",
            unsigned_text(bilateral["gait_asymmetry"]),
            ci_text(bilateral["gait_asymmetry_ci95"], signed=False),
            f"≤ {DEFAULT_LIMITS.gait_asymmetry_pct:g}",
            flag_of("gait asymmetry"),
        ),
        (
            "phase coordination index PCI (%)",
            unsigned_text(bilateral["phase_coordination_index_pct"]),
            ci_text(bilateral["phase_coordination_index_ci95"], signed=False),
            f"≤ {DEFAULT_LIMITS.phase_coordination_index_pct:g}",
            flag_of("phase coordination index"),
        ),
    )
    notes = tuple(f"{flag}" for flag in bilateral["flags"])
    return Table(
        header=("bilateral coordination", "value", "95 % CI", "typical healthy", "flag"),
        rows=rows,
        widths=(2.6, 0.8, 1.3, 1.1, 1.2),
        align="lrrrl",
        notes=notes,
        label="bilateral",
    )


def _mean_ci95(mean: float | None, sd: float | None, n: int) -> tuple[float, float] | None:
    """Student-t 95 % interval of a leg's mean from its SD and count."""
    if mean is None or sd is None or n < 2:
        return None
    half = float(stats.t.ppf(0.975, n - 1)) * sd / np.sqrt(n)
    return (mean - half, mean + half)


def _leg_bars(asymmetry: Mapping[str, Mapping[str, Any]]) -> list[figures.LegBar]:
    bars = []
    for name, item in asymmetry.items():
        if name == "contact_time" or (item["left"] in (None, 0.0) and item["right"] in (None, 0.0)):
            continue  # contact time repeats stance time; an absent phase has nothing to show
        bars.append(
            figures.LegBar(
                title=parameter_label(name, PARAMETER_UNITS),
                mean={side: item[side] for side in SIDES},
                ci95={side: _mean_ci95(item[side], item[f"{side}_sd"], item[f"n_{side}"]) for side in SIDES},
                annotation=f"SI {signed_pct_text(item['symmetry_index_pct'])} %",
            )
        )
    return bars


def _trend_series(session: SessionInput) -> tuple[list[figures.TrendSeries], figures.TrendSeries, str]:
    """SI series of :data:`TREND_PARAMETERS`, the GA series, and how the windows were chosen."""
    legs = session.result.gait.legs
    left, right = legs["left"].strides, legs["right"].strides
    detected = {side: legs[side].initial_contacts_s for side in SIDES}
    windows: dict[str, float | None] = {"window_s": TREND_WINDOW_S}
    description = f"consecutive {TREND_WINDOW_S:g} s windows"
    if len(asymmetry_trend(left, right, detected_ic_s=detected, **windows)) < MIN_TREND_WINDOWS:
        windows = {"window_s": None, "window_strides": TREND_WINDOW_STRIDES}
        description = f"consecutive windows of about {TREND_WINDOW_STRIDES} strides per leg"
    series = []
    ga = None
    for name, marker, linestyle in TREND_PARAMETERS:
        trend = asymmetry_trend(left, right, parameter=name, detected_ic_s=detected, **windows)
        mid_s = np.array([0.5 * (w.start_s + w.end_s) for w in trend])
        reliable = np.array([w.note is None or "unreliable" not in w.note for w in trend], dtype=bool)
        si = np.array([np.nan if w.symmetry_index_pct is None else w.symmetry_index_pct for w in trend])
        series.append(figures.TrendSeries(f"{name.replace('_', ' ')} SI", mid_s, si, reliable, marker, linestyle))
        if ga is None:
            values = np.array([np.nan if w.gait_asymmetry_pct is None else w.gait_asymmetry_pct for w in trend])
            ga = figures.TrendSeries("GA", mid_s, values, reliable, marker, linestyle)
    assert ga is not None  # TREND_PARAMETERS is not empty
    return series, ga, description


def _quality_table(session: SessionInput) -> Table:
    document = session.result.document
    rows = []
    for side in SIDES:
        quality = session.quality.get(side)
        gaps = document[side]["gaps"]
        split = [g for g in gaps if not g["bridged"]]
        gap_s = sum(g["end_s"] - g["start_s"] for g in gaps)
        lost = MISSING
        if quality is not None and quality.lost_samples is not None:
            lost_pct = quality.lost_pct
            lost = f"{quality.lost_samples}" + ("" if lost_pct is None else f" ({lost_pct:.1f} %)")
        rows.append(
            (
                side,
                MISSING if quality is None or quality.packets is None else str(quality.packets),
                MISSING if quality is None or quality.corrupt_packets is None else str(quality.corrupt_packets),
                lost,
                f"{len(gaps)} ({len(split)} split), {gap_s:.2f} s",
                MISSING if quality is None else str(len(quality.disconnections_s)),
                f"{document[side]['sampling_rate_hz']:g} Hz",
            )
        )
    return Table(
        header=("leg", "packets", "corrupt", "lost samples", "gaps (split), total", "disconnections", "rate"),
        rows=tuple(rows),
        widths=(0.6, 0.9, 0.7, 1.2, 1.8, 1.0, 0.8),
        align="lrrrrrr",
        label="quality",
    )


def _quality_timelines(session: SessionInput) -> dict[Side, figures.QualityTimeline]:
    document = session.result.document
    bouts = [(b["start_s"], b["end_s"], b["activity"]) for b in document["bouts"]]
    timelines = {}
    for side in SIDES:
        reasons = session.result.gait.legs[side].strides.excluded_reason
        counts: dict[str, int] = {}
        for reason in reasons:
            key = reason or "included"
            counts[key] = counts.get(key, 0) + 1
        timelines[side] = figures.QualityTimeline(
            bouts=bouts,
            gaps=[(g["start_s"], g["end_s"], g["bridged"]) for g in document[side]["gaps"]],
            disconnections_s=() if side not in session.quality else session.quality[side].disconnections_s,
            stride_counts=counts,
        )
    return timelines


def session_report(session: SessionInput) -> Report:
    """The whole session report, ready for :func:`anklet.report.write_report`.

    Raises:
        InsufficientDataError: one leg only, or a leg without steady-state strides.
    """
    check_reportable(session)
    result = session.result
    document = result.document
    asymmetry, bilateral = document["asymmetry"], document["bilateral"]
    legs = result.gait.legs
    si_series, ga_series, windows = _trend_series(session)
    cycles = {side: average_gait_cycle(legs[side]) for side in SIDES}
    accuracy = MEASURED_ACCURACY.get(document["placement"])
    reading = [
        overall_sentence(asymmetry, bilateral),
        *largest_asymmetry_sentences(
            asymmetry, PARAMETER_UNITS, accuracy_si_pct=None if accuracy is None else accuracy.median_abs_difference
        ),
        *bilateral_sentences(bilateral),
    ]
    limits = DEFAULT_LIMITS
    blocks: list[Block] = [
        _info_table(session),
        Heading("Left versus right"),
        _asymmetry_table(asymmetry),
        Paragraph(
            "Means ± SD over steady-state strides (no turns, not the first or last stride of a walk). "
            "SI = 100 (R − L) / ((R + L) / 2): positive = right larger, 0 = symmetric. "
            f"Typical healthy range: |SI| ≤ {limits.symmetry_index_pct:g} %. Intervals: bootstrap, 2000 resamples; "
            "they cover stride-to-stride variation only. "
            + ("" if accuracy is None else accuracy.note(includes_running=result.gait.activity_time_s()["run"] > 0)),
            style="note",
        ),
        _bilateral_table(bilateral),
        Heading("What this shows"),
        *[Paragraph(sentence) for sentence in reading],
        PageBreak(),
        Heading("Figures"),
        Figure(
            partial(figures.draw_leg_bars, bars=_leg_bars(asymmetry)),
            height_in=3.6,
            caption="Left (dark, plain) and right (light, hatched) leg: mean of each parameter with the "
            "95 % interval of the mean (Student t). The symmetry index is under each title.",
            label="bars",
        ),
        Figure(
            partial(
                figures.draw_trend,
                si_series=si_series,
                ga_series=ga_series,
                si_limit_pct=limits.symmetry_index_pct,
                ga_limit=limits.gait_asymmetry_pct,
                duration_s=session.duration_s,
            ),
            height_in=2.6,
            caption=f"Asymmetry through the session in {windows}: "
            "a drift (e.g. with fatigue) shows as a slope. Grey band: typical healthy range; hollow "
            "markers: fewer than 10 strides per leg in the window.",
            label="trend",
        ),
        PageBreak(),
        Figure(
            partial(
                figures.draw_stride_timeline,
                tables={s: legs[s].strides for s in SIDES},
                columns=TIMELINE_COLUMNS,
                duration_s=session.duration_s,
            ),
            height_in=6.0,
            caption="Every stride of each leg against time (circles: left, squares: right). Grey crosses "
            "are strides excluded from the statistics (turns, first/last stride of a walk, implausible).",
            label="timeline",
        ),
        Figure(
            partial(figures.draw_gait_cycle, cycles={s: c for s, c in cycles.items() if c is not None}),
            height_in=2.9,
            caption="Average angular velocity of the shank (or foot) in the walking plane over one stride, "
            "left and right overlaid. Similar curves mean similar movement; a shifted toe-off line means "
            "a different stance share.",
            label="gait_cycle",
        ),
        PageBreak(),
        Heading("Data quality"),
        _quality_table(session),
        Figure(
            partial(figures.draw_quality, legs=_quality_timelines(session), duration_s=session.duration_s),
            height_in=2.3,
            caption="Left: when each leg walked or ran, where data were missing (gaps bridged by "
            "interpolation in grey, longer gaps that split the data in black) and link drops (triangles). "
            "Right: how many strides were used and why the others were excluded.",
            label="quality",
        ),
        *[Paragraph(f"Warning: {warning}", style="note") for warning in document["warnings"]],
    ]
    date = "" if session.start_time_utc is None else f" · {session.start_time_utc:%Y-%m-%d}"
    subtitle = f"Subject {session.subject_id or MISSING}{date} · {session.activity or 'activity not recorded'}"
    return Report(title="Gait asymmetry report", subtitle=subtitle, blocks=tuple(blocks), footer=FOOTER)
