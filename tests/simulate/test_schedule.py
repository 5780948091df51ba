"""Event schedule and ground truth: timing, phase relation, asymmetry, bouts, turns."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anklet.simulate import (
    GaitSpec,
    SimulationSpecError,
    Stand,
    Turn,
    Walk,
    build_schedule,
    simulate_session,
)
from anklet.simulate.truth import leg_truth


def _truth(gait: GaitSpec, bouts: list, seed: int = 0):
    schedule = build_schedule(gait, bouts, np.random.default_rng(seed))
    peaks = dict(zip(("left", "right"), gait.peak_swing_dps(), strict=True))
    left, right = schedule.legs["left"], schedule.legs["right"]
    return schedule, {
        "left": leg_truth(left, right, gait, peaks["left"]),
        "right": leg_truth(right, left, gait, peaks["right"]),
    }


def _contact(truth, t: np.ndarray) -> np.ndarray:
    """True where the leg is on the ground at times t (last event before t is an IC)."""
    ic = np.searchsorted(truth.initial_contacts_s, t, side="right")
    fc = np.searchsorted(truth.final_contacts_s, t, side="right")
    # swing j runs from fc[j] to ic[j]: in swing when one more FC than IC has passed
    return fc == ic


def test_cadence_and_stance_fraction_match_the_spec() -> None:
    gait = GaitSpec(
        cadence_steps_per_min=110.0, stance_fraction=0.62, stride_time_cv_pct=0.0
    )
    _, truth = _truth(gait, [Stand(1.0), Walk(12), Stand(1.0)])
    for leg in truth.values():
        strides = leg.strides
        assert len(strides) == 12
        assert strides.stride_time_s == pytest.approx(120.0 / 110.0)
        assert strides.stance_time_s / strides.stride_time_s == pytest.approx(0.62)
        assert strides.cadence_steps_per_min == pytest.approx(110.0)
        assert len(leg.initial_contacts_s) == len(leg.final_contacts_s) == 13
        assert np.all(leg.final_contacts_s < leg.initial_contacts_s)


def test_imposed_asymmetry_is_exact_in_the_truth() -> None:
    gait = GaitSpec(
        swing_time_asymmetry_pct=12.0,
        peak_swing_asymmetry_pct=-8.0,
        contralateral_phase_deg=190.0,
        stride_time_cv_pct=0.0,
    )
    _, truth = _truth(gait, [Stand(1.0), Walk(10), Stand(1.0)])

    def asym(name: str) -> float:
        right = truth["right"].strides.column(name).mean()
        left = truth["left"].strides.column(name).mean()
        return 200.0 * (right - left) / (right + left)

    imposed = gait.imposed_asymmetry_pct()
    assert asym("swing_time_s") == pytest.approx(12.0)
    assert asym("stance_time_s") == pytest.approx(imposed["stance_time"])
    assert asym("step_time_s") == pytest.approx(imposed["step_time"])
    assert asym("peak_swing_angular_velocity_dps") == pytest.approx(-8.0)


def test_contralateral_ic_falls_at_half_stride_in_symmetric_gait() -> None:
    _, truth = _truth(GaitSpec(stride_time_cv_pct=0.0), [Walk(8)])
    steps = truth["left"].strides.column("step_time_s", included_only=False)
    strides = truth["left"].strides.stride_time_s
    assert steps[np.isfinite(steps)] / strides[np.isfinite(steps)] == pytest.approx(0.5)


def test_stride_time_variability_has_the_requested_cv_on_both_legs() -> None:
    _, truth = _truth(GaitSpec(stride_time_cv_pct=2.0), [Walk(1500)], seed=3)
    for leg in truth.values():
        stride = leg.strides.column("stride_time_s")
        cv = 100.0 * stride.std() / stride.mean()
        assert cv == pytest.approx(2.0, rel=0.1)
        assert stride.mean() == pytest.approx(GaitSpec().stride_time_s, rel=0.01)


def test_walking_has_double_support_and_running_has_flight() -> None:
    walk = GaitSpec(stride_time_cv_pct=0.0)
    _, truth = _truth(walk, [Walk(6)])
    support = truth["right"].strides.column("double_support_time_s")
    assert support == pytest.approx((0.6 - 0.5) * walk.stride_time_s)

    run = GaitSpec.running()
    schedule, truth = _truth(run, [Stand(1.0), Walk(20), Stand(1.0)], seed=5)
    assert np.all(truth["left"].strides.column("double_support_time_s") == 0.0)
    start, end = schedule.gait_bouts_s[0]
    steady = (truth["left"].initial_contacts_s[2], truth["left"].initial_contacts_s[-3])
    t = np.linspace(*steady, 20000)
    both = _contact(truth["left"], t) & _contact(truth["right"], t)
    neither = ~_contact(truth["left"], t) & ~_contact(truth["right"], t)
    assert not both.any()
    assert neither.mean() > 0.1  # flight in every step
    assert start < steady[0] < steady[1] < end


def test_bouts_turns_and_transition_strides_are_flagged() -> None:
    gait = GaitSpec()
    schedule, truth = _truth(
        gait,
        [Stand(3.0), Walk(6), Turn(2, 180.0), Walk(6), Stand(2.0), Walk(4)],
        seed=1,
    )
    assert schedule.gait_bouts_s.shape == (2, 2)
    assert schedule.gait_bouts_s[0, 0] == pytest.approx(3.0)
    assert schedule.gait_bouts_s[1, 0] == pytest.approx(
        schedule.gait_bouts_s[0, 1] + 2.0
    )
    assert schedule.duration_s == pytest.approx(schedule.gait_bouts_s[1, 1])
    for leg in truth.values():
        strides = leg.strides
        assert len(strides) == 14 + 4
        assert np.flatnonzero(leg.first_of_bout).tolist() == [0, 14]
        assert np.flatnonzero(leg.last_of_bout).tolist() == [13, 17]
        assert np.flatnonzero(leg.in_turn).tolist() == [6, 7]
        assert strides.excluded_reason[6] == "turn"
        assert strides.bout_index.tolist() == [0] * 14 + [1] * 4
        assert strides.included.sum() == 18 - 4 - 2
        # events stay inside their bout
        bout = schedule.gait_bouts_s[strides.bout_index]
        assert np.all((strides.start_s > bout[:, 0]) & (strides.end_s < bout[:, 1]))
    turn_start, turn_end = schedule.turns_s[0]
    t = np.linspace(turn_start - 1.0, turn_end + 1.0, 5001)
    yaw = schedule.yaw_rate_dps(t)
    assert np.trapezoid(yaw, t) == pytest.approx(180.0, rel=1e-3)
    assert 90.0 <= yaw.max() <= 200.0
    assert np.all(yaw[(t < turn_start) | (t > turn_end)] == 0.0)


def test_legs_alternate_leading_between_bouts() -> None:
    _, truth = _truth(GaitSpec(), [Walk(3), Stand(1.0), Walk(3)])
    first_right = truth["right"].initial_contacts_s[[0, 4]]
    first_left = truth["left"].initial_contacts_s[[0, 4]]
    assert first_right[0] < first_left[0]
    assert first_left[1] < first_right[1]


def test_scenario_errors_say_what_to_do() -> None:
    with pytest.raises(SimulationSpecError, match="Stand, Walk or Turn"):
        build_schedule(GaitSpec(), [Walk(2), "walk"], np.random.default_rng(0))
    with pytest.raises(SimulationSpecError, match="at least one"):
        build_schedule(GaitSpec(), [], np.random.default_rng(0))
    with pytest.raises(SimulationSpecError, match="exactly one"):
        simulate_session(GaitSpec(), bouts=[Walk(2)], duration_s=10.0)


@settings(max_examples=40, deadline=None)
@given(
    mode=st.sampled_from(["walk", "run"]),
    cadence=st.floats(60.0, 190.0),
    swing_asymmetry=st.floats(-15.0, 15.0),
    phase_deg=st.floats(160.0, 200.0),
    cv=st.floats(0.0, 5.0),
    strides=st.lists(st.integers(1, 6), min_size=1, max_size=3),
    seed=st.integers(0, 2**32 - 1),
)
def test_schedule_invariants(
    mode, cadence, swing_asymmetry, phase_deg, cv, strides, seed
) -> None:
    base = GaitSpec.running() if mode == "run" else GaitSpec()
    gait = replace(
        base,
        cadence_steps_per_min=cadence,
        swing_time_asymmetry_pct=swing_asymmetry,
        contralateral_phase_deg=phase_deg,
        stride_time_cv_pct=cv,
    )
    bouts = [Stand(0.5)] + [
        item for n in strides for item in (Walk(n), Turn(1, 90.0), Stand(1.0))
    ]
    schedule, truth = _truth(gait, bouts, seed)
    for side, leg in truth.items():
        ic, fc = leg.initial_contacts_s, leg.final_contacts_s
        assert ic.size == fc.size == sum(n + 2 for n in strides)
        assert np.all(np.diff(ic) > 0) and np.all(fc < ic)
        assert np.all(ic[:-1] < fc[1:])  # stance between swings
        table = leg.strides
        assert len(table) == sum(n + 1 for n in strides)
        assert table.stance_time_s / table.stride_time_s == pytest.approx(
            leg.stance_fraction
        )
        assert np.all(
            schedule.legs[side].knot_time_s[1:] > schedule.legs[side].knot_time_s[:-1]
        )
    # the legs alternate: one contralateral IC inside every stride
    for side, other in (("left", "right"), ("right", "left")):
        strides, other_ic = truth[side].strides, truth[other].initial_contacts_s
        inside = np.searchsorted(other_ic, strides.end_s) - np.searchsorted(
            other_ic, strides.start_s
        )
        assert np.all(inside == 1)
    assert schedule.duration_s >= schedule.gait_bouts_s[-1, 1]
