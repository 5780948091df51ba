"""Synthetic two-leg IMU gait signals with known ground truth.

Deterministic (seeded) and vectorised. Typical use::

    from anklet.simulate import GaitSpec, SensorSpec, Stand, Turn, Walk, simulate_session

    session = simulate_session(
        GaitSpec(swing_time_asymmetry_pct=8.0),
        SensorSpec(), SensorSpec(placement="foot", mounting_rotation_deg=None),
        bouts=[Stand(3.0), Walk(10), Turn(2, 180.0), Walk(10), Stand(3.0)],
        seed=1,
    )
    session.imu["left"]                           # anklet.imu.ImuData, sensor clock
    session.truth.legs["left"].initial_contacts_s  # session timeline, s

Model, sources and the event definitions: docs/simulation.md.
"""

from anklet.simulate.schedule import Schedule, build_schedule
from anklet.simulate.sensor import SampleClock
from anklet.simulate.session import SimulatedSession, default_bouts, simulate_session
from anklet.simulate.specs import (
    GRAVITY_MPS2,
    STANCE_FRACTION_RANGE,
    Bout,
    GaitSpec,
    SensorSpec,
    SimulationSpecError,
    Stand,
    Turn,
    Walk,
)
from anklet.simulate.templates import PhaseTemplate, event_features, sagittal_template
from anklet.simulate.truth import GroundTruth, LegTruth

__all__ = [
    "GRAVITY_MPS2",
    "STANCE_FRACTION_RANGE",
    "Bout",
    "GaitSpec",
    "GroundTruth",
    "LegTruth",
    "PhaseTemplate",
    "SampleClock",
    "Schedule",
    "SensorSpec",
    "SimulatedSession",
    "SimulationSpecError",
    "Stand",
    "Turn",
    "Walk",
    "build_schedule",
    "default_bouts",
    "event_features",
    "sagittal_template",
    "simulate_session",
]
