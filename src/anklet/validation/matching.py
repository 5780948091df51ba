"""One-to-one matching of detected gait events to reference events, and the
metrics that summarise it (precision, recall, F1, time-error statistics).

Matching rule: a detection and a reference may be paired when
``|detected - reference| <= tolerance_s``. Among all one-to-one pairings (each
reference and each detection used at most once) the matcher returns one with the
largest number of pairs and, among those, the smallest sum of ``|dt|``. This is a
linear assignment problem (Kuhn 1955; Crouse 2016, "On implementing 2D rectangular
assignment algorithms", IEEE TAES 52(4)) solved with
:func:`scipy.optimize.linear_sum_assignment`. A simple greedy nearest-neighbour
pass is not used because it is not optimal: a detection between two references can
steal the pair that leaves the other reference unmatched. The same tolerance-window
matching with F1 is the usual evaluation of gait-event detectors (e.g. the
Mobilise-D technical validation, Micó-Amigo et al. 2023, J NeuroEng Rehabil 20:78).

To keep the cost matrices small, the merged, sorted event list is cut wherever two
consecutive events are more than ``tolerance_s`` apart: no admissible pair can span
such a cut, so each block is solved independently and the result is still optimal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

from anklet.errors import AnkletError

#: Slack added to the tolerance so that pairs exactly ``tolerance_s`` apart match
#: despite binary floating point (1.1 - 1.0 > 0.1 in float64). One nanosecond.
_TOLERANCE_SLACK_S = 1e-9


class EventMatchError(AnkletError):
    """Invalid input to the event matcher (not 1-D, not finite, bad tolerance)."""


@dataclass(frozen=True)
class MatchSummary:
    """Counts and time errors of one or more event matchings.

    Attributes:
        error_s: (n_true_positive,) detected minus reference time of every
            matched pair, seconds. Positive = detection late.
        n_false_positive: detections without a reference partner.
        n_false_negative: references without a detected partner.
    """

    error_s: np.ndarray
    n_false_positive: int
    n_false_negative: int

    @property
    def n_true_positive(self) -> int:
        """Number of matched pairs."""
        return int(self.error_s.shape[0])

    @property
    def precision(self) -> float:
        """TP / (TP + FP); NaN when there are no detections."""
        return _ratio(self.n_true_positive, self.n_true_positive + self.n_false_positive)

    @property
    def recall(self) -> float:
        """TP / (TP + FN); NaN when there are no references."""
        return _ratio(self.n_true_positive, self.n_true_positive + self.n_false_negative)

    @property
    def f1(self) -> float:
        """2 TP / (2 TP + FP + FN); NaN when there are neither detections nor references."""
        tp = self.n_true_positive
        return _ratio(2 * tp, 2 * tp + self.n_false_positive + self.n_false_negative)

    @property
    def bias_ms(self) -> float:
        """Mean signed error (detected - reference), ms; NaN without pairs."""
        return _stat_ms(self.error_s, np.mean)

    @property
    def mean_abs_error_ms(self) -> float:
        """Mean absolute error, ms; NaN without pairs."""
        return _stat_ms(np.abs(self.error_s), np.mean)

    @property
    def median_abs_error_ms(self) -> float:
        """Median absolute error, ms; NaN without pairs."""
        return _stat_ms(np.abs(self.error_s), np.median)

    @property
    def p95_abs_error_ms(self) -> float:
        """95th percentile of the absolute error (linear interpolation), ms; NaN without pairs."""
        return _stat_ms(np.abs(self.error_s), lambda a: np.percentile(a, 95.0))

    def as_dict(self) -> dict[str, float | int]:
        """All scalar metrics by name, e.g. for a results table or JSON."""
        return {
            "n_true_positive": self.n_true_positive,
            "n_false_positive": self.n_false_positive,
            "n_false_negative": self.n_false_negative,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "bias_ms": self.bias_ms,
            "mean_abs_error_ms": self.mean_abs_error_ms,
            "median_abs_error_ms": self.median_abs_error_ms,
            "p95_abs_error_ms": self.p95_abs_error_ms,
        }


@dataclass(frozen=True)
class EventMatch(MatchSummary):
    """The matching of one detected event list against one reference list.

    Attributes:
        detected_index: (n_true_positive,) index into the detected array of each pair.
        reference_index: (n_true_positive,) index into the reference array of each
            pair; pairs are sorted by reference time.
        tolerance_s: the tolerance used, seconds.
    """

    detected_index: np.ndarray
    reference_index: np.ndarray
    tolerance_s: float


def match_events(
    detected_s: np.ndarray,
    reference_s: np.ndarray,
    tolerance_s: float = 0.1,
    window_s: tuple[float, float] | None = None,
) -> EventMatch:
    """Match detected to reference event times one-to-one within a tolerance.

    Args:
        detected_s: (n,) detected event times, seconds, any order.
        reference_s: (m,) reference event times, seconds, same time axis, any order.
        tolerance_s: largest admissible ``|detected - reference|``, seconds
            (inclusive, with 1 ns slack for floating point).
        window_s: optional (start, end) evaluation window, seconds, inclusive.
            Matching uses all events (so a pair straddling the border is not
            broken), then only references inside the window count: pairs whose
            reference is outside are dropped, unmatched references outside are
            not false negatives and unmatched detections outside are not false
            positives.

    Returns:
        The optimal one-to-one matching (most pairs, then least total ``|dt|``)
        with its counts and errors.

    Raises:
        EventMatchError: an input is not 1-D or not finite, ``tolerance_s`` is not
            positive, or the window ends before it starts.
    """
    detected = _as_times(detected_s, "detected_s")
    reference = _as_times(reference_s, "reference_s")
    if not (np.isfinite(tolerance_s) and tolerance_s > 0):
        raise EventMatchError(f"tolerance_s must be a positive number of seconds, got {tolerance_s!r}")
    det_idx, ref_idx = _optimal_pairs(detected, reference, tolerance_s + _TOLERANCE_SLACK_S)
    det_counted = np.ones(detected.shape[0], dtype=bool)
    ref_counted = np.ones(reference.shape[0], dtype=bool)
    if window_s is not None:
        start_s, end_s = window_s
        if not end_s >= start_s:
            raise EventMatchError(f"window_s must be (start, end) with end >= start, got {window_s!r}")
        ref_counted = (reference >= start_s) & (reference <= end_s)
        det_counted = (detected >= start_s) & (detected <= end_s)
        keep = ref_counted[ref_idx]
        det_counted[det_idx] = False  # matched detections are never false positives
        det_idx, ref_idx = det_idx[keep], ref_idx[keep]
    else:
        det_counted[det_idx] = False
    ref_counted[ref_idx] = False
    return EventMatch(
        error_s=detected[det_idx] - reference[ref_idx],
        n_false_positive=int(np.count_nonzero(det_counted)),
        n_false_negative=int(np.count_nonzero(ref_counted)),
        detected_index=det_idx,
        reference_index=ref_idx,
        tolerance_s=float(tolerance_s),
    )


def combine(matches: Iterable[MatchSummary]) -> MatchSummary:
    """Pool several matchings (trials, sides) into one summary.

    Counts are summed and errors concatenated, so precision, recall and F1 are
    micro-averaged (every event weighs the same, long trials weigh more).

    Args:
        matches: matchings to pool, e.g. one :class:`EventMatch` per trial and side.

    Returns:
        A :class:`MatchSummary` (no indices: they refer to different arrays).

    Raises:
        EventMatchError: ``matches`` is empty.
    """
    matches = list(matches)
    if not matches:
        raise EventMatchError("combine() needs at least one match; pass the per-trial results")
    return MatchSummary(
        error_s=np.concatenate([m.error_s for m in matches]),
        n_false_positive=sum(m.n_false_positive for m in matches),
        n_false_negative=sum(m.n_false_negative for m in matches),
    )


def _optimal_pairs(
    detected: np.ndarray, reference: np.ndarray, tolerance_s: float
) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs of the optimal matching; see the module docstring."""
    n_det = detected.shape[0]
    times = np.concatenate([detected, reference])
    is_ref = np.arange(times.shape[0]) >= n_det
    order = np.argsort(times, kind="stable")
    block_starts = np.flatnonzero(np.diff(times[order]) > tolerance_s) + 1
    det_parts: list[np.ndarray] = []
    ref_parts: list[np.ndarray] = []
    for block in np.split(order, block_starts):
        det_block = block[~is_ref[block]]
        ref_block = block[is_ref[block]] - n_det
        if det_block.size == 0 or ref_block.size == 0:
            continue
        abs_dt = np.abs(detected[det_block][:, None] - reference[ref_block][None, :])
        allowed = abs_dt <= tolerance_s
        # A forbidden pair costs more than all admissible pairs together, so the
        # assignment first maximises the number of admissible pairs.
        forbidden_cost = 1.0 + tolerance_s * (min(det_block.size, ref_block.size) + 1)
        rows, cols = linear_sum_assignment(np.where(allowed, abs_dt, forbidden_cost))
        ok = allowed[rows, cols]
        det_parts.append(det_block[rows[ok]])
        ref_parts.append(ref_block[cols[ok]])
    det_idx = np.concatenate(det_parts) if det_parts else np.empty(0, dtype=np.intp)
    ref_idx = np.concatenate(ref_parts) if ref_parts else np.empty(0, dtype=np.intp)
    by_reference = np.argsort(reference[ref_idx], kind="stable")
    return det_idx[by_reference].astype(np.intp), ref_idx[by_reference].astype(np.intp)


def _as_times(values: np.ndarray, name: str) -> np.ndarray:
    """Validate an event-time array: 1-D, finite, float."""
    arr = np.asarray(values, dtype=float)
    if arr.ndim != 1:
        raise EventMatchError(f"{name} must be a 1-D array of event times in seconds, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise EventMatchError(f"{name} contains NaN or infinite times; drop them before matching")
    return arr


def _ratio(numerator: int, denominator: int) -> float:
    return float(numerator) / denominator if denominator else float("nan")


def _stat_ms(values_s: np.ndarray, statistic: Callable[[np.ndarray], float]) -> float:
    return 1000.0 * float(statistic(values_s)) if values_s.size else float("nan")
