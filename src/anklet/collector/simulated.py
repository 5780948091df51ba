"""The emulated sensor pair behind ``--simulate``: synthetic gait over a virtual BLE link.

:class:`SimulatedPair` starts a :class:`~anklet.sensors.emulated.VirtualRadio`
on the running loop with two emulated sensors of one protocol, playing the
legs of an :func:`anklet.simulate.simulate_session` walk with an imposed
swing-time asymmetry, in step (one motion epoch, looped), and injects the
faults of a :class:`SimulationFaults` at given session times. The collector
then finds and reads them through bleak exactly like real sensors.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Self

from anklet.collector.link import DEFAULT_POLICY, LinkPolicy, StreamSettings
from anklet.collector.scan import scan_sensors
from anklet.collector.session import CollectorSession, SampleHook
from anklet.errors import AnkletError
from anklet.imu import SIDES, Side
from anklet.recording import RecordingWriter, SensorInfo, SessionMetadata
from anklet.sensors.emulated import (
    EmulatedAnkletSensor,
    EmulatedMovesenseSensor,
    EmulatedPolarSensor,
    EmulatedSensor,
    EmulatedWitmotionSensor,
    VirtualRadio,
)
from anklet.simulate import GaitSpec, SensorSpec, simulate_session

#: Emulator class and advertised names (left, right) per protocol.
EMULATORS: dict[str, tuple[type[EmulatedSensor], tuple[str, str]]] = {
    "anklet": (EmulatedAnkletSensor, ("anklet-L", "anklet-R")),
    "movesense": (
        EmulatedMovesenseSensor,
        ("Movesense 000000000001", "Movesense 000000000002"),
    ),
    "polar_pmd": (
        EmulatedPolarSensor,
        ("Polar Sense 0000000L", "Polar Sense 0000000R"),
    ),
    "witmotion": (EmulatedWitmotionSensor, ("WT901BLE-L", "WT901BLE-R")),
}


class SimulationError(AnkletError):
    """An invalid ``--simulate`` setting."""


@dataclass(frozen=True)
class Drop:
    """Lose ``count`` notifications of ``side`` from session time ``time_s`` on."""

    side: Side
    time_s: float
    count: int


@dataclass(frozen=True)
class Outage:
    """At session time ``time_s``, ``side``'s sensor disconnects (``kind="disconnect"``, it re-advertises
    at once) or its link goes silent for ``duration_s`` (``kind="silence"``, what it sends meanwhile is lost)."""

    side: Side
    time_s: float
    kind: str = "disconnect"
    duration_s: float = 0.0


@dataclass(frozen=True)
class SimulationFaults:
    """Imperfections of the simulated pair.

    Attributes:
        drift_ppm: the right sensor's clock runs this much fast (the left is exact), ppm.
        offset_s: the right sensor's clock reads this much more than the left one, s.
        drops: notification losses.
        outages: disconnections and silences.
    """

    drift_ppm: float = 0.0
    offset_s: float = 0.0
    drops: tuple[Drop, ...] = ()
    outages: tuple[Outage, ...] = ()


@dataclass(frozen=True)
class SimulationSpec:
    """What ``--simulate`` emulates.

    Attributes:
        protocol: "anklet", "movesense", "polar_pmd" or "witmotion".
        asymmetry_pct: imposed swing-time asymmetry, right minus left, %.
        gait_duration_s: length of the simulated walk, s (played in a loop).
        seed: simulation seed.
        faults: injected imperfections.
    """

    protocol: str = "anklet"
    asymmetry_pct: float = 0.0
    gait_duration_s: float = 60.0
    seed: int = 0
    faults: SimulationFaults = field(default_factory=SimulationFaults)

    def __post_init__(self) -> None:
        if self.protocol not in EMULATORS:
            raise SimulationError(
                f"no emulated sensor speaks {self.protocol!r}; choose one of {', '.join(EMULATORS)}"
            )
        if not -40.0 <= self.asymmetry_pct <= 40.0:
            raise SimulationError(
                f"--asymmetry {self.asymmetry_pct:g} % is out of range; use -40..40 %"
            )


class SimulatedPair:
    """Async context manager: a running virtual radio with two emulated sensors.

    Attributes:
        radio: the virtual radio (current radio of the loop while inside).
        sensors: per side, the emulated sensor (``.peripheral.address``, faults, clock truth).
    """

    def __init__(self, spec: SimulationSpec) -> None:
        self.spec = spec
        self.radio = VirtualRadio()
        self.sensors: dict[Side, EmulatedSensor] = {}
        self._faults: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Self:
        spec = self.spec
        session = simulate_session(
            GaitSpec(swing_time_asymmetry_pct=spec.asymmetry_pct),
            SensorSpec(sampling_rate_hz=500.0),
            SensorSpec(sampling_rate_hz=500.0),
            duration_s=spec.gait_duration_s,
            seed=spec.seed,
        )
        emulator, names = EMULATORS[spec.protocol]
        await self.radio.start()
        epoch_s = asyncio.get_running_loop().time()
        for side, name in zip(SIDES, names, strict=True):
            is_right = side == "right"
            self.sensors[side] = await emulator.add_to(
                self.radio,
                name,
                session.imu[side],
                clock_drift_ppm=spec.faults.drift_ppm if is_right else 0.0,
                clock_offset_s=spec.faults.offset_s if is_right else 0.0,
                motion_epoch_s=epoch_s,
            )
        return self

    def inject_faults(self, now_s: Callable[[], float]) -> None:
        """Start injecting the spec's faults at their session times (``now_s()`` is the session clock)."""
        self._faults = asyncio.ensure_future(self._run_faults(now_s))

    async def _run_faults(self, now_s: Callable[[], float]) -> None:
        faults = self.spec.faults
        timeline = sorted(
            [(d.time_s, d) for d in faults.drops]
            + [(o.time_s, o) for o in faults.outages],
            key=lambda item: item[0],
        )
        for time_s, fault in timeline:
            await asyncio.sleep(max(0.0, time_s - now_s()))
            peripheral = self.sensors[fault.side].peripheral
            if isinstance(fault, Drop):
                peripheral.drop_next(fault.count)
            elif fault.kind == "silence":
                peripheral.pause(fault.duration_s)
            else:
                await peripheral.disconnect()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._faults is not None:
            self._faults.cancel()
            await asyncio.gather(self._faults, return_exceptions=True)
        for sensor in self.sensors.values():
            await sensor.close()
        await self.radio.stop()


