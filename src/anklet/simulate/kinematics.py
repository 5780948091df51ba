"""Segment motion: angular velocity and specific force of the shank or foot in its
segment frame (x anterior, y along the segment / dorsal normal, z right).

Orientation relative to the walking direction (heading frame: x forward, y up,
z right) is ``Ry(yaw) * Rz(pitch) * Q``:

* yaw: the body's turn (raised-cosine rate);
* pitch = swing size * template angle(phase) (sagittal, positive = distal end or
  toes forward/up);
* Q: out-of-plane motion, a rotation by ``size * A * sin(2 pi phase)`` (mirrored on
  the left leg, ``A = out_of_plane_amplitude_deg``) about the fixed segment axis
  ``OUT_OF_PLANE_AXIS`` in the x-y plane (frontal roll + axial rotation in equal
  parts). A fixed axis keeps the sagittal (z) gyro component ``cos(oop) * pitch
  rate`` (outside turns): zero crossings and troughs stay where the template puts
  them.

Body-frame angular velocity: ``Q^T (Rz^T (0, yaw', 0) + (0, 0, pitch')) + oop' *
axis``. Specific force: ``Q^T Rz^T (a_heading + g up)`` plus the IC impact, where
``a_heading`` is the ankle's acceleration while it travels one stride, from
heel-off (0.3 swing durations before FC) to IC: forward velocity ``V sin^2(pi v)``
(v = fraction of that window) and lift ``H sin^4(pi v)``. The centripetal
acceleration of turning and lever-arm effects are neglected.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from anklet.simulate.schedule import LegSchedule, Schedule
from anklet.simulate.specs import GRAVITY_MPS2, GaitMode
from anklet.simulate.templates import PhaseTemplate

#: Peak ankle lift above its stance height in a full-size swing, m.
SWING_LIFT_M: dict[GaitMode, float] = {"walk": 0.07, "run": 0.2}
#: The ankle starts to travel (heel-off) this many swing durations before FC.
PUSH_OFF_LEAD = 0.3
#: Time constant of the IC impact transient ``(s / tau) exp(1 - s / tau)``, s.
IMPACT_TIME_CONSTANT_S: dict[GaitMode, float] = {"walk": 0.008, "run": 0.005}
#: Direction of the impact in the segment frame (mostly along the segment axis,
#: braking backwards).
IMPACT_DIRECTION = np.array([-0.35, 1.0, 0.1]) / np.linalg.norm([-0.35, 1.0, 0.1])
#: Axis of the out-of-plane rotation in the segment frame (frontal roll about x and
#: axial rotation about y in equal parts).
OUT_OF_PLANE_AXIS = np.array([1.0, 1.0, 0.0]) / np.sqrt(2.0)
#: Impacts are evaluated this long after each IC, s.
_IMPACT_WINDOW_S = 0.15


@dataclass(frozen=True)
class SegmentMotion:
    """Motion of one segment at given session times (segment frame).

    Attributes:
        gyr_dps: (n, 3) angular velocity, deg/s.
        acc_mps2: (n, 3) specific force (gravity included), m/s^2.
    """

    gyr_dps: np.ndarray
    acc_mps2: np.ndarray


def _rz_t(angle: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Rz(angle)^T applied to rows of v."""
    c, s = np.cos(angle), np.sin(angle)
    return np.stack(
        (c * v[:, 0] + s * v[:, 1], -s * v[:, 0] + c * v[:, 1], v[:, 2]), axis=1
    )


