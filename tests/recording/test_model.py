"""Tests of anklet.recording.model: validation of the stored value types."""

from __future__ import annotations

from datetime import datetime

import pytest

from anklet.errors import RecordingError
from anklet.recording import ConnectionEvent, SensorInfo, SessionMetadata


def test_start_time_must_be_timezone_aware() -> None:
    with pytest.raises(RecordingError, match="timezone-aware"):
        SessionMetadata(start_time_utc=datetime(2026, 1, 1))


def test_protocol_must_be_an_identifier() -> None:
    with pytest.raises(RecordingError, match="lowercase identifier"):
        SensorInfo("addr", "name", "Polar PMD")
    assert SensorInfo("addr", "name", "polar_pmd").protocol == "polar_pmd"


def test_connection_event_checks_side_and_kind() -> None:
    with pytest.raises(RecordingError, match="'left' or 'right'"):
        ConnectionEvent("both", 0.0, "connected")  # type: ignore[arg-type]
    with pytest.raises(RecordingError, match="kind must be one of"):
        ConnectionEvent("left", 0.0, "gone")  # type: ignore[arg-type]


def test_config_must_be_a_mapping() -> None:
    with pytest.raises(RecordingError, match="JSON object"):
        SensorInfo("addr", "name", "anklet", config=[1, 2])  # type: ignore[arg-type]


def test_text_fields_must_be_str() -> None:
    with pytest.raises(RecordingError, match="SensorInfo.address must be a str"):
        SensorInfo(None, "name", "anklet")  # type: ignore[arg-type]
    with pytest.raises(RecordingError, match="SessionMetadata.subject_id must be a str"):
        SessionMetadata(subject_id=7)  # type: ignore[arg-type]
