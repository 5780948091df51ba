"""replay, demo and live from the command line.

demo and live stream the emulated pair over the virtual BLE link in real time, so
they run once, side by side, in subprocesses (module fixture ``runs``)."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from anklet.cli import main
from anklet.cli.demo import DEMO_ASYMMETRY_PCT
from anklet.recording import Recording

DEMO_S = 15.0
LIVE_S = 10.0
#: Imposed asymmetry of the live run (the demo's is +8 %: right swing longer).
LIVE_ASYMMETRY_PCT = -10.0
#: Streaming time before the dashboard run gets its Ctrl-C, s (the walk starts after ~3 s).
CTRL_C_AFTER_S = 12.0
#: The runs stopped by Ctrl-C: the offscreen dashboard and the terminal view.
INTERRUPTED = ("dashboard", "terminal")
#: Upper bound of one run (a hang fails instead of blocking the suite), s.
TIMEOUT_S = 120.0


@dataclass(frozen=True)
class Run:
    returncode: int
    out: str
    err: str


def anklet(*args: str) -> list[str]:
    return [sys.executable, "-m", "anklet.cli", *args]


def strides_per_leg(summary: str) -> dict[str, int]:
    found = re.findall(r"^\s*(left|right): \d+ initial contacts, (\d+) strides", summary, flags=re.MULTILINE)
    return {side: int(n) for side, n in found}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Run], Path]:
    """demo (headless), live --simulate (no display: terminal fallback), live --simulate in the
    offscreen dashboard and in the terminal view, both stopped by SIGINT; all at once."""
    folder = tmp_path_factory.mktemp("live")
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["ANKLET_CONFIG_DIR"] = str(folder / "config")
    commands = {
        "demo": anklet("demo", "--headless", "--duration", str(DEMO_S), "--json", str(folder / "demo.json")),
        "live": anklet(
            "live", "--simulate", "--asymmetry", str(LIVE_ASYMMETRY_PCT), "--duration", str(LIVE_S),
            "-o", str(folder / "live.anklet"), "--json", str(folder / "live.json"),
        ),
        "dashboard": anklet("live", "--simulate", "-o", str(folder / "dashboard.anklet")),
        "terminal": anklet("live", "--simulate", "--headless", "-o", str(folder / "terminal.anklet")),
    }
    envs = {"dashboard": {**env, "QT_QPA_PLATFORM": "offscreen"}}
    processes = {
        name: subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=envs.get(name, env), cwd=folder
        )
        for name, command in commands.items()
    }
    time.sleep(CTRL_C_AFTER_S)
    for name in INTERRUPTED:
        processes[name].send_signal(signal.SIGINT)
    results = {}
    for name, process in processes.items():
        out, err = process.communicate(timeout=TIMEOUT_S)
        results[name] = Run(process.returncode, out, err)
    return results, folder


def test_replay_json_equals_the_offline_analysis(real_recording: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "replay.json"
    args = ["replay", str(real_recording), "--speed", "max", "--headless", "--placement", "foot", "--json", str(out)]
    assert main(args) == 0
    assert main(["analyze", str(real_recording), "--placement", "foot", "--json", str(tmp_path / "analyze.json")]) == 0
    replayed = json.loads(out.read_text())
    assert replayed == json.loads((tmp_path / "analyze.json").read_text())  # events, strides, asymmetry, quality
    assert "strides L" in capsys.readouterr().out


def test_demo_streams_the_emulated_pair_and_shows_the_imposed_asymmetry(runs) -> None:
    results, folder = runs
    demo = results["demo"]
    assert demo.returncode == 0, demo.err
    assert "no display found" not in demo.out  # --headless chose the terminal view
    assert re.search(r"loss L\s+0\.0% R\s+0\.0% \| battery L \d+% R \d+%", demo.out)  # status from the collector
    strides = strides_per_leg(demo.out)
    assert strides["left"] >= 5 and strides["right"] >= 5
    swing = json.loads((folder / "demo.json").read_text())["asymmetry"]["swing_time"]
    assert swing["symmetry_index_ci95"][0] > 0  # right swing longer, as imposed
    assert swing["symmetry_index_pct"] == pytest.approx(DEMO_ASYMMETRY_PCT, abs=3.0)
    assert not list(folder.glob("recording-*.anklet"))  # no -o: the demo keeps no file


def test_live_simulate_writes_a_complete_recording_that_analyze_reads(runs, tmp_path: Path, capsys) -> None:
    results, folder = runs
    live = results["live"]
    path = folder / "live.anklet"
    assert live.returncode == 0, live.err
    assert "no display found; showing the terminal view" in live.out and f"saved {path}" in live.out
    recording = Recording.open(path)
    assert recording.complete and set(recording.clock_models) == {"left", "right"}
    assert recording.metadata.config["command"] == "live"
    assert LIVE_S - 3.0 < recording.duration_s <= LIVE_S
    assert main(["analyze", str(path), "--json", str(tmp_path / "analyzed.json")]) == 0
    analyzed = json.loads((tmp_path / "analyzed.json").read_text())
    assert min(strides_per_leg(capsys.readouterr().out).values()) >= 3
    assert analyzed["asymmetry"]["swing_time"]["symmetry_index_pct"] < 0  # left swing longer, as imposed
    shown = json.loads((folder / "live.json").read_text())
    assert shown["input"] == {"recording": str(path)}
    assert shown["asymmetry"]["swing_time"]["symmetry_index_pct"] < 0


@pytest.mark.parametrize("name", INTERRUPTED)
def test_ctrl_c_stops_the_view_finalises_the_recording_and_prints_the_summary(runs, name: str) -> None:
    results, folder = runs
    run = results[name]
    assert run.returncode == 0, run.err
    assert "no display found" not in run.out and "SI = 100 (R - L)" in run.out
    assert ("anklet: stopping" in run.out) == (name == "terminal")
    recording = Recording.open(folder / f"{name}.anklet")
    assert recording.complete and set(recording.clock_models) == {"left", "right"}
    assert {e.side for e in recording.connection_events if e.kind == "disconnected"} == {"left", "right"}


def test_live_without_addresses_or_remembered_pairing_says_what_to_give(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("ANKLET_CONFIG_DIR", str(tmp_path))
    assert main(["live", "--headless"]) == 2
    assert "give --left ADDR and --right ADDR" in capsys.readouterr().err


def test_live_refuses_an_existing_recording_before_scanning(tmp_path: Path, capsys) -> None:
    existing = tmp_path / "taken.anklet"
    existing.write_bytes(b"")
    assert main(["live", "--simulate", "--headless", "-o", str(existing)]) == 2
    assert "already exists" in capsys.readouterr().err


def test_an_error_in_the_ble_thread_exits_with_status_2(tmp_path: Path, monkeypatch, capsys) -> None:
    # No sensor has these addresses: without a Bluetooth adapter the platform backend fails at
    # once; with one, the scan gives up after 5 s. Either way the BLE thread's error reaches the user.
    monkeypatch.setenv("ANKLET_CONFIG_DIR", str(tmp_path))
    args = ["live", "--left", "AA:AA:AA:AA:AA:01", "--right", "AA:AA:AA:AA:AA:02", "--headless", "-o"]
    assert main([*args, str(tmp_path / "never.anklet")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("anklet: error: ") and "Traceback" not in err
    assert "Bluetooth is not available" in err or "sensor AA:AA:AA:AA:AA:01 not found" in err
    assert not (tmp_path / "never.anklet").exists() and not (tmp_path / "pairing.json").exists()


def test_an_error_in_the_ble_thread_closes_the_dashboard(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ANKLET_CONFIG_DIR": str(tmp_path)}
    command = anklet("live", "--left", "AA:AA:AA:AA:AA:01", "--right", "AA:AA:AA:AA:AA:02", "-o", "never.anklet")
    run = subprocess.run(command, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=TIMEOUT_S)
    assert run.returncode == 2  # the window closed by itself: no --duration, no Ctrl-C
    assert "anklet: error: " in run.stderr and "Traceback" not in run.stderr


def test_demo_without_the_bluetooth_packages_says_how_to_install_them(monkeypatch, capsys) -> None:
    monkeypatch.setitem(sys.modules, "bumble", None)  # makes "import bumble" fail as if not installed
    assert main(["demo", "--headless", "--duration", "1"]) == 2
    assert "pip install 'anklet[ble]'" in capsys.readouterr().err
