"""Sagittal (medio-lateral) rotation axis of a shank- or foot-worn IMU, found from the data.

The sensor may be strapped at any rotation. Walking and running rotate the shank and
the foot mostly about the medio-lateral axis, so the first principal axis of the
low-passed angular velocity is that axis (impact spikes, which are broadband and
often out of plane, are removed by the low-pass first).

Its sign is fixed by a physical fact rather than by the shape of the signal: the
foot moves forward during swing. With ``a`` the candidate axis and ``up`` the mean
gravity direction, ``forward = up x a`` points forward exactly when ``a`` points to
the subject's right. The forward velocity obtained by rotating the accelerometer
into a sagittal-plane frame (pitch from the integrated angular rate) and integrating
must rise together with swing activity; if it falls, the axis is flipped. With the
axis pointing right, forward swing of the shank and of the foot (toes rising) is a
positive angular velocity, for either leg.

Which data the frame is estimated on is a rule of its own (:class:`FrameSchedule`):
the data before the first of fixed data times at which the frame shows enough
swings with a confident sign, so that a live analysis and the whole-file analysis
settle on the same frame (docs/algorithms.md, docs/live-analysis.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

import numpy as np
from scipy import signal

from anklet.errors import InsufficientDataError
from anklet.gait.events import GyroEventDetector
from anklet.timing import UniformSegment


class Grid(Protocol):
    """A uniform grid: a :class:`UniformSegment` or the stream's growing open segment."""

    start_s: float
    sampling_rate_hz: float

    def __len__(self) -> int: ...


@dataclass(frozen=True)
class SagittalFrame:
    """Anatomical directions expressed in the sensor frame (unit vectors, shape (3,)).

    Attributes:
        medio_lateral: rotation axis of the swing, pointing to the subject's right;
            forward swing is positive rotation about it.
        up: mean gravity-opposing direction (from the accelerometer), orthogonal
            to ``medio_lateral``.
        forward: direction of travel, ``up x medio_lateral``.
        planarity: fraction of the low-passed angular-velocity energy about
            ``medio_lateral`` (0..1); walking gives about 0.7-0.95.
        sign_confidence: correlation (-1..1, after the sign was fixed so >= 0)
            between forward velocity and swing activity; near 0 means the sign is
            a guess.
    """

    medio_lateral: np.ndarray
    up: np.ndarray
    forward: np.ndarray
    planarity: float
    sign_confidence: float

    def sagittal_angular_velocity_dps(self, gyr_dps: np.ndarray) -> np.ndarray:
        """Angular rate about the medio-lateral axis in deg/s (forward swing positive)."""
        return gyr_dps @ self.medio_lateral


@lru_cache(maxsize=32)
def _butter(order: int, cutoff_hz: float, sampling_rate_hz: float, btype: str) -> np.ndarray:
    """Butterworth filter (second-order sections), designed once per rate: the frame
    schedule estimates the frame many times. Callers must not modify the array."""
    return signal.butter(order, cutoff_hz, btype=btype, fs=sampling_rate_hz, output="sos")