async def record_simulated_pair(
    pair: SimulatedPair,
    path: Path,
    duration_s: float,
    *,
    policy: LinkPolicy = DEFAULT_POLICY,
    on_samples: SampleHook | None = None,
    scan_timeout_s: float = 0.3,
) -> CollectorSession:
    """Find ``pair`` by scanning, record it with the real collector, and return the finished session.

    The sensors stream at their protocol's default settings; the pair's faults are
    injected on the session clock. What tests and benchmarks use to measure the
    whole BLE path (bleak -> collector -> recording) against the emulator's truth.

    Args:
        pair: an entered :class:`SimulatedPair`.
        path: the recording file to write.
        duration_s: how long to stream, session seconds.
        policy: reconnection and watchdog settings.
        on_samples: called with each side's decoded samples as they arrive.
        scan_timeout_s: how long to scan for the pair, s.

    Raises:
        KeyError: the scan did not find both emulated sensors.
    """
    found = {sensor.address: sensor for sensor in await scan_sensors(scan_timeout_s)}
    sensors = {side: found[pair.sensors[side].peripheral.address] for side in SIDES}
    settings = {side: StreamSettings.for_protocol(sensor.protocol) for side, sensor in sensors.items()}
    infos = {
        side: SensorInfo(
            sensor.address, sensor.name, sensor.protocol.name, "", {"sampling_rate_hz": settings[side].sampling_rate_hz}
        )
        for side, sensor in sensors.items()
    }
    start_monotonic_s, start_time_utc = time.monotonic(), datetime.now(UTC)
    with RecordingWriter(path, SessionMetadata(start_time_utc=start_time_utc), infos) as writer:
        session = CollectorSession(
            sensors,
            settings,
            writer=writer,
            policy=policy,
            on_samples=on_samples,
            start_monotonic_s=start_monotonic_s,
            start_time_utc=start_time_utc,
        )
        pair.inject_faults(session.now_s)
        await session.run(asyncio.Event(), duration_s)
    return session
