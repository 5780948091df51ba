"""Polar Verity Sense over the Polar Measurement Data (PMD) service: ACC + GYRO.

Specification and sources: ``firmware_interfaces/polar_pmd/README.md``
(Polar's public "Polar Measurement Data Specification for 3rd party" and the
Polar BLE SDK documentation pages).

Control point (write, answers by indication): ``02 <type> <settings>`` starts
a measurement, ``03 <type>`` stops it; a setting is ``<setting type> <count>
<value>`` (sample rate 0x00 u16, resolution 0x01 u16, range 0x02 u16,
channels 0x04 u8). The answer is ``f0 <op> <type> <error> <more> <settings>``;
a FACTOR setting (0x05, float32) in it scales the samples.

Data frame (notify, little-endian)::

    0      measurement type (0x02 ACC, 0x05 GYRO)
    1..8   uint64 timestamp, ns since 2000-01-01T00:00 of the *last* sample
    9      frame type: bit 7 = delta compressed, bits 0-6 = type
    10..   raw samples, or for delta frames: one reference sample (channels x
           int16), then blocks of ``<delta bit width u8> <sample count u8>
           <count * channels deltas, two's complement, packed LSB first,
           padded to a whole byte>``; each sample is the previous one plus its delta.

ACC values are in milli-g and GYRO values in deg/s, each times the factor.
ACC and GYRO arrive as separate frames; the decoder pairs them by timestamp
into acc+gyr samples.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import ClassVar, Literal

import numpy as np

from anklet.sensors.base import (
    STANDARD_GRAVITY_MPS2,
    DecodedPacket,
    PacketDecoder,
    SensorProtocol,
    decode_error,
)

NAME = "polar_pmd"

PMD_SERVICE_UUID = "fb005c80-02e7-f387-1cad-8acd2d8df0c8"
PMD_CONTROL_POINT_UUID = "fb005c81-02e7-f387-1cad-8acd2d8df0c8"
PMD_DATA_UUID = "fb005c82-02e7-f387-1cad-8acd2d8df0c8"

MEASUREMENT_ACC = 0x02
MEASUREMENT_GYRO = 0x05
MEASUREMENT_SDK_MODE = 0x09
OP_GET_SETTINGS = 0x01
OP_START = 0x02
OP_STOP = 0x03
RESPONSE_CODE = 0xF0

SETTING_SAMPLE_RATE = 0x00
SETTING_RESOLUTION = 0x01
SETTING_RANGE = 0x02
SETTING_RANGE_MILLIUNIT = 0x03
SETTING_CHANNELS = 0x04
SETTING_FACTOR = 0x05
#: Bytes per value of each setting type.
SETTING_SIZES: dict[int, int] = {0x00: 2, 0x01: 2, 0x02: 2, 0x03: 4, 0x04: 1, 0x05: 4}

#: Control-point error codes (PMD specification).
ERROR_NAMES: dict[int, str] = {
    0: "SUCCESS",
    1: "ERROR_INVALID_OP_CODE",
    2: "ERROR_INVALID_MEASUREMENT_TYPE",
    3: "ERROR_NOT_SUPPORTED",
    4: "ERROR_INVALID_LENGTH",
    5: "ERROR_INVALID_PARAMETER",
    6: "ERROR_ALREADY_IN_STATE",
    7: "ERROR_INVALID_RESOLUTION",
    8: "ERROR_INVALID_SAMPLE_RATE",
    9: "ERROR_INVALID_RANGE",
    10: "ERROR_INVALID_MTU",
    11: "ERROR_INVALID_NUMBER_OF_CHANNELS",
    12: "ERROR_INVALID_STATE",
    13: "ERROR_DEVICE_IN_CHARGER",
}

COMPRESSED_FLAG = 0x80
HEADER_SIZE = 10
CHANNELS = 3
RESOLUTION_BITS = 16
#: Raw (uncompressed) ACC frame types -> bytes per channel value.
RAW_ACC_FRAME_BYTES: dict[int, int] = {0: 1, 1: 2, 2: 3}
#: Delta-compressed frame types accepted for ACC and GYRO (16-bit reference sample).
DELTA_FRAME_TYPES: tuple[int, ...] = (0, 1)
#: Frame type the encoder writes (Verity Sense ACC delta frames are 0x81).
DEFAULT_DELTA_FRAME_TYPE = 1
#: Polar device time epoch: 2000-01-01T00:00:00Z, ns after the Unix epoch.
POLAR_EPOCH_UNIX_NS = 946_684_800_000_000_000

SUPPORTED_RATES_HZ: tuple[float, ...] = (26.0, 52.0, 104.0, 208.0, 416.0)
ACC_RANGES_G: tuple[float, ...] = (2.0, 4.0, 8.0, 16.0)
GYR_RANGES_DPS: tuple[float, ...] = (250.0, 500.0, 1000.0, 2000.0)
_MILLI_G_TO_MPS2 = 1e-3 * STANDARD_GRAVITY_MPS2
#: Longest time span (s) of samples kept while waiting for the other stream.
MAX_UNPAIRED_S = 2.0


@dataclass(frozen=True)
class PolarCommand:
    """A control-point write as the sensor sees it.

    Attributes:
        action: ``"get_settings"``, ``"start"`` or ``"stop"``.
        measurement_type: 0x02 ACC, 0x05 GYRO, 0x09 SDK mode, ...
        settings: setting type -> first value (start only; factor as float).
    """

    action: Literal["get_settings", "start", "stop"]
    measurement_type: int
    settings: dict[int, float] = field(default_factory=dict)


def encode_start_command(measurement_type: int, sampling_rate_hz: float, full_scale: float) -> bytes:
    """``02 <type>`` + sample rate, resolution 16, range, 3 channels.

    Args:
        measurement_type: :data:`MEASUREMENT_ACC` or :data:`MEASUREMENT_GYRO`.
        sampling_rate_hz: rate in Hz (whole number).
        full_scale: range in g (ACC) or deg/s (GYRO), whole number.

    Raises:
        ValueError: rate or range not representable as uint16.
    """
    rate, full = round(sampling_rate_hz), round(full_scale)
    if not (0 < rate <= 0xFFFF and 0 < full <= 0xFFFF):
        raise ValueError(f"rate and range must be 1..65535, got {sampling_rate_hz}, {full_scale}")
    return bytes([OP_START, measurement_type]) + struct.pack(
        "<BBHBBHBBHBBB",
        SETTING_SAMPLE_RATE,
        1,
        rate,
        SETTING_RESOLUTION,
        1,
        RESOLUTION_BITS,
        SETTING_RANGE,
        1,
        full,
        SETTING_CHANNELS,
        1,
        CHANNELS,
    )


def encode_stop_command(measurement_type: int) -> bytes:
    """``03 <type>``."""
    return bytes([OP_STOP, measurement_type])


def _parse_settings(data: bytes) -> dict[int, float]:
    """Parse ``<type> <count> <values>`` records; keeps the first value of each type.

    Raises:
        DecodeError: unknown setting type or truncated record.
    """
    settings: dict[int, float] = {}
    offset = 0
    while offset < len(data):
        if offset + 2 > len(data) or data[offset] not in SETTING_SIZES:
            raise decode_error(NAME, f"setting record at byte {offset} of {data.hex(' ')!r} is unknown or truncated")
        kind, count = data[offset], data[offset + 1]
        size = SETTING_SIZES[kind]
        end = offset + 2 + count * size
        if count == 0 or end > len(data):
            raise decode_error(NAME, f"setting 0x{kind:02x} declares {count} values but the record is truncated")
        fmt = {1: "<B", 2: "<H", 4: "<f" if kind == SETTING_FACTOR else "<I"}[size]
        settings.setdefault(kind, float(struct.unpack_from(fmt, data, offset + 2)[0]))
        offset = end
    return settings


def parse_command(data: bytes) -> PolarCommand:
    """Parse a control-point write (what the sensor receives).

    Raises:
        DecodeError: shorter than 2 bytes, unknown op code, or malformed settings.
    """
    if len(data) < 2:
        raise decode_error(NAME, f"control-point write {data.hex(' ')!r} is shorter than <op> <type>")
    op, measurement_type = data[0], data[1]
    if op == OP_START:
        return PolarCommand("start", measurement_type, _parse_settings(data[2:]))
    if op in (OP_GET_SETTINGS, OP_STOP) and len(data) == 2:
        return PolarCommand("get_settings" if op == OP_GET_SETTINGS else "stop", measurement_type)
    raise decode_error(NAME, f"control-point write {data.hex(' ')!r}: unknown op code or length")


def encode_control_response(op: int, measurement_type: int, error: int = 0, factor: float | None = None) -> bytes:
    """The control-point indication ``f0 <op> <type> <error> 00 [05 01 <factor f32>]``."""
    settings = b"" if factor is None else struct.pack("<BBf", SETTING_FACTOR, 1, factor)
    return bytes([RESPONSE_CODE, op, measurement_type, error, 0]) + settings


def _signed_width(deltas: np.ndarray) -> int:
    """Smallest two's complement bit width holding every value in ``deltas`` (>= 1)."""
    if deltas.size == 0:
        return 1
    top = int(max(deltas.max(), -deltas.min() - 1))
    return max(1, top.bit_length() + 1)


