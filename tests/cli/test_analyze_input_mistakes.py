"""``anklet analyze`` on common input mistakes: exit code 2 and a message that says what to change."""

from __future__ import annotations

import dataclasses

import pytest

from anklet.cli import main
from anklet.io import write_imu_csv
from anklet.simulate import GaitSpec, SensorSpec, Stand, Walk, simulate_session


@pytest.fixture(scope="module")
def legs(tmp_path_factory):
    sensor = SensorSpec(sampling_rate_hz=100.0, mounting_rotation_deg=None)
    imu = simulate_session(GaitSpec(), sensor, sensor, bouts=[Stand(3.0), Walk(14), Stand(3.0)], seed=4).imu
    folder = tmp_path_factory.mktemp("legs")
    write_imu_csv(imu["left"], folder / "left.csv")
    write_imu_csv(imu["right"], folder / "right.csv")
    write_imu_csv(dataclasses.replace(imu["left"], time_s=imu["left"].time_s * 1000.0), folder / "left_ms.csv")
    return folder


def test_time_in_milliseconds_is_a_clear_error(legs, capsys):
    assert main(["analyze", "--left", str(legs / "left_ms.csv"), "--right", str(legs / "right.csv")]) == 2
    err = capsys.readouterr().err
    assert "left_ms.csv" in err and "in milliseconds" in err and "Traceback" not in err


def test_one_file_for_both_legs_is_a_clear_error(legs, capsys):
    assert main(["analyze", "--left", str(legs / "left.csv"), "--right", str(legs / "left.csv")]) == 2
    assert "the same sensor's file was given for both legs" in capsys.readouterr().err


@pytest.mark.parametrize("where", ["missing_folder", "folder"])
def test_json_path_that_cannot_be_written_is_refused_before_the_analysis(legs, tmp_path, capsys, where):
    out = tmp_path / "no" / "result.json" if where == "missing_folder" else tmp_path
    with pytest.raises(SystemExit) as exit_info:
        main(["analyze", "--left", str(legs / "left.csv"), "--right", str(legs / "right.csv"), "--json", str(out)])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "argument --json" in err and ("does not exist" in err or "is a folder" in err)
