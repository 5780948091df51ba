"""WitMotion WT901BLE(CL): 0x55 0x61 notifications, no sensor timestamp.

Specification and sources: ``firmware_interfaces/witmotion/README.md``.

Each 20-byte notification is ``55 61`` followed by nine little-endian int16:
acceleration x, y, z (count / 32768 * 16 g), angular velocity x, y, z
(count / 32768 * 2000 deg/s) and angle roll, pitch, yaw (count / 32768 * 180 deg).
There is no timestamp and no counter: the decoder counts samples
(:attr:`DecodedPacket.sample_index`) and the host times them from arrival times
(see the README for the timing error this costs).

Commands written to the sensor are ``FF AA <register> <value low> <value high>``
(WIT standard protocol); the register must first be unlocked with
``FF AA 69 88 B5``.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from anklet.sensors.base import (
    STANDARD_GRAVITY_MPS2,
    DecodedPacket,
    PacketDecoder,
    SensorProtocol,
    decode_error,
    to_int16_counts,
)

NAME = "witmotion"

# WitMotion's GATT UUIDs use a base that differs from the Bluetooth base UUID
# in one digit (...805f9a34fb, not ...805f9b34fb); they are written as the device reports them.
SERVICE_UUID = "0000ffe5-0000-1000-8000-00805f9a34fb"
NOTIFY_CHARACTERISTIC_UUID = "0000ffe4-0000-1000-8000-00805f9a34fb"
WRITE_CHARACTERISTIC_UUID = "0000ffe9-0000-1000-8000-00805f9a34fb"

PACKET_SIZE = 20
HEADER = 0x55
FLAG_IMU = 0x61
FLAG_REGISTER = 0x71
ACC_RANGE_G = 16.0
GYR_RANGE_DPS = 2000.0
ANGLE_RANGE_DEG = 180.0

COMMAND_PREFIX = b"\xff\xaa"
REGISTER_SAVE = 0x00
REGISTER_RATE = 0x03
REGISTER_UNLOCK = 0x69
UNLOCK_VALUE = 0xB588
#: Output-rate register codes (WIT standard protocol, register RRATE 0x03).
RATE_CODES: dict[float, int] = {10.0: 0x06, 20.0: 0x07, 50.0: 0x08}
_COMMAND = struct.Struct("<2sBH")


@dataclass(frozen=True)
class WitmotionCommand:
    """A register write as the sensor receives it: ``FF AA register value``.

    Attributes:
        register: register address (0x03 output rate, 0x69 unlock, 0x00 save, ...).
        value: 16-bit register value.
    """

    register: int
    value: int

    @property
    def is_unlock(self) -> bool:
        """True for the unlock command ``FF AA 69 88 B5``."""
        return self.register == REGISTER_UNLOCK and self.value == UNLOCK_VALUE

    @property
    def sampling_rate_hz(self) -> float | None:
        """The output rate this command sets (Hz), or ``None`` if it is not a known rate write."""
        if self.register != REGISTER_RATE:
            return None
        return next((rate for rate, code in RATE_CODES.items() if code == self.value), None)


def encode_command(register: int, value: int) -> bytes:
    """Bytes of a register write ``FF AA register value_lo value_hi``.

    Raises:
        ValueError: register not 0..255 or value not 0..65535.
    """
    if not (0 <= register <= 0xFF and 0 <= value <= 0xFFFF):
        raise ValueError(f"register must be 0..255 and value 0..65535, got {register}, {value}")
    return _COMMAND.pack(COMMAND_PREFIX, register, value)


def parse_command(data: bytes) -> WitmotionCommand:
    """Parse a write to the sensor's write characteristic.

    Raises:
        DecodeError: not a 5-byte ``FF AA`` command.
    """
    if len(data) != _COMMAND.size or not data.startswith(COMMAND_PREFIX):
        raise decode_error(NAME, f"command {data.hex(' ')!r} is not a 5-byte 'ff aa <register> <value u16>' write")
    _, register, value = _COMMAND.unpack(data)
    return WitmotionCommand(register, value)


def encode_packet(acc_mps2: np.ndarray, gyr_dps: np.ndarray, angle_deg: np.ndarray | None = None) -> bytes:
    """One 20-byte ``55 61`` notification per sample, concatenated.

    Args:
        acc_mps2: (N, 3) or (3,) specific force in m/s^2 (+-16 g full scale).
        gyr_dps: same shape, angular rate in deg/s (+-2000 deg/s).
        angle_deg: same shape, roll/pitch/yaw in degrees (+-180); zeros if omitted.

    Returns:
        ``20 * N`` bytes; a real sensor sends each 20-byte block as its own notification.

    Raises:
        ValueError: the shapes differ or are not (N, 3) / (3,).
    """
    acc = np.atleast_2d(np.asarray(acc_mps2, dtype=np.float64))
    gyr = np.atleast_2d(np.asarray(gyr_dps, dtype=np.float64))
    angle = np.zeros_like(acc) if angle_deg is None else np.atleast_2d(np.asarray(angle_deg, dtype=np.float64))
    if acc.ndim != 2 or acc.shape[1] != 3 or gyr.shape != acc.shape or angle.shape != acc.shape:
        raise ValueError(f"acc, gyr and angle must share shape (N, 3), got {acc.shape}, {gyr.shape}, {angle.shape}")
    counts = np.hstack(
        [
            to_int16_counts(acc / STANDARD_GRAVITY_MPS2, ACC_RANGE_G / 32768.0),
            to_int16_counts(gyr, GYR_RANGE_DPS / 32768.0),
            to_int16_counts(angle, ANGLE_RANGE_DEG / 32768.0),
        ]
    ).astype("<i2")
    headers = np.tile(np.array([HEADER, FLAG_IMU], dtype=np.uint8), (acc.shape[0], 1))
    return np.hstack([headers, counts.view(np.uint8).reshape(acc.shape[0], 18)]).tobytes()


class WitmotionDecoder(PacketDecoder):
    """Decodes ``55 61`` frames and counts samples (the protocol has no timestamp).

    A notification may hold one or more whole 20-byte frames. ``55 71``
    register-read replies carry no IMU data and are skipped.
    """

    def __init__(self) -> None:
        self._samples_seen = 0

    def decode(self, payload: bytes) -> DecodedPacket:
        """Decode the IMU frames of one notification.

        Returns:
            A packet with ``sensor_time_s=None``, ``sequence=None`` and
            ``sample_index`` = samples decoded before this one (counting only
            packets that arrived: a lost notification is invisible).

        Raises:
            DecodeError: empty payload, length not a multiple of 20, a frame not
                starting with 0x55, or an unknown flag byte.
        """
        if not payload or len(payload) % PACKET_SIZE:
            raise decode_error(NAME, f"notification of {len(payload)} bytes is not a whole number of 20-byte frames")
        frames = np.frombuffer(payload, dtype=np.uint8).reshape(-1, PACKET_SIZE)
        if np.any(frames[:, 0] != HEADER):
            raise decode_error(NAME, "frame does not start with the 0x55 header byte")
        unknown = set(frames[:, 1].tolist()) - {FLAG_IMU, FLAG_REGISTER}
        if unknown:
            raise decode_error(NAME, f"unknown frame flag(s) {sorted(hex(f) for f in unknown)}; expected 0x61 or 0x71")
        imu = frames[frames[:, 1] == FLAG_IMU]
        counts = np.ascontiguousarray(imu[:, 2:]).view("<i2").astype(np.float64)
        acc_mps2 = counts[:, 0:3] * (ACC_RANGE_G / 32768.0 * STANDARD_GRAVITY_MPS2)
        gyr_dps = counts[:, 3:6] * (GYR_RANGE_DPS / 32768.0)
        first_index = self._samples_seen
        self._samples_seen += imu.shape[0]
        return DecodedPacket(acc_mps2, gyr_dps, None, None, first_index)


class WitmotionProtocol(SensorProtocol):
    """Host side of the WitMotion WT901BLE(CL) BLE protocol."""

    name: ClassVar[str] = NAME
    service_uuids: ClassVar[tuple[str, ...]] = (SERVICE_UUID,)
    advertised_name_prefixes: ClassVar[tuple[str, ...]] = ("WT901",)
    data_characteristic_uuid: ClassVar[str] = NOTIFY_CHARACTERISTIC_UUID
    supported_rates_hz: ClassVar[tuple[float, ...]] = tuple(RATE_CODES)
    supported_acc_ranges_g: ClassVar[tuple[float, ...]] = (ACC_RANGE_G,)
    supported_gyr_ranges_dps: ClassVar[tuple[float, ...]] = (GYR_RANGE_DPS,)
    #: No timestamp or counter in the 0x55 0x61 frames (firmware_interfaces/witmotion/README.md):
    #: the host counts samples, nothing wraps.
    sensor_clock_wrap_s: ClassVar[float | None] = None

    def start_commands(
        self, sampling_rate_hz: float, acc_range_g: float, gyr_range_dps: float
    ) -> list[tuple[str, bytes]]:
        """Unlock, then set the output rate (not saved to flash). Ranges are fixed (16 g, 2000 deg/s).

        Raises:
            SensorConfigError: unsupported rate or a range other than 16 g / 2000 deg/s.
        """
        self.check_settings(sampling_rate_hz, acc_range_g, gyr_range_dps)
        rate = self.check_rate(sampling_rate_hz)
        return [
            (WRITE_CHARACTERISTIC_UUID, encode_command(REGISTER_UNLOCK, UNLOCK_VALUE)),
            (WRITE_CHARACTERISTIC_UUID, encode_command(REGISTER_RATE, RATE_CODES[rate])),
        ]

    def stop_commands(self) -> list[tuple[str, bytes]]:
        """None: the sensor streams while connected; the host unsubscribes and disconnects."""
        return []

    def new_decoder(self, sampling_rate_hz: float) -> WitmotionDecoder:
        """A sample-counting decoder.

        Raises:
            SensorConfigError: unsupported rate.
        """
        self.check_rate(sampling_rate_hz)
        return WitmotionDecoder()
