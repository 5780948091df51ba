"""The sagittal frame is found for any strap rotation, with the right sign."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from anklet.gait.orientation import SagittalFrameEstimator
from anklet.gait.pipeline import GaitPipeline
from anklet.imu import ImuData
from anklet.validation.datasets import ipol


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
