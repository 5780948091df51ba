"""replay and demo from the command line, headless."""

from __future__ import annotations

import json
from pathlib import Path

from anklet.analysis import analyze
from anklet.cli import main
from anklet.recording.decode import load_recording_imu
from anklet.result import write_json


def test_replay_json_equals_the_offline_analysis(real_recording: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "replay.json"
    args = ["replay", str(real_recording), "--speed", "max", "--headless", "--placement", "foot", "--json", str(out)]
    assert main(args) == 0
    replayed = json.loads(out.read_text())
    offline = analyze(load_recording_imu(real_recording).imu, "foot").document
    write_json(offline, tmp_path / "offline.json")
    offline = json.loads((tmp_path / "offline.json").read_text())
    replayed.pop("input")
    assert replayed == offline
    assert "strides L" in capsys.readouterr().out


def test_demo_falls_back_to_the_terminal_without_a_display(monkeypatch, capsys) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    assert main(["demo", "--speed", "max"]) == 0
    out = capsys.readouterr().out
    assert "no display found" in out and "SI stance" in out and "swing_time" in out
