"""Is a change in asymmetry between two sessions larger than the measurement's own
variability? And the trend over several sessions.

Rules (docs/reports.md):

* **Smallest detectable change** from the sessions' own 95 % intervals: each
  session's standard error is taken as ``SE = (high - low) / (2 * 1.96)`` (the
  bootstrap interval's width), and a change between sessions a and b is beyond the
  measurement's variability when ``|b - a| > SDC = 1.96 * sqrt(SE_a^2 + SE_b^2)``.
  With equal errors this is the usual ``SDC95 = 1.96 * sqrt(2) * SEM`` (Weir JP,
  J Strength Cond Res 2005;19:231-240), with the SEM estimated within each session
  (stride-to-stride variability), not from a test-retest study: day-to-day
  variability is not included, so the rule can call smaller changes real than a
  test-retest SDC would.
* **Overlap of the 95 % intervals** is reported alongside. Non-overlapping intervals
  imply a significant difference, but overlapping ones do not imply none: the
  overlap rule is conservative (Schenker N, Gentleman JF. On judging the
  significance of differences by examining the overlap between confidence
  intervals. Am Stat 2001;55:182-186).
* **Trend**: weighted least-squares line of the value against days since the first
  session (weights 1 / SE^2), reported per week.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

Z_95 = 1.959963984540054


@dataclass(frozen=True)
class Estimate:
    """One session's value of a metric and its 95 % interval (None if not computable)."""

    value: float | None
    ci95: tuple[float, float] | None

    @property
    def standard_error(self) -> float | None:
        """Standard error from the interval width, or None without an interval."""
        if self.ci95 is None:
            return None
        return (self.ci95[1] - self.ci95[0]) / (2.0 * Z_95)


@dataclass(frozen=True)
class Change:
    """Change of one metric from session a to session b.

    Attributes:
        difference: b - a in the metric's unit (SI points, GA, PCI %).
        smallest_detectable: SDC of this pair, or None without both intervals.
        intervals_overlap: whether the two 95 % intervals overlap, or None.
        beyond_variability: |difference| > SDC, or None without an SDC.
        magnitude_smaller: True when |b| < |a| (asymmetry reduced), False when larger,
            None when equal.
    """

    difference: float
    smallest_detectable: float | None
    intervals_overlap: bool | None
    beyond_variability: bool | None
    magnitude_smaller: bool | None


def compare(a: Estimate, b: Estimate) -> Change | None:
    """The change from ``a`` to ``b``, or None when either value is missing."""
    if a.value is None or b.value is None:
        return None
    difference = b.value - a.value
    se_a, se_b = a.standard_error, b.standard_error
    sdc = None if se_a is None or se_b is None else Z_95 * float(np.hypot(se_a, se_b))
    overlap = None
    if a.ci95 is not None and b.ci95 is not None:
        overlap = not (a.ci95[1] < b.ci95[0] or b.ci95[1] < a.ci95[0])
    smaller = None if abs(b.value) == abs(a.value) else abs(b.value) < abs(a.value)
    return Change(difference, sdc, overlap, None if sdc is None else abs(difference) > sdc, smaller)


def weekly_slope(days: Sequence[float], estimates: Sequence[Estimate]) -> float | None:
    """Weighted least-squares slope of the values per week (weights 1 / SE^2; equal
    weights when an SE is missing or zero); None with fewer than two values or no
    spread in time."""
    keep = [(d, e) for d, e in zip(days, estimates, strict=True) if e.value is not None]
    if len(keep) < 2:
        return None
    x = np.array([d for d, _ in keep], dtype=float)
    y = np.array([e.value for _, e in keep], dtype=float)
    se = np.array([e.standard_error or 0.0 for _, e in keep])
    if np.ptp(x) == 0.0:
        return None
    w = 1.0 / se**2 if np.all(se > 0) else np.ones_like(x)
    x_mean = np.sum(w * x) / np.sum(w)
    y_mean = np.sum(w * y) / np.sum(w)
    slope_per_day = np.sum(w * (x - x_mean) * (y - y_mean)) / np.sum(w * (x - x_mean) ** 2)
    return float(7.0 * slope_per_day)
