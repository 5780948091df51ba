"""How numbers are written in reports: one function per kind of value, used by the
report builders (never by the renderers), so PDF, HTML and tests agree digit for
digit. ``None`` (not computable) is written as an en dash.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType

MISSING = "\u2013"
#: Decimal places of per-leg means and SDs, by unit.
UNIT_DECIMALS: Mapping[str, int] = MappingProxyType({"s": 3, "steps/min": 1, "deg/s": 0})


def mean_text(value: float | None, unit: str) -> str:
    """A per-leg mean or SD in its unit's precision (s: 3, steps/min: 1, deg/s: 0 decimals), no unit."""
    return MISSING if value is None else f"{value:.{UNIT_DECIMALS.get(unit, 3)}f}"


def signed_pct_text(value: float | None) -> str:
    """A signed percentage-like value with one decimal: "+8.0", "-0.4"."""
    return MISSING if value is None else f"{value:+.1f}"


def unsigned_text(value: float | None) -> str:
    """A non-negative index (GA, PCI) with one decimal: "3.1"."""
    return MISSING if value is None else f"{value:.1f}"


def ci_text(ci95: Sequence[float] | None, signed: bool) -> str:
    """A 95 % interval as "+7.9 to +8.1" (signed) or "2.1 to 4.0"."""
    if ci95 is None:
        return MISSING
    form = signed_pct_text if signed else unsigned_text
    return f"{form(ci95[0])} to {form(ci95[1])}"


def duration_text(duration_s: float) -> str:
    """A session length: "48 s", "12 min 05 s", "1 h 02 min"."""
    seconds = round(duration_s)
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def parameter_label(parameter: str, units: Mapping[str, str]) -> str:
    """Human name of a parameter with its unit: "swing time (s)"."""
    return f"{parameter.replace('_', ' ')} ({units[parameter]})"
