"""The BLE collector on its own thread and event loop, as a live sample source.

:class:`CollectorSource` is the :class:`anklet.live.sources.SampleSource` of
``anklet live`` and ``anklet demo``. Its thread runs one asyncio loop that

1. starts the emulated pair (:class:`~anklet.collector.simulated.SimulatedPair`)
   when asked to simulate; its virtual radio belongs to this loop;
2. finds both sensors by address and checks they speak one protocol
   (:func:`~anklet.collector.scan.find_pair`);
3. opens the :class:`~anklet.recording.RecordingWriter` (if recording) and runs
   a :class:`~anklet.collector.CollectorSession` whose ``on_samples`` hook is the
   live session's sink, until :meth:`CollectorSource.stop`; then stores the
   markers of :meth:`CollectorSource.keep_markers` in the recording.

The GUI, the terminal view and the gait analysis run on other threads, so BLE
notifications are never delayed by them. :meth:`CollectorSource.stop` asks the
loop to stop (a scan still running is cancelled), which sends the sensors' stop
commands, stores the clock models and finalises the recording, then joins the
thread. An exception in the thread (sensor not found, Bluetooth off) ends it; it
is kept, as an :class:`~anklet.errors.AnkletError` that says what to do, for
:meth:`CollectorSource.error`.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from anklet.collector.link import DEFAULT_POLICY, LinkPolicy, StreamSettings
from anklet.collector.scan import DEFAULT_SCAN_TIMEOUT_S, FoundSensor, find_pair
from anklet.collector.session import CollectorSession, SampleHook
from anklet.collector.simulated import SimulatedPair, SimulationSpec
from anklet.imu import SIDES, Side
from anklet.live.sources import SensorStatus
from anklet.recording import RecordingWriter, SensorInfo, SessionMetadata

#: Returns the markers to store when the session ends: (session time, s; text).
MarkerProvider = Callable[[], Iterable[tuple[float, str]]]


@dataclass(frozen=True)
class RecordingPlan:
    """Where and with which metadata the collector records.

    Attributes:
        path: the ``.anklet`` file to create.
        overwrite: replace an existing file.
        subject_id: anonymous subject code (never a name).
        activity: what the subject does, free text.
        config: the session configuration stored in the file (JSON object).
    """

    path: Path
    overwrite: bool = False
    subject_id: str = ""
    activity: str = ""
    config: Mapping[str, Any] = field(default_factory=dict)


class CollectorSource:
    """A :class:`~anklet.live.sources.SampleSource` streaming two BLE sensors from its own thread.

    Args:
        addresses: per side, the sensor's BLE address; None with ``simulation``
            means the emulated pair's own addresses.
        simulation: start the emulated pair on this thread's loop (``--simulate``,
            ``anklet demo``); with ``addresses`` too, those are looked up on the
            virtual radio.
        protocol: the protocol both sensors must speak, or None for any.
        sampling_rate_hz: requested rate, Hz, or None for the protocol's default
            (the supported rate nearest 200 Hz).
        recording: record the raw packets there, or None for no file.
        policy: link timeouts and reconnect schedule.
        scan_timeout_s: how long to look for each sensor before giving up, s.

    Attributes:
        sensors: per side, the sensor found (empty until found).
        recording_path: the recording file, or None.

    Raises:
        ValueError: neither ``addresses`` (both sides) nor ``simulation`` given.
    """

    def __init__(
        self,
        addresses: Mapping[Side, str] | None = None,
        *,
        simulation: SimulationSpec | None = None,
        protocol: str | None = None,
        sampling_rate_hz: float | None = None,
        recording: RecordingPlan | None = None,
        policy: LinkPolicy = DEFAULT_POLICY,
        scan_timeout_s: float = DEFAULT_SCAN_TIMEOUT_S,
    ) -> None:
        if simulation is None and (addresses is None or set(addresses) != set(SIDES)):
            raise ValueError("give the addresses of both sides, or a simulation")
        self._addresses = None if addresses is None else {side: addresses[side] for side in SIDES}
        self._simulation = simulation
        self._protocol = protocol
        self._sampling_rate_hz = sampling_rate_hz
        self._recording = recording
        self._policy = policy
        self._scan_timeout_s = scan_timeout_s
        self.sensors: dict[Side, FoundSensor] = {}
        self.recording_path = None if recording is None else recording.path
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._main: asyncio.Task[None] | None = None
        self._stop_event: asyncio.Event | None = None
        self._stop_requested = False
        self._session: CollectorSession | None = None
        self._error: BaseException | None = None
        self._markers: MarkerProvider | None = None

    def keep_markers(self, markers: MarkerProvider) -> None:
        """Store ``markers()`` in the recording when the session ends (e.g. those added on the dashboard);
        called on the BLE thread, so it must be thread-safe."""
        self._markers = markers

    # -- SampleSource ------------------------------------------------------------
    def start(self, sink: SampleHook) -> None:
        """Start the BLE thread; ``sink(side, ImuData)`` is called on it with each decoded chunk
        (session timeline, s; m/s^2; deg/s; sensor axes) and must not block.

        Raises:
            RuntimeError: if already started.
        """
        if self._thread is not None:
            raise RuntimeError("CollectorSource.start() may be called once")
        self._thread = threading.Thread(target=self._run_thread, args=(sink,), name="anklet-ble", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop streaming (idempotent): stop commands sent, recording finalised; returns when the thread ended."""
        with self._lock:
            self._stop_requested = True
            loop = self._loop
        if loop is not None:
            with contextlib.suppress(RuntimeError):  # the loop has already closed
                loop.call_soon_threadsafe(self._stop_on_loop)
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join()

    def finished(self) -> bool:
        """True once the BLE thread has ended (stopped, or failed: see :meth:`error`)."""
        return self._thread is not None and not self._thread.is_alive()

    def error(self) -> BaseException | None:
        """What ended the thread early: an :class:`~anklet.errors.AnkletError` for a user-side
        problem (sensor not found, Bluetooth off), anything else for a bug; None otherwise."""
        return self._error

    def status(self) -> dict[Side, SensorStatus]:
        """Per side: connected, samples decoded, samples lost, battery % (zeros before connecting)."""
        session = self._session
        if session is None:
            return {side: SensorStatus(False, 0, 0, None) for side in SIDES}
        return {
            side: SensorStatus(s.connected, s.samples, s.lost, s.battery_pct) for side, s in session.status().items()
        }

    # -- BLE thread ----------------------------------------------------------------
    def _run_thread(self, sink: SampleHook) -> None:
        try:
            asyncio.run(self._run(sink))
        except asyncio.CancelledError:  # stopped while looking for the sensors
            pass
        except BaseException as error:  # handed to the main thread through error()
            self._error = error

    def _stop_on_loop(self) -> None:
        if self._stop_event is not None:
            self._stop_event.set()
        if self._session is None and self._main is not None:  # still scanning: nothing to finalise
            self._main.cancel()

    async def _run(self, sink: SampleHook) -> None:
        with self._lock:
            if self._stop_requested:
                return
            self._loop = asyncio.get_running_loop()
            self._main = asyncio.current_task()
            self._stop_event = asyncio.Event()
        if self._simulation is None:
            await self._collect(sink, None)
            return
        async with SimulatedPair(self._simulation) as pair:
            await self._collect(sink, pair)

    async def _collect(self, sink: SampleHook, pair: SimulatedPair | None) -> None:
        addresses = self._addresses or {side: s.peripheral.address for side, s in pair.sensors.items()}
        self.sensors = await find_pair(addresses, self._protocol, self._scan_timeout_s)
        settings = StreamSettings.for_protocol(self.sensors["left"].protocol, self._sampling_rate_hz)
        start_monotonic_s, start_time_utc = time.monotonic(), datetime.now(UTC)
        with contextlib.ExitStack() as stack:
            writer = (
                None
                if self._recording is None
                else stack.enter_context(self._open_writer(settings, start_time_utc))
            )
            session = CollectorSession(
                self.sensors,
                dict.fromkeys(SIDES, settings),
                writer=writer,
                on_samples=sink,
                policy=self._policy,
                start_monotonic_s=start_monotonic_s,
                start_time_utc=start_time_utc,
            )
            if pair is not None:
                pair.inject_faults(session.now_s)
            self._session = session
            await session.run(self._stop_event)
            if writer is not None and self._markers is not None:
                for time_s, text in self._markers():
                    writer.add_marker(time_s, text)

    def _open_writer(self, settings: StreamSettings, start_time_utc: datetime) -> RecordingWriter:
        plan = self._recording
        sensor_config = {
            "sampling_rate_hz": settings.sampling_rate_hz,
            "acc_range_g": settings.acc_range_g,
            "gyr_range_dps": settings.gyr_range_dps,
        }
        metadata = SessionMetadata(
            subject_id=plan.subject_id,
            activity=plan.activity,
            start_time_utc=start_time_utc,
            config=dict(plan.config),
        )
        infos = {
            side: SensorInfo(s.address, s.name, s.protocol.name, "", sensor_config) for side, s in self.sensors.items()
        }
        return RecordingWriter(plan.path, metadata, infos, overwrite=plan.overwrite)
