"""What to simulate: the gait, each sensor, and the scenario (a list of bouts).

All specs are small frozen dataclasses validated on construction; a bad value raises
:class:`SimulationSpecError` naming the field, the allowed range and the fix.

Asymmetry sign (used everywhere in anklet): ``100 * (right - left) / mean(right, left)``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal

import numpy as np

from anklet.errors import AnkletError
from anklet.imu import Placement

GaitMode = Literal["walk", "run"]

#: Per-leg stance fractions the signal templates are calibrated for, per mode.
STANCE_FRACTION_RANGE: dict[str, tuple[float, float]] = {
    "walk": (0.45, 0.8),
    "run": (0.3, 0.55),
}

#: Standard gravity, m/s^2.
GRAVITY_MPS2 = 9.80665


class SimulationSpecError(AnkletError):
    """A simulation spec or scenario holds an impossible value."""


def _check_range(owner: str, name: str, value: float, low: float, high: float) -> None:
    """Raise :class:`SimulationSpecError` unless ``low <= value <= high``."""
    if not (np.isfinite(value) and low <= value <= high):
        raise SimulationSpecError(
            f"{owner}.{name}={value!r} is out of range: use a value in [{low:g}, {high:g}]."
        )


@dataclass(frozen=True)
class GaitSpec:
    """The gait pattern of both legs.

    Stride timing: the nominal stride time is ``120 / cadence_steps_per_min`` seconds.
    Each stride's duration is drawn around it (Gaussian, CV ``stride_time_cv_pct``,
    truncated at 3 SD); stance and swing of a stride keep the leg's stance fraction.

    Asymmetry (right minus left, relative to the two legs' mean, in %):
    both legs share the stride time, so stance and swing asymmetry are tied:
    ``stance_asym * stance_fraction = -swing_asym * (1 - stance_fraction)``.
    Give at most one of ``swing_time_asymmetry_pct`` / ``stance_time_asymmetry_pct``
    (or both, consistent); the other follows (see :meth:`stance_fractions`).

    Attributes:
        mode: "walk" or "run" (selects the signal shapes).
        cadence_steps_per_min: steps (both legs) per minute.
        stance_fraction: mean stance time / stride time of the two legs, 0..1.
        peak_swing_angular_velocity_dps: mid-swing peak of the sagittal angular
            velocity at the nominal stride, mean of both legs, deg/s (> 0).
        stride_length_m: distance the ankle travels per stride in steady gait.
        swing_time_asymmetry_pct: imposed swing-time asymmetry, % (None: derived).
        stance_time_asymmetry_pct: imposed stance-time asymmetry, % (None: derived).
        peak_swing_asymmetry_pct: imposed asymmetry of the swing peak, %.
        contralateral_phase_deg: when the right IC falls within the left stride,
            degrees (180 = symmetric alternation); sets the step-time asymmetry.
        stride_time_cv_pct: stride-to-stride coefficient of variation, %.
        impact_peak_g: peak of the IC impact transient along the segment axis, in g,
            for a full-size swing.
        out_of_plane_amplitude_deg: amplitude of the frontal (roll) and axial
            rotations of the segment over a stride, deg.
        transition_swing_scale: size of the first and last swing of each leg in a
            gait bout relative to a steady swing (gait initiation/termination).
        turn_swing_scale: size of the swings of turning strides.
        turn_stride_time_factor: turning strides last this many times longer.
    """

    mode: GaitMode = "walk"
    cadence_steps_per_min: float = 105.0
    stance_fraction: float = 0.60
    peak_swing_angular_velocity_dps: float = 300.0
    stride_length_m: float = 1.35
    swing_time_asymmetry_pct: float | None = None
    stance_time_asymmetry_pct: float | None = None
    peak_swing_asymmetry_pct: float = 0.0
    contralateral_phase_deg: float = 180.0
    stride_time_cv_pct: float = 2.0
    impact_peak_g: float = 2.0
    out_of_plane_amplitude_deg: float = 4.0
    transition_swing_scale: float = 0.7
    turn_swing_scale: float = 0.8
    turn_stride_time_factor: float = 1.1

    @classmethod
    def running(cls, **overrides: Any) -> GaitSpec:
        """Defaults for running: 170 steps/min, stance 38 %, 600 deg/s swing peak,
        2.6 m strides, 5 g impacts (Novacheck 1998; typical shank gyro ranges).

        Raises:
            SimulationSpecError: an override is out of range.
        """
        base = cls(
            mode="run",
            cadence_steps_per_min=170.0,
            stance_fraction=0.38,
            peak_swing_angular_velocity_dps=600.0,
            stride_length_m=2.6,
            stride_time_cv_pct=2.5,
            impact_peak_g=5.0,
            out_of_plane_amplitude_deg=6.0,
        )
        return replace(base, **overrides)

    def __post_init__(self) -> None:
        if self.mode not in ("walk", "run"):
            raise SimulationSpecError(
                f"GaitSpec.mode={self.mode!r}: use 'walk' or 'run'."
            )
        owner = "GaitSpec"
        _check_range(
            owner, "cadence_steps_per_min", self.cadence_steps_per_min, 30.0, 250.0
        )
        _check_range(
            owner,
            "peak_swing_angular_velocity_dps",
            self.peak_swing_angular_velocity_dps,
            20.0,
            1500.0,
        )
        _check_range(owner, "stride_length_m", self.stride_length_m, 0.0, 5.0)
        _check_range(
            owner,
            "peak_swing_asymmetry_pct",
            self.peak_swing_asymmetry_pct,
            -100.0,
            100.0,
        )
        _check_range(
            owner, "contralateral_phase_deg", self.contralateral_phase_deg, 90.0, 270.0
        )
        _check_range(owner, "stride_time_cv_pct", self.stride_time_cv_pct, 0.0, 15.0)
        _check_range(owner, "impact_peak_g", self.impact_peak_g, 0.0, 20.0)
        _check_range(
            owner,
            "out_of_plane_amplitude_deg",
            self.out_of_plane_amplitude_deg,
            0.0,
            20.0,
        )
        _check_range(
            owner, "transition_swing_scale", self.transition_swing_scale, 0.1, 1.5
        )
        _check_range(owner, "turn_swing_scale", self.turn_swing_scale, 0.1, 1.5)
        _check_range(
            owner, "turn_stride_time_factor", self.turn_stride_time_factor, 0.5, 2.0
        )
        for name in ("swing_time_asymmetry_pct", "stance_time_asymmetry_pct"):
            value = getattr(self, name)
            if value is not None:
                _check_range(owner, name, value, -100.0, 100.0)
        low, high = STANCE_FRACTION_RANGE[self.mode]
        _check_range(owner, "stance_fraction", self.stance_fraction, low, high)
        for side, fraction in zip(
            ("left", "right"), self.stance_fractions(), strict=True
        ):
            if not low <= fraction <= high:
                raise SimulationSpecError(
                    f"GaitSpec: the asymmetry gives the {side} leg a stance fraction of "
                    f"{fraction:.3f}; the {self.mode} signal model covers [{low}, {high}]: "
                    "reduce the asymmetry or change stance_fraction."
                )

    @property
    def stride_time_s(self) -> float:
        """Nominal stride time, s (two steps)."""
        return 120.0 / self.cadence_steps_per_min

    def stance_fractions(self) -> tuple[float, float]:
        """Stance fraction of the (left, right) leg that imposes the asymmetry.

        ``f_left = f * (1 - a/200)``, ``f_right = f * (1 + a/200)`` with ``a`` the
        stance-time asymmetry (given, or ``-swing_asym * (1 - f) / f``).

        Raises:
            SimulationSpecError: both asymmetries are given and disagree.
        """
        f = self.stance_fraction
        stance, swing = self.stance_time_asymmetry_pct, self.swing_time_asymmetry_pct
        from_swing = None if swing is None else -swing * (1.0 - f) / f
        if (
            stance is not None
            and from_swing is not None
            and not np.isclose(stance, from_swing, atol=1e-9)
        ):
            raise SimulationSpecError(
                f"GaitSpec: stance_time_asymmetry_pct={stance} and swing_time_asymmetry_pct={swing} "
                f"disagree: with a shared stride time and stance_fraction={f}, a swing asymmetry of "
                f"{swing} % means a stance asymmetry of {from_swing:.4g} %. Give only one of them."
            )
        a = (
            stance
            if stance is not None
            else (from_swing if from_swing is not None else 0.0)
        )
        return f * (1.0 - a / 200.0), f * (1.0 + a / 200.0)

    def imposed_asymmetry_pct(self) -> dict[str, float]:
        """The asymmetries (right minus left, % of the mean) the truth carries exactly
        when ``stride_time_cv_pct`` is 0: keys ``stance_time``, ``swing_time``,
        ``step_time``, ``peak_swing``."""
        f_left, f_right = self.stance_fractions()
        p = self.contralateral_phase_deg / 360.0
        return {
            "stance_time": 200.0 * (f_right - f_left) / (f_right + f_left),
            "swing_time": 200.0 * (f_left - f_right) / (2.0 - f_left - f_right),
            # step_right = p T, step_left = (1 - p) T
            "step_time": 200.0 * (2.0 * p - 1.0),
            "peak_swing": self.peak_swing_asymmetry_pct,
        }

    def peak_swing_dps(self) -> tuple[float, float]:
        """Swing peak of the (left, right) leg at the nominal stride, deg/s."""
        a = self.peak_swing_asymmetry_pct / 200.0
        p = self.peak_swing_angular_velocity_dps
        return p * (1.0 - a), p * (1.0 + a)


@dataclass(frozen=True)
class SensorSpec:
    """One IMU: where it sits, how it is mounted, its noise and its clock.

    Segment frame (both legs, right-handed): x anterior, y along the segment
    (ankle: up the shank; foot: dorsal normal, up when the foot is flat), z to the
    subject's right. Positive z rotation moves the distal end forward (swing).
    ``mounting_rotation_deg`` are scipy ``Rotation.from_euler("xyz", ..., degrees=True)``
    angles of the sensor frame in the segment frame (vector_segment = R @ vector_sensor);
    None draws a uniformly random rotation from the session seed.

    Clock: the sensor clock reads ``t * (1 + clock_drift_ppm * 1e-6) + clock_offset_s``
    at session time ``t``; samples are taken when it reads ``k / sampling_rate_hz`` and
    stamped with that reading plus jitter (Gaussian, SD ``timestamp_jitter_s``, clipped
    to +-0.4 sample periods so timestamps stay increasing).

    Noise: white, SD = density * sqrt(sampling_rate_hz / 2) per axis.

    Loss: samples are lost in bursts (geometric lengths, mean
    ``dropped_burst_mean_samples``; 1 = isolated losses) covering on average
    ``dropped_sample_fraction`` of the samples.
    """

    placement: Placement = "ankle"
    mounting_rotation_deg: tuple[float, float, float] | None = (0.0, 0.0, 0.0)
    sampling_rate_hz: float = 200.0
    gyr_noise_density_dps_per_sqrt_hz: float = 0.01
    acc_noise_density_mps2_per_sqrt_hz: float = 0.0015
    gyr_bias_dps: tuple[float, float, float] = (0.0, 0.0, 0.0)
    acc_bias_mps2: tuple[float, float, float] = (0.0, 0.0, 0.0)
    gyr_range_dps: float = 2000.0
    acc_range_mps2: float = 16.0 * GRAVITY_MPS2
    clock_offset_s: float = 0.0
    clock_drift_ppm: float = 0.0
    timestamp_jitter_s: float = 0.0
    dropped_sample_fraction: float = 0.0
    dropped_burst_mean_samples: float = 3.0

    def __post_init__(self) -> None:
        owner = "SensorSpec"
        if self.placement not in ("ankle", "foot"):
            raise SimulationSpecError(
                f"SensorSpec.placement={self.placement!r}: use 'ankle' or 'foot'."
            )
        for name in ("mounting_rotation_deg", "gyr_bias_dps", "acc_bias_mps2"):
            value = getattr(self, name)
            if value is not None and (
                len(value) != 3 or not np.all(np.isfinite(value))
            ):
                raise SimulationSpecError(
                    f"SensorSpec.{name}={value!r}: give three finite numbers."
                )
        _check_range(owner, "sampling_rate_hz", self.sampling_rate_hz, 10.0, 5000.0)
        _check_range(
            owner,
            "gyr_noise_density_dps_per_sqrt_hz",
            self.gyr_noise_density_dps_per_sqrt_hz,
            0.0,
            10.0,
        )
        _check_range(
            owner,
            "acc_noise_density_mps2_per_sqrt_hz",
            self.acc_noise_density_mps2_per_sqrt_hz,
            0.0,
            10.0,
        )
        _check_range(owner, "gyr_range_dps", self.gyr_range_dps, 100.0, 1e5)
        _check_range(
            owner, "acc_range_mps2", self.acc_range_mps2, 2.0 * GRAVITY_MPS2, 1e4
        )
        _check_range(owner, "clock_offset_s", self.clock_offset_s, -1e9, 1e9)
        _check_range(owner, "clock_drift_ppm", self.clock_drift_ppm, -1e4, 1e4)
        _check_range(owner, "timestamp_jitter_s", self.timestamp_jitter_s, 0.0, 1.0)
        _check_range(
            owner, "dropped_sample_fraction", self.dropped_sample_fraction, 0.0, 0.9
        )
        _check_range(
            owner,
            "dropped_burst_mean_samples",
            self.dropped_burst_mean_samples,
            1.0,
            1000.0,
        )

    def sensor_time_s(self, session_time_s: np.ndarray | float) -> np.ndarray:
        """Map session (true) time, s, to this sensor's clock reading, s."""
        return (
            np.asarray(session_time_s, dtype=float)
            * (1.0 + self.clock_drift_ppm * 1e-6)
            + self.clock_offset_s
        )

    def session_time_s(self, sensor_time_s: np.ndarray | float) -> np.ndarray:
        """Map this sensor's clock reading, s, to session (true) time, s (inverse of
        :meth:`sensor_time_s`)."""
        return (np.asarray(sensor_time_s, dtype=float) - self.clock_offset_s) / (
            1.0 + self.clock_drift_ppm * 1e-6
        )


@dataclass(frozen=True)
class Stand:
    """Quiet standing for ``duration_s`` seconds (both segments still, upright)."""

    duration_s: float

    def __post_init__(self) -> None:
        _check_range("Stand", "duration_s", self.duration_s, 1e-3, 1e6)


@dataclass(frozen=True)
class Walk:
    """``strides`` straight strides per leg in the GaitSpec's mode (walk or run).

    Consecutive Walk/Turn entries form one gait bout; a bout starts and ends with
    standing (each leg's first and last swing are the transition swings).
    """

    strides: int

    def __post_init__(self) -> None:
        _check_range("Walk", "strides", self.strides, 1, 1e6)
        if int(self.strides) != self.strides:
            raise SimulationSpecError(
                f"Walk.strides={self.strides!r}: give a whole number of strides."
            )


@dataclass(frozen=True)
class Turn:
    """A turn on the spot while walking: ``strides`` strides per leg during which the
    body rotates ``angle_deg`` about the vertical (positive = to the left, counter-
    clockwise seen from above), with a raised-cosine yaw rate (peak = 2 * angle /
    duration, ~150 deg/s for 180 deg over two walking strides)."""

    strides: int = 2
    angle_deg: float = 180.0

    def __post_init__(self) -> None:
        _check_range("Turn", "strides", self.strides, 1, 1e4)
        if int(self.strides) != self.strides:
            raise SimulationSpecError(
                f"Turn.strides={self.strides!r}: give a whole number of strides."
            )
        _check_range("Turn", "angle_deg", self.angle_deg, -720.0, 720.0)


Bout = Stand | Walk | Turn
