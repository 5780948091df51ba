"""Initial contact (IC) and final contact (FC) from the sagittal angular velocity.

One detector serves shank ("ankle") and foot placement; they differ only in which
feature of the signal marks contact. Every stride of a leg holds one swing, seen as a
broad positive lobe of the sagittal angular velocity (forward swing positive, see
:mod:`anklet.gait.orientation`). Around each lobe (the mid-swing peak, MS):

* FC lies before MS, around the deepest negative trough that precedes it
  (shank: Aminian et al. 2002, Salarian et al. 2004; foot: the push-off
  plantarflexion peak, Mariani et al. 2013);
* IC lies after MS, where the lobe falls through zero into the first negative
  trough (shank: Salarian 2004, Trojaniello et al. 2014; foot: Mariani 2013).

Placement-specific contact features (documented in docs/algorithms.md with the
validation numbers that chose them):

* foot: IC = midpoint between the downward zero crossing after MS and the first
  trough after it; FC = midpoint between the trough before MS and the upward zero
  crossing after that trough (the foot leaves the ground while its plantarflexion
  rate collapses).
* ankle (shank): IC = first trough after the downward zero crossing after MS;
  FC = midpoint between the trough before MS and the upward zero crossing after it.
* either placement, last step of a walk: when no trough follows the downward zero
  crossing and the leg comes to rest (the signal stays within the trough
  prominence for the trough search window), IC = that zero crossing.
* either placement, very slow gait: after a weak swing the IC trough need only
  stand out by 20 % of the swing's peak (instead of 20 deg/s), and a push-off
  trough lying before the FC search window is followed back to its minimum.
* either placement, weak swing: when no trough stands out enough because the
  stance rotation that follows is itself negative, the deepest point after the
  zero crossing is the trough if it lies 20 % of the swing's peak below zero and
  the signal rises after it.
* either placement, push-off after a harder landing: when the FC search window opens
  on the previous contact trough and that is deeper than the push-off (the last,
  weaker push-off of a running bout), the push-off trough is the deepest point after
  the signal stops rising out of the contact trough, if it stands out by the trough
  prominence.

Times are refined below one sample: troughs by a parabola through three samples,
zero crossings by linear interpolation.

References:
    Aminian K. et al. (2002) J Biomech 35:689-699.
    Salarian A. et al. (2004) IEEE Trans Biomed Eng 51(8):1434-1443.
    Trojaniello D. et al. (2014) J NeuroEng Rehabil 11:152.
    Mariani B. et al. (2013) IEEE Trans Biomed Eng 60(1):155-158.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import signal

from anklet.gait.strides import MIN_STRIDE_TIME_S
from anklet.imu import PLACEMENTS, Placement


@dataclass(frozen=True)
class SwingEvents:
    """Events of the swings found in one uniformly sampled segment, one row per swing.

    ``final_contacts_s[k]`` opens swing k and ``initial_contacts_s[k]`` closes it;
    either is NaN when the segment cuts the swing. Times in seconds on the
    segment's time axis.
    """

    final_contacts_s: np.ndarray
    mid_swing_s: np.ndarray
    initial_contacts_s: np.ndarray
    peak_swing_dps: np.ndarray

    def __len__(self) -> int:
        return int(self.mid_swing_s.shape[0])

    @staticmethod
    def concatenate(parts: list[SwingEvents]) -> SwingEvents:
        """Join the swings of several segments (in time order)."""
        if not parts:
            empty = np.zeros(0)
            return SwingEvents(empty, empty, empty, empty)
        return SwingEvents(
            *(np.concatenate([getattr(p, name) for p in parts]) for name in _FIELDS)
        )


_FIELDS = ("final_contacts_s", "mid_swing_s", "initial_contacts_s", "peak_swing_dps")


#: Shorter segments hold no swing and are not filtered (more than any filter pad).
_MIN_SEGMENT_SAMPLES = 23


@dataclass(frozen=True)
class _ZeroPhaseLowpass:
    """A 2nd-order Butterworth low-pass (second-order sections) applied forward
    and backward, exactly as :func:`scipy.signal.sosfiltfilt` with its defaults
    (odd extension of ``padlen`` samples, steady-state initial conditions), but
    with the initial conditions computed once instead of at every call.

    The incremental analyzer re-runs the detector tens of times a second on a
    few seconds of data; designing the filter and solving for its initial
    conditions cost more than filtering the window.
    """

    sos: np.ndarray
    zi: np.ndarray
    padlen: int

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """Zero-phase filtered ``x`` (1-D, longer than ``padlen``), same unit."""
        n = self.padlen
        extended = np.concatenate((2 * x[0] - x[n:0:-1], x, 2 * x[-1] - x[-2 : -(n + 2) : -1]))
        forward, _ = signal.sosfilt(self.sos, extended, zi=self.zi * extended[0])
        backward, _ = signal.sosfilt(self.sos, forward[::-1], zi=self.zi * forward[-1])
        return backward[::-1][n:-n]


@lru_cache(maxsize=32)
def _lowpass(cutoff_hz: float, sampling_rate_hz: float) -> _ZeroPhaseLowpass:
    """The zero-phase 2nd-order Butterworth low-pass at ``cutoff_hz``, designed once per rate."""
    sos = signal.butter(2, cutoff_hz, fs=sampling_rate_hz, output="sos")  # shared: never modified
    zi = signal.sosfilt_zi(sos)
    # sosfiltfilt's default pad length
    padlen = 3 * (2 * len(sos) + 1 - min(int((sos[:, 2] == 0).sum()), int((sos[:, 5] == 0).sum())))
    return _ZeroPhaseLowpass(sos, zi, padlen)


def _parabolic_vertex(x: np.ndarray, i: np.ndarray) -> np.ndarray:
    """Sub-sample position of extrema at integer indices ``i`` (vectorised)."""
    inner = (i > 0) & (i < x.shape[0] - 1)
    j = np.clip(i, 1, x.shape[0] - 2)
    left, mid, right = x[j - 1], x[j], x[j + 1]
    curvature = left - 2.0 * mid + right
    with np.errstate(divide="ignore", invalid="ignore"):
        shift = np.where(curvature != 0.0, 0.5 * (left - right) / curvature, 0.0)
    return np.where(inner, j + np.clip(shift, -0.5, 0.5), i).astype(float)


def _crossing_position(x: np.ndarray, i: np.ndarray) -> np.ndarray:
    """Sub-sample zero crossing between samples ``i-1`` and ``i`` (vectorised)."""
    before, after = x[i - 1], x[i]
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(before != after, before / (before - after), 0.0)
    return (i - 1) + np.clip(frac, 0.0, 1.0)


class GyroEventDetector:
    """Detect swings and their FC/IC in the sagittal angular velocity of one leg.

    Args:
        placement: "ankle" (shank, just above the ankle) or "foot" (dorsum).
        min_swing_peak_dps: smallest low-passed mid-swing peak accepted as a swing.
            Low enough for turning and shuffling steps (about 100 deg/s), high
            above standing and sway (< 20 deg/s).
        swing_lowpass_hz: low-pass of the swing detector (merges the wiggles of
            one swing lobe into one peak).
        event_lowpass_hz: low-pass of the signal the contact features are read on.
        max_contact_search_s: how far from MS the IC and FC features are searched.
        min_stride_time_s: shortest possible stride (minimum distance between
            two mid-swing peaks of one leg); 0.4 s allows sprinting.
        min_trough_prominence_dps: the IC trough must stand out by this much
            (ignores sensor-noise wiggles on a flat terminal swing).
        trough_prominence_fraction: after a weak swing the IC trough need only stand
            out by this fraction of the swing's peak, when that is less than
            ``min_trough_prominence_dps``: in very slow walking (a 80 deg/s swing)
            the contact trough is shallow and the leg then keeps rotating slowly
            backwards over the foot, so the trough rises only 15-20 deg/s above it.
    """

    def __init__(
        self,
        placement: Placement = "ankle",
        min_swing_peak_dps: float = 50.0,
        swing_lowpass_hz: float = 3.0,
        event_lowpass_hz: float = 15.0,
        max_contact_search_s: float = 0.5,
        min_stride_time_s: float = MIN_STRIDE_TIME_S,
        min_trough_prominence_dps: float = 20.0,
        trough_prominence_fraction: float = 0.2,
    ) -> None:
        if placement not in PLACEMENTS:
            raise ValueError(f"placement must be one of {PLACEMENTS}, got {placement!r}")
        self.placement = placement
        self.min_swing_peak_dps = min_swing_peak_dps
        self.swing_lowpass_hz = swing_lowpass_hz
        self.event_lowpass_hz = event_lowpass_hz
        self.max_contact_search_s = max_contact_search_s
        self.min_stride_time_s = min_stride_time_s
        self.min_trough_prominence_dps = min_trough_prominence_dps
        self.trough_prominence_fraction = trough_prominence_fraction

    def detect(
        self, sagittal_dps: np.ndarray, sampling_rate_hz: float, start_s: float = 0.0
    ) -> SwingEvents:
        """Find all swings of one uniformly sampled segment.

        Args:
            sagittal_dps: (n,) sagittal angular velocity, deg/s, forward swing positive.
            sampling_rate_hz: sampling rate.
            start_s: time of the first sample; returned times are on this axis.
        """
        fs = sampling_rate_hz
        n = sagittal_dps.shape[0]
        slow_filter = _lowpass(self.swing_lowpass_hz, fs)
        fine_filter = _lowpass(min(self.event_lowpass_hz, 0.45 * fs), fs)
        if n <= max(_MIN_SEGMENT_SAMPLES, slow_filter.padlen, fine_filter.padlen):
            empty = np.zeros(0)
            return SwingEvents(empty, empty, empty, empty)
        slow = slow_filter(sagittal_dps)
        fine = fine_filter(sagittal_dps)

        peaks, _ = signal.find_peaks(
            slow,
            height=self.min_swing_peak_dps,
            prominence=self.min_swing_peak_dps,
            distance=max(1, int(self.min_stride_time_s * fs)),
        )
        search = round(self.max_contact_search_s * fs)
        # Per swing: how far its contact and push-off troughs must stand out (also the
        # level of "rest").
        required_dps = np.minimum(self.min_trough_prominence_dps, self.trough_prominence_fraction * fine[peaks])
        ic_idx, contact_idx = self._initial_contacts(fine, peaks, search, required_dps)
        # The push-off trough lies after the previous swing's contact trough (in running
        # the stance is short and the contact trough would otherwise compete with it).
        previous = np.concatenate(([np.nan], contact_idx[:-1]))
        earliest = np.where(np.isfinite(previous), np.floor(np.nan_to_num(previous)) + 1, 0)
        fc_idx = self._final_contacts(fine, peaks, search, earliest.astype(int), required_dps)
        return SwingEvents(
            final_contacts_s=start_s + fc_idx / fs,
            mid_swing_s=start_s + peaks / fs,
            initial_contacts_s=start_s + ic_idx / fs,
            peak_swing_dps=fine[peaks] if len(peaks) else np.zeros(0),
        )

    def _initial_contacts(
        self, x: np.ndarray, peaks: np.ndarray, search: int, required_dps: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Sub-sample index of the IC after each mid-swing peak, and of the contact
        feature it ends on (the trough, or the crossing at rest), NaN where not found.

        The IC trough is the first trough after the downward zero crossing that stands
        out by the swing's required prominence ``required_dps`` (per swing, deg/s).
        Two cases have no such trough:

        * the leg comes to rest (the signal stays within the required prominence,
          i.e. sensor noise, for the whole trough search window: the last step of a
          walk, the foot set down flat): the IC is the zero crossing itself, where
          the segment stops rotating;
        * a weak swing's contact trough sinks at least ``trough_prominence_fraction``
          of the swing's peak below zero but the slow backward rotation of the stance leg that follows keeps it
          from standing out (a leg swinging at 80-100 deg/s at 90 steps/min): the
          trough is the deepest point of the window, if the signal rises after it by
          at least half the required prominence.

        Either case needs the whole window inside the data: a live window that ends
        sooner could still be followed by a trough.
        """
        n = x.shape[0]
        zero = _next_true(x < 0.0)[peaks]
        found = zero < np.minimum(n, peaks + search)
        zero = np.where(found, zero, 1)
        crossing = _crossing_position(x, zero)
        rest_window = search // 2
        trough = _first_prominent_trough(x, zero + 1, zero + rest_window, required_dps)
        has_trough = trough <= np.minimum(n, zero + rest_window) - 2
        window = np.minimum(zero[:, None] + np.arange(rest_window)[None, :], n - 1)
        values = x[window]
        inside = zero + rest_window <= n
        at_rest = inside & (np.abs(values).max(axis=1, initial=0.0) < required_dps)
        rows = np.arange(peaks.size)
        deepest = np.argmin(values, axis=1) if peaks.size else peaks
        rise_after_dps = np.maximum.accumulate(values[:, ::-1], axis=1)[:, ::-1][rows, deepest] - values[rows, deepest]
        shallow = (
            ~has_trough
            & inside
            & (values[rows, deepest] <= -self.trough_prominence_fraction * x[peaks])
            & (rise_after_dps >= 0.5 * required_dps)
        )
        trough = np.where(shallow, window[rows, deepest], trough)
        vertex = _parabolic_vertex(x, np.minimum(trough, n - 1))
        ic = 0.5 * (crossing + vertex) if self.placement == "foot" else vertex
        ic = np.where(has_trough | shallow, ic, crossing)
        contact = np.where(has_trough | shallow, vertex, crossing)
        valid = found & (has_trough | shallow | at_rest)
        return np.where(valid, ic, np.nan), np.where(valid, contact, np.nan)

    @staticmethod
    def _final_contacts(
        x: np.ndarray, peaks: np.ndarray, search: int, earliest: np.ndarray, required_dps: np.ndarray
    ) -> np.ndarray:
        """Sub-sample index of the FC before each mid-swing peak (NaN where not found).

        ``earliest`` is, per peak, the first index the push-off trough may take (0, or
        the sample after the previous swing's contact trough). When the deepest point
        of the search window is the window's first sample while the data go on before
        it, the push-off trough lies before the window (a swing longer than the
        window: very slow walking); the trough is then the local minimum that the
        signal descends to before the window, if that lies after ``earliest``.

        When the deepest point is ``earliest`` itself, the window starts on the
        previous contact trough and the signal is still rising out of it: that trough
        is deeper than the push-off that follows (a weak push-off after a hard
        landing, e.g. the last, shorter swing of a running bout). The push-off trough
        is then the deepest point after the signal stops rising, if it stands out from
        the highest point between the contact trough and it by ``required_dps`` (the
        IC trough's prominence rule), so that a wiggle on the rising flank is not
        taken for it.
        """
        n = x.shape[0]
        rows = np.arange(peaks.size)
        start = np.maximum(earliest, peaks - search)
        window = peaks[:, None] - search + np.arange(search)[None, :]
        samples = x[np.clip(window, 0, n - 1)]
        values = np.where(window >= start[:, None], samples, np.inf)
        trough = window[rows, np.argmin(values, axis=1)] if peaks.size else peaks
        is_local_min = np.zeros(n, dtype=bool)
        is_local_min[1:-1] = (x[1:-1] <= x[:-2]) & (x[1:-1] <= x[2:])
        before_window = _previous_true(is_local_min)[np.clip(trough, 0, n - 1)]
        descend = (trough == peaks - search) & (trough > earliest) & (before_window > earliest)
        trough = np.where(descend, before_window, trough)
        # Rising out of the previous contact trough: the push-off trough lies after the rise.
        is_local_max = np.zeros(n, dtype=bool)
        is_local_max[1:-1] = (x[1:-1] > x[:-2]) & (x[1:-1] >= x[2:])
        rising = (earliest > 0) & (trough == earliest)
        rise_end = _next_true(is_local_max)[np.clip(earliest, 0, n - 1)]
        after_rise = np.where(window >= rise_end[:, None], values, np.inf)
        push_off = window[rows, np.argmin(after_rise, axis=1)] if peaks.size else peaks
        between = (window >= start[:, None]) & (window <= push_off[:, None])
        highest_dps = np.where(between, samples, -np.inf).max(axis=1, initial=-np.inf)
        stands_out_dps = highest_dps - x[np.clip(push_off, 0, n - 1)]
        rising &= (rise_end < peaks) & (stands_out_dps >= required_dps)
        trough = np.where(rising, push_off, trough)
        # A trough at the window start is cut by the data or by the previous IC; none
        # below zero: no push-off.
        found = (peaks - start >= 3) & (descend | (trough > start)) & (x[trough] < 0.0)
        rise = _next_true(x >= 0.0)[trough]
        found &= rise < peaks
        rise = np.where(found, rise, 1)
        crossing = _crossing_position(x, rise)
        vertex = _parabolic_vertex(x, trough)
        return np.where(found, 0.5 * (vertex + crossing), np.nan)


