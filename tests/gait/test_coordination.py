"""Tests of anklet.gait.coordination: contralateral matching, flight time, GA, PCI."""

from __future__ import annotations

import math

import numpy as np
import pytest

from anklet.errors import AnkletError
from anklet.gait import coordination
from anklet.gait.coordination import (
    HealthyLimits,
    bilateral_coordination,
    bootstrap_rows,
    contralateral_initial_contact_s,
    flight_time_s,
    gait_asymmetry_pct,
    initial_contacts_s,
    phase_coordination_index_pct,
    phase_deg,
    steady_state_phases_deg,
)
from anklet.gait.strides import StrideTable

STRIDE_S = 1.1


def table_from_events(side, ic_s, fc_s, included=None, bout_index=None) -> StrideTable:
    """Strides between consecutive ICs; fc_s holds one FC per stride. Columns not
    needed by coordination (step time, double support, cadence, peak) are NaN."""
    ic_s, fc_s = np.asarray(ic_s, float), np.asarray(fc_s, float)
    start, end = ic_s[:-1], ic_s[1:]
    n = start.size
    nan = np.full(n, np.nan)
    included = np.ones(n, bool) if included is None else np.asarray(included, bool)
    return StrideTable(
        side=side,
        start_s=start,
        end_s=end,
        final_contact_s=fc_s,
        stride_time_s=end - start,
        stance_time_s=fc_s - start,
        swing_time_s=end - fc_s,
        step_time_s=nan,
        double_support_time_s=nan,
        cadence_steps_per_min=120.0 / (end - start),
        peak_swing_angular_velocity_dps=nan,
        bout_index=np.zeros(n, int) if bout_index is None else np.asarray(bout_index, int),
        included=included,
        excluded_reason=tuple(None if inc else "turn" for inc in included),
    )


def walking(n_strides=40, right_offset_frac=0.5, swing_left_s=0.44, swing_right_s=0.44, jitter_s=0.0, seed=1):
    """Left and right tables of steady walking; right ICs lag the left ones by
    right_offset_frac of a stride; optional Gaussian jitter on every IC."""
    rng = np.random.default_rng(seed)
    left_ic = STRIDE_S * np.arange(n_strides + 1) + rng.normal(0, jitter_s, n_strides + 1)
    right_ic = STRIDE_S * (np.arange(n_strides + 1) + right_offset_frac) + rng.normal(0, jitter_s, n_strides + 1)
    left = table_from_events("left", left_ic, left_ic[1:] - swing_left_s)
    right = table_from_events("right", right_ic, right_ic[1:] - swing_right_s)
    return left, right


def test_contralateral_ic_requires_exactly_one_inside_the_stride():
    start = np.array([0.0, 1.0, 2.0])
    end = np.array([1.0, 2.0, 3.0])
    contra = np.array([0.5, 2.2, 2.7])  # one in stride 0, none in 1, two in 2
    result = contralateral_initial_contact_s(start, end, contra)
    assert result[0] == 0.5
    assert np.isnan(result[1]) and np.isnan(result[2])


def test_contralateral_ic_on_the_stride_border_is_not_inside():
    result = contralateral_initial_contact_s(np.array([0.0]), np.array([1.0]), np.array([0.0, 1.0]))
    assert np.isnan(result[0])


def test_flight_time_running_and_walking():
    start, end = np.array([0.0]), np.array([0.7])
    # running: FC at 0.25 s, other foot lands at 0.35 s -> 0.10 s flight
    assert flight_time_s(start, end, np.array([0.25]), np.array([0.35]))[0] == pytest.approx(0.10)
    # walking: other foot lands (0.55 s) before this one leaves (0.66 s) -> no flight
    assert flight_time_s(start, end, np.array([0.66]), np.array([0.55]))[0] == 0.0
    # no contralateral IC in the stride -> unknown, not zero
    assert np.isnan(flight_time_s(start, end, np.array([0.25]), np.array([0.9]))[0])


def test_gait_asymmetry_formula():
    assert gait_asymmetry_pct(0.40, 0.44) == pytest.approx(100 * math.log(1.1))
    assert gait_asymmetry_pct(0.44, 0.40) == pytest.approx(100 * math.log(1.1))
    assert gait_asymmetry_pct(0.40, 0.40) == 0.0


def test_phase_of_perfect_alternation_is_180_and_pci_zero():
    phases = phase_deg(np.array([0.0, 1.1]), np.array([1.1, 2.2]), np.array([0.55, 1.65]))
    np.testing.assert_allclose(phases, 180.0)
    assert phase_coordination_index_pct(np.array([180.0, 180.0, 180.0])) == pytest.approx(0.0)


def test_pci_matches_hand_calculation():
    phases = np.array([170.0, 190.0, 180.0, 200.0])
    # mean 185, sample SD sqrt(500/3), mean |phi - 180| = (10 + 10 + 0 + 20) / 4 = 10
    expected = 100 * math.sqrt(500 / 3) / 185 + 100 * 10 / 180
    assert phase_coordination_index_pct(phases) == pytest.approx(expected)


