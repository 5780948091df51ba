"""Turns: runs of turning strides of either leg, with their heading change."""

from __future__ import annotations

import numpy as np
import pytest

from anklet.analysis import analyze, summary_text
from anklet.gait.bouts import merge_intervals
from anklet.gait.pipeline import GaitPipeline
from anklet.simulate import GaitSpec, SensorSpec, Stand, Turn, Walk, simulate_session
from anklet.validation.datasets import iter_trials

TURNING_WALK = [Stand(3.0), Walk(15), Turn(2, 180.0), Walk(15), Turn(3, -90.0), Walk(10), Stand(3.0)]


def test_merge_intervals_joins_overlapping_and_touching_ones():
    merged = merge_intervals(np.array([5.0, 1.0, 2.0, 3.0]), np.array([6.0, 2.0, 3.0, 3.5]))
    assert merged == [(1.0, 3.5), (5.0, 6.0)]


@pytest.mark.parametrize("placement", ["ankle", "foot"])
@pytest.mark.parametrize("seed", [3, 4])
def test_simulated_turns_are_found_with_their_direction_and_size(placement, seed):
    sensor = SensorSpec(placement=placement, sampling_rate_hz=100.0, mounting_rotation_deg=None)
    session = simulate_session(GaitSpec(), sensor, sensor, bouts=TURNING_WALK, seed=seed)
    turns = GaitPipeline(placement).run(dict(session.imu)).turns
    assert len(turns) == 2
    for turn, (true_start_s, true_end_s), true_deg in zip(
        turns, session.truth.turns_s, session.truth.turn_angle_deg, strict=True
    ):
        assert turn.start_s < true_end_s and turn.end_s > true_start_s
        assert turn.heading_change_deg == pytest.approx(true_deg, abs=20.0)


def test_a_straight_walk_has_no_turn_and_the_result_says_so():
    sensor = SensorSpec(sampling_rate_hz=100.0, mounting_rotation_deg=None)
    session = simulate_session(GaitSpec(), sensor, sensor, bouts=[Stand(3.0), Walk(20), Stand(3.0)], seed=5)
    result = analyze(dict(session.imu))
    assert result.gait.turns == () and result.document["turns"] == []
    time_s = result.document["activity_time_s"]
    assert time_s["turn"] == 0.0 and time_s["run"] == 0.0
    assert time_s["walk"] + time_s["standing"] == pytest.approx(session.imu["left"].time_s[-1], abs=0.1)
    assert "; turns: 0" in summary_text(result)


def test_the_result_lists_turns_and_the_summary_their_headings():
    sensor = SensorSpec(sampling_rate_hz=100.0, mounting_rotation_deg=None)
    session = simulate_session(GaitSpec(), sensor, sensor, bouts=TURNING_WALK, seed=3)
    result = analyze(dict(session.imu))
    assert [set(t) for t in result.document["turns"]] == [{"start_s", "end_s", "heading_change_deg"}] * 2
    assert result.document["activity_time_s"]["turn"] == pytest.approx(sum(t.duration_s for t in result.gait.turns))
    assert "turns: 2 (+1" in summary_text(result)


def test_every_ipol_u_turn_is_found_and_no_turn_elsewhere_in_the_walks(datasets_root):
    """52 walks, one annotated 180 degree turn each (benchmarks/turns.py prints the details)."""
    for trial in iter_trials("ipol-healthy-gait", datasets_root, placement="foot"):
        turns = GaitPipeline("foot").run(dict(trial.imu)).turns
        ref_start_s, ref_end_s = trial.annotations["turn"]
        hits = [t for t in turns if t.start_s < ref_end_s and t.end_s > ref_start_s]
        assert len(hits) == 1, trial.name
        assert abs(hits[0].heading_change_deg) > 140.0, trial.name
        window_start_s, window_end_s = trial.evaluation_window_s
        others_inside = [t for t in turns if t not in hits and t.start_s >= window_start_s and t.end_s <= window_end_s]
        assert others_inside == [], trial.name
