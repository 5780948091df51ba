"""The sagittal frame is found for any strap rotation, with the right sign."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from anklet.gait.orientation import SagittalFrameEstimator, grid_slice, slice_segments
from anklet.gait.pipeline import GaitPipeline
from anklet.imu import ImuData
from anklet.simulate import GaitSpec, SensorSpec, Stand, Walk, simulate_session
from anklet.timing import UniformSegment, to_uniform_segments
from anklet.validation.datasets import ipol, iter_trials


@pytest.fixture(scope="module")
def trial(datasets_root):
    return ipol.load(datasets_root / "ipol-healthy-gait", "2-3")[0]


def _rotated(imu: ImuData, rotation: Rotation) -> ImuData:
    """The same motion seen by a sensor strapped at another rotation."""
    matrix = rotation.as_matrix()
    return ImuData(imu.time_s, imu.acc_mps2 @ matrix.T, imu.gyr_dps @ matrix.T, imu.source)


@pytest.mark.parametrize("seed", range(6))
def test_any_strap_rotation_gives_the_same_events(trial, seed):
    rotation = Rotation.random(random_state=seed)
    original = GaitPipeline("foot").run(dict(trial.imu))
    rotated = GaitPipeline("foot").run({side: _rotated(imu, rotation) for side, imu in trial.imu.items()})
    for side in ("left", "right"):
        np.testing.assert_allclose(
            rotated.legs[side].initial_contacts_s, original.legs[side].initial_contacts_s, atol=1e-6
        )
        np.testing.assert_allclose(
            rotated.legs[side].frame.medio_lateral,
            rotation.apply(original.legs[side].frame.medio_lateral),
            atol=1e-6,
        )


def test_upside_down_sensor_keeps_the_forward_swing_positive(trial):
    flipped = Rotation.from_euler("x", 180, degrees=True)
    imu = trial.imu["left"]
    fs = 100.0
    estimator = SagittalFrameEstimator()
    frame = estimator.estimate(imu.acc_mps2, imu.gyr_dps, fs)
    frame_flipped = estimator.estimate(
        _rotated(imu, flipped).acc_mps2, _rotated(imu, flipped).gyr_dps, fs
    )
    swing = frame.sagittal_angular_velocity_dps(imu.gyr_dps)
    swing_flipped = frame_flipped.sagittal_angular_velocity_dps(_rotated(imu, flipped).gyr_dps)
    np.testing.assert_allclose(swing_flipped, swing, atol=1e-6)
    assert frame.sign_confidence > 0.2


def test_too_short_data_is_a_clear_error():
    from anklet.errors import InsufficientDataError

    with pytest.raises(InsufficientDataError, match="at least 2 s"):
        SagittalFrameEstimator().estimate(np.zeros((50, 3)), np.zeros((50, 3)), 100.0)


def test_grid_slice_is_the_same_on_a_grid_whose_rate_is_one_rounding_error_off():
    start_s, rate_hz = 12.34, 100.0
    nudged = np.nextafter(rate_hz, np.inf)
    for from_s, to_s in ((13.0, 21.0), (12.0, 12.5), (20.345, 20.355), (40.0, 50.0)):
        cut = grid_slice(start_s, rate_hz, 1000, from_s, to_s)
        assert cut == grid_slice(start_s, nudged, 1000, from_s, to_s)
        times = start_s + np.arange(1000) / rate_hz
        inside = np.flatnonzero((times >= from_s - 1e-9) & (times < to_s - 1e-9))
        assert list(range(cut.start, cut.stop)) == inside.tolist()


def _walk_after_standing(standing_s: float, strides: int, seed: int) -> list[UniformSegment]:
    sensor = SensorSpec(sampling_rate_hz=100.0, mounting_rotation_deg=None)
    bouts = [Stand(standing_s), Walk(strides), Stand(2.0)]
    session = simulate_session(GaitSpec(), sensor, sensor, bouts=bouts, seed=seed)
    return to_uniform_segments(session.imu["left"])[0]


def test_the_frame_settles_on_the_first_schedule_time_with_enough_swings():
    segments = _walk_after_standing(40.0, 12, seed=2)
    pipeline = GaitPipeline("ankle")
    schedule = pipeline.frame_schedule
    settled = schedule.settle(segments)
    start_s = segments[0].start_s
    # Walking starts after 40 s of standing; four complete swings take a few seconds more.
    assert 40.0 < settled.settled_at_s - start_s < 40.0 + 8.0
    window = slice_segments(segments, settled.settled_at_s - schedule.window_s, settled.settled_at_s)
    assert sum(len(s) for s in window) == round(schedule.window_s * 100.0)
    np.testing.assert_array_equal(schedule.check(window).medio_lateral, settled.frame.medio_lateral)
    before = settled.settled_at_s - schedule.check_every_s
    assert schedule.check(slice_segments(segments, before - schedule.window_s, before)) is None
    # The first swings give the axis of the whole walk (standing adds nothing to it).
    whole = pipeline.frame_estimator.estimate(
        np.concatenate([s.acc_mps2 for s in segments]), np.concatenate([s.gyr_dps for s in segments]), 100.0
    )
    assert settled.frame.medio_lateral @ whole.medio_lateral > np.cos(np.radians(5.0))


def test_without_enough_swings_the_frame_is_that_of_all_data():
    segments = _walk_after_standing(3.0, 2, seed=4)
    settled = GaitPipeline("ankle").frame_schedule.settle(segments)
    whole = SagittalFrameEstimator().estimate(segments[0].acc_mps2, segments[0].gyr_dps, 100.0)
    assert settled.settled_at_s == np.inf
    np.testing.assert_array_equal(settled.frame.medio_lateral, whole.medio_lateral)


def test_the_settled_frame_has_the_sign_of_the_whole_recording_on_every_real_leg(datasets_root):
    """The frame from the first swings (FrameSchedule) against the frame of the whole trial."""
    legs = 0
    sets = (("ipol-healthy-gait", "foot"), ("marpino-walking", "ankle"), ("marpino-walking", "foot"))
    for dataset, placement in sets:
        pipeline = GaitPipeline(placement)
        for trial in iter_trials(dataset, datasets_root, placement=placement):
            for side, imu in trial.imu.items():
                segments = to_uniform_segments(imu)[0]
                settled = pipeline.frame_schedule.settle(segments)
                whole = pipeline.frame_estimator.estimate(
                    np.concatenate([s.acc_mps2 for s in segments]),
                    np.concatenate([s.gyr_dps for s in segments]),
                    segments[0].sampling_rate_hz,
                )
                angle_deg = np.degrees(np.arccos(np.clip(settled.frame.medio_lateral @ whole.medio_lateral, -1, 1)))
                assert angle_deg < 10.0, (dataset, placement, trial.name, side, angle_deg)
                legs += 1
    assert legs == 2 * (52 + 47 + 47)