def test_pci_is_row_wise_for_bootstrap_matrices():
    rows = np.array([[180.0, 180.0, 180.0], [170.0, 190.0, 180.0]])
    result = phase_coordination_index_pct(rows)
    assert result.shape == (2,)
    assert result[0] == pytest.approx(0.0)
    assert result[1] == pytest.approx(100 * 10 / 180 + 100 * (20 / 3) / 180)


def test_symmetric_walking_gives_zero_ga_and_pci():
    left, right = walking()
    result = bilateral_coordination(left, right)
    assert result.gait_asymmetry_pct == pytest.approx(0.0, abs=1e-9)
    assert result.phase_coordination_index_pct == pytest.approx(0.0, abs=1e-9)
    assert result.phase_mean_deg == pytest.approx(180.0)
    assert result.n_strides == 40
    assert result.flags == ()


def test_known_phase_shift_with_longer_right_swing_uses_right_as_reference():
    # right IC 0.55 stride after the left one; right swing longer -> right is the
    # reference; the left IC falls 0.45 stride into each right stride: phi = 162 deg
    left, right = walking(right_offset_frac=0.55, swing_left_s=0.40, swing_right_s=0.44)
    result = bilateral_coordination(left, right)
    assert result.reference_side == "right"
    assert result.phase_mean_deg == pytest.approx(162.0)
    assert result.phase_abs_deg == pytest.approx(18.0)
    assert result.phase_cv_pct == pytest.approx(0.0, abs=1e-9)
    assert result.phase_coordination_index_pct == pytest.approx(10.0)
    assert result.gait_asymmetry_pct == pytest.approx(100 * math.log(1.1))


def test_reference_leg_is_left_when_left_swing_is_longer():
    left, right = walking(right_offset_frac=0.55, swing_left_s=0.44, swing_right_s=0.40)
    result = bilateral_coordination(left, right)
    assert result.reference_side == "left"
    assert result.phase_mean_deg == pytest.approx(0.55 * 360)


def test_flags_outside_healthy_range_and_not_inside():
    left, right = walking(right_offset_frac=0.55, swing_left_s=0.40, swing_right_s=0.44)
    flagged = bilateral_coordination(left, right)
    assert any("phase coordination index 10.0 % is outside typical healthy range" in f for f in flagged.flags)
    assert any(f.startswith("gait asymmetry 9.5 is outside typical healthy range") for f in flagged.flags)
    relaxed = bilateral_coordination(
        left, right, limits=HealthyLimits(gait_asymmetry_pct=20.0, phase_coordination_index_pct=20.0)
    )
    assert relaxed.flags == ()


def test_uncertain_flag_when_interval_reaches_the_healthy_range():
    # noisy phases with PCI just above the limit -> the CI straddles it
    left, right = walking(n_strides=30, jitter_s=0.012, seed=3)
    result = bilateral_coordination(left, right)
    assert result.phase_coordination_index_ci95 is not None
    limit = result.phase_coordination_index_pct - 0.2
    flagged = bilateral_coordination(left, right, limits=HealthyLimits(phase_coordination_index_pct=limit))
    pci_flags = [f for f in flagged.flags if f.startswith("phase coordination index")]
    assert len(pci_flags) == 1 and "uncertain" in pci_flags[0]


def test_pci_bootstrap_interval_covers_the_true_value():
    # every IC jittered with SD s; to first order phi = 360 (c - a) / T with a, c, e the
    # stride start, contralateral IC and stride end: dphi/dc = 360/T, dphi/da = dphi/de
    # = -180/T, so SD(phi) = 360 s / T * sqrt(1.5); true PCI from normal theory
    jitter_s = 0.01
    phase_sd = 360 * math.sqrt(1.5) * jitter_s / STRIDE_S
    true_pci = 100 * phase_sd / 180 + 100 * phase_sd * math.sqrt(2 / math.pi) / 180
    covered = 0
    for seed in range(20):
        left, right = walking(n_strides=120, jitter_s=jitter_s, seed=seed)
        ci = bilateral_coordination(left, right, n_bootstrap=500, seed=seed).phase_coordination_index_ci95
        covered += ci[0] <= true_pci <= ci[1]
    assert covered >= 15  # nominal 95 %; the approximate truth and bias leave some slack


def test_ga_interval_contains_estimate_and_is_non_negative():
    left, right = walking(jitter_s=0.01, swing_left_s=0.40, swing_right_s=0.42)
    result = bilateral_coordination(left, right)
    low, high = result.gait_asymmetry_ci95
    assert 0 <= low <= result.gait_asymmetry_pct <= high


