"""Plain-language reading of the asymmetry results: short neutral sentences about
the largest left/right differences and the bilateral indices.

Works on the ``asymmetry`` and ``bilateral`` fragments of the JSON result
(docs/asymmetry.md), so the sentences quote exactly the reported numbers. Wording
is descriptive ("outside the typical healthy range"), never diagnostic.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from anklet.gait.coordination import DEFAULT_LIMITS, HealthyLimits
from anklet.report.formatting import ci_text, mean_text, signed_pct_text, unsigned_text

#: Parameters left out of the reading: contact time is stance time under its running name.
SKIPPED_IN_READING = frozenset({"contact_time"})
#: Below this |SI| (%) the legs are described as practically equal.
PRACTICALLY_EQUAL_SI_PCT = 1.0


def _larger_word(unit: str) -> str:
    return "longer" if unit == "s" else "higher"


def _range_clause(flag: str | None, limit_text: str) -> str:
    if flag is None:
        return f"within the typical healthy range ({limit_text})"
    if "uncertain" in flag:
        return f"outside the typical healthy range ({limit_text}), but its 95 % interval reaches into that range"
    return f"outside the typical healthy range ({limit_text})"


def parameter_sentence(
    name: str,
    unit: str,
    item: Mapping[str, Any],
    limits: HealthyLimits = DEFAULT_LIMITS,
    accuracy_si_pct: float | None = None,
) -> str | None:
    """One sentence about one parameter's left/right difference, or None without an SI.

    Args:
        name: parameter name, e.g. "swing_time".
        unit: its unit, e.g. "s".
        item: its entry of the JSON ``asymmetry`` fragment.
        limits: the healthy-range limits the flags used.
        accuracy_si_pct: anklet's measured SI accuracy for this parameter and placement
            (:mod:`anklet.gait.measured_accuracy`), SI points; a smaller |SI| is said
            to be unresolved. None: not measured.

    Example: "Right swing time is 8.3 % longer than left (0.480 vs 0.443 s;
    SI +8.0 %, 95 % CI +7.9 to +8.1): within the typical healthy range (|SI| <= 10 %)."
    """
    si, left, right = item["symmetry_index_pct"], item["left"], item["right"]
    if si is None or left is None or right is None:
        return None
    label = name.replace("_", " ")
    if abs(si) < PRACTICALLY_EQUAL_SI_PCT:
        head = f"Left and right {label} are practically equal"
    else:
        larger, smaller = ("right", "left") if si > 0 else ("left", "right")
        big, small = (right, left) if si > 0 else (left, right)
        relative_pct = 100.0 * (big / small - 1.0)
        head = f"{larger.capitalize()} {label} is {relative_pct:.1f} % {_larger_word(unit)} than {smaller}"
    values = f"{mean_text(left, unit)} vs {mean_text(right, unit)} {unit} (left vs right)"
    limit_text = f"|SI| ≤ {limits.symmetry_index_pct:g} %"
    sentence = (
        f"{head} ({values}; SI {signed_pct_text(si)} %, 95 % CI "
        f"{ci_text(item['symmetry_index_ci95'], signed=True)}): {_range_clause(item['flag'], limit_text)}."
    )
    if item["note"] and "unreliable" in item["note"]:
        sentence += " Few strides: read this as unreliable."
    if accuracy_si_pct is not None and PRACTICALLY_EQUAL_SI_PCT <= abs(si) < accuracy_si_pct:
        sentence += (
            f" This is within anklet's measured accuracy for {label} ({accuracy_si_pct:.1f} SI points),"
            " so the data do not show a difference."
        )
    return sentence


def largest_asymmetry_sentences(
    asymmetry: Mapping[str, Mapping[str, Any]],
    units: Mapping[str, str],
    count: int = 3,
    limits: HealthyLimits = DEFAULT_LIMITS,
    accuracy_si_pct: Mapping[str, float] | None = None,
) -> list[str]:
    """Sentences about the ``count`` parameters with the largest |SI|, largest first.

    Args:
        asymmetry: the JSON ``asymmetry`` fragment.
        units: parameter -> unit (:data:`anklet.gait.asymmetry.PARAMETER_UNITS`).
        count: how many parameters to describe.
        limits: the healthy-range limits the flags used.
        accuracy_si_pct: parameter -> measured SI accuracy in SI points for the
            session's placement (:data:`anklet.gait.measured_accuracy.MEASURED_ACCURACY`).
    """
    ranked = sorted(
        (
            (abs(item["symmetry_index_pct"]), name)
            for name, item in asymmetry.items()
            if item["symmetry_index_pct"] is not None and name not in SKIPPED_IN_READING
        ),
        reverse=True,
    )
    sentences = []
    for _, name in ranked[:count]:
        accuracy = None if accuracy_si_pct is None else accuracy_si_pct.get(name)
        sentence = parameter_sentence(name, units[name], asymmetry[name], limits, accuracy)
        if sentence is not None:
            sentences.append(sentence)
    return sentences


def bilateral_sentences(bilateral: Mapping[str, Any], limits: HealthyLimits = DEFAULT_LIMITS) -> list[str]:
    """Sentences about the gait asymmetry (GA) and phase coordination index (PCI).

    Args:
        bilateral: the JSON ``bilateral`` fragment.
        limits: the healthy-range limits the flags used.
    """
    sentences = []
    entries = (
        ("Gait asymmetry GA (from the mean swing times)", "gait_asymmetry", "", limits.gait_asymmetry_pct),
        (
            "Phase coordination index PCI (timing of each step within the other leg's stride)",
            "phase_coordination_index_pct",
            " %",
            limits.phase_coordination_index_pct,
        ),
    )
    for title, key, unit, limit in entries:
        value = bilateral[key]
        if value is None:
            continue
        flagged = value > limit
        ci = bilateral[f"{key.removesuffix('_pct')}_ci95"]
        uncertain = flagged and ci is not None and ci[0] <= limit
        flag = ("outside; uncertain" if uncertain else "outside") if flagged else None
        sentences.append(
            f"{title} is {unsigned_text(value)}{unit} (95 % CI {ci_text(ci, signed=False)}): "
            f"{_range_clause(flag, f'≤ {limit:g}{unit}')}."
        )
    return sentences


def overall_sentence(asymmetry: Mapping[str, Mapping[str, Any]], bilateral: Mapping[str, Any]) -> str:
    """One opening sentence: how many values are outside the typical healthy range."""
    flagged = [
        name.replace("_", " ") for name, item in asymmetry.items() if item["flag"] and name not in SKIPPED_IN_READING
    ]
    flagged += [
        label
        for label, prefix in (("GA", "gait asymmetry"), ("PCI", "phase coordination index"))
        if any(f.startswith(prefix) and "outside" in f for f in bilateral["flags"])
    ]
    if not flagged:
        return "No left/right difference is outside the typical healthy range in this session."
    return f"Outside the typical healthy range in this session: {', '.join(flagged)}."
