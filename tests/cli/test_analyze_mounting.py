"""``anklet analyze --sensor-up``: a sensor worn upside down is warned about, a correct one is not."""

from __future__ import annotations

import json

import pytest

from anklet.cli import main
from anklet.io import write_imu_csv
from anklet.simulate import GaitSpec, SensorSpec, Stand, Walk, simulate_session


@pytest.fixture(scope="module")
def leg_files(tmp_path_factory):
    """Unrotated synthetic sensors: the simulator's sensor +y axis points up (gravity reads +9.81 on y)."""
    sensor = SensorSpec(mounting_rotation_deg=(0.0, 0.0, 0.0))
    session = simulate_session(GaitSpec(), sensor, sensor, bouts=[Stand(3.0), Walk(14), Stand(3.0)], seed=3)
    folder = tmp_path_factory.mktemp("legs")
    for side in ("left", "right"):
        assert session.imu[side].acc_mps2[:100, 1].mean() > 9.0  # the premise: +y is up while standing
        write_imu_csv(session.imu[side], folder / f"{side}.csv")
    return folder


def _analyze(folder, axis, out):
    status = main(["analyze", "--left", str(folder / "left.csv"), "--right", str(folder / "right.csv"),
                   f"--sensor-up={axis}", "--json", str(out)])
    assert status == 0
    return json.loads(out.read_text())


def test_sensors_worn_as_declared_give_no_mounting_warning(leg_files, tmp_path, capsys):
    document = _analyze(leg_files, "+y", tmp_path / "ok.json")
    assert [f["kind"] for f in document["mounting"]["findings"]] == []
    assert all(angle < 30.0 for angle in document["mounting"]["declared_up_angle_deg"].values())
    assert "upside down" not in capsys.readouterr().out


def test_sensors_upside_down_against_the_declared_axis_are_warned_about(leg_files, tmp_path, capsys):
    document = _analyze(leg_files, "-y", tmp_path / "flipped.json")
    kinds = sorted((f["kind"], f["side"]) for f in document["mounting"]["findings"])
    assert kinds == [("upside_down", "left"), ("upside_down", "right")]
    assert all(angle > 150.0 for angle in document["mounting"]["declared_up_angle_deg"].values())
    assert "upside down" in capsys.readouterr().out
