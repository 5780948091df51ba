"""Stride tables from hand-made events with known parameters."""

from __future__ import annotations

import numpy as np

from anklet.gait.strides import build_stride_table


def _walk(first_ic_s: float, n: int, stride_s: float, stance_s: float):
    ic = first_ic_s + stride_s * np.arange(n)
    fc = ic - (stride_s - stance_s)  # FC opening the swing that ends at ic
    return ic, fc


def test_walking_parameters_and_exclusions():
    left_ic, left_fc = _walk(1.0, 6, 1.0, 0.6)
    right_ic, right_fc = _walk(1.5, 6, 1.0, 0.6)
    table = build_stride_table(
        "left", left_ic, left_fc, np.full(6, 300.0), np.zeros(6, int), np.zeros(5, bool), right_ic, right_fc
    )
    assert len(table) == 5
    np.testing.assert_allclose(table.stride_time_s, 1.0)
    np.testing.assert_allclose(table.stance_time_s, 0.6)
    np.testing.assert_allclose(table.swing_time_s, 0.4)
    np.testing.assert_allclose(table.cadence_steps_per_min, 120.0)
    # left IC at 2.0, last right IC at 1.5 -> step 0.5 s (the first has none).
    np.testing.assert_allclose(table.step_time_s[1:], 0.5)
    assert np.isnan(table.step_time_s[0])
    # right FC after left IC 2.0: right FC = right IC - 0.4 = 2.1 -> 0.1 s double support.
    np.testing.assert_allclose(table.double_support_time_s, 0.1)
    assert table.excluded_reason == ("first_stride_of_bout", None, None, None, "last_stride_of_bout")
    np.testing.assert_array_equal(table.included, [False, True, True, True, False])


def test_running_has_no_double_support():
    left_ic, left_fc = _walk(1.0, 5, 0.7, 0.25)
    right_ic, right_fc = _walk(1.35, 5, 0.7, 0.25)
    table = build_stride_table(
        "left", left_ic, left_fc, np.full(5, 600.0), np.zeros(5, int), np.zeros(4, bool), right_ic, right_fc
    )
    np.testing.assert_allclose(table.double_support_time_s, 0.0)


def test_no_stride_across_bouts_and_turns_are_marked():
    ic, fc = _walk(0.0, 7, 1.1, 0.65)
    bout = np.array([0, 0, 0, 0, 1, 1, 1])
    turning = np.array([False, True, False, False, False, False])
    table = build_stride_table("right", ic, fc, np.full(7, 250.0), bout, turning)
    # pairs 0-1, 1-2, 2-3 (bout 0) and 4-5, 5-6 (bout 1); 3-4 crosses bouts.
    np.testing.assert_allclose(table.start_s, ic[[0, 1, 2, 4, 5]])
    assert table.excluded_reason == (
        "first_stride_of_bout", "turn", "last_stride_of_bout", "first_stride_of_bout", "last_stride_of_bout"
    )
    assert np.all(np.isnan(table.step_time_s))  # no contralateral leg given


def test_missing_events_make_no_stride():
    ic, fc = _walk(0.0, 4, 1.0, 0.6)
    ic[2] = np.nan
    table = build_stride_table("left", ic, fc, np.full(4, 250.0), np.zeros(4, int), np.zeros(3, bool))
    np.testing.assert_allclose(table.start_s, [0.0])


def test_implausible_stride_is_excluded_with_reason():
    ic = np.array([0.0, 1.0, 2.0, 6.0, 7.0, 8.0])
    fc = ic - 0.4
    table = build_stride_table("left", ic, fc, np.full(6, 250.0), np.zeros(6, int), np.zeros(5, bool))
    assert table.excluded_reason[2] == "implausible_duration"


def test_strides_next_to_a_data_gap_say_gap():
    """Swings 0-3 and 4-8 are split by a data gap, 8-9 by a long pause: the strides on
    either side of the gap say "gap", the bout ends at the pause say first/last."""
    ic, fc = _walk(1.0, 10, 1.0, 0.6)
    ic[4:] += 2.0
    fc[4:] += 2.0
    ic[9], fc[9] = ic[9] + 4.0, fc[9] + 4.0
    bout = np.array([0, 0, 0, 0, 1, 1, 1, 1, 1, 2])
    gap_between = np.zeros(9, bool)
    gap_between[3] = True
    table = build_stride_table("left", ic, fc, np.full(10, 250.0), bout, np.zeros(9, bool), gap_between=gap_between)
    assert table.excluded_reason == (
        "first_stride_of_bout", None, "gap",
        "gap", None, None, "last_stride_of_bout",
    )