def _pack_bits(values: np.ndarray, width: int) -> bytes:
    """Pack integers as ``width``-bit two's complement, least significant bit first."""
    unsigned = values.astype(np.int64) & ((1 << width) - 1)
    bits = ((unsigned[:, None] >> np.arange(width)) & 1).astype(np.uint8)
    return np.packbits(bits.ravel(), bitorder="little").tobytes()


def _unpack_bits(data: bytes, width: int, count: int) -> np.ndarray:
    """Inverse of :func:`_pack_bits`: ``count`` signed ``width``-bit integers."""
    bits = np.unpackbits(np.frombuffer(data, dtype=np.uint8), bitorder="little")[: width * count]
    unsigned = bits.reshape(count, width).astype(np.int64) @ (np.int64(1) << np.arange(width, dtype=np.int64))
    return np.where(unsigned >= (1 << (width - 1)), unsigned - (1 << width), unsigned)


def encode_delta_frame(
    measurement_type: int,
    timestamp_ns: int,
    counts: np.ndarray,
    frame_type: int = DEFAULT_DELTA_FRAME_TYPE,
) -> bytes:
    """A delta-compressed data frame, as the sensor sends it.

    Args:
        measurement_type: :data:`MEASUREMENT_ACC` or :data:`MEASUREMENT_GYRO`.
        timestamp_ns: time of the *last* sample, ns since 2000-01-01.
        counts: (N, 3) integer samples in the frame's unit (ACC: mG / factor,
            GYRO: deg/s / factor), int16 range.
        frame_type: frame type without the compression bit.

    Returns:
        Header, reference sample (first row), then blocks of at most 255
        samples, each with the smallest bit width that holds its deltas.

    Raises:
        ValueError: ``counts`` is not (N >= 1, 3) or outside int16.
    """
    samples = np.asarray(counts, dtype=np.int64)
    if samples.ndim != 2 or samples.shape[1] != CHANNELS or samples.shape[0] == 0:
        raise ValueError(f"counts must be (N >= 1, 3), got {samples.shape}")
    if samples.min() < -32768 or samples.max() > 32767:
        raise ValueError("counts must fit int16")
    out = [
        struct.pack("<BQB", measurement_type, timestamp_ns, COMPRESSED_FLAG | frame_type),
        samples[0].astype("<i2").tobytes(),
    ]
    deltas = np.diff(samples, axis=0)
    for start in range(0, deltas.shape[0], 255):
        block = deltas[start : start + 255]
        width = _signed_width(block)
        out.append(bytes([width, block.shape[0]]) + _pack_bits(block.ravel(), width))
    return b"".join(out)


