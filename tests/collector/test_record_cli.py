"""``anklet record --simulate`` end to end, every protocol, in subprocesses running side by side;
``anklet scan --simulate``; a SIGKILL mid-recording."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import warnings
from datetime import UTC, datetime
from pathlib import Path

import pytest

from anklet.analysis import analyze
from anklet.cli import main
from anklet.recording import IncompleteRecordingWarning, Recording, decode_recording

PROTOCOLS = ("anklet", "movesense", "polar_pmd", "witmotion")
DURATION_S = 20.0
ASYMMETRY_PCT = 10.0


def anklet_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "anklet.cli", *args]


@pytest.fixture(scope="module")
def recordings(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One 20 s simulated recording per protocol, recorded concurrently."""
    folder = tmp_path_factory.mktemp("records")
    env = {**os.environ, "ANKLET_CONFIG_DIR": str(folder / "config")}
    paths = {protocol: folder / f"{protocol}.anklet" for protocol in PROTOCOLS}
    runs = {
        protocol: subprocess.Popen(
            anklet_command(
                "record",
                "--simulate",
                "--protocol",
                protocol,
                "--asymmetry",
                str(ASYMMETRY_PCT),
                "--duration",
                str(DURATION_S),
                "-o",
                str(path),
            ),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            text=True,
        )
        for protocol, path in paths.items()
    }
    for protocol, run in runs.items():
        out, err = run.communicate(timeout=120)
        assert run.returncode == 0, f"{protocol}: {err}"
        assert f"saved {paths[protocol]}" in out
    return paths


@pytest.mark.slow
@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_simulated_recording_is_complete_lossless_and_analysable(recordings: dict[str, Path], protocol: str) -> None:
    recording = Recording.open(recordings[protocol])
    assert recording.complete and set(recording.clock_models) == {"left", "right"}
    assert recording.duration_s > DURATION_S - 3.0
    decoded = decode_recording(recording)
    rate_hz = recording.sensors["left"].config["sampling_rate_hz"]
    for side in ("left", "right"):
        quality = decoded.quality[side]
        assert (quality.samples_lost, quality.corrupt_packets, quality.clock_source) == (0, 0, "file")
        assert len(decoded.imu[side]) > (DURATION_S - 4.0) * rate_hz
    result = analyze(decoded.imu)
    assert result.asymmetry is not None
    swing_si = result.asymmetry["swing_time"].symmetry_index_pct
    assert swing_si is not None and 0.5 * ASYMMETRY_PCT < swing_si < 1.5 * ASYMMETRY_PCT


def test_scan_simulate_lists_both_emulated_sensors(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["scan", "--simulate", "--timeout", "0.5"]) == 0
    out = capsys.readouterr().out
    assert "anklet-L" in out and "anklet-R" in out and "C0:A0:00:00:00:01" in out


def test_unsupported_rate_lists_the_choices(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status = main(
        [
            "record",
            "--simulate",
            "--protocol",
            "witmotion",
            "--rate",
            "100",
            "-o",
            str(tmp_path / "x.anklet"),
        ]
    )
    assert status == 2
    assert "choose one of 10, 20, 50 Hz" in capsys.readouterr().err


@pytest.mark.slow
def test_sigkill_mid_recording_loses_at_most_the_last_second(tmp_path: Path) -> None:
    path = tmp_path / "killed.anklet"
    env = {**os.environ, "ANKLET_CONFIG_DIR": str(tmp_path / "config")}
    run = subprocess.Popen(
        anklet_command("record", "--simulate", "-o", str(path)),
        stdin=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert run.stderr is not None and run.stdin is not None
    assert b"recording" in run.stderr.readline()  # streaming starts
    time.sleep(1.0)
    run.stdin.write(b"left shoe re-tied\n")  # a line typed while recording is a marker
    run.stdin.flush()
    assert any(b"marker at" in run.stderr.readline() for _ in range(3))  # acknowledged (progress lines may come first)
    time.sleep(3.0)
    killed_utc = datetime.now(UTC)
    run.send_signal(signal.SIGKILL)
    run.wait(timeout=10)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        recording = Recording.open(path)
    assert any(issubclass(w.category, IncompleteRecordingWarning) for w in caught)
    assert not recording.complete
    assert [m.text for m in recording.markers] == ["left shoe re-tied"]  # markers survive the crash
    assert 0.5 < recording.markers[0].time_s < 4.0
    killed_s = (killed_utc - recording.metadata.start_time_utc).total_seconds()
    for side in ("left", "right"):
        times_s, _ = recording.packets(side)
        assert killed_s - 1.0 < times_s[-1] <= killed_s
