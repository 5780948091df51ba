"""Asymmetry from anklet's events vs from reference events
(:mod:`anklet.validation.asymmetry_agreement`), and the accuracy figures anklet quotes
to its users (:data:`anklet.gait.measured_accuracy.MEASURED_ACCURACY`)."""

from __future__ import annotations

import numpy as np
import pytest

from anklet.gait.measured_accuracy import MEASURED_ACCURACY
from anklet.simulate import GaitSpec, SensorSpec, Stand, Walk, simulate_session
from anklet.validation.asymmetry_agreement import METRICS, compare_asymmetry
from anklet.validation.datasets import iter_trials
from anklet.validation.datasets.trial import ReferenceEvents, Trial


def _simulated_trial(swing_time_asymmetry_pct: float, seed: int = 2, person: str | None = None) -> Trial:
    """A simulated walk whose reference events are the simulator's true events."""
    gait = GaitSpec(swing_time_asymmetry_pct=swing_time_asymmetry_pct)
    session = simulate_session(gait, SensorSpec(), SensorSpec(), bouts=[Stand(3.0), Walk(25), Stand(3.0)], seed=seed)
    reference = {
        side: ReferenceEvents(truth.initial_contacts_s, truth.final_contacts_s)
        for side, truth in session.truth.legs.items()
    }
    return Trial(f"simulated {seed}", "synthetic", "ankle", session.imu, reference, None, {}, (), {}, person)


def test_imposed_asymmetry_agrees_with_the_true_events():
    agreement = compare_asymmetry([_simulated_trial(10.0)])
    for metric in METRICS:
        assert agreement.abs_differences(metric).size == 1
        assert agreement.median(metric) < 1.0, metric
    assert agreement.resolution_floor == {metric: [] for metric in METRICS}


def test_change_errors_pair_the_walks_of_each_known_person():
    trials = [
        _simulated_trial(0.0, seed=2, person="a"),
        _simulated_trial(5.0, seed=3, person="a"),
        _simulated_trial(10.0, seed=4, person="a"),
        _simulated_trial(5.0, seed=5, person="b"),
        _simulated_trial(5.0, seed=6, person=None),
    ]
    agreement = compare_asymmetry(trials)
    for metric in METRICS:
        differences = {t.name: t.difference[metric] for t in agreement.trials}
        a = [differences[f"simulated {seed}"] for seed in (2, 3, 4)]
        expected = sorted(abs(x - y) for x, y in ((a[0], a[1]), (a[0], a[2]), (a[1], a[2])))
        assert sorted(agreement.change_abs_differences(metric)) == pytest.approx(expected), metric


def test_resolution_floor_grows_with_the_reference_jitter():
    trial = _simulated_trial(0.0)
    fine = compare_asymmetry([trial], reference_jitter_s=0.001, n_draws=10).resolution_floor
    coarse = compare_asymmetry([trial], reference_jitter_s=0.010, n_draws=10).resolution_floor
    for metric in METRICS:
        assert len(fine[metric]) == len(coarse[metric]) == 10
        assert 0.0 < np.median(fine[metric]) < np.median(coarse[metric]), metric


@pytest.mark.parametrize("placement", sorted(MEASURED_ACCURACY))
def test_quoted_accuracy_is_what_the_real_recordings_give(placement, datasets_root):
    accuracy = MEASURED_ACCURACY[placement]
    agreement = compare_asymmetry(iter_trials(accuracy.dataset, datasets_root, placement=placement))
    for metric in METRICS:
        assert agreement.median(metric) == pytest.approx(accuracy.median_abs_difference[metric], abs=0.005), metric
        change = float(np.median(agreement.change_abs_differences(metric)))
        assert change == pytest.approx(accuracy.median_abs_change_difference[metric], abs=0.005), metric
