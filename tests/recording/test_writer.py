"""Tests of anklet.recording.writer: file creation rules, validation, and crash safety."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from anklet.errors import RecordingError
from anklet.recording import (
    ClockModel,
    IncompleteRecordingWarning,
    Recording,
    RecordingWriter,
    SessionMetadata,
)

from .conftest import make_metadata, make_sensors


def test_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "a.anklet"
    path.write_bytes(b"precious")
    with pytest.raises(RecordingError, match="already exists.*overwrite=True"):
        RecordingWriter(path, make_metadata(), make_sensors())
    assert path.read_bytes() == b"precious"


def test_refuses_when_only_a_sidecar_exists(tmp_path: Path) -> None:
    path = tmp_path / "a.anklet"
    Path(f"{path}-wal").write_bytes(b"left over from a crash")
    with pytest.raises(RecordingError, match="a.anklet-wal already exists"):
        RecordingWriter(path, make_metadata(), make_sensors())
    assert not path.exists()


def test_overwrite_replaces_file_and_sidecars(tmp_path: Path) -> None:
    path = tmp_path / "a.anklet"
    path.write_bytes(b"old")
    Path(f"{path}-wal").write_bytes(b"old wal")
    with RecordingWriter(path, make_metadata(), make_sensors(), overwrite=True) as writer:
        writer.add_packet("left", 0.0, b"new")
    assert not Path(f"{path}-wal").exists()
    assert Recording.open(path).packets("left")[1] == [b"new"]


def test_closed_file_is_self_contained(tmp_path: Path) -> None:
    path = tmp_path / "a.anklet"
    with RecordingWriter(path, make_metadata(), make_sensors()) as writer:
        writer.add_packet("right", 0.0, b"x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.anklet"]


def test_wrong_suffix(tmp_path: Path) -> None:
    with pytest.raises(RecordingError, match="must end in '.anklet'"):
        RecordingWriter(tmp_path / "a.db", make_metadata(), make_sensors())


def test_invalid_arguments_create_no_file(tmp_path: Path) -> None:
    path = tmp_path / "a.anklet"
    with pytest.raises(RecordingError, match="JSON"):
        RecordingWriter(path, SessionMetadata(config={"x": object()}), make_sensors())
    with pytest.raises(RecordingError, match="at least one sensor"):
        RecordingWriter(path, make_metadata(), {})
    with pytest.raises(RecordingError, match="'left' or 'right'"):
        RecordingWriter(path, make_metadata(), {"centre": make_sensors()["left"]})  # type: ignore[dict-item]
    assert not path.exists()


def test_invalid_calls(tmp_path: Path) -> None:
    only_left = {"left": make_sensors()["left"]}
    with RecordingWriter(tmp_path / "a.anklet", make_metadata(), only_left) as writer:
        with pytest.raises(RecordingError, match="no sensor was registered for side 'right'"):
            writer.add_packet("right", 0.0, b"")
        with pytest.raises(RecordingError, match="finite"):
            writer.add_packet("left", float("nan"), b"")
        with pytest.raises(RecordingError, match="finite"):
            writer.add_marker(float("inf"), "x")
        with pytest.raises(RecordingError, match="kind must be one of"):
            writer.add_connection_event("left", 1.0, "lost")  # type: ignore[arg-type]
        with pytest.raises(RecordingError, match="finite"):
            writer.set_clock_model("left", ClockModel(0.0, float("nan"), 0.0))
    with pytest.raises(RecordingError, match="closed"):
        writer.add_packet("left", 1.0, b"late")
    writer.close()  # idempotent


def test_packets_become_readable_while_recording(tmp_path: Path) -> None:
    """A second process can read the file before the writer closes it."""
    path = tmp_path / "live.anklet"
    with RecordingWriter(path, make_metadata(), make_sensors()) as writer:
        writer.add_packet("left", 0.0, b"\x01\x02")
        writer.add_marker(0.0, "begin")
        writer.flush()
        with pytest.warns(IncompleteRecordingWarning):
            live = Recording.open(path)
    assert not live.complete
    assert live.packets("left")[1] == [b"\x01\x02"]
    assert Recording.open(path).complete


def _child_script(path: Path) -> str:
    """A recorder that writes 200 packets/s (alternating sides) until killed,
    printing the index of each packet after add_packet returned."""
    return textwrap.dedent(
        f"""
        import time
        from anklet.recording import RecordingWriter, SensorInfo, SessionMetadata
        sensors = {{s: SensorInfo("addr-" + s, "dev-" + s, "anklet") for s in ("left", "right")}}
        writer = RecordingWriter({str(path)!r}, SessionMetadata(subject_id="crash"), sensors)
        start = time.monotonic()
        i = 0
        while True:
            writer.add_packet(("left", "right")[i % 2], i * 0.005, i.to_bytes(4, "little") * (i % 7))
            print(i, flush=True)
            i += 1
            time.sleep(max(0.0, start + i * 0.005 - time.monotonic()))
        """
    )


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_loses_at_most_a_second(tmp_path: Path) -> None:
    path = tmp_path / "crash.anklet"
    child = subprocess.Popen(
        [sys.executable, "-c", _child_script(path)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2] / "src")},
    )
    assert child.stdout is not None
    printed = [child.stdout.readline()]
    assert printed[0].strip() == "0"  # the writer is running
    deadline = time.monotonic() + 1.5
    while time.monotonic() < deadline:
        printed.append(child.stdout.readline())
    child.send_signal(signal.SIGKILL)
    child.wait()
    printed.extend(child.stdout.readlines())
    child.stdout.close()
    last_printed = int(printed[-1])

    with pytest.warns(IncompleteRecordingWarning, match="incomplete"):
        recording = Recording.open(path)
    assert not recording.complete
    assert recording.metadata.subject_id == "crash"
    assert recording.clock_models == {}
    recovered = list(recording.iter_packets())
    written = [
        (("left", "right")[i % 2], i * 0.005, i.to_bytes(4, "little") * (i % 7))
        for i in range(last_printed + 2)
    ]
    assert [(p.side, p.arrival_time_s, p.payload) for p in recovered] == written[: len(recovered)]
    assert len(recovered) >= last_printed + 1 - 200  # at most 1 s (200 packets) lost


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_disk_full_stops_the_writer_with_a_clear_error(tmp_path: Path) -> None:
    """A child process whose file-size limit (like a full disk) makes a
    background commit fail: the next writer call raises RecordingError, and
    the file keeps what was committed before."""
    path = tmp_path / "full.anklet"
    script = textwrap.dedent(
        f"""
        import resource, signal
        from anklet.errors import RecordingError
        from anklet.recording import RecordingWriter, SensorInfo, SessionMetadata
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        writer = RecordingWriter({str(path)!r}, SessionMetadata(), {{"left": SensorInfo("a", "n", "anklet")}})
        resource.setrlimit(resource.RLIMIT_FSIZE, (300_000, 300_000))
        try:
            for i in range(1_000_000):
                writer.add_packet("left", i * 0.01, bytes(200))
                if i % 100 == 0:
                    writer.flush()
        except RecordingError as exc:
            print("add_packet:", exc)
        try:
            writer.close()
        except RecordingError as exc:
            print("close:", exc)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        check=False,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2] / "src")},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "add_packet: " in result.stdout and "check free disk space" in result.stdout
    with pytest.warns(IncompleteRecordingWarning):
        recording = Recording.open(path)
    _, payloads = recording.packets("left")
    assert 0 < len(payloads) and set(payloads) == {bytes(200)}
