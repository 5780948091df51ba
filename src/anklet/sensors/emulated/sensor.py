"""Common machinery of the protocol emulators: motion playback, sensor clock, one data stream.

A protocol emulator (one per sensor family, e.g.
:mod:`anklet.sensors.emulated.anklet_sensor`) subclasses :class:`EmulatedSensor`
and supplies the family's GATT profile (:meth:`~EmulatedSensor.profile`) and
command handling (:meth:`~EmulatedSensor.on_command`); packet layouts and
command parsing come from the family module ``anklet.sensors.<family>``. The
base class plays back the motion (``ImuData`` resampled to the commanded
rate, looped), keeps the sensor's own clock (reading ``clock_offset_s`` at
power-on, running ``clock_drift_ppm`` fast) and runs at most one notification
stream at a time through
:func:`~anklet.sensors.emulated.streaming.stream_notifications`.

Motion playback starts at motion sample 0 on every start command, or, with a
``motion_epoch_s``, at the sample the motion has reached since that host
(event-loop) instant: two sensors given the same epoch play one simulated
session in step, as two sensors worn during the same walk would, whenever
each is started.
"""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Iterable
from typing import Self

import numpy as np

from anklet.imu import ImuData
from anklet.sensors.emulated.peripheral import EmulatedPeripheral
from anklet.sensors.emulated.profile import PeripheralProfile
from anklet.sensors.emulated.radio import VirtualRadio
from anklet.sensors.emulated.streaming import (
    DEFAULT_TIMING,
    ConnectionTiming,
    check_packet_rate,
    stream_notifications,
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


class EmulatedSensor(ABC):
    """A sensor of one family on a :class:`VirtualRadio`, playing back ``motion``.

    Create one with :meth:`add_to`.

    Attributes:
        peripheral: the underlying emulated peripheral (address, faults, stats).
        motion: the motion played back, sensor axes.
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
        self.peripheral = peripheral
        self.motion = motion
        self._timing = timing
        self._clock_rate = 1.0 + clock_drift_ppm * 1e-6
        self._clock_offset_s = clock_offset_s
        self._motion_epoch_s = motion_epoch_s
        self._powered_on_s = asyncio.get_running_loop().time()
        self._stream: asyncio.Task[int] | None = None
        peripheral.on_write = self.on_command
        peripheral.on_subscription = self.on_subscription
        peripheral.on_disconnection = self.on_disconnection

    @classmethod
    async def add_to(
        cls,
        radio: VirtualRadio,
        name: str,
        motion: ImuData,
        *,
        timing: ConnectionTiming = DEFAULT_TIMING,
        clock_drift_ppm: float = 0.0,
        clock_offset_s: float = 0.0,
        motion_epoch_s: float | None = None,
    ) -> Self:
        """Add an advertising sensor called ``name`` that plays ``motion`` (looped) when started.

        Args:
            radio: a started radio.
            name: advertised name (the host's registry matches name prefixes).
            motion: acc (m/s^2) and gyr (deg/s) in sensor axes, any rate.
            timing: the link's connection-event pattern.
            clock_drift_ppm: how fast the sensor clock runs, parts per million
                (crystals: typically within +-20 ppm).
            clock_offset_s: what the sensor clock reads at power-on, seconds.
            motion_epoch_s: host (event-loop ``time()``) instant at which the
                motion's first sample plays; None: every start command plays
                from the first sample.

        Raises:
            EmulationError: the radio is not started or the name does not fit
                the advertising data.
        """
        peripheral = await radio.add_peripheral(cls.profile(name))
        return cls(
            peripheral, motion, timing, clock_drift_ppm, clock_offset_s=clock_offset_s, motion_epoch_s=motion_epoch_s
        )

    @classmethod
    @abstractmethod
    def profile(cls, name: str) -> PeripheralProfile:
        """The family's GATT profile advertised as ``name``."""

    @abstractmethod
    def on_command(self, char_uuid: str, payload: bytes) -> Awaitable[None] | None:
        """Handle a write from the central (see :data:`~anklet.sensors.emulated.peripheral.WriteHandler`)."""

    def on_subscription(self, char_uuid: str, enabled: bool) -> None:  # noqa: B027 (an optional hook)
        """React to a central (un)subscribing ``char_uuid``; by default nothing happens."""

    def on_disconnection(self) -> None:
        """React to the central's link dropping; by default the data stream stops."""
        self.stop_stream()

    @property
    def sensor_time_s(self) -> float:
        """Now on the sensor's clock: ``clock_offset_s`` + seconds since power-on, drift included."""
        return self._clock_offset_s + (asyncio.get_running_loop().time() - self._powered_on_s) * self._clock_rate

    def host_time_s(self, sensor_time_s: np.ndarray) -> np.ndarray:
        """The host (event-loop ``time()``) instants at which the sensor clock read ``sensor_time_s``.

        The ground truth a clock-alignment test compares a fitted clock model with.
        """
        return (
            self._powered_on_s + (np.asarray(sensor_time_s, dtype=np.float64) - self._clock_offset_s) / self._clock_rate
        )

    def playback(self, sampling_rate_hz: float) -> tuple[np.ndarray, np.ndarray]:
        """The motion at ``sampling_rate_hz`` as a new stream should play it, row 0 first.

        Without a motion epoch: :func:`resample_motion` from its first sample;
        with one: rolled so that row 0 is the sample the motion reached since
        the epoch (the stream then loops over the whole motion as before).

        Returns:
            ``(acc_mps2, gyr_dps)``, each (m, 3).

        Raises:
            ValueError: ``sampling_rate_hz`` is not positive.
        """
        acc_mps2, gyr_dps = resample_motion(self.motion, sampling_rate_hz)
        if self._motion_epoch_s is None:
            return acc_mps2, gyr_dps
        elapsed_s = max(0.0, asyncio.get_running_loop().time() - self._motion_epoch_s)
        shift = round(elapsed_s * sampling_rate_hz) % len(acc_mps2)
        return np.roll(acc_mps2, -shift, axis=0), np.roll(gyr_dps, -shift, axis=0)

    @property
    def is_streaming(self) -> bool:
        """True while a data stream runs."""
        return self._stream is not None and not self._stream.done()

    def start_stream(self, char_uuid: str, packets: Iterable[bytes], packet_rate_hz: float) -> None:
        """Replace any running stream by ``packets`` notified on ``char_uuid``.

        Args:
            char_uuid: the data characteristic.
            packets: the payloads, lazily consumed (endless generators are fine).
            packet_rate_hz: packets per second on the sensor's clock; they
                leave ``1 + clock_drift_ppm * 1e-6`` times as often in host time.

        Raises:
            EmulationError: the rate exceeds what the connection timing delivers.
        """
        self.stop_stream()
        host_rate_hz = packet_rate_hz * self._clock_rate
        check_packet_rate(host_rate_hz, self._timing)  # here, so the write handler reports it
        self._stream = asyncio.ensure_future(
            stream_notifications(self.peripheral, char_uuid, packets, host_rate_hz, self._timing)
        )

    def stop_stream(self) -> None:
        """Stop the running stream, if any (nothing more is notified after this returns)."""
        if self._stream is not None:
            self._stream.cancel()
            self._stream = None

    async def close(self) -> None:
        """Stop streaming (the radio closes the peripheral itself)."""
        self.stop_stream()