class SagittalFrameEstimator:
    """Find the medio-lateral axis (and its sign) of one leg's sensor.

    Args:
        lowpass_hz: cut-off of the low-pass applied to the gyroscope before the
            principal-axis fit (removes impact transients; gait rotation is < 3 Hz).
        highpass_hz: cut-off removing drift of the integrated pitch and velocity
            used by the sign test.
    """

    def __init__(self, lowpass_hz: float = 3.0, highpass_hz: float = 0.5) -> None:
        self.lowpass_hz = lowpass_hz
        self.highpass_hz = highpass_hz

    def estimate(
        self, acc_mps2: np.ndarray, gyr_dps: np.ndarray, sampling_rate_hz: float
    ) -> SagittalFrame:
        """Estimate the frame from uniformly sampled data of one sensor.

        Args:
            acc_mps2: (n, 3) acceleration in the sensor frame, m/s^2, gravity included.
            gyr_dps: (n, 3) angular rate in the sensor frame, deg/s.
            sampling_rate_hz: sampling rate of both arrays.

        Raises:
            InsufficientDataError: fewer than 2 s of data, or no rotation at all.
        """
        n = gyr_dps.shape[0]
        if n < 2 * sampling_rate_hz:
            raise InsufficientDataError(
                f"need at least 2 s of data to find the sensor orientation, got {n / sampling_rate_hz:.2f} s"
            )
        smooth = signal.sosfiltfilt(
            _butter(2, self.lowpass_hz, sampling_rate_hz, "low"), gyr_dps, axis=0
        )
        scatter = smooth.T @ smooth
        eigenvalues, eigenvectors = np.linalg.eigh(scatter)
        if eigenvalues[-1] <= 0.0:
            raise InsufficientDataError("the gyroscope shows no rotation: is the sensor moving?")
        axis = eigenvectors[:, -1]
        planarity = float(eigenvalues[-1] / eigenvalues.sum())

        up = acc_mps2.mean(axis=0)
        up = up - (up @ axis) * axis
        norm = np.linalg.norm(up)
        if norm == 0.0:
            raise InsufficientDataError("the accelerometer shows no gravity: check its units (m/s^2)")
        up = up / norm

        confidence = self._forward_swing_correlation(acc_mps2, gyr_dps, axis, up, sampling_rate_hz)
        if confidence < 0.0:
            axis, confidence = -axis, -confidence
        return SagittalFrame(
            medio_lateral=axis,
            up=up,
            forward=np.cross(up, axis),
            planarity=planarity,
            sign_confidence=float(confidence),
        )

    def _forward_swing_correlation(
        self,
        acc_mps2: np.ndarray,
        gyr_dps: np.ndarray,
        axis: np.ndarray,
        up: np.ndarray,
        sampling_rate_hz: float,
    ) -> float:
        """Correlation of forward velocity (along ``up x axis``) with |sagittal rate|."""
        highpass = _butter(2, self.highpass_hz, sampling_rate_hz, "high")
        omega_dps = gyr_dps @ axis
        pitch_rad = signal.sosfiltfilt(highpass, np.cumsum(np.radians(omega_dps)) / sampling_rate_hz)
        forward = np.cross(up, axis)
        acc_forward = acc_mps2 @ forward
        acc_up = acc_mps2 @ up
        # Rotate the in-plane acceleration by the pitch into a quasi-world frame.
        world_forward = np.cos(pitch_rad) * acc_forward - np.sin(pitch_rad) * acc_up
        velocity = signal.sosfiltfilt(highpass, np.cumsum(world_forward) / sampling_rate_hz)
        swing_activity = np.abs(omega_dps)
        if velocity.std() == 0.0 or swing_activity.std() == 0.0:
            return 0.0
        return float(np.corrcoef(velocity, swing_activity)[0, 1])


#: Tolerance (in samples) of the grid index rule: the same grid built by two paths
#: (whole file, stream) may differ by float rounding in its rate (1e-16 relative).
_GRID_INDEX_TOLERANCE = 1e-6


def grid_index(start_s: float, sampling_rate_hz: float, time_s: float) -> int:
    """Index k of the first grid point ``start_s + k / rate`` at or after ``time_s``.

    Negative before the grid's start. Points within 1e-6 sample of ``time_s`` count
    as at it, so a grid built by another path with a rate one rounding error off
    gives the same index.
    """
    return int(np.ceil((time_s - start_s) * sampling_rate_hz - _GRID_INDEX_TOLERANCE))


def grid_slice(start_s: float, sampling_rate_hz: float, n_samples: int, from_s: float, to_s: float) -> slice:
    """Indices of the grid points ``start_s + k / rate`` (k < n_samples) with from_s <= t < to_s.

    The one index rule of the frame schedule, used on whole-file segments and on the
    stream's growing grid alike (both must cut the same samples).
    """
    first = min(max(grid_index(start_s, sampling_rate_hz, from_s), 0), n_samples)
    end = min(max(grid_index(start_s, sampling_rate_hz, to_s), first), n_samples)
    return slice(first, end)


def slice_segments(segments: Sequence[UniformSegment], from_s: float, to_s: float) -> list[UniformSegment]:
    """The grid points of ``segments`` with from_s <= t < to_s (empty pieces dropped)."""
    pieces = []
    for seg in segments:
        cut = grid_slice(seg.start_s, seg.sampling_rate_hz, len(seg), from_s, to_s)
        if cut.stop > cut.start:
            pieces.append(
                UniformSegment(
                    seg.start_s + cut.start / seg.sampling_rate_hz,
                    seg.sampling_rate_hz,
                    seg.acc_mps2[cut],
                    seg.gyr_dps[cut],
                    seg.interpolated[cut],
                )
            )
    return pieces


@dataclass(frozen=True)
class SettledFrame:
    """The frame a leg's events are found in, and the data it was estimated on.

    Attributes:
        frame: the sagittal frame.
        settled_at_s: the schedule time t* whose data (the ``window_s`` before it)
            gave the frame; inf when no schedule time did and all data was used.
    """

    frame: SagittalFrame
    settled_at_s: float


