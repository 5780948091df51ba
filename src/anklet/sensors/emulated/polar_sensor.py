"""Emulated Polar Verity Sense streaming ACC + GYRO over PMD (``firmware_interfaces/polar_pmd/README.md``).

Control-point writes (start/stop of SDK mode, ACC, GYRO; get settings) are
answered with indications ``f0 <op> <type> <error> 00 [settings]``; started
measurements stream delta-compressed frames on the data characteristic.
Frames are built with :func:`anklet.sensors.polar_pmd.encode_delta_frame`;
each carries the sensor time of its last sample in ns since 2000-01-01.

Emulator choices (not from the specification): samples are 16-bit counts
with the factor ``range / 32768`` (ACC in mG, GYRO in deg/s) returned in the
start answer; a frame holds about 0.1 s of samples, fewer if the negotiated
MTU could not carry them at the worst-case delta width; ACC and GYRO must run
at the same rate (a second start at another rate answers
ERROR_INVALID_SAMPLE_RATE); the control point is not readable.
"""

from __future__ import annotations

import itertools
import struct
from collections.abc import Iterator, Sequence

import numpy as np

from anklet.errors import DecodeError
from anklet.imu import ImuData
from anklet.sensors import polar_pmd as protocol
from anklet.sensors.base import STANDARD_GRAVITY_MPS2
from anklet.sensors.emulated.peripheral import EmulatedPeripheral
from anklet.sensors.emulated.profile import (
    CharacteristicSpec,
    PeripheralProfile,
    ServiceSpec,
)
from anklet.sensors.emulated.sensor import EmulatedSensor
from anklet.sensors.emulated.streaming import ConnectionTiming

#: Control-point error codes used (PMD specification, see protocol.ERROR_NAMES).
ERROR_SUCCESS = 0
ERROR_INVALID_OP_CODE = 1
ERROR_INVALID_MEASUREMENT_TYPE = 2
ERROR_INVALID_LENGTH = 4
ERROR_ALREADY_IN_STATE = 6
ERROR_INVALID_SAMPLE_RATE = 8
ERROR_INVALID_RANGE = 9

#: The sensor clock at power-on: 2026-01-01T00:00:00Z in ns since 2000-01-01 (as if set by the phone).
CLOCK_AT_POWER_ON_NS = 820_540_800 * 10**9
#: Frames aim at this many seconds of samples.
FRAME_DURATION_S = 0.1
_DEFAULT_MTU_BYTES = 247
_RANGES = {protocol.MEASUREMENT_ACC: protocol.ACC_RANGES_G, protocol.MEASUREMENT_GYRO: protocol.GYR_RANGES_DPS}
#: Worst-case bits per delta: two int16 counts differ by up to 2**16 - 1, 17 bits in two's complement.
_WORST_DELTA_BITS = 17


