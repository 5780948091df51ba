"""The ``anklet`` command line as a user runs it: exit codes, messages, JSON."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from anklet.cli import main
from anklet.imu import ImuData
from anklet.io import write_imu_csv

HEADER = "time_s,acc_x,acc_y,acc_z,gyr_x,gyr_y,gyr_z\n"


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_analyze_ipol_trial_writes_documented_json(datasets_root, tmp_path, capsys):
    folder = datasets_root / "ipol-healthy-gait"
    out = tmp_path / "result.json"
    status = main(["analyze", "--left", str(folder / "1-1_lf.txt"), "--right", str(folder / "1-1_rf.txt"),
                   "--placement", "foot", "--json", str(out)])
    assert status == 0
    printed = capsys.readouterr().out
    assert "stance_time" in printed and "Phase coordination index" in printed
    document = json.loads(out.read_text())
    assert document["schema"] == "anklet.analysis/1"
    reference = json.loads((folder / "1-1.json").read_text())
    for side, key in (("left", "LeftFootEvents"), ("right", "RightFootEvents")):
        leg = document[side]
        stride = leg["strides"][1]
        assert set(stride) >= {"start_s", "end_s", "stride_time_s", "stance_time_s", "swing_time_s",
                               "included", "excluded_reason"}
        assert stride["stride_time_s"] == pytest.approx(stride["end_s"] - stride["start_s"], abs=2e-6)
        heel_strikes_s = np.array(reference[key])[:, 1] / 100.0
        assert len(leg["initial_contacts_s"]) == pytest.approx(len(heel_strikes_s), abs=1)
    assert set(document["asymmetry"]) >= {"stride_time", "stance_time", "swing_time", "step_time"}
    assert document["bilateral"]["phase_coordination_index_pct"] is not None


def test_missing_column_names_file_and_column(tmp_path, capsys):
    bad = _write(tmp_path / "left.csv", "time_s,acc_x,acc_y,acc_z,gyr_x,gyr_y\n0,0,0,9.8,0,0\n")
    assert main(["analyze", "--left", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "left.csv" in err and "gyr_z" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("time_s,acc_x,acc_y,acc_z,gyr_x,gyr_y\n0,0,0,9.8,0,0\n", "line 1: missing column(s) 'gyr_z'"),
        (HEADER.replace("gyr_x", "gyro_x") + "0,0,0,9.8,0,0,0\n", "line 1: missing column(s) 'gyr_x'"),
        (HEADER.replace(",", ";") + "0;0;0;9,8;0;0;0\n", "line 1: the header is separated by semicolons"),
        (HEADER + "0,00,0,0,9,8,0,0,0\n", "line 2: the row has 9 cells but the header has 7"),
    ],
)
def test_near_miss_csv_gets_the_precise_message_when_sniffed(tmp_path, capsys, text, expected):
    bad = _write(tmp_path / "left.csv", text)
    assert main(["analyze", "--left", str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"left.csv, {expected}" in err
    assert "unrecognised" not in err and "Traceback" not in err


def test_non_numeric_cell_names_line(tmp_path, capsys):
    bad = _write(tmp_path / "right.csv", HEADER + "0,0,0,9.8,0,0,0\n0.01,0,zero,9.8,0,0,0\n")
    assert main(["analyze", "--right", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "right.csv" in err and "line 3" in err and "zero" in err


def test_time_going_backwards_names_line(tmp_path, capsys):
    bad = _write(tmp_path / "left.csv", HEADER + "0,0,0,9.8,0,0,0\n0.02,0,0,9.8,0,0,0\n0.01,0,0,9.8,0,0,0\n")
    assert main(["analyze", "--left", str(bad)]) == 2
    assert "line 4" in capsys.readouterr().err


def test_file_too_short_for_a_stride_is_a_clear_error(tmp_path, capsys):
    n = 50
    imu = ImuData(np.arange(n) / 100.0, np.tile([0.0, 0.0, 9.81], (n, 1)), np.zeros((n, 3)))
    path = tmp_path / "short.csv"
    write_imu_csv(imu, path)
    assert main(["analyze", "--left", str(path)]) == 2
    err = capsys.readouterr().err
    assert "short.csv" in err and "at least 2 s" in err


def test_no_leg_given_is_a_clear_error(capsys):
    assert main(["analyze"]) == 2
    assert "--left" in capsys.readouterr().err


def test_info_summarises_a_recording(tmp_path, capsys):
    from anklet.recording import RecordingWriter, SensorInfo, SessionMetadata

    path = tmp_path / "session.anklet"
    sensors = {side: SensorInfo(address=f"AA:BB:CC:DD:EE:0{i}", name=f"anklet-{side}", protocol="anklet")
               for i, side in enumerate(("left", "right"))}
    with RecordingWriter(path, SessionMetadata(subject_id="S01"), sensors) as writer:
        for k in range(100):
            for side in ("left", "right"):
                writer.add_packet(side, k * 0.02, bytes([k % 256]) * 20)
    assert main(["info", str(path)]) == 0
    out = capsys.readouterr().out
    assert "S01" in out and "anklet-left" in out


def test_info_on_a_non_recording_is_a_clear_error(tmp_path, capsys):
    path = _write(tmp_path / "notes.anklet", "not a database")
    assert main(["info", str(path)]) == 2
    assert "notes.anklet" in capsys.readouterr().err
