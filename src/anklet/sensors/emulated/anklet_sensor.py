"""An emulated sensor speaking the anklet open protocol, playing back given motion.

The GATT layout, commands, ATT error codes and packets follow
``firmware_interfaces/anklet/README.md``; packets are built and commands parsed
by :mod:`anklet.sensors.anklet` (the same code the host decodes with, checked
byte-for-byte against the C header). On a start command the sensor resamples
its motion to the requested rate, packs as many samples per notification as
the negotiated ATT MTU allows and streams them with
:func:`~anklet.sensors.emulated.streaming.stream_notifications`, looping over
the motion; a stop command or a disconnection ends the stream.

The sensor clock starts at power-on and runs ``clock_drift_ppm`` fast (a
crystal's tolerance is typically +-20 ppm): timestamps advance by the nominal
sample period while packets leave that much more often in host time, which is
what :mod:`anklet.timing` has to undo.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterator

import numpy as np

from anklet.errors import DecodeError
from anklet.imu import ImuData
from anklet.sensors import anklet as protocol
from anklet.sensors.emulated.errors import WriteRejected
from anklet.sensors.emulated.peripheral import EmulatedPeripheral
from anklet.sensors.emulated.profile import CharacteristicSpec, PeripheralProfile, ServiceSpec
from anklet.sensors.emulated.radio import VirtualRadio
from anklet.sensors.emulated.streaming import DEFAULT_TIMING, ConnectionTiming, stream_notifications

#: ATT error codes of the anklet protocol (firmware_interfaces/anklet/README.md).
ATT_ERROR_UNKNOWN_OPCODE = 0x80
ATT_ERROR_INVALID_SETTING = 0x81


def anklet_profile(name: str, battery_percent: int = 100) -> PeripheralProfile:
    """The GATT profile of an anklet sensor: anklet service (advertised) and Battery Service.

    Raises:
        EmulationError: the name makes the advertising data longer than 31 bytes.
        ValueError: ``battery_percent`` is not 0..100.
    """
    if not 0 <= battery_percent <= 100:
        raise ValueError(f"battery_percent must be 0..100, got {battery_percent}")
    return PeripheralProfile(
        name=name,
        services=(
            ServiceSpec(
                protocol.SERVICE_UUID,
                (
                    CharacteristicSpec(protocol.DATA_CHARACTERISTIC_UUID, frozenset({"notify"})),
                    CharacteristicSpec(protocol.CONTROL_CHARACTERISTIC_UUID, frozenset({"write"})),
                ),
            ),
            ServiceSpec(
                protocol.BATTERY_SERVICE_UUID,
                (
                    CharacteristicSpec(
                        protocol.BATTERY_LEVEL_CHARACTERISTIC_UUID,
                        frozenset({"read", "notify"}),
                        bytes([battery_percent]),
                    ),
                ),
            ),
        ),
        advertised_service_uuids=(protocol.SERVICE_UUID,),
        max_mtu_bytes=protocol.DEFAULT_ATT_MTU,
    )


def resample_motion(motion: ImuData, sampling_rate_hz: float) -> tuple[np.ndarray, np.ndarray]:
    """Linearly interpolate ``motion`` onto a uniform grid of ``sampling_rate_hz`` from its first sample.

    Returns:
        ``(acc_mps2, gyr_dps)``, each (m, 3), m >= 1.

    Raises:
        ValueError: ``sampling_rate_hz`` is not positive or ``motion`` is empty.
    """
    if sampling_rate_hz <= 0 or len(motion) == 0:
        raise ValueError(f"need a positive rate and samples, got {sampling_rate_hz} Hz and {len(motion)} samples")
    t_s = motion.time_s
    grid_s = t_s[0] + np.arange(int((t_s[-1] - t_s[0]) * sampling_rate_hz) + 1) / sampling_rate_hz

    def interp(values: np.ndarray) -> np.ndarray:
        return np.column_stack([np.interp(grid_s, t_s, values[:, axis]) for axis in range(3)])

    return interp(motion.acc_mps2), interp(motion.gyr_dps)


def _packets(
    acc_mps2: np.ndarray,
    gyr_dps: np.ndarray,
    *,
    first_timestamp_us: int,
    sample_period_us: int,
    acc_range_g: float,
    gyr_range_dps: float,
    samples_per_packet: int,
) -> Iterator[bytes]:
    """Endless anklet data notifications over uniformly sampled motion (looping), sequence from 0."""
    for sequence in itertools.count():
        first = sequence * samples_per_packet
        rows = np.arange(first, first + samples_per_packet) % len(acc_mps2)
        yield protocol.encode_packet(
            acc_mps2[rows],
            gyr_dps[rows],
            sequence=sequence,
            timestamp_us=first_timestamp_us + first * sample_period_us,
            sample_period_us=sample_period_us,
            acc_range_g=acc_range_g,
            gyr_range_dps=gyr_range_dps,
        )


class EmulatedAnkletSensor:
    """An anklet-protocol sensor on a :class:`VirtualRadio`.

    Create it with :meth:`add_to`.

    Attributes:
        peripheral: the underlying emulated peripheral (address, faults, stats).
    """

    def __init__(
        self, peripheral: EmulatedPeripheral, motion: ImuData, timing: ConnectionTiming, clock_drift_ppm: float
    ) -> None:
        self.peripheral = peripheral
        self._motion = motion
        self._timing = timing
        self._clock_rate = 1.0 + clock_drift_ppm * 1e-6
        self._powered_on_s = asyncio.get_running_loop().time()
        self._stream: asyncio.Task[int] | None = None
        peripheral.on_write = self._on_write

    @classmethod
    async def add_to(
        cls,
        radio: VirtualRadio,
        name: str,
        motion: ImuData,
        *,
        timing: ConnectionTiming = DEFAULT_TIMING,
        clock_drift_ppm: float = 0.0,
        battery_percent: int = 100,
    ) -> EmulatedAnkletSensor:
        """Add an advertising anklet sensor called ``name`` that plays ``motion`` in a loop.

        Args:
            radio: a started radio.
            name: advertised name; the host recognises ``anklet*``.
            motion: acc (m/s^2) and gyr (deg/s) in sensor axes, any rate.
            timing: the link's connection-event pattern.
            clock_drift_ppm: how fast the sensor clock runs, parts per million.
            battery_percent: Battery Level value.

        Raises:
            EmulationError: the radio is not started or the name is too long.
        """
        peripheral = await radio.add_peripheral(anklet_profile(name, battery_percent))
        return cls(peripheral, motion, timing, clock_drift_ppm)

    @property
    def is_streaming(self) -> bool:
        """True while data notifications are being sent."""
        return self._stream is not None and not self._stream.done()

    def _on_write(self, char_uuid: str, payload: bytes) -> None:
        if char_uuid != protocol.CONTROL_CHARACTERISTIC_UUID:
            return
        try:
            command = protocol.parse_command(payload)
        except DecodeError as exc:
            # The spec: 0x81 for a well-formed start with a bad setting, 0x80 otherwise.
            well_formed_start = len(payload) == 5 and payload[0] == protocol.OPCODE_START
            raise WriteRejected(
                ATT_ERROR_INVALID_SETTING if well_formed_start else ATT_ERROR_UNKNOWN_OPCODE, str(exc)
            ) from exc
        self._stop_stream()
        if command.action == "start":
            self._start_stream(command)

    def _stop_stream(self) -> None:
        if self._stream is not None:
            self._stream.cancel()
            self._stream = None

    def _start_stream(self, command: protocol.AnkletCommand) -> None:
        rate_hz, acc_range_g, gyr_range_dps = command.sampling_rate_hz, command.acc_range_g, command.gyr_range_dps
        assert rate_hz is not None and acc_range_g is not None and gyr_range_dps is not None  # a start command
        mtu_bytes = min((c.att_mtu for c in self.peripheral.connections), default=protocol.DEFAULT_ATT_MTU)
        try:
            samples_per_packet = protocol.samples_per_notification(mtu_bytes)
        except ValueError as exc:
            raise WriteRejected(ATT_ERROR_INVALID_SETTING, str(exc)) from exc
        acc_mps2, gyr_dps = resample_motion(self._motion, rate_hz)
        sensor_now_us = (asyncio.get_running_loop().time() - self._powered_on_s) * 1e6 * self._clock_rate
        packets = _packets(
            acc_mps2,
            gyr_dps,
            first_timestamp_us=int(sensor_now_us),
            sample_period_us=round(1e6 / rate_hz),
            acc_range_g=acc_range_g,
            gyr_range_dps=gyr_range_dps,
            samples_per_packet=samples_per_packet,
        )
        host_sample_rate_hz = rate_hz * self._clock_rate
        self._stream = asyncio.ensure_future(
            stream_notifications(
                self.peripheral,
                protocol.DATA_CHARACTERISTIC_UUID,
                packets,
                host_sample_rate_hz / samples_per_packet,
                self._timing,
            )
        )

    async def close(self) -> None:
        """Stop streaming (the radio closes the peripheral itself)."""
        self._stop_stream()
