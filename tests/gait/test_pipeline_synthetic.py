"""The whole analysis on synthetic gait with known events and imposed asymmetry.

Ground truth comes from :mod:`anklet.simulate` (docs/simulation.md). These tests
check robustness (any strap rotation, swapped legs, noise, lost samples, clock
drift, running) and the recovery of imposed asymmetry; accuracy against real
reference systems is tested on the shared datasets (test_events_real_data.py).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from anklet.analysis import analyze
from anklet.gait.asymmetry import session_asymmetry
from anklet.gait.coordination import bilateral_coordination, phase_coordination_index_pct, steady_state_phases_deg
from anklet.gait.pipeline import GaitPipeline
from anklet.imu import ImuData
from anklet.simulate import GaitSpec, SensorSpec, Stand, Turn, Walk, simulate_session
from anklet.timing.clock import fit_clock_model, to_session_time
from anklet.validation.matching import match_events

BOUTS = [Stand(3.0), Walk(30), Turn(2, 180.0), Walk(30), Stand(3.0)]
RUNNING = {"mode": "run", "cadence_steps_per_min": 170.0, "stance_fraction": 0.38}


def _events_match_truth(session, analysis, max_median_error_ms: float, min_f1: float = 0.99) -> None:
    for side in ("left", "right"):
        truth, leg = session.truth.legs[side], analysis.legs[side]
        for detected, true in ((leg.initial_contacts_s, truth.initial_contacts_s),
                               (leg.final_contacts_s, truth.final_contacts_s)):
            match = match_events(detected, true)
            assert match.f1 >= min_f1, (side, match.as_dict())
            assert match.median_abs_error_ms <= max_median_error_ms, (side, match.as_dict())


@pytest.mark.parametrize(
    ("mode", "placement"),
    [("walk", "ankle"), ("walk", "foot"), ("run", "ankle"), ("run", "foot")],
)
def test_events_of_rotated_noisy_sensors_match_truth(mode, placement):
    gait = GaitSpec(**RUNNING) if mode == "run" else GaitSpec()
    sensor = SensorSpec(placement=placement, mounting_rotation_deg=None, gyr_noise_density_dps_per_sqrt_hz=0.05)
    session = simulate_session(gait, sensor, sensor, bouts=BOUTS, seed=3)
    analysis = GaitPipeline(placement).run(dict(session.imu))
    _events_match_truth(session, analysis, max_median_error_ms=10.0)
    assert {b.activity for b in analysis.bouts} == {mode}


#: Weak gaits, each with the seeds and the F1 its events must reach:
#: * very slow, shuffling (e.g. after a stroke): 45 steps/min, 80 deg/s swing peak, 72 %
#:   stance, 10 % stride-to-stride variation. The shank's contact trough after the weak
#:   swing is shallow, and the push-off trough lies more than the 0.5 s contact search
#:   before mid-swing: both are found.
#: * one weak leg (e.g. muscle atrophy): 90 steps/min, the right leg swinging at 96 deg/s
#:   and the left at 144 deg/s, 10 % swing-time asymmetry, 6 % variation. The weak
#:   shank's contact trough sinks well below zero, but the stance leg's slow backward
#:   rotation after it leaves it standing out by less than 20 % of the swing peak.
WEAK_GAITS = {
    "very slow": (
        {
            "cadence_steps_per_min": 45.0,
            "peak_swing_angular_velocity_dps": 80.0,
            "stance_fraction": 0.72,
            "stride_time_cv_pct": 10.0,
        },
        (2, 3),
        0.97,
    ),
    "weak right leg": (
        {
            "cadence_steps_per_min": 90.0,
            "peak_swing_angular_velocity_dps": 120.0,
            "peak_swing_asymmetry_pct": -40.0,
            "swing_time_asymmetry_pct": 10.0,
            "stance_fraction": 0.66,
            "stride_time_cv_pct": 6.0,
        },
        (1, 2),
        0.98,
    ),
}


@pytest.mark.parametrize("placement", ["ankle", "foot"])
@pytest.mark.parametrize(
    ("gait", "seed"), [(name, seed) for name, (_, seeds, _) in WEAK_GAITS.items() for seed in seeds]
)
def test_events_of_weak_gaits_match_truth(gait, seed, placement):
    spec, _, min_f1 = WEAK_GAITS[gait]
    sensor = SensorSpec(placement=placement, mounting_rotation_deg=None, gyr_noise_density_dps_per_sqrt_hz=0.05)
    session = simulate_session(GaitSpec(**spec), sensor, sensor, bouts=BOUTS, seed=seed)
    analysis = GaitPipeline(placement).run(dict(session.imu))
    _events_match_truth(session, analysis, max_median_error_ms=10.0, min_f1=min_f1)


def test_turns_first_and_last_strides_are_excluded():
    session = simulate_session(GaitSpec(), SensorSpec(), SensorSpec(), bouts=BOUTS, seed=5)
    analysis = GaitPipeline("ankle").run(dict(session.imu))
    for side in ("left", "right"):
        strides = analysis.legs[side].strides
        turn_times = session.truth.turns_s
        in_turn = np.zeros(len(strides), bool)
        for start, end in turn_times:
            in_turn |= (strides.end_s > start) & (strides.start_s < end)
        reasons = np.array([r or "" for r in strides.excluded_reason])
        # Every stride overlapping the middle of a 180 degree turn is excluded.
        centre = np.array([(s + e) / 2 for s, e in turn_times])
        spans_centre = np.any((strides.start_s[:, None] < centre) & (strides.end_s[:, None] > centre), axis=1)
        assert np.all(reasons[spans_centre] != "")
        assert reasons[0] == "first_stride_of_bout" and reasons[-1] == "last_stride_of_bout"
        assert strides.included.sum() >= 40


def test_swapped_legs_still_give_every_event():
    session = simulate_session(GaitSpec(), SensorSpec(), SensorSpec(), bouts=BOUTS, seed=7)
    swapped = GaitPipeline("ankle").run({"left": session.imu["right"], "right": session.imu["left"]})
    np.testing.assert_allclose(
        swapped.legs["left"].initial_contacts_s,
        GaitPipeline("ankle").run(dict(session.imu)).legs["right"].initial_contacts_s,
    )


def test_no_stride_spans_a_long_gap():
    sensor = SensorSpec(dropped_sample_fraction=0.02, dropped_burst_mean_samples=30.0)
    session = simulate_session(GaitSpec(), sensor, sensor, bouts=BOUTS, seed=11)
    analysis = GaitPipeline("ankle").run(dict(session.imu))
    for leg in analysis.legs.values():
        split = [g for g in leg.gaps if not g.bridged]
        assert split, "the scenario must contain long gaps"
        for gap in split:
            spans = (leg.strides.start_s < gap.start_s) & (leg.strides.end_s > gap.end_s)
            assert not spans.any()


def _truth_pci(session) -> float:
    tables = {side: session.truth.legs[side].strides for side in ("left", "right")}
    phases = steady_state_phases_deg(tables["left"], tables["right"])
    return float(phase_coordination_index_pct(phases))


ASYMMETRY_CASES = [
    (mode, phase, pct)
    for mode in ("walk", "run")
    for phase in ("swing", "stance")
    for pct in (0.0, 2.0, 5.0, 10.0, 20.0)
]


@pytest.mark.parametrize(("mode", "phase", "asymmetry_pct"), ASYMMETRY_CASES)
def test_imposed_asymmetry_is_recovered_within_one_point(mode, phase, asymmetry_pct):
    base = dict(RUNNING) if mode == "run" else {}
    gait = GaitSpec(**base, **{f"{phase}_time_asymmetry_pct": asymmetry_pct})
    left = SensorSpec(mounting_rotation_deg=None, dropped_sample_fraction=0.02,
                      gyr_noise_density_dps_per_sqrt_hz=0.05)
    right = SensorSpec(mounting_rotation_deg=None, dropped_sample_fraction=0.02,
                       gyr_noise_density_dps_per_sqrt_hz=0.05, clock_drift_ppm=100.0)
    session = simulate_session(gait, left, right, bouts=[Stand(3.0), Walk(60), Stand(3.0)], seed=21)
    result = analyze(dict(session.imu), "ankle")
    truth = session.truth.imposed_asymmetry_pct
    assert result.asymmetry[f"{phase}_time"].symmetry_index_pct == pytest.approx(truth[f"{phase}_time"], abs=1.0)
    ga_truth = 100 * abs(np.log((100 + truth["swing_time"] / 2) / (100 - truth["swing_time"] / 2)))
    assert result.bilateral.gait_asymmetry_pct == pytest.approx(ga_truth, abs=1.0)
    assert result.bilateral.phase_coordination_index_pct == pytest.approx(_truth_pci(session), abs=1.0)


def _aligned_by_packet_arrivals(imu: ImuData, sensor: SensorSpec, rng: np.random.Generator) -> ImuData:
    """What the collector does: packets of 5 samples arrive over BLE (1 ms + up to a
    7.5 ms connection interval + an exponential tail of 3 ms mean after their last
    sample), the clock model is fitted to the arrivals and maps sensor time to
    session time."""
    packet_end_s = imu.time_s[4::5]
    taken_s = (packet_end_s - sensor.clock_offset_s) / (1.0 + sensor.clock_drift_ppm * 1e-6)
    arrival_s = taken_s + 0.001 + rng.uniform(0.0, 0.0075, taken_s.size) + rng.exponential(0.003, taken_s.size)
    model = fit_clock_model(packet_end_s, arrival_s)
    return dataclasses.replace(imu, time_s=to_session_time(model, imu.time_s))


def test_a_long_session_with_drifting_clocks_aligned_as_recorded_keeps_every_si_within_one_point():
    """Five and a half minutes, sensor clocks drifting -50 and +100 ppm (9 ms apart after
    one minute, 50 ms at the end): unaligned, the step-time SI is 9 points off; after
    the clock fit the collector applies, every timing SI, GA and PCI are within 1 point
    of the truth."""
    sensors = {
        side: SensorSpec(
            sampling_rate_hz=100.0, mounting_rotation_deg=None, dropped_sample_fraction=0.02, clock_drift_ppm=drift_ppm
        )
        for side, drift_ppm in (("left", -50.0), ("right", 100.0))
    }
    session = simulate_session(
        GaitSpec(swing_time_asymmetry_pct=10.0),
        sensors["left"],
        sensors["right"],
        bouts=[Stand(3.0), Walk(300), Stand(3.0)],
        seed=21,
    )
    rng = np.random.default_rng(0)
    aligned = {side: _aligned_by_packet_arrivals(session.imu[side], sensors[side], rng) for side in sensors}
    result = analyze(aligned, "ankle")
    truth_tables = (session.truth.legs["left"].strides, session.truth.legs["right"].strides)
    truth = session_asymmetry(*truth_tables)
    for parameter in ("stride_time", "stance_time", "swing_time", "step_time", "double_support_time"):
        expected = truth[parameter].symmetry_index_pct
        assert result.asymmetry[parameter].symmetry_index_pct == pytest.approx(expected, abs=1.0), parameter
    truth_bilateral = bilateral_coordination(*truth_tables)
    assert result.bilateral.gait_asymmetry_pct == pytest.approx(truth_bilateral.gait_asymmetry_pct, abs=1.0)
    expected_pci = truth_bilateral.phase_coordination_index_pct
    assert result.bilateral.phase_coordination_index_pct == pytest.approx(expected_pci, abs=1.0)
    unaligned = analyze(dict(session.imu), "ankle").asymmetry["step_time"].symmetry_index_pct
    assert abs(unaligned - truth["step_time"].symmetry_index_pct) > 5.0


@pytest.mark.parametrize("placement", ["ankle", "foot"])
@pytest.mark.parametrize("seed", [11, 12, 13])
def test_the_last_weaker_push_off_of_a_running_bout_is_found(placement, seed):
    """The last swing of a bout is smaller (transition_swing_scale): on the shank its
    push-off trough is shallower than the contact trough the search window opens on.
    Every FC is found, so no bout loses its last stride."""
    sensor = SensorSpec(placement=placement, mounting_rotation_deg=None)
    session = simulate_session(GaitSpec.running(), sensor, sensor, bouts=[Stand(3.0), Walk(20), Stand(3.0)], seed=seed)
    analysis = GaitPipeline(placement).run(dict(session.imu))
    _events_match_truth(session, analysis, max_median_error_ms=5.0, min_f1=1.0)
    for side in ("left", "right"):
        assert len(analysis.legs[side].strides) == len(session.truth.legs[side].strides) == 20
