"""The anklet open protocol: our own BLE IMU stream, designed for gait.

Specification: ``firmware_interfaces/anklet/README.md`` (this module and the C
header ``firmware_interfaces/anklet/anklet_packet.h`` implement it; the tests
check that both produce the same bytes).

Data notification (all little-endian)::

    offset size field
    0      1    version (= 1)
    1      1    flags: bit 0 = the sensor's FIFO overflowed before this packet
                (samples were lost on the sensor); bits 1-7 reserved, 0
    2      2    sequence counter, +1 per notification, wraps 65535 -> 0
    4      4    sensor time of the first sample, microseconds, wraps at 2**32
    8      1    sample count N (1..MAX_SAMPLES)
    9      1    ranges: bits 0-3 accelerometer range code, bits 4-7 gyroscope
                range code (see ACC_RANGES_G / GYR_RANGES_DPS)
    10     2    sample period, microseconds (the sensor's own clock)
    12     12*N samples: acc x, y, z, gyr x, y, z as int16; one count is
                range / 32768 (g or deg/s)

Control characteristic (write with response): ``01 <acc code> <gyr code>
<rate u16>`` starts streaming, ``02`` stops.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import ClassVar, Literal

import numpy as np

from anklet.sensors.base import (
    STANDARD_GRAVITY_MPS2,
    DecodedPacket,
    PacketDecoder,
    SensorProtocol,
    decode_error,
    require_choice,
    to_int16_counts,
)

NAME = "anklet"

SERVICE_UUID = "b8280001-9870-4d4c-8c46-a80111a8c68c"
DATA_CHARACTERISTIC_UUID = "b8280002-9870-4d4c-8c46-a80111a8c68c"
CONTROL_CHARACTERISTIC_UUID = "b8280003-9870-4d4c-8c46-a80111a8c68c"
#: Standard Battery Service and Battery Level characteristic (Bluetooth SIG assigned numbers).
BATTERY_SERVICE_UUID = "0000180f-0000-1000-8000-00805f9b34fb"
BATTERY_LEVEL_CHARACTERISTIC_UUID = "00002a19-0000-1000-8000-00805f9b34fb"

PROTOCOL_VERSION = 1
HEADER_SIZE = 12
SAMPLE_SIZE = 12
#: ATT notification payload is MTU - 3; with the largest LE MTU that a single
#: LL packet carries with Data Length Extension (247) this is 244 bytes.
DEFAULT_ATT_MTU = 247
FLAG_FIFO_OVERFLOW = 0x01

#: Range codes 0..3 -> full scale.
ACC_RANGES_G: tuple[float, ...] = (2.0, 4.0, 8.0, 16.0)
GYR_RANGES_DPS: tuple[float, ...] = (250.0, 500.0, 1000.0, 2000.0)
SUPPORTED_RATES_HZ: tuple[float, ...] = (50.0, 100.0, 200.0, 500.0, 1000.0)

OPCODE_START = 0x01
OPCODE_STOP = 0x02
_START_COMMAND = struct.Struct("<BBBH")
_HEADER = struct.Struct("<BBHIBBH")


def samples_per_notification(att_mtu: int = DEFAULT_ATT_MTU) -> int:
    """How many samples fit one notification for a negotiated ATT MTU (bytes).

    Raises:
        ValueError: the MTU is too small for one sample (< 27) or > 517.
    """
    if not 27 <= att_mtu <= 517:
        raise ValueError(f"ATT MTU must be 27..517 bytes, got {att_mtu}")
    return min(255, (att_mtu - 3 - HEADER_SIZE) // SAMPLE_SIZE)


def acc_range_code(acc_range_g: float) -> int:
    """Range code (0..3) of an accelerometer full scale in +-g.

    Raises:
        SensorConfigError: unsupported range.
    """
    return require_choice(NAME, "accelerometer range", acc_range_g, ACC_RANGES_G, "g")


def gyr_range_code(gyr_range_dps: float) -> int:
    """Range code (0..3) of a gyroscope full scale in +-deg/s.

    Raises:
        SensorConfigError: unsupported range.
    """
    return require_choice(NAME, "gyroscope range", gyr_range_dps, GYR_RANGES_DPS, "deg/s")


@dataclass(frozen=True)
class AnkletCommand:
    """A command written to the control characteristic, as the sensor sees it.

    Attributes:
        action: ``"start"`` or ``"stop"``.
        sampling_rate_hz: requested rate (start only, else ``None``).
        acc_range_g: accelerometer full scale +-g (start only).
        gyr_range_dps: gyroscope full scale +-deg/s (start only).
    """

    action: Literal["start", "stop"]
    sampling_rate_hz: float | None = None
    acc_range_g: float | None = None
    gyr_range_dps: float | None = None


def encode_start_command(sampling_rate_hz: float, acc_range_g: float, gyr_range_dps: float) -> bytes:
    """Bytes of the start command: ``01 <acc code> <gyr code> <rate_hz u16 LE>``.

    Raises:
        SensorConfigError: a setting is not supported.
    """
    rate_hz = SUPPORTED_RATES_HZ[require_choice(NAME, "sampling rate", sampling_rate_hz, SUPPORTED_RATES_HZ, "Hz")]
    return _START_COMMAND.pack(OPCODE_START, acc_range_code(acc_range_g), gyr_range_code(gyr_range_dps), int(rate_hz))


def encode_stop_command() -> bytes:
    """Bytes of the stop command: ``02``."""
    return bytes([OPCODE_STOP])


def parse_command(data: bytes) -> AnkletCommand:
    """Parse a control-characteristic write (what the sensor receives).

    Raises:
        DecodeError: unknown opcode, wrong length, or unsupported rate/range
            (a sensor answers these with ATT error 0x80 / 0x81, see the spec).
    """
    if data == bytes([OPCODE_STOP]):
        return AnkletCommand("stop")
    if len(data) != _START_COMMAND.size or data[0] != OPCODE_START:
        raise decode_error(
            NAME,
            f"control write {data.hex(' ')!r} is neither start (5 bytes, opcode 01) nor stop (02)",
        )
    _, acc_code, gyr_code, rate_hz = _START_COMMAND.unpack(data)
    if acc_code >= len(ACC_RANGES_G) or gyr_code >= len(GYR_RANGES_DPS):
        raise decode_error(NAME, f"start command has range codes acc={acc_code}, gyr={gyr_code}; valid codes are 0..3")
    if float(rate_hz) not in SUPPORTED_RATES_HZ:
        raise decode_error(NAME, f"start command asks for {rate_hz} Hz; supported: {SUPPORTED_RATES_HZ}")
    return AnkletCommand("start", float(rate_hz), ACC_RANGES_G[acc_code], GYR_RANGES_DPS[gyr_code])


def encode_packet(
    acc_mps2: np.ndarray,
    gyr_dps: np.ndarray,
    *,
    sequence: int,
    timestamp_us: int,
    sample_period_us: int,
    acc_range_g: float,
    gyr_range_dps: float,
    fifo_overflow: bool = False,
) -> bytes:
    """Build one data notification, exactly as the reference firmware does.

    Args:
        acc_mps2: (N, 3) specific force in m/s^2, sensor axes; quantised to
            ``acc_range_g / 32768`` g per count (half away from zero, saturated).
        gyr_dps: (N, 3) angular rate in deg/s; ``gyr_range_dps / 32768`` per count.
        sequence: packet counter, taken modulo 2**16.
        timestamp_us: sensor time of the first sample in microseconds, taken
            modulo 2**32.
        sample_period_us: sample spacing in microseconds, 1..65535.
        acc_range_g, gyr_range_dps: configured full scales.
        fifo_overflow: set the FIFO-overflow flag.

    Raises:
        ValueError: shapes differ, N is 0 or above 255, or the period is out of range.
        SensorConfigError: unsupported range.
    """
    acc = np.asarray(acc_mps2, dtype=np.float64)
    gyr = np.asarray(gyr_dps, dtype=np.float64)
    n = acc.shape[0] if acc.ndim == 2 else 0
    if acc.shape != (n, 3) or gyr.shape != (n, 3) or not 1 <= n <= 255:
        raise ValueError(f"acc_mps2 and gyr_dps must both be (N, 3) with 1 <= N <= 255, got {acc.shape}, {gyr.shape}")
    if not 1 <= sample_period_us <= 0xFFFF:
        raise ValueError(f"sample_period_us must be 1..65535, got {sample_period_us}")
    ranges = acc_range_code(acc_range_g) | (gyr_range_code(gyr_range_dps) << 4)
    header = _HEADER.pack(
        PROTOCOL_VERSION,
        FLAG_FIFO_OVERFLOW if fifo_overflow else 0,
        sequence % 0x10000,
        timestamp_us % 0x1_0000_0000,
        n,
        ranges,
        sample_period_us,
    )
    counts = np.hstack(
        [
            to_int16_counts(acc / STANDARD_GRAVITY_MPS2, acc_range_g / 32768.0),
            to_int16_counts(gyr, gyr_range_dps / 32768.0),
        ]
    )
    return header + counts.astype("<i2").tobytes()


class AnkletDecoder(PacketDecoder):
    """Stateless decoder of anklet data notifications (the header carries the scale)."""

    def decode(self, payload: bytes) -> DecodedPacket:
        """Decode one notification; see the module docstring for the layout.

        ``sensor_time_s`` is ``(timestamp_us + i * sample_period_us) / 1e6``,
        not wrapped within the packet; rollover across packets (every
        2**32 us = 71.6 min) is left to the clock model.

        Raises:
            DecodeError: short packet, unknown version, zero period, invalid
                range code, or length not matching the sample count.
        """
        if len(payload) < HEADER_SIZE:
            raise decode_error(NAME, f"packet of {len(payload)} bytes is shorter than the {HEADER_SIZE}-byte header")
        version, _flags, sequence, timestamp_us, n, ranges, period_us = _HEADER.unpack_from(payload)
        if version != PROTOCOL_VERSION:
            raise decode_error(NAME, f"protocol version {version} is not supported (expected {PROTOCOL_VERSION})")
        expected = HEADER_SIZE + SAMPLE_SIZE * n
        if n == 0 or len(payload) != expected:
            raise decode_error(
                NAME, f"packet of {len(payload)} bytes does not match its sample count {n} ({expected} bytes)"
            )
        acc_code, gyr_code = ranges & 0x0F, ranges >> 4
        if acc_code >= len(ACC_RANGES_G) or gyr_code >= len(GYR_RANGES_DPS):
            raise decode_error(NAME, f"invalid range codes acc={acc_code}, gyr={gyr_code} (valid: 0..3)")
        if period_us == 0:
            raise decode_error(NAME, "sample period is 0 us")
        counts = np.frombuffer(payload, dtype="<i2", offset=HEADER_SIZE).reshape(n, 6).astype(np.float64)
        acc_mps2 = counts[:, :3] * (ACC_RANGES_G[acc_code] / 32768.0 * STANDARD_GRAVITY_MPS2)
        gyr_dps = counts[:, 3:] * (GYR_RANGES_DPS[gyr_code] / 32768.0)
        sensor_time_s = (timestamp_us + np.arange(n, dtype=np.float64) * period_us) * 1e-6
        return DecodedPacket(acc_mps2, gyr_dps, sensor_time_s, sequence)


class AnkletProtocol(SensorProtocol):
    """Host side of the anklet open protocol."""

    name: ClassVar[str] = NAME
    service_uuids: ClassVar[tuple[str, ...]] = (SERVICE_UUID,)
    advertised_name_prefixes: ClassVar[tuple[str, ...]] = ("anklet",)
    data_characteristic_uuid: ClassVar[str] = DATA_CHARACTERISTIC_UUID
    supported_rates_hz: ClassVar[tuple[float, ...]] = SUPPORTED_RATES_HZ
    supported_acc_ranges_g: ClassVar[tuple[float, ...]] = ACC_RANGES_G
    supported_gyr_ranges_dps: ClassVar[tuple[float, ...]] = GYR_RANGES_DPS
    #: uint32 microsecond timestamp: wraps every 2**32 us = 71.6 min (firmware_interfaces/anklet/README.md,
    #: packet layout; the firmware reads Arduino micros(), which wraps at the same point).
    sensor_clock_wrap_s: ClassVar[float | None] = 2**32 * 1e-6

    def start_commands(
        self, sampling_rate_hz: float, acc_range_g: float, gyr_range_dps: float
    ) -> list[tuple[str, bytes]]:
        """One write of the start command to the control characteristic.

        Raises:
            SensorConfigError: a setting is not supported.
        """
        return [(CONTROL_CHARACTERISTIC_UUID, encode_start_command(sampling_rate_hz, acc_range_g, gyr_range_dps))]

    def stop_commands(self) -> list[tuple[str, bytes]]:
        """One write of the stop command to the control characteristic."""
        return [(CONTROL_CHARACTERISTIC_UUID, encode_stop_command())]

    def new_decoder(self, sampling_rate_hz: float) -> AnkletDecoder:
        """A decoder; the rate is only checked (packets carry their own period).

        Raises:
            SensorConfigError: unsupported rate.
        """
        self.check_rate(sampling_rate_hz)
        return AnkletDecoder()
