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
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import signal

from anklet.errors import InsufficientDataError


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


def _butter(order: int, cutoff_hz: float, sampling_rate_hz: float, btype: str) -> np.ndarray:
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
