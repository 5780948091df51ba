"""Both legs' raw signals on one uniform session time grid, for sample-level exports."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from anklet.errors import InsufficientDataError
from anklet.imu import SIDES, ImuData, Side
from anklet.timing.resample import DEFAULT_MAX_BRIDGED_GAP_S, GAP_THRESHOLD_PERIODS
from anklet.timing.sampling_rate import infer_sampling_rate_hz

#: Slack for comparing times computed in floating point (1 us).
_TIME_TOLERANCE_S = 1e-6


@dataclass(frozen=True)
class AlignedSignals:
    """Per-leg IMU signals sampled on one shared grid ``time_s``.

    Axes are each sensor's own frame as mounted (x, y, z as printed on the device).
    Values are NaN where a leg has no data: before its first or after its last
    sample, and inside gaps too long to bridge (the same rule as the analysis,
    :func:`anklet.timing.resample.to_uniform_segments`).

    Attributes:
        time_s: (n,) grid times, session seconds: time_s[0] + arange(n) / sampling_rate_hz.
        sampling_rate_hz: grid rate.
        acc_mps2: per side, (n, 3) specific force in m/s^2.
        gyr_dps: per side, (n, 3) angular rate in deg/s.
    """

    time_s: np.ndarray
    sampling_rate_hz: float
    acc_mps2: dict[Side, np.ndarray]
    gyr_dps: dict[Side, np.ndarray]

    @property
    def sides(self) -> tuple[Side, ...]:
        """Sides present, "left" first."""
        return tuple(side for side in SIDES if side in self.acc_mps2)

    def __len__(self) -> int:
        return int(self.time_s.shape[0])


def align_signals(
    imu: Mapping[Side, ImuData],
    sampling_rate_hz: float | None = None,
    max_bridged_gap_s: float = DEFAULT_MAX_BRIDGED_GAP_S,
) -> AlignedSignals:
    """Resample every leg onto one uniform grid spanning all legs' data.

    The grid starts at the earliest sample of any leg and ends at or before the
    latest; each leg is linearly interpolated (vectorised) from its own samples.
    A gap between two samples of a leg (an interval longer than
    :data:`~anklet.timing.resample.GAP_THRESHOLD_PERIODS` native periods) is
    bridged when its missing time is at most ``max_bridged_gap_s``, otherwise
    the grid points strictly inside it are NaN: no signal is invented across it.

    Args:
        imu: "left" and/or "right" -> samples on one clock (session seconds),
            acc in m/s^2, gyr in deg/s.
        sampling_rate_hz: grid rate; None takes the highest native rate of the
            legs (inferred with :func:`anklet.timing.sampling_rate.infer_sampling_rate_hz`).
        max_bridged_gap_s: longest gap (missing time, s) filled by interpolation.

    Raises:
        InsufficientDataError: no leg, or a leg with fewer than two samples.
        ValueError: a non-positive ``sampling_rate_hz``.
    """
    sides = [side for side in SIDES if side in imu]
    if not sides:
        raise InsufficientDataError("no leg's data to export; the recording holds no decodable samples")
    if sampling_rate_hz is not None and not sampling_rate_hz > 0:
        raise ValueError(f"sampling_rate_hz must be positive, got {sampling_rate_hz}")
    native_rate_hz = {side: infer_sampling_rate_hz(imu[side].time_s) for side in sides}
    rate_hz = float(sampling_rate_hz or max(native_rate_hz.values()))
    start_s = min(float(imu[side].time_s[0]) for side in sides)
    end_s = max(float(imu[side].time_s[-1]) for side in sides)
    n = int(np.floor((end_s - start_s) * rate_hz + _TIME_TOLERANCE_S * rate_hz)) + 1
    grid_s = start_s + np.arange(n) / rate_hz
    acc: dict[Side, np.ndarray] = {}
    gyr: dict[Side, np.ndarray] = {}
    for side in sides:
        values = _interpolate(imu[side], grid_s, 1.0 / native_rate_hz[side], max_bridged_gap_s)
        acc[side], gyr[side] = values[:, :3], values[:, 3:]
    return AlignedSignals(grid_s, rate_hz, acc, gyr)


def _interpolate(data: ImuData, grid_s: np.ndarray, period_s: float, max_bridged_gap_s: float) -> np.ndarray:
    """(len(grid_s), 6) acc then gyr of one leg on the grid, NaN where it has no data."""
    time_s = np.asarray(data.time_s, dtype=np.float64)
    samples = np.column_stack([data.acc_mps2, data.gyr_dps]).astype(np.float64)
    values = np.column_stack([np.interp(grid_s, time_s, samples[:, k]) for k in range(6)])
    intervals_s = np.diff(time_s)
    unbridged = (intervals_s > GAP_THRESHOLD_PERIODS * period_s) & (
        intervals_s - period_s > max_bridged_gap_s + _TIME_TOLERANCE_S
    )
    before = np.searchsorted(time_s, grid_s, side="right") - 1
    outside = (grid_s < time_s[0] - _TIME_TOLERANCE_S) | (grid_s > time_s[-1] + _TIME_TOLERANCE_S)
    interval = np.clip(before, 0, len(intervals_s) - 1)
    in_gap = (
        unbridged[interval]
        & (grid_s - time_s[interval] > _TIME_TOLERANCE_S)
        & (time_s[interval + 1] - grid_s > _TIME_TOLERANCE_S)
    )
    values[outside | in_gap] = np.nan
    return values
