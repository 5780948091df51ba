"""What an export says about the session, and the privacy rule that decides it.

Identifying fields (see docs/exports.md, "Privacy") are free text that may name
a person (``notes``, marker texts), the exact wall-clock start (date and time),
device identities that can be traced to a person (BLE ``address``, advertised
``name``, which often carries a serial number), the recording configuration
(it may hold addresses and paths) and the recording's file name. They are
dropped here unless the user opts in, so the writers never see them: every
export format gets the same privacy from :func:`session_from_recording`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from anklet.imu import Side
from anklet.recording import Marker, Recording

#: Marker text written in place of the operator's free text when identifying fields are left out.
REDACTED_MARKER_TEXT = "marker"


@dataclass(frozen=True)
class SensorDescription:
    """One sensor as exported.

    Attributes:
        protocol: decoder family ("anklet", "movesense", "polar_pmd", "witmotion").
        firmware_version: as reported by the device, "" if unknown.
        config: sensor configuration (sampling rate, ranges), JSON object.
        name: advertised name; None when identifying fields are left out.
        address: BLE address; None when identifying fields are left out.
    """

    protocol: str
    firmware_version: str = ""
    config: dict[str, Any] = field(default_factory=dict)
    name: str | None = None
    address: str | None = None


@dataclass(frozen=True)
class ExportSession:
    """Session facts an export may contain, after the privacy rule was applied.

    Attributes:
        subject_id: the anonymous subject code ("" if none was given).
        activity: what the subject did, free text ("" if none was given).
        sensors: per side present.
        markers: operator markers, session seconds.
        include_identifying: whether the fields below were kept.
        notes: free-text notes, None when left out.
        start_time_utc: wall-clock time of session time 0, None when left out.
        recording_config: recording configuration, None when left out.
        source_file: file name of the recording, None when left out.
    """

    subject_id: str
    activity: str
    sensors: dict[Side, SensorDescription]
    markers: tuple[Marker, ...] = ()
    include_identifying: bool = False
    notes: str | None = None
    start_time_utc: datetime | None = None
    recording_config: dict[str, Any] | None = None
    source_file: str | None = None


def session_from_recording(recording: Recording, *, include_identifying: bool = False) -> ExportSession:
    """The exportable facts of ``recording``.

    Args:
        recording: an opened recording.
        include_identifying: keep notes, marker texts, the exact start time,
            sensor names and addresses, the recording configuration and the
            file name (default: leave them out).

    Returns:
        The session description every exporter writes from.
    """
    meta = recording.metadata
    keep = include_identifying
    sensors = {
        side: SensorDescription(
            protocol=info.protocol,
            firmware_version=info.firmware_version,
            config=dict(info.config),
            name=info.name if keep else None,
            address=info.address if keep else None,
        )
        for side, info in recording.sensors.items()
    }
    markers = tuple(
        Marker(m.time_s, m.text if keep else REDACTED_MARKER_TEXT) for m in recording.markers
    )
    return ExportSession(
        subject_id=meta.subject_id,
        activity=meta.activity,
        sensors=sensors,
        markers=markers,
        include_identifying=keep,
        notes=meta.notes if keep else None,
        start_time_utc=meta.start_time_utc if keep else None,
        recording_config=dict(meta.config) if keep else None,
        source_file=recording.path.name if keep else None,
    )


def session_to_json(session: ExportSession) -> dict[str, Any]:
    """``session`` as a JSON object; fields left out by the privacy rule are absent.

    Keys: ``subject_id``, ``activity``, ``include_identifying``, ``sensors``
    (per side: ``protocol``, ``firmware_version``, ``config`` [, ``name``,
    ``address``]), ``markers`` (``time_s``, ``text``) and, only with identifying
    fields, ``notes``, ``start_time_utc`` (ISO 8601), ``recording_config``,
    ``source_file``.
    """
    sensors: dict[str, Any] = {}
    for side, sensor in session.sensors.items():
        entry: dict[str, Any] = {
            "protocol": sensor.protocol,
            "firmware_version": sensor.firmware_version,
            "config": sensor.config,
        }
        entry.update({k: v for k, v in (("name", sensor.name), ("address", sensor.address)) if v is not None})
        sensors[side] = entry
    document: dict[str, Any] = {
        "subject_id": session.subject_id,
        "activity": session.activity,
        "include_identifying": session.include_identifying,
        "sensors": sensors,
        "markers": [{"time_s": m.time_s, "text": m.text} for m in session.markers],
    }
    optional = {
        "notes": session.notes,
        "start_time_utc": session.start_time_utc.isoformat() if session.start_time_utc else None,
        "recording_config": session.recording_config,
        "source_file": session.source_file,
    }
    document.update({k: v for k, v in optional.items() if v is not None})
    return document

