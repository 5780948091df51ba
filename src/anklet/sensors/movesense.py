"""Movesense over the GATT SensorData Protocol (GSP), IMU6 subscription.

Specification and sources: ``firmware_interfaces/movesense/README.md``.

Commands (client -> sensor, write characteristic): ``<command> <reference>
<data>``; SUBSCRIBE = 1 with the resource path as ASCII (``/Meas/IMU6/104``),
UNSUBSCRIBE = 2, HELLO = 0. The reference is a client-chosen non-zero byte
that tags every answer.

Notifications (sensor -> client, notify characteristic): ``<response>
<reference> <data>``; COMMAND_RESULT = 1 (data: HTTP-like status uint16 LE),
DATA = 2 (data: the IMU6 message), DATA_PART2 = 3 (the rest of a DATA message
that did not fit one notification).

IMU6 message (little-endian): ``uint32 timestamp_ms`` (sensor time of the
first sample, wraps at 2**32 ms = 49.7 days), then N acceleration vectors
(3 x float32, m/s^2), then N angular-rate vectors (3 x float32, deg/s).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import ClassVar, Literal

import numpy as np

from anklet.sensors.base import (
    DecodedPacket,
    PacketDecoder,
    SensorProtocol,
    decode_error,
)

NAME = "movesense"

SERVICE_UUID = "34802252-7185-4d5d-b431-630e7050e8f0"
WRITE_CHARACTERISTIC_UUID = "34800001-7185-4d5d-b431-630e7050e8f0"
NOTIFY_CHARACTERISTIC_UUID = "34800002-7185-4d5d-b431-630e7050e8f0"
#: 16-bit service UUID in Movesense advertisements (Bluetooth SIG member UUID 0xFDF3).
ADVERTISED_SERVICE_UUID = "0000fdf3-0000-1000-8000-00805f9b34fb"

COMMAND_HELLO = 0
COMMAND_SUBSCRIBE = 1
COMMAND_UNSUBSCRIBE = 2
RESPONSE_COMMAND_RESULT = 1
RESPONSE_DATA = 2
RESPONSE_DATA_PART2 = 3

#: The client reference anklet uses for its IMU6 subscription.
IMU_REFERENCE = 1
IMU6_PATH_PREFIX = "/Meas/IMU6/"
#: IMU6 rates anklet uses (the API also offers 833 and 1666 Hz, beyond what BLE carries).
SUPPORTED_RATES_HZ: tuple[float, ...] = (13.0, 26.0, 52.0, 104.0, 208.0, 416.0)
#: Firmware default ranges; the basic GSP cannot change them (values arrive as floats in SI units).
ACC_RANGE_G = 8.0
GYR_RANGE_DPS = 2000.0
TIMESTAMP_SIZE = 4
SAMPLE_SIZE = 24  # 3 float32 acc + 3 float32 gyr


@dataclass(frozen=True)
class MovesenseCommand:
    """A GSP command as the sensor receives it.

    Attributes:
        action: ``"hello"``, ``"subscribe"`` or ``"unsubscribe"``.
        reference: client reference byte (1..255).
        path: resource path for ``"subscribe"`` (e.g. ``"/Meas/IMU6/104"``), else ``None``.
    """

    action: Literal["hello", "subscribe", "unsubscribe"]
    reference: int
    path: str | None = None

    @property
    def sampling_rate_hz(self) -> float | None:
        """The IMU6 rate of a ``/Meas/IMU6/<rate>`` subscription (Hz), else ``None``."""
        if self.path is None or not self.path.startswith(IMU6_PATH_PREFIX):
            return None
        rate = self.path[len(IMU6_PATH_PREFIX) :]
        return float(rate) if rate.isdigit() else None


def encode_subscribe(reference: int, path: str) -> bytes:
    """``01 <reference> <path ASCII>``.

    Raises:
        ValueError: reference not 1..255 or path not ASCII.
    """
    _check_reference(reference)
    return bytes([COMMAND_SUBSCRIBE, reference]) + path.encode("ascii")


def encode_unsubscribe(reference: int) -> bytes:
    """``02 <reference>``.

    Raises:
        ValueError: reference not 1..255.
    """
    _check_reference(reference)
    return bytes([COMMAND_UNSUBSCRIBE, reference])


def parse_command(data: bytes) -> MovesenseCommand:
    """Parse a write to the GSP write characteristic.

    Raises:
        DecodeError: shorter than 2 bytes, zero reference, unknown command,
            or a subscribe path that is empty or not ASCII.
    """
    if len(data) < 2 or data[1] == 0:
        raise decode_error(NAME, f"command {data.hex(' ')!r} needs a command byte and a non-zero reference")
    command, reference, rest = data[0], data[1], data[2:]
    if command == COMMAND_HELLO:
        return MovesenseCommand("hello", reference)
    if command == COMMAND_UNSUBSCRIBE:
        return MovesenseCommand("unsubscribe", reference)
    if command == COMMAND_SUBSCRIBE and rest and rest.isascii():
        return MovesenseCommand("subscribe", reference, rest.decode("ascii").rstrip("\0"))
    raise decode_error(
        NAME, f"command {data.hex(' ')!r} is not hello (0), subscribe (1, ASCII path) or unsubscribe (2)"
    )


def encode_command_result(reference: int, status: int) -> bytes:
    """``01 <reference> <status uint16 LE>`` (e.g. 200 OK, 404 unknown resource).

    Raises:
        ValueError: reference not 1..255 or status not 0..65535.
    """
    _check_reference(reference)
    return struct.pack("<BBH", RESPONSE_COMMAND_RESULT, reference, status)


def encode_imu6_message(timestamp_ms: int, acc_mps2: np.ndarray, gyr_dps: np.ndarray) -> bytes:
    """The IMU6 message body: timestamp, then all acc vectors, then all gyr vectors.

    Args:
        timestamp_ms: sensor time of the first sample, ms (taken modulo 2**32).
        acc_mps2: (N, 3) m/s^2, stored as float32.
        gyr_dps: (N, 3) deg/s, stored as float32.

    Raises:
        ValueError: shapes differ or N is 0.
    """
    acc = np.asarray(acc_mps2, dtype="<f4")
    gyr = np.asarray(gyr_dps, dtype="<f4")
    if acc.ndim != 2 or acc.shape[1] != 3 or acc.shape[0] == 0 or gyr.shape != acc.shape:
        raise ValueError(f"acc_mps2 and gyr_dps must both be (N, 3) with N >= 1, got {acc.shape}, {gyr.shape}")
    return struct.pack("<I", timestamp_ms % 0x1_0000_0000) + acc.tobytes() + gyr.tobytes()


def encode_data_notifications(reference: int, message: bytes, max_payload: int = 244) -> list[bytes]:
    """Split a DATA message into notifications: ``02 <ref> part1``, then ``03 <ref> part2``.

    Args:
        reference: the subscription's client reference.
        message: e.g. from :func:`encode_imu6_message`.
        max_payload: notification payload limit in bytes (ATT MTU - 3).

    Raises:
        ValueError: bad reference, ``max_payload`` < 3, or the message needs more than two parts.
    """
    _check_reference(reference)
    room = max_payload - 2
    if room < 1 or len(message) > 2 * room:
        raise ValueError(f"message of {len(message)} bytes does not fit two notifications of {max_payload} bytes")
    first = bytes([RESPONSE_DATA, reference]) + message[:room]
    if len(message) <= room:
        return [first]
    return [first, bytes([RESPONSE_DATA_PART2, reference]) + message[room:]]


def _check_reference(reference: int) -> None:
    if not 1 <= reference <= 255:
        raise ValueError(f"GSP client reference must be 1..255, got {reference}")


class MovesenseDecoder(PacketDecoder):
    """Decodes GSP notifications of the IMU6 subscription.

    Sample times: ``timestamp_ms / 1000 + i / sampling_rate_hz`` (the message
    carries only the first sample's time).

    A DATA notification whose body is not a whole IMU6 message is kept and
    completed by the next DATA_PART2; if another DATA arrives first, the kept
    part is dropped and counted in :attr:`dropped_partial_messages`.
    """

    def __init__(self, sampling_rate_hz: float, reference: int = IMU_REFERENCE) -> None:
        self._period_s = 1.0 / sampling_rate_hz
        self._reference = reference
        self._pending: bytes | None = None
        self.dropped_partial_messages = 0

    def decode(self, payload: bytes) -> DecodedPacket:
        """Decode one notification; command results and first parts give empty packets.

        Raises:
            DecodeError: shorter than 2 bytes, unknown response code, another
                subscription's reference, a failed command (status >= 300), a
                DATA_PART2 without a first part, or a message whose length is
                not ``4 + 24 * N``.
        """
        if len(payload) < 2:
            raise decode_error(NAME, f"notification of {len(payload)} bytes lacks response code and reference")
        response, reference, body = payload[0], payload[1], payload[2:]
        if response == RESPONSE_COMMAND_RESULT:
            return self._command_result(reference, body)
        if response not in (RESPONSE_DATA, RESPONSE_DATA_PART2):
            raise decode_error(NAME, f"unknown response code {response} (expected 1, 2 or 3)")
        if reference != self._reference:
            raise decode_error(NAME, f"data for reference {reference}, but the IMU6 subscription is {self._reference}")
        if response == RESPONSE_DATA_PART2:
            if self._pending is None:
                raise decode_error(NAME, "DATA_PART2 without a preceding incomplete DATA notification")
            message, self._pending = self._pending + body, None
            return self._imu6(message)
        if self._pending is not None:
            self.dropped_partial_messages += 1
            self._pending = None
        if len(body) >= TIMESTAMP_SIZE + SAMPLE_SIZE and (len(body) - TIMESTAMP_SIZE) % SAMPLE_SIZE == 0:
            return self._imu6(body)
        self._pending = body
        return _empty_packet()

    def _command_result(self, reference: int, body: bytes) -> DecodedPacket:
        if len(body) == 2:
            (status,) = struct.unpack("<H", body)
            if status >= 300:
                raise decode_error(NAME, f"command with reference {reference} failed with status {status}")
        return _empty_packet()

    def _imu6(self, message: bytes) -> DecodedPacket:
        n, remainder = divmod(len(message) - TIMESTAMP_SIZE, SAMPLE_SIZE)
        if n < 1 or remainder:
            raise decode_error(NAME, f"IMU6 message of {len(message)} bytes is not 4 + 24 * N bytes")
        (timestamp_ms,) = struct.unpack_from("<I", message)
        with np.errstate(invalid="ignore"):  # signalling NaNs in a corrupt message are caught below
            values = np.frombuffer(message, dtype="<f4", offset=TIMESTAMP_SIZE).astype(np.float64)
        if not np.all(np.isfinite(values)):
            raise decode_error(NAME, "IMU6 message holds a non-finite value (NaN or infinity): corrupt packet")
        acc_mps2 = values[: 3 * n].reshape(n, 3)
        gyr_dps = values[3 * n :].reshape(n, 3)
        sensor_time_s = timestamp_ms * 1e-3 + np.arange(n) * self._period_s
        return DecodedPacket(acc_mps2, gyr_dps, sensor_time_s, None)


def _empty_packet() -> DecodedPacket:
    return DecodedPacket(np.zeros((0, 3)), np.zeros((0, 3)), np.zeros(0), None)


class MovesenseProtocol(SensorProtocol):
    """Host side of Movesense GSP with an IMU6 subscription."""

    name: ClassVar[str] = NAME
    service_uuids: ClassVar[tuple[str, ...]] = (SERVICE_UUID, ADVERTISED_SERVICE_UUID)
    advertised_name_prefixes: ClassVar[tuple[str, ...]] = ("Movesense",)
    data_characteristic_uuid: ClassVar[str] = NOTIFY_CHARACTERISTIC_UUID
    supported_rates_hz: ClassVar[tuple[float, ...]] = SUPPORTED_RATES_HZ
    supported_acc_ranges_g: ClassVar[tuple[float, ...]] = (ACC_RANGE_G,)
    supported_gyr_ranges_dps: ClassVar[tuple[float, ...]] = (GYR_RANGE_DPS,)
    #: uint32 millisecond timestamp of IMU6 messages: wraps every 2**32 ms = 49.7 days
    #: (firmware_interfaces/movesense/README.md, IMU6 message layout).
    sensor_clock_wrap_s: ClassVar[float | None] = 2**32 * 1e-3

    def start_commands(
        self, sampling_rate_hz: float, acc_range_g: float, gyr_range_dps: float
    ) -> list[tuple[str, bytes]]:
        """Subscribe to ``/Meas/IMU6/<rate>`` with reference :data:`IMU_REFERENCE`.

        Raises:
            SensorConfigError: unsupported rate, or ranges other than the firmware defaults.
        """
        self.check_settings(sampling_rate_hz, acc_range_g, gyr_range_dps)
        rate = self.check_rate(sampling_rate_hz)
        return [(WRITE_CHARACTERISTIC_UUID, encode_subscribe(IMU_REFERENCE, f"{IMU6_PATH_PREFIX}{rate:.0f}"))]

    def stop_commands(self) -> list[tuple[str, bytes]]:
        """Unsubscribe the IMU6 reference."""
        return [(WRITE_CHARACTERISTIC_UUID, encode_unsubscribe(IMU_REFERENCE))]

    def new_decoder(self, sampling_rate_hz: float) -> MovesenseDecoder:
        """A decoder for the IMU6 subscription at ``sampling_rate_hz``.

        Raises:
            SensorConfigError: unsupported rate.
        """
        self.check_rate(sampling_rate_hz)
        return MovesenseDecoder(sampling_rate_hz)
