"""Sampling-rate inference from sample times that may have gaps and jitter."""

from __future__ import annotations

import numpy as np

from anklet.errors import InsufficientDataError

#: Intervals spanning more sample periods than this (long pauses, recording breaks)
#: are left out of the rate estimate; shorter gaps (lost packets) are counted.
MAX_PERIODS_PER_INTERVAL = 20
_REFINEMENTS = 3


def infer_sampling_rate_hz(time_s: np.ndarray) -> float:
    """Estimate the nominal sampling rate of irregular sample times.

    1. A first period is the median of the positive intervals: exact for
       counter-based times, robust to lost packets while fewer than half of the
       intervals contain a gap.
    2. Each interval is assigned a whole number of periods k >= 1 (k > 1 where
       packets were lost), and the period becomes sum(interval) / sum(k) over the
       intervals with k <= :data:`MAX_PERIODS_PER_INTERVAL`, repeated a few times.
       Because consecutive intervals telescope, timestamp jitter only enters at the
       ends of runs, so the estimate converges like 1/n instead of 1/sqrt(n).

    This is a least-squares fit of time against a reconstructed sample counter, the
    usual way to recover the rate of jittered host timestamps. It assumes the
    jitter of each timestamp stays below about a quarter of a period.

    Args:
        time_s: (n,) sample times in seconds, increasing.

    Returns:
        The rate in Hz (not rounded to a nominal value).

    Raises:
        InsufficientDataError: fewer than two samples, or no positive interval.
    """
    intervals_s = np.diff(np.asarray(time_s, dtype=np.float64))
    intervals_s = intervals_s[intervals_s > 0]
    if intervals_s.size == 0:
        raise InsufficientDataError(
            "cannot infer a sampling rate: need at least two samples with increasing times"
        )
    period_s = float(np.median(intervals_s))
    for _ in range(_REFINEMENTS):
        periods = np.maximum(np.rint(intervals_s / period_s), 1.0)
        counted = periods <= MAX_PERIODS_PER_INTERVAL
        period_s = float(intervals_s[counted].sum() / periods[counted].sum())
    return 1.0 / period_s