def test_non_alternating_steps_are_left_out():
    left, right = walking(n_strides=30)
    # a limp: one extra right IC inside left stride 10 (left stride holds two right ICs)
    extra = left.start_s[10] + 0.2
    right_ic = np.sort(np.concatenate([np.append(right.start_s, right.end_s[-1]), [extra]]))
    fc = right_ic[1:] - 0.1
    limping_right = table_from_events("right", right_ic, fc)
    phases = steady_state_phases_deg(left, limping_right)
    assert phases.size == 30 - 1  # left stride 10 dropped
    np.testing.assert_allclose(phases, 180.0)


def test_completely_irregular_stepping_gives_none_with_reason():
    left = table_from_events("left", [0.0, 1.0, 2.0, 3.0], [0.6, 1.6, 2.6])
    # right steps twice per left stride: never exactly one right IC per left stride
    right_ic = np.array([0.2, 0.4, 1.2, 1.4, 2.2, 2.4, 2.9])
    right = table_from_events("right", right_ic, right_ic[1:] - 0.05)
    result = bilateral_coordination(left, right)
    assert result.phase_coordination_index_pct is None
    assert result.phase_coordination_index_ci95 is None
    assert any("not alternating" in f for f in result.flags)


def test_one_leg_without_strides():
    left, _ = walking()
    right = table_from_events("right", [5.0], [])
    result = bilateral_coordination(left, right)
    assert result.gait_asymmetry_pct is None and result.phase_coordination_index_pct is None
    assert any("no included strides on the right leg" in f for f in result.flags)
    assert result.n_swing_right == 0


def test_standing_only():
    left = table_from_events("left", [], [])
    right = table_from_events("right", [], [])
    result = bilateral_coordination(left, right)
    assert result.gait_asymmetry_pct is None
    assert result.phase_coordination_index_pct is None
    assert result.n_strides == 0 and len(result.flags) == 2


def test_excluded_contralateral_stride_removes_its_phase():
    left, right = walking(n_strides=30)
    included = np.ones(len(right), bool)
    included[5] = False
    right = table_from_events("right", np.append(right.start_s, right.end_s[-1]), right.final_contact_s, included)
    phases = steady_state_phases_deg(left, right)
    assert phases.size == 30 - 1  # left stride 5 holds the IC opening right stride 5


def test_few_strides_flagged_unreliable():
    left, right = walking(n_strides=8)
    result = bilateral_coordination(left, right)
    assert any(f.startswith("phase coordination index unreliable: only 7 strides") for f in result.flags)
    assert any("gait asymmetry unreliable: only 8 strides on the left leg" in f for f in result.flags)


def test_bout_filter_selects_one_bout():
    left, right = walking(n_strides=40, swing_left_s=0.44, swing_right_s=0.40)  # left = reference
    bouts = (np.arange(40) >= 20).astype(int)
    left = table_from_events("left", np.append(left.start_s, left.end_s[-1]), left.final_contact_s, bout_index=bouts)
    right = table_from_events(
        "right", np.append(right.start_s, right.end_s[-1]), right.final_contact_s, bout_index=bouts
    )
    first, second = bilateral_coordination(left, right, bout_index=0), bilateral_coordination(left, right, bout_index=1)
    assert first.n_swing_left == 20 and second.n_swing_left == 20
    assert first.n_strides == 20 and second.n_strides == 20
    # with the right leg as reference, right stride 19 (bout 0) holds the left IC that
    # opens left stride 20 (bout 1): that phase crosses the bouts and is left out
    assert steady_state_phases_deg(right, left, bout_index=0).size == 19


def test_seeded_bootstrap_is_repeatable():
    left, right = walking(jitter_s=0.01)
    assert bilateral_coordination(left, right, seed=7) == bilateral_coordination(left, right, seed=7)


def test_swapped_tables_raise():
    left, right = walking()
    with pytest.raises(AnkletError, match="pass the StrideTable of the left leg first"):
        bilateral_coordination(right, left)


def test_bootstrap_rows_chunks_long_inputs(monkeypatch):
    monkeypatch.setattr(coordination, "_BOOTSTRAP_CHUNK_VALUES", 50)
    values = np.arange(20.0)
    means = bootstrap_rows(values, lambda rows: rows.mean(axis=1), 101, np.random.default_rng(0))
    assert means.shape == (101,)
    assert values.min() <= means.min() and means.max() <= values.max()
    assert means.std() > 0


def test_bootstrap_rows_rejects_empty_input():
    with pytest.raises(ValueError, match="empty"):
        bootstrap_rows(np.empty(0), lambda rows: rows.mean(axis=1), 10, np.random.default_rng(0))


def test_detected_ics_outside_the_strides_reveal_non_alternation():
    left, right = walking(n_strides=30, swing_left_s=0.44, swing_right_s=0.40)  # left = reference
    # a right step the stride table does not hold (e.g. a lone step) inside left stride 10
    right_detected = np.append(initial_contacts_s(right), [left.start_s[10] + 0.2, np.nan])
    assert bilateral_coordination(left, right).n_strides == 30
    detected = {"left": initial_contacts_s(left), "right": right_detected}
    assert bilateral_coordination(left, right, detected_ic_s=detected).n_strides == 29
