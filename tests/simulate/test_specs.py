"""GaitSpec / SensorSpec / scenario validation and the asymmetry arithmetic."""

from __future__ import annotations

import numpy as np
import pytest

from anklet.errors import AnkletError
from anklet.simulate import GaitSpec, SensorSpec, SimulationSpecError, Stand, Turn, Walk


def test_simulation_spec_error_is_an_anklet_error() -> None:
    assert issubclass(SimulationSpecError, AnkletError)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"cadence_steps_per_min": 0.0}, "cadence_steps_per_min"),
        ({"stance_fraction": 0.3}, "stance_fraction"),
        ({"stride_time_cv_pct": -1.0}, "stride_time_cv_pct"),
        ({"contralateral_phase_deg": 10.0}, "contralateral_phase_deg"),
        ({"mode": "hop"}, "mode"),
    ],
)
def test_gait_spec_names_the_bad_field(kwargs: dict, field: str) -> None:
    with pytest.raises(SimulationSpecError, match=field):
        GaitSpec(**kwargs)


def test_running_defaults_and_overrides() -> None:
    run = GaitSpec.running(cadence_steps_per_min=180.0)
    assert run.mode == "run"
    assert run.cadence_steps_per_min == 180.0
    assert 0.35 <= run.stance_fraction <= 0.4
    with pytest.raises(SimulationSpecError, match="stance_fraction"):
        GaitSpec.running(stance_fraction=0.6)


def test_stance_and_swing_asymmetry_are_tied_by_the_shared_stride() -> None:
    spec = GaitSpec(stance_fraction=0.6, swing_time_asymmetry_pct=10.0)
    f_left, f_right = spec.stance_fractions()
    stance_left, stance_right = f_left, f_right  # per unit stride time
    swing_left, swing_right = 1.0 - f_left, 1.0 - f_right
    swing_asym = 200.0 * (swing_right - swing_left) / (swing_right + swing_left)
    stance_asym = 200.0 * (stance_right - stance_left) / (stance_right + stance_left)
    assert swing_asym == pytest.approx(10.0)
    assert stance_asym == pytest.approx(-10.0 * 0.4 / 0.6)
    imposed = spec.imposed_asymmetry_pct()
    assert imposed["swing_time"] == pytest.approx(swing_asym)
    assert imposed["stance_time"] == pytest.approx(stance_asym)
    # the same gait given by its stance asymmetry is accepted and equal
    same = GaitSpec(stance_fraction=0.6, stance_time_asymmetry_pct=stance_asym)
    assert same.stance_fractions() == pytest.approx((f_left, f_right))


def test_inconsistent_asymmetries_are_refused() -> None:
    with pytest.raises(SimulationSpecError, match="Give only one"):
        GaitSpec(swing_time_asymmetry_pct=10.0, stance_time_asymmetry_pct=10.0)


def test_asymmetry_beyond_the_model_range_is_refused() -> None:
    with pytest.raises(SimulationSpecError, match="right leg"):
        GaitSpec(stance_fraction=0.75, stance_time_asymmetry_pct=20.0)


def test_step_time_asymmetry_follows_the_contralateral_phase() -> None:
    spec = GaitSpec(
        contralateral_phase_deg=198.0
    )  # right IC at 55 % of the left stride
    assert spec.imposed_asymmetry_pct()["step_time"] == pytest.approx(
        200.0 * (0.55 - 0.45)
    )


def test_sensor_clock_maps_both_ways() -> None:
    spec = SensorSpec(clock_offset_s=1234.5, clock_drift_ppm=80.0)
    t = np.array([0.0, 10.0, 3600.0])
    assert spec.sensor_time_s(t) == pytest.approx(t * (1 + 80e-6) + 1234.5)
    assert spec.session_time_s(spec.sensor_time_s(t)) == pytest.approx(t, abs=1e-9)


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: SensorSpec(placement="knee"), "placement"),
        (lambda: SensorSpec(mounting_rotation_deg=(0.0, 1.0)), "mounting_rotation_deg"),
        (lambda: SensorSpec(dropped_sample_fraction=1.5), "dropped_sample_fraction"),
        (lambda: SensorSpec(sampling_rate_hz=0.0), "sampling_rate_hz"),
        (lambda: Walk(0), "strides"),
        (lambda: Walk(2.5), "strides"),
        (lambda: Turn(angle_deg=1000.0), "angle_deg"),
        (lambda: Stand(-1.0), "duration_s"),
    ],
)
def test_bad_sensor_and_scenario_values_name_the_field(make, field: str) -> None:
    with pytest.raises(SimulationSpecError, match=field):
        make()