def _first_prominent_trough(
    x: np.ndarray, start: np.ndarray, stop: np.ndarray, required_dps: np.ndarray
) -> np.ndarray:
    """Per swing k: index of the first trough of ``x`` in ``[start[k], stop[k])`` whose
    prominence is at least ``required_dps[k]``; ``len(x)`` when there is none.

    Troughs (and their prominences, scipy's definition) are found once for the whole
    segment; the loop runs over the few troughs inside one window, not over samples.
    """
    n = x.shape[0]
    if start.size == 0:
        return start.astype(int)
    troughs, properties = signal.find_peaks(-x, prominence=float(required_dps.min()))
    prominence = properties["prominences"]
    j = np.searchsorted(troughs, start)
    result = np.full(start.shape, n, dtype=int)
    pending = np.ones(start.shape, dtype=bool)
    while True:
        pending &= j < troughs.size
        pending[pending] &= troughs[j[pending]] < stop[pending]
        if not pending.any():
            return result
        candidate = np.flatnonzero(pending)
        accepted = prominence[j[candidate]] >= required_dps[candidate]
        result[candidate[accepted]] = troughs[j[candidate[accepted]]]
        pending[candidate[accepted]] = False
        j[candidate[~accepted]] += 1


def _previous_true(mask: np.ndarray) -> np.ndarray:
    """For every index i, the largest j <= i with mask[j] (-1 if none)."""
    candidates = np.where(mask, np.arange(mask.shape[0]), -1)
    return np.maximum.accumulate(candidates)


def _next_true(mask: np.ndarray) -> np.ndarray:
    """For every index i, the smallest j >= i with mask[j] (len(mask) if none)."""
    n = mask.shape[0]
    candidates = np.where(mask, np.arange(n), n)
    return np.minimum.accumulate(candidates[::-1])[::-1]
