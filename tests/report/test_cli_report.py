"""``anklet report``: real recordings in, PDF/HTML out, clear errors."""

from __future__ import annotations

from anklet.cli import main
from anklet.io import read_imu

from .conftest import DEMO_DIR, write_recording


def test_session_report_from_a_recording(demo_path, tmp_path, capsys):
    out = tmp_path / "session.html"
    assert main(["report", str(demo_path), "-o", str(out)]) == 0
    assert "wrote session report" in capsys.readouterr().out
    assert "<svg" in out.read_text(encoding="utf-8")


def test_progress_report_from_recordings(progress_paths, tmp_path, capsys):
    out = tmp_path / "progress.pdf"
    assert main(["report", *map(str, progress_paths), "-o", str(out)]) == 0
    assert "progress (3 sessions)" in capsys.readouterr().out
    assert out.read_bytes().startswith(b"%PDF")


def test_one_sensor_recording_is_a_clear_error(tmp_path, capsys):
    path = write_recording(tmp_path / "left_only.anklet", {"left": read_imu(DEMO_DIR / "demo_left.csv")})
    assert main(["report", str(path), "-o", str(tmp_path / "r.pdf")]) == 2
    assert "no data from the right sensor" in capsys.readouterr().err


def test_bad_output_suffix_fails_before_any_work(tmp_path, capsys):
    assert main(["report", str(tmp_path / "missing.anklet"), "-o", str(tmp_path / "r.txt")]) == 2
    assert "must end in .pdf or .html" in capsys.readouterr().err


def test_mixed_subjects_warn_on_the_command_line(progress_paths, tmp_path, capsys):
    imu = {side: read_imu(DEMO_DIR / f"demo_{side}.csv") for side in ("left", "right")}
    other = write_recording(tmp_path / "other.anklet", imu, subject_id="S08", days=30)
    assert main(["report", str(progress_paths[0]), str(other), "-o", str(tmp_path / "p.pdf")]) == 0
    assert "anklet: warning: the sessions belong to different subjects" in capsys.readouterr().err
