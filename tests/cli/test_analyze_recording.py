"""``anklet analyze FILE.anklet`` and ``anklet info FILE`` on synthetic recordings,
intact, truncated and not decodable."""

from __future__ import annotations

import json

import pytest

from anklet.cli import main
from anklet.recording.synthesize import write_synthetic_recording
from anklet.simulate import GaitSpec, simulate_session


@pytest.fixture(scope="module")
def recording(tmp_path_factory):
    session = simulate_session(GaitSpec(swing_time_asymmetry_pct=8.0), duration_s=40.0, seed=3)
    path = tmp_path_factory.mktemp("rec") / "walk.anklet"
    return write_synthetic_recording(
        path, session.imu, clock_offset_s={"left": -300.0, "right": -20.03},
        clock_drift_ppm={"left": -20.0, "right": 80.0}, drop_packets_fraction=0.04, seed=1,
    )


def test_analyze_a_recording_writes_input_and_quality(recording, tmp_path, capsys):
    out = tmp_path / "result.json"
    assert main(["analyze", str(recording), "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "decoded:" in printed and "swing_time" in printed
    document = json.loads(out.read_text())
    assert document["input"] == {"recording": str(recording)}
    for side in ("left", "right"):
        quality = document["quality"][side]
        assert quality["protocol"] == "anklet" and quality["sampling_rate_hz"] == 200.0
        assert quality["samples_lost"] > 0 and len(quality["gaps"]) > 0
        assert quality["clock_source"] == "fitted" and 0 < quality["clock_residual_s"] < 0.02
    # the legs are aligned: the imposed swing-time asymmetry is recovered
    assert document["asymmetry"]["swing_time"]["symmetry_index_pct"] == pytest.approx(8.0, abs=1.5)


def test_info_adds_the_decoded_figures(recording, capsys):
    assert main(["info", str(recording)]) == 0
    out = capsys.readouterr().out
    assert "decoded:" in out
    assert "drift -" in out and "drift +" in out  # -20 ppm left, +80 ppm right
    assert "lost in" in out and "residual" in out


def test_truncated_recording_is_read_partially_with_a_warning(recording, tmp_path, capsys):
    truncated = tmp_path / "truncated.anklet"
    data = recording.read_bytes()
    truncated.write_bytes(data[: int(len(data) * 0.6)])
    status = main(["analyze", str(truncated)])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert "anklet: warning:" in captured.err and "truncated.anklet" in captured.err
    assert status == 0 and "decoded:" in captured.out
    assert main(["info", str(truncated)]) == 0


def test_recording_and_leg_files_together_is_a_clear_error(recording, capsys):
    assert main(["analyze", str(recording), "--left", "x.csv"]) == 2
    assert "not both" in capsys.readouterr().err


def test_a_recording_without_samples_is_a_clear_error(tmp_path, capsys):
    from anklet.recording import RecordingWriter, SensorInfo, SessionMetadata

    path = tmp_path / "empty.anklet"
    info = SensorInfo("AA", "anklet-L", "anklet", "", {"sampling_rate_hz": 200})
    with RecordingWriter(path, SessionMetadata(), {"left": info}) as writer:
        writer.add_packet("left", 0.1, b"\x01\x02\x03")
    assert main(["analyze", str(path)]) == 2
    err = capsys.readouterr().err
    assert "empty.anklet" in err and "no IMU samples" in err and "Traceback" not in err
    assert main(["info", str(path)]) == 0
    assert "1 of 1 packets corrupt" in capsys.readouterr().out
