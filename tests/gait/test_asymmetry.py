"""Tests of anklet.gait.asymmetry on hand-built StrideTables with known values."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from anklet.errors import AnkletError
from anklet.gait.asymmetry import (
    ASYMMETRY_PARAMETERS,
    AsymmetryOptionError,
    asymmetry_to_json,
    asymmetry_trend,
    leg_statistics,
    log_ratio,
    parameter_asymmetry,
    session_asymmetry,
    stride_parameter_values,
    symmetry_angle_pct,
    symmetry_index_pct,
)
from anklet.gait.coordination import HealthyLimits, bilateral_coordination
from anklet.gait.strides import StrideTable

STRIDE_S = 1.1


def _leg(side, ic_s, swing_s, contra_ic_s, included, bout_index, double_support_s, peak_dps) -> StrideTable:
    start, end = ic_s[:-1], ic_s[1:]
    n = start.size
    swing = np.broadcast_to(np.asarray(swing_s, float), (n,)).copy()
    previous_contra = np.searchsorted(contra_ic_s, start, side="left") - 1
    step = np.where(previous_contra >= 0, start - contra_ic_s[np.clip(previous_contra, 0, None)], np.nan)
    included = np.ones(n, bool) if included is None else np.asarray(included, bool)
    return StrideTable(
        side=side,
        start_s=start,
        end_s=end,
        final_contact_s=end - swing,
        stride_time_s=end - start,
        stance_time_s=end - start - swing,
        swing_time_s=swing,
        step_time_s=step,
        double_support_time_s=np.broadcast_to(np.asarray(double_support_s, float), (n,)).copy(),
        cadence_steps_per_min=120.0 / (end - start),
        peak_swing_angular_velocity_dps=np.broadcast_to(np.asarray(peak_dps, float), (n,)).copy(),
        bout_index=np.zeros(n, int) if bout_index is None else np.asarray(bout_index, int),
        included=included,
        excluded_reason=tuple(None if inc else "gap" for inc in included),
    )


def legs(
    n=30,
    stride_s=STRIDE_S,
    swing_left_s=0.44,
    swing_right_s=0.44,
    double_support_s=(0.11, 0.11),
    peak_dps=(300.0, 300.0),
    included=(None, None),
    bout_index=None,
):
    """Left and right StrideTables: left ICs every stride_s, right ICs half a stride
    later; swing, double support and peak values per leg (scalars or (n,) arrays)."""
    left_ic = stride_s * np.arange(n + 1)
    right_ic = left_ic + stride_s / 2
    left = _leg("left", left_ic, swing_left_s, right_ic, included[0], bout_index, double_support_s[0], peak_dps[0])
    right = _leg("right", right_ic, swing_right_s, left_ic, included[1], bout_index, double_support_s[1], peak_dps[1])
    return left, right


def noisy(mean, sd, n, seed):
    return np.random.default_rng(seed).normal(mean, sd, n)


# --- formulas -------------------------------------------------------------------


def test_symmetry_index_right_ten_percent_longer_is_exact():
    assert symmetry_index_pct(0.40, 0.44) == pytest.approx(100 * 0.1 / 1.05, rel=1e-12)


def test_sign_convention_positive_means_right_larger():
    assert symmetry_index_pct(1.0, 1.2) > 0 and symmetry_index_pct(1.2, 1.0) < 0
    assert symmetry_angle_pct(1.0, 1.2) > 0 and symmetry_angle_pct(1.2, 1.0) < 0
    assert log_ratio(1.0, 1.2) > 0 and log_ratio(1.2, 1.0) < 0


def test_symmetry_angle_and_log_ratio_match_hand_calculation():
    expected_angle = 100 * (45 - math.degrees(math.atan(0.40 / 0.44))) / 90
    assert symmetry_angle_pct(0.40, 0.44) == pytest.approx(expected_angle)
    assert log_ratio(0.40, 0.44) == pytest.approx(math.log(1.1))
    assert symmetry_angle_pct(0.5, 0.5) == pytest.approx(0.0)


def test_symmetry_angle_stays_bounded_where_si_explodes():
    left = np.array([0.001, -0.001, 1.0, -2.0, 0.0, 3.0])
    right = np.array([-0.001, 0.002, -1.0, 0.5, 0.001, 0.0])
    assert np.all(np.abs(symmetry_angle_pct(left, right)) <= 100.0)
    assert abs(symmetry_index_pct(-0.001, 0.0011)) > 1000


def test_leg_statistics():
    stats = leg_statistics(np.array([1.0, 2.0, 3.0, np.nan]))
    assert (stats.mean, stats.sd, stats.n) == (2.0, 1.0, 3)
    assert stats.cv_pct == pytest.approx(50.0)
    single = leg_statistics(np.array([2.0]))
    assert single.sd is None and single.cv_pct is None and single.n == 1


# --- one parameter ----------------------------------------------------------------


def test_constant_right_swing_ten_percent_longer():
    result = parameter_asymmetry("swing_time", np.full(20, 0.40), np.full(20, 0.44))
    assert result.symmetry_index_pct == pytest.approx(100 * 0.1 / 1.05)
    assert result.symmetry_index_ci95 == pytest.approx((100 * 0.1 / 1.05,) * 2)
    assert result.larger_side == "right"
    assert result.unit == "s"
    assert result.log_ratio == pytest.approx(math.log(1.1))
    assert result.note is None


def test_symmetric_noisy_data_give_si_near_zero_and_ci_containing_zero():
    result = parameter_asymmetry("stride_time", noisy(1.1, 0.03, 60, 1), noisy(1.1, 0.03, 60, 2))
    low, high = result.symmetry_index_ci95
    assert low < 0 < high
    assert abs(result.symmetry_index_pct) < 2.0
    assert result.flag is None


def test_bootstrap_ci_contains_true_si_for_noisy_asymmetric_data():
    true_si = symmetry_index_pct(0.40, 0.44)
    covered = sum(
        (lambda ci: ci[0] <= true_si <= ci[1])(
            parameter_asymmetry(
                "swing_time",
                noisy(0.40, 0.02, 40, seed),
                noisy(0.44, 0.02, 40, seed + 100),
                n_bootstrap=500,
                rng=np.random.default_rng(seed),
            ).symmetry_index_ci95
        )
        for seed in range(20)
    )
    assert covered >= 16  # nominal 95 %


def test_flag_when_outside_healthy_range_and_none_inside():
    flagged = parameter_asymmetry("stance_time", np.full(20, 0.60), np.full(20, 0.70))
    assert flagged.flag.startswith("outside typical healthy range: |SI| 15.4 % > 10 %")
    assert "uncertain" not in flagged.flag
    inside = parameter_asymmetry("stance_time", np.full(20, 0.60), np.full(20, 0.62))
    assert inside.flag is None
    stricter = parameter_asymmetry(
        "stance_time", np.full(20, 0.60), np.full(20, 0.62), limits=HealthyLimits(symmetry_index_pct=2.0)
    )
    assert stricter.flag is not None


def test_flag_uncertain_when_ci_straddles_threshold():
    result = parameter_asymmetry("swing_time", noisy(0.40, 0.06, 12, 5), noisy(0.445, 0.06, 12, 6))
    assert abs(result.symmetry_index_pct) > 10
    assert result.symmetry_index_ci95[0] < 10
    assert "uncertain" in result.flag


def test_fewer_than_minimum_strides_noted_unreliable():
    result = parameter_asymmetry("stride_time", np.full(6, 1.1), np.full(20, 1.1))
    assert result.note == "unreliable: only 6 strides on the left leg (minimum 10)"
    assert result.symmetry_index_pct == pytest.approx(0.0)


def test_zero_double_support_in_running_gives_no_si_but_a_reason():
    result = parameter_asymmetry("double_support_time", np.zeros(20), np.zeros(20))
    assert result.symmetry_index_pct is None and result.symmetry_index_ci95 is None
    assert "zero in every stride" in result.note
    assert result.log_ratio is None and result.symmetry_angle_pct is None
    assert result.flag is None


def test_mixed_sign_or_partly_zero_values_give_no_si():
    left = np.r_[np.zeros(10), np.full(10, 0.01)]
    result = parameter_asymmetry("double_support_time", left, np.full(20, 0.02))
    assert result.symmetry_index_pct is None
    assert "mixed sign" in result.note
    assert result.symmetry_angle_pct is not None  # bounded, still reported


def test_mean_near_zero_relative_to_sd_gives_no_si():
    left = np.array([0.001, 0.0001, 0.03, 0.0002, 0.0003, 0.0001, 0.0004, 0.0002, 0.0001, 0.0003])
    result = parameter_asymmetry("double_support_time", left, np.full(10, 0.02))
    assert result.symmetry_index_pct is None
    assert "near zero" in result.note


def test_one_leg_without_strides():
    result = parameter_asymmetry("swing_time", np.empty(0), np.full(20, 0.4))
    assert result.left.mean is None and result.left.n == 0
    assert result.right.mean == pytest.approx(0.4)
    assert result.symmetry_index_pct is None and result.symmetry_angle_pct is None and result.larger_side is None
    assert result.note == "no included strides on the left leg"


def test_one_stride_per_leg_gives_no_interval_and_an_uncertain_flag():
    result = parameter_asymmetry("double_support_time", np.array([0.08]), np.array([0.13]))
    assert result.symmetry_index_pct == pytest.approx(100 * 0.05 / 0.105)
    assert result.symmetry_index_ci95 is None
    assert "no 95 % CI: 1 on the left leg and 1 on the right leg" in result.note
    assert "only 1 stride on the left leg" in result.note
    assert result.flag.endswith("uncertain: no 95 % CI")


def test_one_swing_per_leg_gives_ga_without_interval():
    left, right = legs(n=1, swing_left_s=0.40, swing_right_s=0.48)
    bilateral = bilateral_coordination(left, right)
    assert bilateral.gait_asymmetry_pct == pytest.approx(100 * math.log(1.2))
    assert bilateral.gait_asymmetry_ci95 is None
    assert any(f.startswith("gait asymmetry: no 95 % CI") for f in bilateral.flags)
    assert any(f.endswith("uncertain: no 95 % CI") for f in bilateral.flags)


def test_one_leg_zero_in_every_stride_says_so():
    result = parameter_asymmetry("flight_time", np.zeros(20), np.full(20, 0.09))
    assert result.symmetry_index_pct is None
    assert result.note == "zero in every stride of the left leg but not of the right leg: SI not defined"


def test_a_leg_whose_strides_need_the_missing_other_leg_is_told_apart():
    left = legs()[0]
    standing_right = legs(n=0)[1]
    parameters = session_asymmetry(left, standing_right)
    assert parameters["swing_time"].note == "no included strides on the right leg"
    assert parameters["flight_time"].note == (
        "no included strides on the right leg; "
        "no value in the 30 strides included on the left leg: it needs the right leg's contacts"
    )
    bilateral = bilateral_coordination(*legs(n=0))
    assert "gait asymmetry not available: no included strides on the left and right legs" in bilateral.flags


def test_unknown_parameter_raises_anklet_error():
    with pytest.raises(AnkletError, match=r"unknown asymmetry parameter 'swing'.*swing_time"):
        parameter_asymmetry("swing", np.ones(3), np.ones(3))


# --- whole sessions ---------------------------------------------------------------


def test_session_reports_every_parameter_with_exact_values():
    left, right = legs(swing_left_s=0.40, swing_right_s=0.44, double_support_s=(0.10, 0.12), peak_dps=(300, 330))
    result = session_asymmetry(left, right)
    assert tuple(result) == ASYMMETRY_PARAMETERS
    assert result["swing_time"].symmetry_index_pct == pytest.approx(100 * 0.1 / 1.05)
    assert result["stride_time"].symmetry_index_pct == pytest.approx(0.0, abs=1e-9)
    # stance = stride - swing: right stance shorter
    assert result["stance_time"].symmetry_index_pct == pytest.approx(symmetry_index_pct(0.70, 0.66))
    assert result["contact_time"].symmetry_index_pct == result["stance_time"].symmetry_index_pct
    assert result["double_support_time"].symmetry_index_pct == pytest.approx(symmetry_index_pct(0.10, 0.12))
    assert result["peak_swing_angular_velocity"].symmetry_index_pct == pytest.approx(symmetry_index_pct(300, 330))
    assert result["step_time"].left.mean == pytest.approx(STRIDE_S / 2)
    # walking: the other foot lands before this one leaves, so no flight phase
    assert result["flight_time"].left.mean == 0.0
    assert result["flight_time"].symmetry_index_pct is None


def test_running_flight_time_asymmetry():
    # stride 0.7 s, right IC 0.35 s after left IC; stance: left 0.25 s, right 0.30 s
    # -> flight after left FC 0.35 - 0.25 = 0.10 s, after right FC 0.35 - 0.30 = 0.05 s
    left, right = legs(stride_s=0.7, swing_left_s=0.45, swing_right_s=0.40, double_support_s=(0.0, 0.0))
    result = session_asymmetry(left, right)
    flight = result["flight_time"]
    assert flight.left.mean == pytest.approx(0.10) and flight.right.mean == pytest.approx(0.05)
    assert flight.symmetry_index_pct == pytest.approx(symmetry_index_pct(0.10, 0.05))
    assert result["contact_time"].left.mean == pytest.approx(0.25)
    assert result["double_support_time"].symmetry_index_pct is None


def test_only_included_strides_and_bout_filter():
    included = np.ones(30, bool)
    included[:5] = False
    swing_left = np.full(30, 0.40)
    swing_left[:5] = 9.0  # outliers in excluded strides must not count
    bouts = (np.arange(30) >= 15).astype(int)
    left, right = legs(swing_left_s=swing_left, included=(included, None), bout_index=bouts)
    session = session_asymmetry(left, right, parameters=("swing_time",))
    assert session["swing_time"].left.n == 25 and session["swing_time"].left.mean == pytest.approx(0.40)
    first_bout = session_asymmetry(left, right, bout_index=0, parameters=("swing_time",))
    assert first_bout["swing_time"].left.n == 10 and first_bout["swing_time"].right.n == 15


def test_standing_only_session_gives_nones_and_valid_json():
    left, right = legs(n=0)
    parameters = session_asymmetry(left, right)
    assert all(item.symmetry_index_pct is None for item in parameters.values())
    assert {item.note for item in parameters.values()} == {"no included strides on the left and right legs"}
    document = asymmetry_to_json(parameters, bilateral_coordination(left, right))
    json.dumps(document, allow_nan=False)
    assert document["asymmetry"]["swing_time"]["left"] is None
    assert document["bilateral"]["gait_asymmetry"] is None


def test_swapped_tables_raise():
    left, right = legs()
    with pytest.raises(AsymmetryOptionError, match="pass the StrideTable of the left leg first"):
        session_asymmetry(right, left)


def test_stride_parameter_values_flight_time_uses_contralateral_events():
    left, right = legs(stride_s=0.7, swing_left_s=0.45, swing_right_s=0.40)
    values = stride_parameter_values(left, right, "flight_time")
    np.testing.assert_allclose(values, 0.10)
    # a detected right IC that made no stride, inside left stride 3: flight unknown there
    detected_right = np.append(np.append(right.start_s, right.end_s[-1]), left.start_s[3] + 0.1)
    with_lone_step = stride_parameter_values(left, right, "flight_time", detected_right)
    assert np.isnan(with_lone_step[3]) and np.isfinite(np.delete(with_lone_step, 3)).all()


# --- JSON -------------------------------------------------------------------------


def test_json_fragment_has_the_fixed_keys_and_plain_types():
    left, right = legs(swing_left_s=0.40, swing_right_s=0.44)
    document = asymmetry_to_json(session_asymmetry(left, right), bilateral_coordination(left, right))
    assert set(document) == {"asymmetry", "bilateral"}
    assert set(document["asymmetry"]) == set(ASYMMETRY_PARAMETERS)
    assert set(document["asymmetry"]["swing_time"]) == {
        "left",
        "right",
        "left_sd",
        "right_sd",
        "left_cv_pct",
        "right_cv_pct",
        "n_left",
        "n_right",
        "symmetry_index_pct",
        "symmetry_index_ci95",
        "symmetry_angle_pct",
        "log_ratio",
        "flag",
        "note",
    }
    assert set(document["bilateral"]) == {
        "gait_asymmetry",
        "gait_asymmetry_ci95",
        "phase_coordination_index_pct",
        "phase_coordination_index_ci95",
        "phase_mean_deg",
        "phase_abs_deg",
        "phase_cv_pct",
        "reference_side",
        "n_strides",
        "flags",
    }
    assert document["bilateral"]["reference_side"] == "right"
    assert document["bilateral"]["phase_mean_deg"] == pytest.approx(180.0)
    assert document["bilateral"]["phase_abs_deg"] == pytest.approx(0.0, abs=1e-9)
    swing = document["asymmetry"]["swing_time"]
    assert swing["symmetry_index_pct"] == pytest.approx(100 * 0.1 / 1.05)
    assert isinstance(swing["symmetry_index_ci95"], list) and len(swing["symmetry_index_ci95"]) == 2
    assert swing["n_left"] == 30
    assert document["bilateral"]["gait_asymmetry"] == pytest.approx(100 * math.log(1.1))
    assert json.loads(json.dumps(document, allow_nan=False)) == document


# --- trend ------------------------------------------------------------------------


def test_trend_shows_asymmetry_developing_in_the_second_window():
    # 110 strides of 1.1 s: right swing grows from 0.44 to 0.484 s (10 %) after 60.5 s
    swing_right = np.where(np.arange(110) < 55, 0.44, 0.484)
    left, right = legs(n=110, swing_right_s=swing_right)
    trend = asymmetry_trend(left, right, parameter="swing_time", window_s=60.5)
    assert [(w.start_s, w.end_s) for w in trend] == [(0.0, 60.5), (60.5, 121.0)]
    assert trend[0].symmetry_index_pct == pytest.approx(0.0)
    assert trend[0].gait_asymmetry_pct == pytest.approx(0.0)
    assert trend[1].symmetry_index_pct == pytest.approx(100 * 0.1 / 1.05, rel=1e-3)
    assert trend[1].gait_asymmetry_pct == pytest.approx(100 * math.log(1.1), rel=1e-3)
    assert trend[0].n_left == 55 and trend[0].note is None


def test_trend_by_stride_count():
    left, right = legs(n=40)
    trend = asymmetry_trend(left, right, window_s=None, window_strides=10)
    assert [w.n_left for w in trend] == [10, 10, 10, 10]
    assert all(w.symmetry_index_pct == pytest.approx(0.0) for w in trend)


def test_trend_windows_with_few_strides_are_noted():
    left, right = legs(n=12)
    trend = asymmetry_trend(left, right, window_s=5.0)
    assert all("unreliable" in w.note for w in trend)


def test_trend_without_strides_is_empty():
    left, right = legs(n=0)
    assert asymmetry_trend(left, right) == ()


@pytest.mark.parametrize(("window_s", "window_strides"), [(None, None), (60.0, 10), (0.0, None), (None, 0)])
def test_trend_rejects_invalid_windows(window_s, window_strides):
    left, right = legs()
    with pytest.raises(AsymmetryOptionError):
        asymmetry_trend(left, right, window_s=window_s, window_strides=window_strides)