def _decode_delta_samples(body: bytes) -> np.ndarray:
    """Reference sample + delta blocks -> (N, 3) int64 counts.

    Raises:
        DecodeError: truncated reference or block, zero/oversized bit width.
    """
    reference_size = CHANNELS * RESOLUTION_BITS // 8
    if len(body) < reference_size:
        raise decode_error(NAME, f"delta frame body of {len(body)} bytes is shorter than its reference sample")
    rows = [np.frombuffer(body, dtype="<i2", count=CHANNELS).astype(np.int64)[None, :]]
    offset = reference_size
    while offset < len(body):
        if offset + 2 > len(body):
            raise decode_error(NAME, f"delta block header at byte {offset} is truncated")
        width, count = body[offset], body[offset + 1]
        size = (width * count * CHANNELS + 7) // 8
        if not 1 <= width <= 32 or offset + 2 + size > len(body):
            raise decode_error(
                NAME, f"delta block at byte {offset} (width {width}, {count} samples) is invalid or truncated"
            )
        rows.append(
            _unpack_bits(body[offset + 2 : offset + 2 + size], width, count * CHANNELS).reshape(count, CHANNELS)
        )
        offset += 2 + size
    deltas = np.vstack(rows)
    return np.cumsum(deltas, axis=0)


def decode_frame(payload: bytes) -> tuple[int, int, np.ndarray]:
    """Split one data frame into (measurement type, last-sample timestamp ns, (N, 3) counts).

    Counts are in the frame's unit before the factor (ACC mG, GYRO deg/s).

    Raises:
        DecodeError: short frame, a measurement type other than ACC/GYRO, an
            unknown frame type, or malformed samples.
    """
    if len(payload) < HEADER_SIZE + 1:
        raise decode_error(NAME, f"data frame of {len(payload)} bytes is shorter than its 10-byte header plus data")
    measurement_type, timestamp_ns, frame_byte = struct.unpack_from("<BQB", payload)
    frame_type, compressed = frame_byte & 0x7F, bool(frame_byte & COMPRESSED_FLAG)
    body = payload[HEADER_SIZE:]
    if measurement_type not in (MEASUREMENT_ACC, MEASUREMENT_GYRO):
        raise decode_error(NAME, f"measurement type 0x{measurement_type:02x} is not ACC (0x02) or GYRO (0x05)")
    if compressed and frame_type in DELTA_FRAME_TYPES:
        return measurement_type, timestamp_ns, _decode_delta_samples(body)
    if not compressed and measurement_type == MEASUREMENT_ACC and frame_type in RAW_ACC_FRAME_BYTES:
        width = RAW_ACC_FRAME_BYTES[frame_type]
        if len(body) % (width * CHANNELS):
            raise decode_error(NAME, f"raw ACC frame body of {len(body)} bytes is not whole {width}-byte xyz samples")
        raw = np.frombuffer(body, dtype=np.uint8).reshape(-1, width)
        unsigned = raw.astype(np.int64) @ (np.int64(1) << (8 * np.arange(width, dtype=np.int64)))
        signed = np.where(unsigned >= 1 << (8 * width - 1), unsigned - (1 << (8 * width)), unsigned)
        return measurement_type, timestamp_ns, signed.reshape(-1, CHANNELS)
    raise decode_error(NAME, f"frame type 0x{frame_byte:02x} is not supported for measurement 0x{measurement_type:02x}")


