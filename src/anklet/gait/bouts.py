"""Bouts of locomotion (walking or running, separated by standing) and turning strides.

A bout is a run of swings, of either leg, with no pause longer than
``max_pause_s`` between consecutive swings and no data gap inside. Standing is
everything outside bouts. A bout is "run" when most of its strides have a flight
phase (stance shorter than half the stride; Novacheck 1998), else "walk".

A stride is a turning stride when the heading of the segment changes by more than
``turn_threshold_deg`` over the stride: the angular rate about the vertical axis
(the sensor's mean "up", see :class:`anklet.gait.orientation.SagittalFrame`)
integrated from the stride's first to its last IC. Over a full stride the pitch
of the shank/foot returns to its start, so pitch cross-talk cancels and a
straight stride integrates to a few degrees; a 180 degree turn spread over 2-4
strides gives 45-90 degrees per stride (El-Gohary et al. 2014 use the same
integrated vertical rate to detect turns).

References:
    Novacheck T.F. (1998) Gait Posture 7:77-95.
    El-Gohary M. et al. (2014) Sensors 14:356-369.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from anklet.gait.stream_resampling import GrowingRows

Activity = Literal["walk", "run"]


@dataclass(frozen=True)
class Bout:
    """One bout of locomotion on the input's time axis (seconds)."""

    start_s: float
    end_s: float
    activity: Activity
    n_strides: int

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


@dataclass(frozen=True)
class Turn:
    """One turn: a run of turning strides of either leg, on the input's time axis.

    Attributes:
        start_s: the first IC of its first turning stride (earliest of the legs), s.
        end_s: the last IC of its last turning stride (latest of the legs), s.
        heading_change_deg: the angular rate about the vertical integrated over the
            turn, degrees, positive counter-clockwise seen from above (a left turn);
            the mean over the legs whose data cover the turn, NaN if none does.
    """

    start_s: float
    end_s: float
    heading_change_deg: float

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


def merge_intervals(start_s: np.ndarray, end_s: np.ndarray) -> list[tuple[float, float]]:
    """The union of closed intervals [start_s[k], end_s[k]], as sorted disjoint intervals."""
    merged: list[tuple[float, float]] = []
    for start, end in sorted(zip(start_s.tolist(), end_s.tolist(), strict=True)):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def group_into_bouts(
    swing_times_s: np.ndarray,
    gap_starts_s: np.ndarray,
    max_pause_s: float = 2.5,
) -> np.ndarray:
    """Bout index of every swing (both legs merged, any order).

    Args:
        swing_times_s: (n,) mid-swing times of both legs, seconds.
        gap_starts_s: (m,) start times of the data gaps that split the data
            (of either leg); a bout never spans one.
        max_pause_s: longest pause between consecutive swings inside one bout.

    Returns:
        (n,) int bout index per swing, in the order of ``swing_times_s``; bouts are
        numbered in time order from 0.
    """
    if swing_times_s.size == 0:
        return np.zeros(0, dtype=int)
    order = np.argsort(swing_times_s)
    times = swing_times_s[order]
    new_bout = np.ones(times.size, dtype=bool)
    new_bout[1:] = (np.diff(times) > max_pause_s) | gap_between_swings(times, gap_starts_s)
    bout_sorted = np.cumsum(new_bout) - 1
    bout = np.empty_like(bout_sorted)
    bout[order] = bout_sorted
    return bout


def gap_between_swings(swing_times_s: np.ndarray, gap_starts_s: np.ndarray) -> np.ndarray:
    """(n-1,) True where a data gap starts between consecutive swings.

    Args:
        swing_times_s: (n,) mid-swing times, seconds, in time order.
        gap_starts_s: start times of the data gaps that split the data, seconds (any order).
    """
    return np.diff(np.searchsorted(np.sort(gap_starts_s), swing_times_s)) != 0


def heading_change_deg(
    vertical_rate_dps: np.ndarray,
    sampling_rate_hz: float,
    start_s: float,
    stride_start_s: np.ndarray,
    stride_end_s: np.ndarray,
) -> np.ndarray:
    """Integrated vertical angular rate over each stride, degrees (signed).

    Args:
        vertical_rate_dps: (n,) angular rate about the vertical axis of one
            uniformly sampled segment, deg/s.
        sampling_rate_hz: its sampling rate.
        start_s: time of its first sample.
        stride_start_s, stride_end_s: (k,) stride bounds inside the segment.
    """
    heading = np.concatenate(([0.0], np.cumsum(vertical_rate_dps) / sampling_rate_hz))
    t = start_s + np.arange(heading.size) / sampling_rate_hz
    return np.interp(stride_end_s, t, heading) - np.interp(stride_start_s, t, heading)


class RunningHeading:
    """The heading of one growing uniform segment, integrated once per sample as it grows.

    The streaming twin of :func:`heading_change_deg`: :meth:`at` returns, to the
    bit, what that function interpolates on the segment's samples so far (the same
    sequential cumulative sum, grid and linear interpolation), but costs the new
    samples once and a constant per time asked, whatever the segment's length.

    Args:
        start_s: time of the segment's first sample, s.
        sampling_rate_hz: its sampling rate, Hz.
    """

    def __init__(self, start_s: float, sampling_rate_hz: float) -> None:
        self.start_s = start_s
        self.sampling_rate_hz = sampling_rate_hz
        self._sum = GrowingRows(1)  # cumulative sum of the vertical rate, deg/s (times samples)

    def __len__(self) -> int:
        """Samples integrated so far."""
        return len(self._sum)

    def extend(self, vertical_rate_dps: np.ndarray) -> None:
        """Integrate the segment's next samples of vertical angular rate (deg/s), in order."""
        total = self._sum.view()
        previous = total[-1, 0] if len(total) else 0.0
        # cumsum adds sequentially: starting from the previous total gives the
        # whole segment's cumsum bit for bit.
        self._sum.append(np.cumsum(np.concatenate(([previous], vertical_rate_dps)))[1:])

    def at(self, time_s: float) -> float:
        """Heading at ``time_s`` (deg, 0 at the segment start; NaN for NaN).

        Equal to ``np.interp(time_s, t, heading)`` of :func:`heading_change_deg` on
        the samples integrated so far: the interpolation is evaluated on the few grid
        points around ``time_s`` only (outside the segment it holds its end values).
        """
        if not np.isfinite(time_s):
            return float("nan")
        rate, n = self.sampling_rate_hz, len(self._sum)
        j = int(np.floor(np.clip((time_s - self.start_s) * rate, -4.0, n + 4.0)))  # bracket, +-1 for rounding
        lo = min(max(j - 2, 0), n)
        hi = min(max(j + 4, lo + 1), n + 1)
        # grid point k holds the heading after k samples: 0, then cumsum / rate
        heading = self._sum.view()[max(lo - 1, 0) : hi - 1, 0] / rate
        if lo == 0:
            heading = np.concatenate(([0.0], heading))
        t = self.start_s + np.arange(lo, hi) / rate
        return float(np.interp(time_s, t, heading))
