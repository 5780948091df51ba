"""The average gait cycle of one leg: sagittal angular velocity of the included
strides, each time-normalised from initial contact (0 %) to the next initial
contact (100 %), then averaged (ensemble average; Winter DA. Biomechanics and Motor
Control of Human Movement, 4th ed., Wiley 2009, ch. 1, time normalisation of gait
cycles)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from anklet.gait.pipeline import LegAnalysis

#: Points per normalised cycle: 0, 1, ..., 100 % of the stride.
CYCLE_POINTS = 101


@dataclass(frozen=True)
class CycleAverage:
    """Ensemble average of one leg's sagittal angular velocity over its strides.

    Attributes:
        percent: (CYCLE_POINTS,) stride percent, 0 = initial contact, 100 = next one.
        mean_dps: (CYCLE_POINTS,) mean angular velocity about the medio-lateral axis,
            deg/s, positive = forward swing (sign as found by the pipeline).
        sd_dps: (CYCLE_POINTS,) between-stride SD, deg/s (0 with one stride).
        n_strides: number of strides averaged.
        toe_off_pct: mean final contact (toe-off) in % of the stride, or None.
    """

    percent: np.ndarray
    mean_dps: np.ndarray
    sd_dps: np.ndarray
    n_strides: int
    toe_off_pct: float | None


def sagittal_rate_dps(leg: LegAnalysis) -> tuple[np.ndarray, np.ndarray]:
    """Times (s) and sagittal angular velocity (deg/s) of a leg's resampled segments, concatenated."""
    if not leg.segments:
        return np.zeros(0), np.zeros(0)
    time_s = np.concatenate([segment.time_s for segment in leg.segments])
    rate_dps = np.concatenate([segment.gyr_dps @ leg.frame.medio_lateral for segment in leg.segments])
    return time_s, rate_dps


def average_gait_cycle(leg: LegAnalysis) -> CycleAverage | None:
    """Average sagittal angular velocity over the leg's included strides.

    Strides never span an unbridged gap (the pipeline splits bouts there), so
    interpolating on the concatenated segments never bridges missing data.

    Args:
        leg: one leg of :class:`anklet.gait.pipeline.GaitAnalysis`.

    Returns:
        The average, or None when the leg has no included stride.
    """
    strides = leg.strides
    start_s, end_s = strides.start_s[strides.included], strides.end_s[strides.included]
    if start_s.size == 0:
        return None
    time_s, rate_dps = sagittal_rate_dps(leg)
    fraction = np.linspace(0.0, 1.0, CYCLE_POINTS)
    sample_times_s = start_s[:, None] + (end_s - start_s)[:, None] * fraction[None, :]
    cycles = np.interp(sample_times_s, time_s, rate_dps)
    toe_off = (strides.final_contact_s[strides.included] - start_s) / (end_s - start_s)
    return CycleAverage(
        percent=100.0 * fraction,
        mean_dps=cycles.mean(axis=0),
        sd_dps=cycles.std(axis=0, ddof=1) if start_s.size > 1 else np.zeros(CYCLE_POINTS),
        n_strides=int(start_s.size),
        toe_off_pct=float(100.0 * np.mean(toe_off)),
    )
