"""Is this input analysable as gait data? Checks of units and sampling rate before the analysis.

The import formats fix the units (time in s, acceleration in m/s^2, angular rate in
deg/s, docs/import-formats.md), but a file in other units still parses. These checks
catch the usual slips with a message that says what to change, instead of an analysis
that finds no strides or hangs on a time axis a million times too long:

* time in milliseconds, microseconds or nanoseconds (or minutes): the inferred
  sampling rate is outside any wearable IMU's range -> error;
* a sampling rate too low to time gait events -> error;
* acceleration in g instead of m/s^2, angular rate in rad/s instead of deg/s ->
  warning (the data may still be analysable, e.g. a sensor that only stood still);
* the same sensor's data given for both legs -> error;
* left and right recordings that hardly overlap in time -> warning.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from anklet.errors import InputFormatError, InsufficientDataError
from anklet.imu import ImuData, Side
from anklet.timing.sampling_rate import infer_sampling_rate_hz

#: Slowest sampling rate the gait analysis accepts: contacts are timed to one sample,
#: 50 ms at 20 Hz, and the swing's contact features need several samples.
MIN_GAIT_SAMPLING_RATE_HZ = 20.0
#: Bounds of any wearable IMU's sampling rate; outside them the time column is not
#: in seconds.
PLAUSIBLE_SAMPLING_RATE_HZ = (1.0, 10_000.0)
#: Samples the unit checks look at, at most (evenly spread over the recording).
UNIT_CHECK_SAMPLES = 50_000
#: Standard gravity, m/s^2.
GRAVITY_MPS2 = 9.80665
#: Median acceleration magnitudes (in m/s^2 as read) that look like the data are in g.
ACCELERATION_IN_G_RANGE = (0.5, 2.0)
#: The 99th percentile of the angular-rate magnitude, deg/s, below which a leg that
#: moves (see :data:`MOVING_ACCELERATION_SD_MPS2`) looks like it was given in rad/s:
#: walking swings reach 100-500 deg/s, i.e. 2-9 rad/s.
RAD_PER_S_SUSPECT_DPS = 15.0
#: SD of the acceleration magnitude above which the sensor was moving (walking gives
#: several m/s^2, standing still a few hundredths).
MOVING_ACCELERATION_SD_MPS2 = 1.0


def _name(imu: ImuData, side: Side) -> str:
    return imu.source or f"{side} sensor"


def check_sampling_rate(imu: ImuData, side: Side) -> float:
    """The inferred sampling rate in Hz, if gait events can be timed at it.

    Raises:
        InputFormatError: the rate is outside any IMU's range (time not in seconds).
        InsufficientDataError: the rate is below :data:`MIN_GAIT_SAMPLING_RATE_HZ`.
    """
    rate_hz = infer_sampling_rate_hz(imu.time_s)
    low_hz, high_hz = PLAUSIBLE_SAMPLING_RATE_HZ
    if rate_hz < low_hz:
        units = {"milliseconds": 1e3, "microseconds": 1e6, "nanoseconds": 1e9}
        likely = [
            f"in {unit} (that would be {rate_hz * factor:.4g} Hz)"
            for unit, factor in units.items()
            if MIN_GAIT_SAMPLING_RATE_HZ <= rate_hz * factor <= high_hz
        ]
        raise InputFormatError(
            _name(imu, side),
            f"the sample times give a sampling rate of {rate_hz:.3g} Hz: time_s must be in seconds"
            + (f", and it looks like it is {likely[0]}" if likely else "")
            + "; convert the time column to seconds",
        )
    if rate_hz > high_hz:
        raise InputFormatError(
            _name(imu, side),
            f"the sample times give a sampling rate of {rate_hz:.3g} Hz, faster than any wearable IMU: "
            "time_s must be in seconds (is it in minutes or hours?)",
        )
    if rate_hz < MIN_GAIT_SAMPLING_RATE_HZ:
        raise InsufficientDataError(
            f"{_name(imu, side)}: sampling rate {rate_hz:.3g} Hz is below the {MIN_GAIT_SAMPLING_RATE_HZ:g} Hz "
            f"the gait analysis needs (contacts are timed to one sample, {1000.0 / rate_hz:.0f} ms here); "
            "record at 50 Hz or more"
        )
    return rate_hz


def unit_warnings(imu: ImuData, side: Side) -> list[str]:
    """Warnings when the acceleration looks like g or the angular rate like rad/s."""
    warnings = []
    # Every n-th sample is plenty for these statistics and keeps hour-long files cheap.
    step = max(1, len(imu) // UNIT_CHECK_SAMPLES)
    acc_norm = np.linalg.norm(imu.acc_mps2[::step], axis=1)
    median_acc = float(np.median(acc_norm))
    low, high = ACCELERATION_IN_G_RANGE
    if low <= median_acc <= high:
        warnings.append(
            f"{_name(imu, side)}: the median acceleration magnitude is {median_acc:.2f}, near 1 rather than "
            f"gravity's {GRAVITY_MPS2:.2f} m/s^2: is the acceleration in g? anklet expects m/s^2 "
            f"(multiply by {GRAVITY_MPS2:.5g})"
        )
    # Movement in gravity units, so that data in g count as moving too.
    moving_mps2 = float(np.std(acc_norm)) / median_acc * GRAVITY_MPS2 if median_acc > 0 else 0.0
    gyr_p99 = float(np.percentile(np.linalg.norm(imu.gyr_dps[::step], axis=1), 99))
    if moving_mps2 > MOVING_ACCELERATION_SD_MPS2 and gyr_p99 < RAD_PER_S_SUSPECT_DPS:
        warnings.append(
            f"{_name(imu, side)}: the sensor moves, but its angular rate reaches only {gyr_p99:.1f} (99th "
            f"percentile) where walking gives 100-500 deg/s: is the gyroscope in rad/s? anklet expects deg/s "
            f"(multiply by {180.0 / np.pi:.4g})"
        )
    return warnings


def overlap_warnings(imu: Mapping[Side, ImuData]) -> list[str]:
    """A warning when the two legs' recordings overlap for less than half the shorter one.

    Step time, double support and the PCI need both legs at once; the comparison of the
    legs assumes both walked together.
    """
    if "left" not in imu or "right" not in imu:
        return []
    spans = {side: (float(data.time_s[0]), float(data.time_s[-1])) for side, data in imu.items()}
    overlap_s = min(end for _, end in spans.values()) - max(start for start, _ in spans.values())
    shorter_s = min(end - start for start, end in spans.values())
    if overlap_s >= 0.5 * shorter_s:
        return []
    times = ", ".join(f"{side} {start:.1f}-{end:.1f} s" for side, (start, end) in spans.items())
    extent = "do not overlap" if overlap_s <= 0 else f"overlap for only {overlap_s:.1f} s"
    return [
        f"the left and right recordings {extent} ({times}): both files must share one clock and cover the "
        "same walk, or the legs cannot be compared"
    ]


def check_distinct_legs(imu: Mapping[Side, ImuData]) -> None:
    """Raise when the left and right data are the same samples (one file given twice).

    Raises:
        InputFormatError: the two legs' times and angular rates are identical.
    """
    if "left" not in imu or "right" not in imu:
        return
    left, right = imu["left"], imu["right"]
    if np.array_equal(left.time_s, right.time_s) and np.array_equal(left.gyr_dps, right.gyr_dps):
        raise InputFormatError(
            _name(right, "right"),
            f"the right leg's data are identical to the left leg's ({_name(left, 'left')}): "
            "the same sensor's file was given for both legs; give each leg's own file",
        )