@dataclass
class _Stream:
    """Samples of one measurement waiting to be paired, with their times (s)."""

    values: np.ndarray = field(default_factory=lambda: np.zeros((0, 3)))
    times_s: np.ndarray = field(default_factory=lambda: np.zeros(0))
    last_timestamp_ns: int | None = None
    factor: float = 1.0


class PolarPmdDecoder(PacketDecoder):
    """Decodes ACC and GYRO frames and pairs them into acc+gyr samples.

    Sample times: a frame's timestamp belongs to its last sample; earlier
    samples are spaced by (this - previous frame timestamp) / N when that
    interval is plausible (within 50 % of N / rate), else by 1 / rate.
    Pairing: an ACC and a GYRO sample pair when their times differ by less
    than half a sample period; samples that can no longer be paired are
    dropped and counted in :attr:`unpaired_samples`.
    """

    def __init__(self, sampling_rate_hz: float) -> None:
        self._period_s = 1.0 / sampling_rate_hz
        self._streams = {MEASUREMENT_ACC: _Stream(), MEASUREMENT_GYRO: _Stream()}
        self.unpaired_samples = 0

    def handle_response(self, payload: bytes) -> None:
        """Take a control-point indication; a FACTOR setting in a start answer sets that stream's scale.

        Raises:
            DecodeError: not a PMD answer, or the sensor reports an error.
        """
        if len(payload) < 5 or payload[0] != RESPONSE_CODE:
            raise decode_error(
                NAME, f"control-point answer {payload.hex(' ')!r} is not 'f0 <op> <type> <error> <more>'"
            )
        op, measurement_type, error = payload[1], payload[2], payload[3]
        if error:
            raise decode_error(
                NAME, f"op 0x{op:02x} on measurement 0x{measurement_type:02x} failed: {ERROR_NAMES.get(error, error)}"
            )
        if op == OP_START and measurement_type in self._streams:
            factor = _parse_settings(payload[5:]).get(SETTING_FACTOR)
            if factor is not None:
                self._streams[measurement_type].factor = factor

    def decode(self, payload: bytes) -> DecodedPacket:
        """Decode one ACC or GYRO frame; returns the acc+gyr pairs completed by it.

        ``sensor_time_s`` is seconds since 2000-01-01 on the sensor's clock.

        Raises:
            DecodeError: see :func:`decode_frame`.
        """
        measurement_type, timestamp_ns, counts = decode_frame(payload)
        stream = self._streams[measurement_type]
        n = counts.shape[0]
        spacing_s = self._period_s
        if stream.last_timestamp_ns is not None:
            interval_s = (timestamp_ns - stream.last_timestamp_ns) * 1e-9 / n
            if 0.5 * self._period_s < interval_s < 1.5 * self._period_s:
                spacing_s = interval_s
        stream.last_timestamp_ns = timestamp_ns
        times_s = timestamp_ns * 1e-9 - spacing_s * np.arange(n - 1, -1, -1)
        unit = _MILLI_G_TO_MPS2 if measurement_type == MEASUREMENT_ACC else 1.0
        stream.values = np.vstack([stream.values, counts * (stream.factor * unit)])
        stream.times_s = np.concatenate([stream.times_s, times_s])
        return self._pair()

    def _pair(self) -> DecodedPacket:
        acc, gyr = self._streams[MEASUREMENT_ACC], self._streams[MEASUREMENT_GYRO]
        acc_index = gyr_index = np.zeros(0, dtype=np.int64)
        if acc.times_s.size and gyr.times_s.size:
            acc_times, gyr_times = acc.times_s, gyr.times_s
            right = np.searchsorted(gyr_times, acc_times).clip(0, gyr_times.size - 1)
            left = (right - 1).clip(0)
            nearest = np.where(np.abs(gyr_times[left] - acc_times) <= np.abs(gyr_times[right] - acc_times), left, right)
            matched = np.flatnonzero(np.abs(gyr_times[nearest] - acc_times) < 0.5 * self._period_s)
            gyr_index, first = np.unique(nearest[matched], return_index=True)  # one ACC sample per GYRO sample
            acc_index = matched[first]
        packet = DecodedPacket(acc.values[acc_index], gyr.values[gyr_index], acc.times_s[acc_index], None)
        acc_newest, gyr_newest = acc.times_s[-1:], gyr.times_s[-1:]
        self._drop_unpairable(acc, acc_index, gyr_newest)
        self._drop_unpairable(gyr, gyr_index, acc_newest)
        return packet

    def _drop_unpairable(self, stream: _Stream, paired: np.ndarray, other_newest_s: np.ndarray) -> None:
        """Drop paired samples and those that can no longer pair, counting the latter.

        A sample can still pair only if it is newer than the last pair and not
        older than the other stream's newest sample by half a period or more
        (later samples of the other stream are newer still). At most
        :data:`MAX_UNPAIRED_S` of samples wait, so a stream that never starts
        cannot grow the buffer without bound.
        """
        keep_from = int(paired[-1]) + 1 if paired.size else 0
        if other_newest_s.size:
            oldest_pairable_s = other_newest_s[0] - 0.5 * self._period_s
            keep_from = max(keep_from, int(np.searchsorted(stream.times_s, oldest_pairable_s, side="right")))
        keep_from = max(keep_from, stream.times_s.size - int(MAX_UNPAIRED_S / self._period_s))
        self.unpaired_samples += keep_from - paired.size
        stream.values, stream.times_s = stream.values[keep_from:], stream.times_s[keep_from:]


