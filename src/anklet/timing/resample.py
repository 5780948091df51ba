"""Uniform resampling of irregular IMU samples into gap-free segments.

Lost packets leave gaps in a sensor's time axis. Short gaps are bridged by linear
interpolation and reported; longer ones split the data into separate
:class:`UniformSegment` s, so no signal is invented where a whole movement could
have been missed. The grid of each segment starts at its first original sample,
so grid times stay on the sensor's clock (no phase shift).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from anklet.errors import InsufficientDataError
from anklet.imu import ImuData
from anklet.timing.sampling_rate import infer_sampling_rate_hz

#: An interval longer than this many sample periods has lost at least one sample.
GAP_THRESHOLD_PERIODS = 1.5
#: Default longest gap bridged by interpolation: 10 lost packets at 100 Hz, a
#: quarter of a ~0.4 s swing phase, so at most one gait event can fall inside.
DEFAULT_MAX_BRIDGED_GAP_S = 0.1
#: Slack for comparing times computed in floating point (1 us).
_TIME_TOLERANCE_S = 1e-6


@dataclass(frozen=True)
class Gap:
    """Missing samples between two consecutive original samples.

    Attributes:
        start_s: time the first missing sample was due (the sample before the gap
            plus one native sample period).
        end_s: time of the first sample after the gap.
        duration_s: end_s - start_s, i.e. (number of missing samples) / rate.
        bridged: True if filled by interpolation inside a segment, False if the
            data were split into two segments here.
    """

    start_s: float
    end_s: float
    duration_s: float
    bridged: bool


@dataclass(frozen=True)
class UniformSegment:
    """Uniformly sampled IMU data without unbridged gaps, sensor frame as mounted.

    Attributes:
        start_s: time of the first sample, on the input's clock (s).
        sampling_rate_hz: sample rate of the grid.
        acc_mps2: (n, 3) specific force in m/s^2.
        gyr_dps: (n, 3) angular rate in deg/s.
        interpolated: (n,) bool, True for samples inside a bridged gap, i.e.
            invented between two original samples that were more than one period
            apart; ``interpolated.mean()`` is the fraction of made-up data.
    """

    start_s: float
    sampling_rate_hz: float
    acc_mps2: np.ndarray
    gyr_dps: np.ndarray
    interpolated: np.ndarray

    def __post_init__(self) -> None:
        n = len(self.interpolated)
        if self.acc_mps2.shape != (n, 3) or self.gyr_dps.shape != (n, 3):
            raise ValueError(
                f"acc_mps2 {self.acc_mps2.shape} and gyr_dps {self.gyr_dps.shape} must be ({n}, 3)"
            )

    def __len__(self) -> int:
        return len(self.interpolated)

    @property
    def time_s(self) -> np.ndarray:
        """(n,) sample times in seconds: start_s + arange(n) / sampling_rate_hz."""
        return self.start_s + np.arange(len(self)) / self.sampling_rate_hz


def to_uniform_segments(
    imu: ImuData,
    sampling_rate_hz: float | None = None,
    max_bridged_gap_s: float = DEFAULT_MAX_BRIDGED_GAP_S,
) -> tuple[list[UniformSegment], list[Gap]]:
    """Resample ``imu`` onto uniform grids, one per stretch without long gaps.

    Gaps are found against the data's own sample period (inferred with
    :func:`infer_sampling_rate_hz`): an interval longer than
    :data:`GAP_THRESHOLD_PERIODS` periods is a gap. A gap of at most
    ``max_bridged_gap_s`` (1 us tolerance) is bridged by linear interpolation;
    a longer one ends the current segment and starts a new one at the next
    sample. Each segment's grid starts at its first sample and ends at or
    before its last; values are linear interpolations of the original samples
    (vectorised). Resampling to a rate well below the native one aliases: low-pass
    filter first.

    Args:
        imu: samples with strictly increasing time_s (s), acc in m/s^2, gyr in deg/s.
        sampling_rate_hz: rate of the output grids; None uses the inferred native rate.
        max_bridged_gap_s: longest gap (missing time, s) to fill by interpolation.

    Returns:
        (segments in time order, every gap in time order, bridged or not).

    Raises:
        InsufficientDataError: fewer than two samples.
        ValueError: a non-positive rate, a negative max_bridged_gap_s, or time_s
            not strictly increasing.
    """
    if sampling_rate_hz is not None and not sampling_rate_hz > 0:
        raise ValueError(f"sampling_rate_hz must be positive, got {sampling_rate_hz}")
    if not max_bridged_gap_s >= 0:
        raise ValueError(f"max_bridged_gap_s must be >= 0, got {max_bridged_gap_s}")
    time_s = np.asarray(imu.time_s, dtype=np.float64)
    if len(time_s) < 2:
        raise InsufficientDataError(
            f"{imu.source or 'the data'} has {len(time_s)} sample(s); at least 2 are needed to resample"
        )
    intervals_s = np.diff(time_s)
    if not (intervals_s > 0).all():
        raise ValueError("imu.time_s must increase strictly")
    native_period_s = 1.0 / infer_sampling_rate_hz(time_s)
    grid_rate_hz = 1.0 / native_period_s if sampling_rate_hz is None else float(sampling_rate_hz)

    gap_index = np.flatnonzero(intervals_s > GAP_THRESHOLD_PERIODS * native_period_s)
    gap_start_s = time_s[gap_index] + native_period_s
    gap_end_s = time_s[gap_index + 1]
    gap_duration_s = gap_end_s - gap_start_s
    bridged = gap_duration_s <= max_bridged_gap_s + _TIME_TOLERANCE_S
    gaps = [
        Gap(start, end, duration, is_bridged)
        for start, end, duration, is_bridged in zip(
            gap_start_s.tolist(), gap_end_s.tolist(), gap_duration_s.tolist(), bridged.tolist(), strict=True
        )
    ]

    in_bridged_gap = np.zeros(len(intervals_s), dtype=bool)
    in_bridged_gap[gap_index[bridged]] = True
    split_after = gap_index[~bridged]
    firsts = np.concatenate([[0], split_after + 1])
    lasts = np.concatenate([split_after, [len(time_s) - 1]])
    samples = np.column_stack([imu.acc_mps2, imu.gyr_dps]).astype(np.float64)
    segments = [
        _resample(time_s[a : b + 1], samples[a : b + 1], in_bridged_gap[a:b], grid_rate_hz)
        for a, b in zip(firsts.tolist(), lasts.tolist(), strict=True)
    ]
    return segments, gaps


def _resample(
    time_s: np.ndarray, samples: np.ndarray, in_bridged_gap: np.ndarray, rate_hz: float
) -> UniformSegment:
    """Linear interpolation of one gap-split stretch onto start + arange(n)/rate.

    Args:
        time_s: (m,) increasing times of the stretch.
        samples: (m, 6) acc (m/s^2) then gyr (deg/s).
        in_bridged_gap: (m - 1,) True for intervals that are bridged gaps.
        rate_hz: grid rate.
    """
    n = int(np.floor((time_s[-1] - time_s[0]) * rate_hz + _TIME_TOLERANCE_S * rate_hz)) + 1
    grid_s = time_s[0] + np.arange(n) / rate_hz
    if len(time_s) == 1:
        values, interpolated = samples, np.zeros(1, dtype=bool)
    else:
        right = np.clip(np.searchsorted(time_s, grid_s, side="right"), 1, len(time_s) - 1)
        left = right - 1
        weight = np.clip((grid_s - time_s[left]) / (time_s[right] - time_s[left]), 0.0, 1.0)
        values = samples[left] + (samples[right] - samples[left]) * weight[:, None]
        interpolated = (
            in_bridged_gap[left]
            & (grid_s - time_s[left] > _TIME_TOLERANCE_S)
            & (time_s[right] - grid_s > _TIME_TOLERANCE_S)
        )
    return UniformSegment(
        start_s=float(time_s[0]),
        sampling_rate_hz=rate_hz,
        acc_mps2=values[:, :3],
        gyr_dps=values[:, 3:],
        interpolated=interpolated,
    )
