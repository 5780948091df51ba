"""Reference initial and final contacts of one foot from heel and toe marker
trajectories (optical motion capture).

Method: the 3-D marker-velocity thresholds of Bonci et al. 2022, "An Algorithm
for Accurate Marker-Based Gait Event Detection in Healthy and Pathological
Populations During Complex Motor Tasks", Front Bioeng Biotechnol 10:868928
(their enhanced Ghoussayni et al. 2004 method, Gait Posture 20(3):266-272, with
thresholds scaled to walking speed as proposed by Bruening & Ridge 2014, Gait
Posture 39(1):472-477). 3-D speeds make it valid in turns.

1. Marker positions are low-pass filtered (4th-order Butterworth, 6 Hz, zero
   phase) and differentiated (central differences) to 3-D speeds.
2. The walking speed is the median, over samples where it exceeds 0.25 m/s, of
   the 1 s moving average of the horizontal speed of the centroid of all foot
   markers of both feet (the markers of a foot average to the body's progression
   over a stride).
3. The foot is in contact while the heel is slower than 0.5 x walking speed or
   the toe slower than 0.8 x walking speed
   (:func:`anklet.validation.contacts.contacts_from_levels`): IC when the first
   of them slows below its threshold (normally the heel), FC when the last one
   exceeds it (normally the toe), linearly interpolated between frames.
4. Swings shorter than 0.2 s are merged, contacts shorter than 0.15 s dropped.

Bonci et al. further refine FC with a pelvis-based pre-detection (Zeni et al.
2008); the gaitmap example data have no pelvis marker, so that step is omitted.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.ndimage import uniform_filter1d
from scipy.signal import butter, sosfiltfilt

from anklet.errors import InsufficientDataError
from anklet.validation.contacts import ContactLevel, FootContacts, contacts_from_levels


@dataclass(frozen=True)
class MocapThresholds:
    """Parameters of :func:`contacts_from_markers` (defaults as in the module docstring).

    Attributes:
        cutoff_hz: low-pass cut-off of the marker positions, Hz.
        heel_fraction: heel contact below this fraction of the walking speed.
        toe_fraction: toe contact below this fraction of the walking speed.
        min_walking_speed_mps: moving-average speeds below this are not walking, m/s.
        speed_window_s: moving-average window of the progression speed, s.
        min_swing_s: shorter swings are merged into contact, s.
        min_contact_s: shorter contacts are dropped, s.
    """

    cutoff_hz: float = 6.0
    heel_fraction: float = 0.5
    toe_fraction: float = 0.8
    min_walking_speed_mps: float = 0.25
    speed_window_s: float = 1.0
    min_swing_s: float = 0.2
    min_contact_s: float = 0.15


def marker_speed_mps(position_mm: np.ndarray, sampling_rate_hz: float, cutoff_hz: float) -> np.ndarray:
    """3-D speed of one marker after zero-phase low-pass filtering.

    Args:
        position_mm: (n, 3) marker position, mm, any fixed lab frame.
        sampling_rate_hz: frame rate, Hz.
        cutoff_hz: Butterworth (4th order, zero phase) cut-off, Hz.

    Returns:
        (n,) speed in m/s.
    """
    sos = butter(4, cutoff_hz, fs=sampling_rate_hz, output="sos")
    smooth_mm = sosfiltfilt(sos, np.asarray(position_mm, dtype=float), axis=0)
    velocity_mps = np.gradient(smooth_mm, axis=0) * sampling_rate_hz / 1000.0
    return np.linalg.norm(velocity_mps, axis=1)


def walking_speed_mps(
    markers_mm: np.ndarray, sampling_rate_hz: float, thresholds: MocapThresholds = MocapThresholds()
) -> float:
    """Typical walking speed of a trial from foot markers.

    Args:
        markers_mm: (n, k, 3) positions of k foot markers (both feet), mm; the
            third axis is vertical (z up).
        sampling_rate_hz: frame rate, Hz.
        thresholds: rule parameters.

    Returns:
        Walking speed in m/s (see the module docstring, step 2).

    Raises:
        InsufficientDataError: the markers never move faster than
            ``min_walking_speed_mps`` on average: there is no walking to use.
    """
    centroid_mm = np.asarray(markers_mm, dtype=float).mean(axis=1)
    horizontal_mm = centroid_mm.copy()
    horizontal_mm[:, 2] = 0.0
    speed_mps = marker_speed_mps(horizontal_mm, sampling_rate_hz, thresholds.cutoff_hz)
    window = max(1, round(thresholds.speed_window_s * sampling_rate_hz))
    progression_mps = uniform_filter1d(speed_mps, window, mode="nearest")
    walking = progression_mps[progression_mps > thresholds.min_walking_speed_mps]
    if walking.size == 0:
        raise InsufficientDataError(
            f"the foot markers never progress faster than {thresholds.min_walking_speed_mps} m/s: "
            "no walking to derive reference events from"
        )
    return float(np.median(walking))


def contacts_from_markers(
    time_s: np.ndarray,
    heel_mm: np.ndarray,
    toe_mm: np.ndarray,
    walking_speed: float,
    thresholds: MocapThresholds = MocapThresholds(),
) -> FootContacts:
    """Initial and final contacts of one foot from its heel and toe markers.

    Args:
        time_s: (n,) frame times, seconds, uniformly spaced.
        heel_mm: (n, 3) heel marker position, mm.
        toe_mm: (n, 3) toe marker position, mm.
        walking_speed: trial walking speed, m/s (:func:`walking_speed_mps`).
        thresholds: rule parameters (see the module docstring).

    Returns:
        The foot's alternating ICs and FCs, seconds.

    Raises:
        ValueError: arrays of different lengths or fewer than 2 frames.
    """
    time_s = np.asarray(time_s, dtype=float)
    if time_s.shape[0] < 2:
        raise ValueError("need at least two frames")
    rate_hz = (time_s.shape[0] - 1) / (time_s[-1] - time_s[0])
    levels = [
        # Contact level = minus the speed: contact while slower than the threshold.
        ContactLevel(values=-marker_speed_mps(position, rate_hz, thresholds.cutoff_hz), low=-limit, high=-limit)
        for position, limit in (
            (heel_mm, thresholds.heel_fraction * walking_speed),
            (toe_mm, thresholds.toe_fraction * walking_speed),
        )
    ]
    return contacts_from_levels(time_s, levels, thresholds.min_swing_s, thresholds.min_contact_s)
