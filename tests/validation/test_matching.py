"""Tests of anklet.validation.matching on hand-made event lists."""

from __future__ import annotations

import math

import numpy as np
import pytest

from anklet.errors import AnkletError
from anklet.validation.matching import EventMatchError, combine, match_events


def test_exact_counts_and_f1() -> None:
    reference = np.array([1.0, 2.0, 3.0, 4.0])
    detected = np.array([1.05, 2.5, 3.0, 3.98, 7.0])  # 2.5 and 7.0 are too far
    match = match_events(detected, reference, tolerance_s=0.1)
    assert (match.n_true_positive, match.n_false_positive, match.n_false_negative) == (3, 2, 1)
    assert match.precision == pytest.approx(3 / 5)
    assert match.recall == pytest.approx(3 / 4)
    assert match.f1 == pytest.approx(2 * 3 / (2 * 3 + 2 + 1))
    np.testing.assert_array_equal(match.reference_index, [0, 2, 3])
    np.testing.assert_array_equal(match.detected_index, [0, 2, 3])
    np.testing.assert_allclose(match.error_s, [0.05, 0.0, -0.02], atol=1e-12)
    assert match.bias_ms == pytest.approx(1000 * (0.05 + 0.0 - 0.02) / 3)
    assert match.mean_abs_error_ms == pytest.approx(1000 * 0.07 / 3)
    assert match.median_abs_error_ms == pytest.approx(20.0)
    assert match.p95_abs_error_ms == pytest.approx(1000 * (0.02 + 0.9 * 0.03))


def test_near_duplicate_detections_match_once() -> None:
    reference = np.array([1.0, 2.0])
    detected = np.array([1.01, 1.02, 1.03, 2.0])
    match = match_events(detected, reference, tolerance_s=0.1)
    assert match.n_true_positive == 2
    assert match.n_false_positive == 2
    assert len(set(match.detected_index.tolist())) == 2
    assert match.detected_index[0] == 0  # the closest of the duplicates


def test_optimal_where_greedy_nearest_fails() -> None:
    # Greedy nearest-first would pair 1.09 with reference 1.1 (dt 0.01) and leave
    # reference 1.0 unmatched; the optimal matching pairs both.
    reference = np.array([1.0, 1.1])
    detected = np.array([1.09, 1.19])
    match = match_events(detected, reference, tolerance_s=0.1)
    assert match.n_true_positive == 2
    np.testing.assert_array_equal(match.detected_index, [0, 1])


def test_order_of_inputs_does_not_matter() -> None:
    rng = np.random.default_rng(0)
    reference = np.sort(rng.uniform(0, 60, 80))
    detected = reference + rng.normal(0, 0.03, 80)
    detected = np.concatenate([detected, rng.uniform(0, 60, 10)])
    forward = match_events(detected, reference)
    shuffled = rng.permutation(detected.shape[0])
    backward = match_events(detected[shuffled], reference)
    assert forward.as_dict() == pytest.approx(backward.as_dict(), nan_ok=True)
    np.testing.assert_array_equal(shuffled[backward.detected_index], forward.detected_index)


@pytest.mark.parametrize(("offset_s", "matched"), [(0.1, True), (0.1 + 1e-6, False), (-0.1, True)])
def test_tolerance_edge_is_inclusive(offset_s: float, matched: bool) -> None:
    reference = np.array([1.0, 5.3])
    detected = reference + offset_s
    match = match_events(detected, reference, tolerance_s=0.1)
    assert match.n_true_positive == (2 if matched else 0)


def test_window_excludes_outside_events() -> None:
    reference = np.array([0.5, 1.0, 2.0, 3.0, 9.0])
    detected = np.array([0.2, 1.02, 1.5, 2.96, 3.05, 8.0])
    match = match_events(detected, reference, tolerance_s=0.1, window_s=(0.9, 3.01))
    # References 0.5 and 9.0 are outside (not FN); detections 0.2, 3.05 and 8.0
    # are outside and unmatched (not FP); 3.0 pairs with the closer 2.96.
    assert match.n_true_positive == 2
    np.testing.assert_array_equal(match.detected_index, [1, 3])
    assert match.n_false_negative == 1  # reference 2.0
    assert match.n_false_positive == 1  # detection 1.5
    with pytest.raises(EventMatchError):
        match_events(detected, reference, window_s=(3.0, 1.0))


def test_empty_inputs_give_nan_metrics_not_errors() -> None:
    match = match_events(np.array([]), np.array([1.0, 2.0]))
    assert (match.n_true_positive, match.n_false_negative) == (0, 2)
    assert match.recall == 0.0 and math.isnan(match.precision)
    assert math.isnan(match.bias_ms)


def test_combine_pools_counts_and_errors() -> None:
    first = match_events(np.array([1.0, 2.03]), np.array([1.0, 2.0, 3.0]))
    second = match_events(np.array([0.98, 5.0]), np.array([1.0]))
    pooled = combine([first, second])
    assert (pooled.n_true_positive, pooled.n_false_positive, pooled.n_false_negative) == (3, 1, 1)
    np.testing.assert_allclose(np.sort(pooled.error_s), [-0.02, 0.0, 0.03], atol=1e-12)
    assert pooled.f1 == pytest.approx(6 / 8)
    with pytest.raises(AnkletError):
        combine([])


@pytest.mark.parametrize("bad", [np.zeros((2, 2)), np.array([1.0, np.nan])])
def test_invalid_times_raise(bad: np.ndarray) -> None:
    with pytest.raises(EventMatchError, match="detected_s"):
        match_events(bad, np.array([1.0]))


def test_invalid_tolerance_raises() -> None:
    with pytest.raises(EventMatchError, match="tolerance_s"):
        match_events(np.array([1.0]), np.array([1.0]), tolerance_s=0.0)