def _axis_rotation_t(angle: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Rotation by ``angle`` about ``OUT_OF_PLANE_AXIS``, transposed, applied to rows
    of v (Rodrigues' formula)."""
    n = OUT_OF_PLANE_AXIS
    c, s = np.cos(angle)[:, None], np.sin(angle)[:, None]
    return v * c - np.cross(n, v) * s + np.outer(v @ n, n) * (1.0 - c)


def _swing_acceleration(
    time_s: np.ndarray, leg: LegSchedule, stride_length_m: float, lift_m: float
) -> np.ndarray:
    """Ankle acceleration in the heading frame, m/s^2, (n, 3), while it travels one
    stride: from heel-off (``PUSH_OFF_LEAD`` swing durations before FC) to IC."""
    acc = np.zeros((time_s.size, 3))
    if leg.final_contacts_s.size == 0:
        return acc
    begin = leg.final_contacts_s - PUSH_OFF_LEAD * (
        leg.initial_contacts_s - leg.final_contacts_s
    )
    j = np.searchsorted(begin, time_s, side="right") - 1
    moving = (j >= 0) & (time_s < leg.initial_contacts_s[np.maximum(j, 0)])
    j = np.maximum(j, 0)
    duration = leg.initial_contacts_s[j] - begin[j]
    v = np.where(moving, (time_s - begin[j]) / duration, 0.0)
    size = leg.swing_scale[j]
    speed_peak = 2.0 * stride_length_m * size / duration
    acc[:, 0] = np.where(
        moving, speed_peak * np.pi / duration * np.sin(2.0 * np.pi * v), 0.0
    )
    s, c = np.sin(np.pi * v), np.cos(np.pi * v)
    lift = lift_m * size * 4.0 * np.pi**2 / duration**2 * s**2 * (3.0 * c**2 - s**2)
    acc[:, 1] = np.where(moving, lift, 0.0)
    return acc


def _impact(
    time_s: np.ndarray, leg: LegSchedule, peak_mps2: float, tau_s: float
) -> np.ndarray:
    """IC impact transients in the segment frame, m/s^2, (n, 3)."""
    if leg.initial_contacts_s.size == 0:
        return np.zeros((time_s.size, 3))
    k = np.searchsorted(leg.initial_contacts_s, time_s, side="right") - 1
    since = time_s - leg.initial_contacts_s[np.maximum(k, 0)]
    active = (k >= 0) & (since < _IMPACT_WINDOW_S)
    x = np.where(active, since / tau_s, 0.0)
    magnitude = np.where(
        active, peak_mps2 * leg.swing_scale[np.maximum(k, 0)] * x * np.exp(1.0 - x), 0.0
    )
    return magnitude[:, None] * IMPACT_DIRECTION[None, :]


def segment_motion(
    time_s: np.ndarray,
    leg: LegSchedule,
    schedule: Schedule,
    template: PhaseTemplate,
    *,
    stride_length_m: float,
    out_of_plane_amplitude_deg: float,
    impact_peak_g: float,
) -> SegmentMotion:
    """Angular velocity and specific force of one segment at session times.

    Args:
        time_s: (n,) session times, s.
        leg: the leg's schedule.
        schedule: the session schedule (turns).
        template: the segment's sagittal template (its mode sets lift and impact
            time constant).
        stride_length_m: ankle travel per full-size stride, m.
        out_of_plane_amplitude_deg: roll/axial amplitude, deg.
        impact_peak_g: IC impact peak for a full-size swing, g.

    Returns:
        The motion in the segment frame.
    """
    phase, phase_rate = leg.phase(time_s)
    size, size_rate = leg.size(time_s)
    angle_deg = template.angle_at(phase)
    pitch_deg = size * angle_deg
    pitch_rate = (
        size_rate * angle_deg
        + size * template.rate_at(phase) * template.stride_time_s * phase_rate
    )
    amplitude = np.radians(out_of_plane_amplitude_deg) * (
        -1.0 if leg.side == "left" else 1.0
    )
    wave = np.sin(2.0 * np.pi * phase)
    oop = size * amplitude * wave
    oop_rate_dps = np.degrees(
        amplitude
        * (
            size_rate * wave
            + size * 2.0 * np.pi * np.cos(2.0 * np.pi * phase) * phase_rate
        )
    )
    pitch = np.radians(pitch_deg)
    zeros = np.zeros(time_s.size)
    gyr = _rz_t(pitch, np.stack((zeros, schedule.yaw_rate_dps(time_s), zeros), axis=1))
    gyr[:, 2] += pitch_rate
    gyr = _axis_rotation_t(oop, gyr) + np.outer(oop_rate_dps, OUT_OF_PLANE_AXIS)

    linear = _swing_acceleration(
        time_s, leg, stride_length_m, SWING_LIFT_M[template.mode]
    )
    linear[:, 1] += GRAVITY_MPS2
    acc = _axis_rotation_t(oop, _rz_t(pitch, linear))
    acc += _impact(
        time_s, leg, impact_peak_g * GRAVITY_MPS2, IMPACT_TIME_CONSTANT_S[template.mode]
    )
    return SegmentMotion(gyr_dps=gyr, acc_mps2=acc)
