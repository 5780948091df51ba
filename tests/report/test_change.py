import math

import pytest

from anklet.report.change import Z_95, Estimate, compare, weekly_slope


def _estimate(value: float, se: float) -> Estimate:
    return Estimate(value, (value - Z_95 * se, value + Z_95 * se))


def test_standard_error_from_the_interval():
    assert _estimate(10.0, 1.5).standard_error == pytest.approx(1.5)
    assert Estimate(10.0, None).standard_error is None


def test_change_beyond_the_smallest_detectable_change():
    change = compare(_estimate(10.0, 1.0), _estimate(6.0, 1.0))
    assert change.difference == pytest.approx(-4.0)
    assert change.smallest_detectable == pytest.approx(Z_95 * math.sqrt(2.0))
    assert change.beyond_variability and change.magnitude_smaller
    assert change.intervals_overlap is False


def test_small_change_and_sign_flip():
    small = compare(_estimate(10.0, 1.0), _estimate(8.0, 1.0))
    assert not small.beyond_variability and small.intervals_overlap
    flipped = compare(_estimate(5.0, 0.5), _estimate(-5.0, 0.5))
    assert flipped.beyond_variability and flipped.magnitude_smaller is None
    assert compare(Estimate(None, None), _estimate(1.0, 1.0)) is None
    assert compare(Estimate(3.0, None), _estimate(1.0, 1.0)).beyond_variability is None


def test_weekly_slope_weighted_and_degenerate():
    estimates = [_estimate(10.0, 1.0), _estimate(8.0, 1.0), _estimate(6.0, 1.0)]
    assert weekly_slope([0.0, 7.0, 14.0], estimates) == pytest.approx(-2.0)
    # a very uncertain outlier barely moves the weighted line
    noisy = [_estimate(10.0, 0.1), _estimate(30.0, 100.0), _estimate(6.0, 0.1)]
    assert weekly_slope([0.0, 7.0, 14.0], noisy) == pytest.approx(-2.0, abs=0.01)
    assert weekly_slope([0.0, 0.0], estimates[:2]) is None
    assert weekly_slope([0.0], estimates[:1]) is None
