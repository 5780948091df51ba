"""Read an ``.anklet`` recording into a :class:`~anklet.report.inputs.SessionInput`:
decode both sensors (:func:`anklet.recording.decode.decode_recording`), analyse them
(:func:`anklet.analysis.analyze`) and collect the who/when/what and stream quality."""

from __future__ import annotations

from pathlib import Path

from anklet.analysis import analyze
from anklet.errors import InsufficientDataError
from anklet.imu import Placement, Side
from anklet.recording import Recording, SensorInfo
from anklet.recording.decode import StreamQuality as DecodedStreamQuality
from anklet.recording.decode import decode_recording
from anklet.report.inputs import SessionInput, StreamQuality


def sensor_description(sensor: SensorInfo) -> str:
    """One line about a sensor, without its address: "XIAO-L (anklet protocol, firmware 1.2, 100 Hz)"."""
    details = [f"{sensor.protocol} protocol"]
    if sensor.firmware_version:
        details.append(f"firmware {sensor.firmware_version}")
    rate = sensor.config.get("sampling_rate_hz")
    if isinstance(rate, int | float):
        details.append(f"{rate:g} Hz")
    return f"{sensor.name or 'unnamed sensor'} ({', '.join(details)})"


def stream_quality(recording: Recording, side: Side, decoded: DecodedStreamQuality | None) -> StreamQuality:
    """Packets, corrupt packets and lost samples from the decoder's record of one side
    (packets only when the side was not decoded) and the disconnection times from
    the recording's connection events."""
    disconnections_s = tuple(
        e.time_s for e in recording.connection_events if e.side == side and e.kind == "disconnected"
    )
    if decoded is None:
        return StreamQuality(packets=recording.packet_count(side), disconnections_s=disconnections_s)
    return StreamQuality(
        packets=decoded.packets,
        corrupt_packets=decoded.corrupt_packets,
        lost_samples=decoded.samples_lost,
        expected_samples=decoded.samples_decoded + decoded.samples_lost,
        disconnections_s=disconnections_s,
    )


def load_session(path: str | Path, placement: Placement = "ankle") -> SessionInput:
    """Open, decode and analyse one recording for a report.

    Args:
        path: an ``.anklet`` recording.
        placement: where the sensors were worn, "ankle" or "foot".

    Raises:
        anklet.errors.RecordingError: the file is missing or not a readable recording.
        InsufficientDataError: no sensor data, or too little to analyse.
    """
    recording = Recording.open(path)
    decoded = decode_recording(recording)
    if not decoded.imu:
        raise InsufficientDataError(f"{path}: the recording holds no sensor samples; nothing to report")
    metadata = recording.metadata
    return SessionInput(
        result=analyze(decoded.imu, placement),
        subject_id=metadata.subject_id,
        activity=metadata.activity,
        start_time_utc=metadata.start_time_utc,
        duration_s=recording.duration_s,
        sensors={side: sensor_description(info) for side, info in recording.sensors.items()},
        source=Path(path).name,
        quality={side: stream_quality(recording, side, decoded.quality.get(side)) for side in recording.sides},
    )