class FrameSchedule:
    """The sagittal frame as a function of a data prefix that live and offline both see.

    A whole recording could give a (slightly) better frame than its first seconds,
    but a live analysis cannot wait for the end. So both use this rule: at the
    schedule times ``t_k = t0 + first_check_s + k * check_every_s`` (t0 the leg's
    first sample), the frame is estimated on the data in ``[t_k - window_s, t_k)``;
    the first t_k whose frame has a sign confidence >= ``min_sign_confidence`` and
    in whose light the detector finds >= ``min_swings`` complete swings (FC and IC)
    in that data settles it. If no t_k does, the frame of all data is used. The
    window bounds the cost of a check (a long standing start or a recording
    without walking costs O(window) per check, not O(data)); checks whose data
    has no gyroscope reading above the detector's ``min_swing_peak_dps`` on any
    axis are skipped (standing).

    Args:
        estimator: the frame estimator.
        detector: the swing detector of the leg's events.
        min_swings: complete swings needed to settle the frame.
        min_sign_confidence: sign confidence needed to settle it.
        check_every_s: data time between two schedule times, s.
        first_check_s: data time from the first sample to the first check, s
            (the estimator needs 2 s).
        window_s: data before t_k the frame is estimated on, s.
    """

    def __init__(
        self,
        estimator: SagittalFrameEstimator,
        detector: GyroEventDetector,
        min_swings: int = 4,
        min_sign_confidence: float = 0.2,
        check_every_s: float = 0.5,
        first_check_s: float = 2.0,
        window_s: float = 30.0,
    ) -> None:
        self.estimator = estimator
        self.detector = detector
        self.min_swings = min_swings
        self.min_sign_confidence = min_sign_confidence
        self.check_every_s = check_every_s
        self.first_check_s = first_check_s
        self.window_s = window_s

    def check_time_s(self, first_sample_s: float, k: int) -> float:
        """The k-th schedule time (k >= 0) of a leg whose first sample is at ``first_sample_s``."""
        return first_sample_s + self.first_check_s + k * self.check_every_s

    @staticmethod
    def reached(last: Grid, at_s: float) -> bool:
        """True when the data, whose newest segment is ``last``, has a grid point at or after ``at_s``.

        Then every grid point before ``at_s`` exists and can no longer change, and
        the schedule time ``at_s`` can be checked.
        """
        return grid_index(last.start_s, last.sampling_rate_hz, at_s) < len(last)

    def check(self, window: Sequence[UniformSegment]) -> SagittalFrame | None:
        """The frame of one schedule time's data if it settles the frame, else None.

        Args:
            window: the grid points in ``[t_k - window_s, t_k)`` (see :func:`slice_segments`).
        """
        if not window or max(float(np.abs(s.gyr_dps).max()) for s in window) < self.detector.min_swing_peak_dps:
            return None
        acc = np.concatenate([s.acc_mps2 for s in window])
        gyr = np.concatenate([s.gyr_dps for s in window])
        try:
            frame = self.estimator.estimate(acc, gyr, window[0].sampling_rate_hz)
        except InsufficientDataError:
            return None
        if frame.sign_confidence < self.min_sign_confidence:
            return None
        complete = 0
        for seg in window:
            swings = self.detector.detect(seg.gyr_dps @ frame.medio_lateral, seg.sampling_rate_hz)
            complete += int(np.sum(np.isfinite(swings.final_contacts_s) & np.isfinite(swings.initial_contacts_s)))
        return frame if complete >= self.min_swings else None

    def settle(self, segments: Sequence[UniformSegment]) -> SettledFrame:
        """The frame of a whole recording under this rule (what a stream of it settles on).

        Args:
            segments: the leg's uniform segments, time order.

        Raises:
            InsufficientDataError: no schedule time settles the frame and all data
                is less than 2 s or shows no rotation.
        """
        if not segments:
            raise InsufficientDataError("no data to find the sensor orientation in")
        first_s = segments[0].start_s
        k = 0
        while self.reached(segments[-1], at_s := self.check_time_s(first_s, k)):
            frame = self.check(slice_segments(segments, at_s - self.window_s, at_s))
            if frame is not None:
                return SettledFrame(frame, at_s)
            k += 1
        acc = np.concatenate([s.acc_mps2 for s in segments])
        gyr = np.concatenate([s.gyr_dps for s in segments])
        return SettledFrame(self.estimator.estimate(acc, gyr, segments[0].sampling_rate_hz), np.inf)
