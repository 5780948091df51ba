"""Tests of anklet.recording.summary on recordings written by the real writer."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest

from anklet import __version__
from anklet.recording import (
    FORMAT_VERSION,
    ClockModel,
    IncompleteRecordingWarning,
    Recording,
    RecordingWriter,
)
from anklet.recording.summary import arrival_gaps, summarize

from .conftest import make_metadata, make_sensors


def test_arrival_gaps() -> None:
    times_s = np.array([0.0, 0.1, 0.2, 1.0, 1.1, 3.1, 3.2])
    np.testing.assert_allclose(arrival_gaps(times_s, 0.5), [0.8, 2.0])
    assert arrival_gaps(times_s[:1], 0.5).size == 0
    with pytest.raises(ValueError, match="one-dimensional"):
        arrival_gaps(times_s.reshape(-1, 1))


def _write(path: Path, close: bool) -> RecordingWriter:
    writer = RecordingWriter(path, make_metadata(), make_sensors())
    left_s = np.arange(0.0, 10.0, 0.02)  # 50 packets/s
    right_s = np.concatenate([np.arange(0.0, 4.0, 0.04), np.arange(6.5, 10.0, 0.04)])  # a 2.5 s gap
    for t in left_s:
        writer.add_packet("left", float(t), b"\x00" * 20)
    for t in right_s:
        writer.add_packet("right", float(t), b"\x01" * 30)
    writer.add_connection_event("right", 4.0, "disconnected", "timeout")
    writer.add_connection_event("right", 6.4, "reconnected")
    writer.add_marker(5.0, "turn")
    writer.set_clock_model("left", ClockModel(0.5, 12.0, 0.002))
    if close:
        writer.close()
    else:
        writer.flush()
    return writer


def test_summary_of_complete_recording(tmp_path: Path) -> None:
    path = tmp_path / "s.anklet"
    _write(path, close=True)
    text = summarize(Recording.open(path))
    assert "status:      complete" in text
    assert "subject:     S07" in text
    assert "start (UTC): 2026-03-04T10:11:12+00:00" in text
    left, right = text.split("\nleft:\n")[1].split("\nright:\n")
    assert "anklet-L [C0:FF:EE:00:00:01], firmware 1.2.0" in left
    assert "packets:   500 (10000 bytes), 50.0 packets/s" in left
    assert "gaps:      0 > 0.5 s" in left
    assert "drift 12.0 ppm" in left
    assert "protocol:  movesense" in right
    assert "gaps:      1 > 0.5 s (total 2.5 s, longest 2.5 s)" in right
    assert "2 connection events, 1 disconnects" in right
    assert "5.00 s  turn" in text
    assert f"written by:  anklet {__version__}, format {FORMAT_VERSION}" in text


def test_summary_of_incomplete_recording(tmp_path: Path) -> None:
    path = tmp_path / "s.anklet"
    writer = _write(path, close=False)
    try:
        with pytest.warns(IncompleteRecordingWarning):
            text = summarize(Recording.open(path))
    finally:
        writer.close()
    assert "INCOMPLETE" in text
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert "INCOMPLETE" not in summarize(Recording.open(path))
