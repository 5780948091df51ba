"""Input checks before the gait analysis: units, sampling rate, one file given twice, overlap."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from anklet.errors import InputFormatError, InsufficientDataError
from anklet.gait.input_checks import check_distinct_legs, check_sampling_rate, overlap_warnings, unit_warnings
from anklet.gait.pipeline import GaitPipeline
from anklet.simulate import GaitSpec, SensorSpec, Stand, Walk, simulate_session


@pytest.fixture(scope="module")
def walk():
    sensor = SensorSpec(sampling_rate_hz=100.0, mounting_rotation_deg=None)
    return simulate_session(GaitSpec(), sensor, sensor, bouts=[Stand(3.0), Walk(14), Stand(3.0)], seed=4).imu


@pytest.mark.parametrize(("factor", "unit"), [(1e3, "milliseconds"), (1e6, "microseconds"), (1e9, "nanoseconds")])
def test_time_not_in_seconds_is_an_error_naming_the_likely_unit(walk, factor, unit):
    imu = dataclasses.replace(walk["left"], time_s=walk["left"].time_s * factor, source="left.csv")
    with pytest.raises(
        InputFormatError, match=rf"left.csv: .*time_s must be in seconds.*in {unit} \(that would be 100 Hz\)"
    ):
        check_sampling_rate(imu, "left")


def test_time_in_hours_is_an_error(walk):
    imu = dataclasses.replace(walk["left"], time_s=walk["left"].time_s / 3600.0)
    with pytest.raises(InputFormatError, match="faster than any wearable IMU"):
        check_sampling_rate(imu, "left")


def test_a_rate_too_low_for_gait_events_is_an_error_and_20_hz_is_accepted(walk):
    with pytest.raises(InsufficientDataError, match=r"simulated left: sampling rate 10 Hz is below the 20 Hz"):
        check_sampling_rate(dataclasses.replace(walk["left"], time_s=walk["left"].time_s * 10.0), "left")
    assert check_sampling_rate(dataclasses.replace(walk["left"], time_s=walk["left"].time_s * 5.0), "left") == (
        pytest.approx(20.0)
    )


def test_acceleration_in_g_and_angular_rate_in_rad_per_s_are_warned_about(walk):
    assert unit_warnings(walk["left"], "left") == []
    in_g = dataclasses.replace(walk["left"], acc_mps2=walk["left"].acc_mps2 / 9.80665)
    (warning,) = unit_warnings(in_g, "left")
    assert "is the acceleration in g?" in warning
    in_rad = dataclasses.replace(walk["left"], gyr_dps=np.deg2rad(walk["left"].gyr_dps))
    (warning,) = unit_warnings(in_rad, "left")
    assert "is the gyroscope in rad/s?" in warning


def test_a_sensor_standing_still_is_not_taken_for_rad_per_s(walk):
    standing = walk["left"].time_s < 2.5
    still = dataclasses.replace(
        walk["left"],
        time_s=walk["left"].time_s[standing],
        acc_mps2=walk["left"].acc_mps2[standing],
        gyr_dps=walk["left"].gyr_dps[standing],
    )
    assert unit_warnings(still, "left") == []


def test_the_same_data_for_both_legs_is_an_error(walk):
    check_distinct_legs(dict(walk))
    with pytest.raises(InputFormatError, match="the same sensor's file was given for both legs"):
        GaitPipeline("ankle").run({"left": walk["left"], "right": walk["left"]})


def test_recordings_of_different_times_are_warned_about_and_give_no_bilateral_values(walk):
    assert overlap_warnings(dict(walk)) == []
    later = dataclasses.replace(walk["left"], time_s=walk["left"].time_s + 1000.0)
    analysis = GaitPipeline("ankle").run({"left": later, "right": walk["right"]})
    assert any("do not overlap" in w for w in analysis.warnings)
    for side in ("left", "right"):
        strides = analysis.legs[side].strides
        assert len(strides) > 5
        assert np.isnan(strides.double_support_time_s).all() and np.isnan(strides.step_time_s).all()
