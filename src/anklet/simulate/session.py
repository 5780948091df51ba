"""Simulate a whole session: two leg-worn IMUs plus the ground truth."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from anklet.imu import SIDES, ImuData, Side
from anklet.simulate.kinematics import segment_motion
from anklet.simulate.schedule import build_schedule
from anklet.simulate.sensor import SampleClock, measure, mounting_rotation, sample_clock
from anklet.simulate.specs import (
    Bout,
    GaitSpec,
    SensorSpec,
    SimulationSpecError,
    Stand,
    Walk,
)
from anklet.simulate.templates import sagittal_template
from anklet.simulate.truth import GroundTruth, ground_truth

#: Standing before and after the gait when only ``duration_s`` is given, s.
QUIET_STANDING_S = 1.0
#: Defaults of :func:`simulate_session` (frozen, shared safely).
DEFAULT_GAIT = GaitSpec()
DEFAULT_SENSOR = SensorSpec()


@dataclass(frozen=True)
class SimulatedSession:
    """A simulated two-leg recording.

    Attributes:
        imu: per side, the samples with timestamps on that sensor's own clock.
        clock: per side, the true instant and stream index of every kept sample.
        truth: ground truth on the session timeline (s from the session start).
        gait: the gait spec used.
        sensors: per side, the sensor spec used.
        duration_s: session length, s.
    """

    imu: dict[Side, ImuData]
    clock: dict[Side, SampleClock]
    truth: GroundTruth
    gait: GaitSpec
    sensors: dict[Side, SensorSpec]
    duration_s: float


def default_bouts(gait: GaitSpec, duration_s: float) -> list[Bout]:
    """Quiet standing, as many straight strides as surely fit, standing to the end.

    Raises:
        SimulationSpecError: ``duration_s`` is not positive.
    """
    if not duration_s > 0.0:
        raise SimulationSpecError(
            f"duration_s={duration_s!r}: give a positive session length in seconds."
        )
    # a stride is two steps, each within 3 SD (step CV <= sqrt(2) * stride CV)
    longest_stride_s = gait.stride_time_s * (
        1.0 + 3.0 * np.sqrt(2.0) * gait.stride_time_cv_pct / 100.0
    )
    # a bout of n strides lasts at most n + 3 longest strides (initiation, termination)
    strides = int((duration_s - 2.0 * QUIET_STANDING_S) / longest_stride_s) - 3
    if strides < 1:
        return [Stand(duration_s)]
    return [Stand(QUIET_STANDING_S), Walk(strides)]


def _generators(seed: int | np.random.Generator) -> list[np.random.Generator]:
    """Independent generators for the schedule and the two sensors."""
    if isinstance(seed, np.random.Generator):
        return seed.spawn(3)
    return [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(3)]


def simulate_session(
    gait: GaitSpec = DEFAULT_GAIT,
    left: SensorSpec = DEFAULT_SENSOR,
    right: SensorSpec = DEFAULT_SENSOR,
    *,
    bouts: Sequence[Bout] | None = None,
    duration_s: float | None = None,
    seed: int | np.random.Generator = 0,
) -> SimulatedSession:
    """Simulate both legs' IMUs over a scenario, with the true gait events.

    Give either ``bouts`` (Stand / Walk / Turn entries; the session lasts as long as
    they do) or ``duration_s`` (1 s standing, straight gait, standing to exactly
    ``duration_s``). The same arguments and seed give identical results.

    Args:
        gait: the gait pattern (walk or run, timing, asymmetry, variability).
        left, right: the sensor on each leg.
        bouts: the scenario.
        duration_s: session length, s, when no scenario is given.
        seed: integer seed or a generator (consumed by spawning).

    Returns:
        The session: ``imu[side]`` in the sensor frame on the sensor clock,
        ``truth`` on the session timeline.

    Raises:
        SimulationSpecError: both or neither of ``bouts`` and ``duration_s`` are
            given, or the scenario is invalid.
    """
    if (bouts is None) == (duration_s is None):
        raise SimulationSpecError(
            "give exactly one of bouts=[...] or duration_s=... to simulate_session."
        )
    scenario = (
        list(bouts)
        if bouts is not None
        else default_bouts(gait, float(duration_s or 0.0))
    )
    schedule_rng, *sensor_rngs = _generators(seed)
    schedule = build_schedule(gait, scenario, schedule_rng)
    # with duration_s the legs stand still from the schedule's end to duration_s
    total_s = schedule.duration_s if duration_s is None else float(duration_s)
    sensors = dict(zip(SIDES, (left, right), strict=True))
    peaks = dict(zip(SIDES, gait.peak_swing_dps(), strict=True))
    imu: dict[Side, ImuData] = {}
    clocks: dict[Side, SampleClock] = {}
    rotations: dict[Side, np.ndarray] = {}
    for side, rng in zip(SIDES, sensor_rngs, strict=True):
        spec = sensors[side]
        leg = schedule.legs[side]
        rotations[side] = mounting_rotation(spec, rng)
        clocks[side] = sample_clock(spec, total_s, rng)
        template = sagittal_template(
            spec.placement,
            gait.mode,
            leg.stance_fraction,
            peaks[side],
            gait.stride_time_s,
        )
        motion = segment_motion(
            clocks[side].session_time_s,
            leg,
            schedule,
            template,
            stride_length_m=gait.stride_length_m,
            out_of_plane_amplitude_deg=gait.out_of_plane_amplitude_deg,
            impact_peak_g=gait.impact_peak_g,
        )
        gyr, acc = measure(spec, motion.gyr_dps, motion.acc_mps2, rotations[side], rng)
        imu[side] = ImuData(
            time_s=clocks[side].sensor_time_s,
            acc_mps2=acc,
            gyr_dps=gyr,
            source=f"simulated {side}",
        )
    return SimulatedSession(
        imu=imu,
        clock=clocks,
        truth=ground_truth(schedule, gait, rotations),
        gait=gait,
        sensors=sensors,
        duration_s=total_s,
    )
