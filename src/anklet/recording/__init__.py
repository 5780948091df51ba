"""The crash-safe ``.anklet`` recording file: raw BLE packets of both sensors with
metadata, markers, connection events and clock models (SQLite, see
docs/recording-format.md)."""

from anklet.recording.decode import (
    DecodedRecording,
    StreamQuality,
    decode_recording,
    describe_decoded,
    load_recording_imu,
)
from anklet.recording.model import (
    CONNECTION_EVENT_KINDS,
    ClockModel,
    ConnectionEvent,
    Marker,
    Packet,
    SensorInfo,
    SessionMetadata,
)
from anklet.recording.reader import (
    DamagedRecordingWarning,
    IncompleteRecordingWarning,
    Recording,
    RecordingWarning,
    SidePackets,
    TableDamage,
)
from anklet.recording.schema import FORMAT_VERSION, SUFFIX
from anklet.recording.summary import summarize
from anklet.recording.synthesize import write_synthetic_recording
from anklet.recording.writer import RecordingWriter

__all__ = [
    "CONNECTION_EVENT_KINDS",
    "FORMAT_VERSION",
    "SUFFIX",
    "ClockModel",
    "ConnectionEvent",
    "DamagedRecordingWarning",
    "DecodedRecording",
    "IncompleteRecordingWarning",
    "Marker",
    "Packet",
    "Recording",
    "RecordingWarning",
    "RecordingWriter",
    "SensorInfo",
    "SessionMetadata",
    "SidePackets",
    "StreamQuality",
    "TableDamage",
    "decode_recording",
    "describe_decoded",
    "load_recording_imu",
    "summarize",
    "write_synthetic_recording",
]
