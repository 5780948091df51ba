"""Value types stored in an anklet recording: session metadata, sensor identity,
clock models, markers, connection events and packets.

All times are seconds on the session's monotonic timeline (t = 0 at
``SessionMetadata.start_time_utc``) unless a name says otherwise. Every type is a
small frozen dataclass; JSON-like fields (``config``) hold plain ``dict`` values
that must be JSON-serialisable (they are stored as JSON text).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from anklet.errors import RecordingError
from anklet.imu import SIDES, Side

ConnectionEventKind = Literal["connected", "disconnected", "reconnected"]
#: Allowed values of :attr:`ConnectionEvent.kind`.
CONNECTION_EVENT_KINDS: tuple[ConnectionEventKind, ...] = ("connected", "disconnected", "reconnected")

_PROTOCOL_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def check_side(side: str) -> Side:
    """Return ``side`` if it is "left" or "right".

    Raises:
        RecordingError: for any other value.
    """
    if side not in SIDES:
        raise RecordingError(f"side must be 'left' or 'right', got {side!r}")
    return side


def _check_text_fields(obj: object, names: tuple[str, ...]) -> None:
    for name in names:
        value = getattr(obj, name)
        if not isinstance(value, str):
            raise RecordingError(f"{type(obj).__name__}.{name} must be a str, got {value!r}")


def check_time_s(time_s: float, what: str) -> float:
    """Return ``time_s`` as a float if it is finite.

    Raises:
        RecordingError: if it is NaN or infinite (``what`` names the value).
    """
    value = float(time_s)
    if not math.isfinite(value):
        raise RecordingError(f"{what} must be a finite number of seconds, got {time_s!r}")
    return value


@dataclass(frozen=True)
class SessionMetadata:
    """Who/what/when of one recording session. No personal data is required.

    Attributes:
        subject_id: anonymous subject code chosen by the operator (e.g. "S07");
            never a person's name.
        activity: what the subject did, free text (e.g. "treadmill walk 1.2 m/s").
        notes: free text.
        start_time_utc: timezone-aware wall-clock time of session time 0. The
            writer fills in "now" when it is None; a reader always returns it set.
        config: recording configuration (e.g. command-line options), JSON object.
    """

    subject_id: str = ""
    activity: str = ""
    notes: str = ""
    start_time_utc: datetime | None = None
    config: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _check_text_fields(self, ("subject_id", "activity", "notes"))
        if self.start_time_utc is not None and self.start_time_utc.utcoffset() is None:
            raise RecordingError(
                "SessionMetadata.start_time_utc must be timezone-aware; use datetime.now(timezone.utc)"
            )
        if not isinstance(self.config, Mapping):
            raise RecordingError("SessionMetadata.config must be a dict (a JSON object)")


@dataclass(frozen=True)
class SensorInfo:
    """Identity and configuration of the sensor worn on one side.

    Attributes:
        address: BLE address (or platform UUID on macOS) of the sensor.
        name: advertised name.
        protocol: decoder family, a lowercase identifier such as "anklet",
            "movesense", "polar_pmd" or "witmotion".
        firmware_version: firmware version string as reported by the device, "" if unknown.
        config: sensor configuration as a JSON object, e.g.
            ``{"sampling_rate_hz": 208, "acc_range_g": 16, "gyr_range_dps": 2000}``.
    """

    address: str
    name: str
    protocol: str
    firmware_version: str = ""
    config: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _check_text_fields(self, ("address", "name", "protocol", "firmware_version"))
        if not _PROTOCOL_NAME.match(self.protocol):
            raise RecordingError(
                f"SensorInfo.protocol must be a lowercase identifier such as 'anklet' or "
                f"'polar_pmd', got {self.protocol!r}"
            )
        if not isinstance(self.config, Mapping):
            raise RecordingError("SensorInfo.config must be a dict (a JSON object)")


@dataclass(frozen=True)
class ClockModel:
    """Mapping of one sensor's clock onto the session timeline, as fitted by
    :mod:`anklet.timing`: ``session_time_s = offset_s + sensor_time_s * (1 + drift_ppm * 1e-6)``.

    Attributes:
        offset_s: session time of sensor time 0, seconds.
        drift_ppm: sensor clock rate error, parts per million (positive: sensor slow).
        residual_s: spread of the fit residuals (e.g. RMS), seconds.
    """

    offset_s: float
    drift_ppm: float
    residual_s: float


@dataclass(frozen=True)
class Marker:
    """A free-text marker added while recording (e.g. "start turn")."""

    time_s: float
    text: str


@dataclass(frozen=True)
class ConnectionEvent:
    """A change of a sensor's BLE connection.

    Attributes:
        side: "left" or "right".
        time_s: when the host noticed the change, session seconds.
        kind: "connected", "disconnected" or "reconnected".
        detail: free text such as the disconnect reason, may be "".
    """

    side: Side
    time_s: float
    kind: ConnectionEventKind
    detail: str = ""

    def __post_init__(self) -> None:
        check_side(self.side)
        _check_text_fields(self, ("detail",))
        if self.kind not in CONNECTION_EVENT_KINDS:
            raise RecordingError(
                f"connection event kind must be one of {', '.join(CONNECTION_EVENT_KINDS)}, got {self.kind!r}"
            )


@dataclass(frozen=True)
class Packet:
    """One raw BLE notification/indication payload, bit-exact, with its host
    arrival time.

    Attributes:
        side: "left" or "right".
        arrival_time_s: host arrival time, session seconds.
        payload: the bytes as received.
        characteristic_uuid: None for the protocol's data characteristic (IMU
            samples); otherwise the lower-case 128-bit UUID of the response
            characteristic it came from (e.g. a command answer that carries a
            scale factor, see ``PacketDecoder.handle_response``).
    """

    side: Side
    arrival_time_s: float
    payload: bytes
    characteristic_uuid: str | None = None