def samples_per_frame(sampling_rate_hz: float, att_mtu_bytes: int) -> int:
    """Samples per delta frame: about 0.1 s, at most what fits ATT_MTU - 3 bytes at 17-bit deltas."""
    room_bits = 8 * (att_mtu_bytes - 3 - protocol.HEADER_SIZE - 2 * protocol.CHANNELS - 2)
    largest = 1 + max(0, room_bits // (_WORST_DELTA_BITS * protocol.CHANNELS))
    return max(1, min(largest, round(sampling_rate_hz * FRAME_DURATION_S)))


def factor_for(measurement_type: int, full_scale: float) -> float:
    """Units per count: ``range / 32768`` in mG (ACC, range in g) or deg/s (GYRO)."""
    unit_range = full_scale * 1000.0 if measurement_type == protocol.MEASUREMENT_ACC else full_scale
    return unit_range / 32768.0


def to_counts(values: np.ndarray, measurement_type: int, factor: float) -> np.ndarray:
    """(m, 3) m/s^2 (ACC) or deg/s (GYRO) -> int16 counts of ``factor`` units, rounded and saturated."""
    unit = 1e-3 * STANDARD_GRAVITY_MPS2 if measurement_type == protocol.MEASUREMENT_ACC else 1.0
    return np.clip(np.round(values / (unit * factor)), -32768, 32767).astype(np.int64)


def pmd_frames(
    counts: Sequence[tuple[int, np.ndarray]],
    *,
    first_sample_ns: int,
    sampling_rate_hz: float,
    samples_per_frame: int,
) -> Iterator[bytes]:
    """Endless delta frames, one per measurement per ``samples_per_frame`` samples, looping.

    Args:
        counts: ``(measurement_type, (m, 3) int16 counts)`` of the running measurements.
        first_sample_ns: sensor time of sample 0, ns since 2000-01-01.
        sampling_rate_hz: the common sample rate.
        samples_per_frame: samples per frame.
    """
    for frame in itertools.count():
        first = frame * samples_per_frame
        last_sample_ns = first_sample_ns + round((first + samples_per_frame - 1) * 1e9 / sampling_rate_hz)
        for measurement_type, values in counts:
            rows = np.arange(first, first + samples_per_frame) % len(values)
            yield protocol.encode_delta_frame(measurement_type, last_sample_ns, values[rows])


def _answer(op: int, measurement_type: int, error: int, settings: bytes = b"") -> bytes:
    """Control-point answer ``f0 <op> <type> <error> 00 <settings>``."""
    return bytes([protocol.RESPONSE_CODE, op, measurement_type, error, 0]) + settings


def _available_settings(measurement_type: int) -> bytes:
    """Setting records answering GET SETTINGS: rates, 16-bit resolution, ranges, 3 channels."""
    rates = protocol.SUPPORTED_RATES_HZ
    ranges = _RANGES[measurement_type]
    return (
        struct.pack(f"<BB{len(rates)}H", protocol.SETTING_SAMPLE_RATE, len(rates), *map(round, rates))
        + struct.pack("<BBH", protocol.SETTING_RESOLUTION, 1, protocol.RESOLUTION_BITS)
        + struct.pack(f"<BB{len(ranges)}H", protocol.SETTING_RANGE, len(ranges), *map(round, ranges))
        + struct.pack("<BBB", protocol.SETTING_CHANNELS, 1, protocol.CHANNELS)
    )


class EmulatedPolarSensor(EmulatedSensor):
    """A Verity Sense in SDK mode: PMD control point (write, indicate) and data (notify).

    Attributes:
        sdk_mode: True between ``02 09`` and ``03 09``.
    """

    def __init__(
        self,
        peripheral: EmulatedPeripheral,
        motion: ImuData,
        timing: ConnectionTiming,
        clock_drift_ppm: float,
        *,
        clock_offset_s: float = 0.0,
        motion_epoch_s: float | None = None,
    ) -> None:
        super().__init__(
            peripheral, motion, timing, clock_drift_ppm, clock_offset_s=clock_offset_s, motion_epoch_s=motion_epoch_s
        )
        self.sdk_mode = False
        self._running: dict[int, tuple[float, float]] = {}  # measurement type -> (rate Hz, range)

    @classmethod
    def profile(cls, name: str) -> PeripheralProfile:
        """PMD service; only the name is advertised (``Polar Sense <id>``)."""
        return PeripheralProfile(
            name=name,
            services=(
                ServiceSpec(
                    protocol.PMD_SERVICE_UUID,
                    (
                        CharacteristicSpec(protocol.PMD_CONTROL_POINT_UUID, frozenset({"write", "indicate"})),
                        CharacteristicSpec(protocol.PMD_DATA_UUID, frozenset({"notify"})),
                    ),
                ),
            ),
            max_mtu_bytes=_DEFAULT_MTU_BYTES,
        )

    async def on_command(self, char_uuid: str, payload: bytes) -> None:
        """Execute a control-point command and indicate its answer (errors are answers, not ATT errors)."""
        if char_uuid != protocol.PMD_CONTROL_POINT_UUID:
            return
        await self.peripheral.indicate(protocol.PMD_CONTROL_POINT_UUID, self._execute(payload))

    def on_disconnection(self) -> None:
        """A dropped link ends SDK mode and every measurement: a reconnecting host starts afresh."""
        self._running.clear()
        self.sdk_mode = False
        self.stop_stream()

    def _execute(self, payload: bytes) -> bytes:
        """Apply one control-point write; return its answer."""
        op = payload[0] if payload else 0
        measurement_type = payload[1] if len(payload) > 1 else 0
        if op not in (protocol.OP_GET_SETTINGS, protocol.OP_START, protocol.OP_STOP):
            return _answer(op, measurement_type, ERROR_INVALID_OP_CODE)
        try:
            command = protocol.parse_command(payload)
        except DecodeError:
            return _answer(op, measurement_type, ERROR_INVALID_LENGTH)
        if command.measurement_type == protocol.MEASUREMENT_SDK_MODE and command.action != "get_settings":
            self.sdk_mode = command.action == "start"
            return _answer(op, measurement_type, ERROR_SUCCESS)
        if command.measurement_type not in _RANGES:
            return _answer(op, measurement_type, ERROR_INVALID_MEASUREMENT_TYPE)
        if command.action == "get_settings":
            return _answer(op, measurement_type, ERROR_SUCCESS, _available_settings(measurement_type))
        if command.action == "stop":
            self._running.pop(measurement_type, None)
            self._restart()
            return _answer(op, measurement_type, ERROR_SUCCESS)
        return self._start(command)

    def _start(self, command: protocol.PolarCommand) -> bytes:
        op, measurement_type = protocol.OP_START, command.measurement_type
        rate_hz = command.settings.get(protocol.SETTING_SAMPLE_RATE)
        full_scale = command.settings.get(protocol.SETTING_RANGE)
        other_rates = {rate for kind, (rate, _) in self._running.items() if kind != measurement_type}
        if measurement_type in self._running:
            return _answer(op, measurement_type, ERROR_ALREADY_IN_STATE)
        if rate_hz not in protocol.SUPPORTED_RATES_HZ or other_rates - {rate_hz}:
            return _answer(op, measurement_type, ERROR_INVALID_SAMPLE_RATE)
        if full_scale not in _RANGES[measurement_type]:
            return _answer(op, measurement_type, ERROR_INVALID_RANGE)
        assert rate_hz is not None and full_scale is not None  # checked against the supported values
        self._running[measurement_type] = (rate_hz, full_scale)
        self._restart()
        factor = struct.pack("<BBf", protocol.SETTING_FACTOR, 1, factor_for(measurement_type, full_scale))
        return _answer(op, measurement_type, ERROR_SUCCESS, factor)

    def _restart(self) -> None:
        """(Re)start the data stream with every running measurement, from sample 0 now."""
        self.stop_stream()
        if not self._running:
            return
        rate_hz = next(iter(self._running.values()))[0]
        acc_mps2, gyr_dps = self.playback(rate_hz)
        motion = {protocol.MEASUREMENT_ACC: acc_mps2, protocol.MEASUREMENT_GYRO: gyr_dps}
        counts = [
            (kind, to_counts(motion[kind], kind, factor_for(kind, full_scale)))
            for kind, (_, full_scale) in sorted(self._running.items())
        ]
        mtu_bytes = min((c.att_mtu for c in self.peripheral.connections), default=_DEFAULT_MTU_BYTES)
        per_frame = samples_per_frame(rate_hz, mtu_bytes)
        frames = pmd_frames(
            counts,
            first_sample_ns=CLOCK_AT_POWER_ON_NS + round(self.sensor_time_s * 1e9),
            sampling_rate_hz=rate_hz,
            samples_per_frame=per_frame,
        )
        self.start_stream(protocol.PMD_DATA_UUID, frames, len(counts) * rate_hz / per_frame)