class PolarPmdProtocol(SensorProtocol):
    """Host side of Polar PMD streaming of ACC and GYRO (Verity Sense in SDK mode)."""

    name: ClassVar[str] = NAME
    service_uuids: ClassVar[tuple[str, ...]] = (PMD_SERVICE_UUID,)
    advertised_name_prefixes: ClassVar[tuple[str, ...]] = ("Polar Sense", "Polar Verity")
    data_characteristic_uuid: ClassVar[str] = PMD_DATA_UUID
    response_characteristic_uuids: ClassVar[tuple[str, ...]] = (PMD_CONTROL_POINT_UUID,)
    supported_rates_hz: ClassVar[tuple[float, ...]] = SUPPORTED_RATES_HZ
    supported_acc_ranges_g: ClassVar[tuple[float, ...]] = ACC_RANGES_G
    supported_gyr_ranges_dps: ClassVar[tuple[float, ...]] = GYR_RANGES_DPS
    #: uint64 nanoseconds since 2000-01-01 (firmware_interfaces/polar_pmd/README.md, data frame):
    #: wraps after 584 years, i.e. never.
    sensor_clock_wrap_s: ClassVar[float | None] = None

    def start_commands(
        self, sampling_rate_hz: float, acc_range_g: float, gyr_range_dps: float
    ) -> list[tuple[str, bytes]]:
        """Enable SDK mode, then start ACC and GYRO with the same rate.

        Raises:
            SensorConfigError: a setting is not supported.
        """
        self.check_settings(sampling_rate_hz, acc_range_g, gyr_range_dps)
        return [
            (PMD_CONTROL_POINT_UUID, bytes([OP_START, MEASUREMENT_SDK_MODE])),
            (PMD_CONTROL_POINT_UUID, encode_start_command(MEASUREMENT_ACC, sampling_rate_hz, acc_range_g)),
            (PMD_CONTROL_POINT_UUID, encode_start_command(MEASUREMENT_GYRO, sampling_rate_hz, gyr_range_dps)),
        ]

    def stop_commands(self) -> list[tuple[str, bytes]]:
        """Stop ACC and GYRO, then leave SDK mode."""
        return [
            (PMD_CONTROL_POINT_UUID, encode_stop_command(MEASUREMENT_ACC)),
            (PMD_CONTROL_POINT_UUID, encode_stop_command(MEASUREMENT_GYRO)),
            (PMD_CONTROL_POINT_UUID, encode_stop_command(MEASUREMENT_SDK_MODE)),
        ]

    def new_decoder(self, sampling_rate_hz: float) -> PolarPmdDecoder:
        """A pairing decoder for streams started at ``sampling_rate_hz``.

        Raises:
            SensorConfigError: unsupported rate.
        """
        return PolarPmdDecoder(self.check_rate(sampling_rate_hz))
