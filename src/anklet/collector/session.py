"""Two sensors on one event loop: connect, stream, record, decode, report status.

:class:`CollectorSession` owns a :class:`~anklet.collector.link.SensorLink` per
side, one ``asyncio.Queue`` that every notification callback feeds with O(1)
work, and a consumer task that drains the queue and, per batch:

1. writes every raw packet to the :class:`~anklet.recording.RecordingWriter`
   (if recording; ``add_packet`` only appends to a list);
2. decodes it (:class:`~anklet.collector.stream.SideStream`, on the per-side
   core :class:`~anklet.recording.side_decoder.SideDecoder` that
   :func:`~anklet.recording.decode_recording` uses too), counting samples, lost
   samples and decode errors and fitting the sensor clock online;
3. calls ``on_samples(side, ImuData)`` with the new samples on the session
   timeline.

The ``on_samples`` hook
-----------------------
Called on the collector's event-loop thread (the thread running
:meth:`CollectorSession.run`; in :class:`~anklet.collector.thread.CollectorThread`
its own background thread), once per side per consumer batch (typically every
connection event, 7.5-50 ms), with the samples decoded in that batch:
``time_s`` in seconds on the session timeline (t = 0 at the session start,
the same timeline as the recording's packet arrival times), each packet mapped
with the online clock fit (:class:`~anklet.timing.clock.OnlineClockFit`) at its
arrival, ``acc_mps2`` (m/s^2) and ``gyr_dps`` (deg/s) in
sensor axes. Successive chunks of one side follow each other in time, but a
refit between two chunks may move times by up to the fit's correction (< 1 ms
in practice); ``decode_recording`` of the file gives the same samples, with
times from the final fit. The hook must **never block**: copy the arrays into a ring
buffer (or post them to another thread) and return; any time spent there
delays the BLE notifications of both sensors. An exception raised by the hook
is logged and the session goes on.

Sessions connect the sensors one at a time (left, then right: simultaneous
connection attempts upset many adapters), then write the start commands to
both, so the two streams start within milliseconds of each other. A
"connected"/"reconnected" event is recorded before the start commands are
written, so the commands' answers (Polar's scale factor) come after it in the
file and ``decode_recording`` starts the connection's decoder before them. At
the end the clock models ``decode_recording`` would fit are stored in the
recording (``set_clock_model``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime

from anklet.collector.link import (
    DEFAULT_POLICY,
    Arrival,
    LinkPolicy,
    SensorLink,
    StreamSettings,
)
from anklet.collector.scan import FoundSensor
from anklet.collector.stream import SideStatus, SideStream
from anklet.imu import ImuData, Side
from anklet.recording import RecordingWriter
from anklet.recording.model import ClockModel, ConnectionEventKind

logger = logging.getLogger(__name__)

#: ``on_samples(side, chunk)``: new samples of one side on the session timeline (see the module docstring).
SampleHook = Callable[[Side, ImuData], None]


class CollectorSession:
    """A streaming session with one sensor per side.

    Args:
        sensors: per side ("left"/"right"), the sensor found by a scan.
        settings: per side, what to stream.
        writer: where the raw packets go, or None (live view without recording).
        on_samples: hook for decoded samples (see the module docstring), or None.
        policy: timeouts, watchdog and reconnect schedule of both links.
        start_monotonic_s: ``time.monotonic()`` at session time 0; default:
            now. A recording's ``start_time_utc`` must be the same instant.

    Attributes:
        start_monotonic_s: ``time.monotonic()`` (= the event loop's clock) at session time 0.
        start_time_utc: wall-clock time of session time 0.
    """

    def __init__(
        self,
        sensors: Mapping[Side, FoundSensor],
        settings: Mapping[Side, StreamSettings],
        *,
        writer: RecordingWriter | None = None,
        on_samples: SampleHook | None = None,
        policy: LinkPolicy = DEFAULT_POLICY,
        start_monotonic_s: float | None = None,
        start_time_utc: datetime | None = None,
    ) -> None:
        self.start_monotonic_s = time.monotonic() if start_monotonic_s is None else start_monotonic_s
        self.start_time_utc = datetime.now(UTC) if start_time_utc is None else start_time_utc
        self._writer = writer
        self._on_samples = on_samples
        self._queue: asyncio.Queue[Arrival] = asyncio.Queue()
        self._links = {
            side: SensorLink(
                side,
                sensor,
                settings[side],
                self._queue.put_nowait,
                self._connection_event,
                self.now_s,
                policy,
            )
            for side, sensor in sensors.items()
        }
        self._streams = {
            side: SideStream(side, sensor.protocol, settings[side].sampling_rate_hz) for side, sensor in sensors.items()
        }
        self._reconnections = dict.fromkeys(sensors, 0)

    def now_s(self) -> float:
        """Now on the session timeline, s."""
        return time.monotonic() - self.start_monotonic_s

    @property
    def links(self) -> dict[Side, SensorLink]:
        """The links, per side (e.g. to read ``link.sensor``)."""
        return dict(self._links)

    def _connection_event(self, side: Side, time_s: float, kind: ConnectionEventKind, detail: str) -> None:
        logger.info("%s %s at %.3f s: %s", side, kind, time_s, detail)
        if kind == "reconnected":
            self._reconnections[side] += 1
        if self._writer is not None:
            self._writer.add_connection_event(side, time_s, kind, detail)

    # ------------------------------------------------------------------- run
    async def run(self, stop: asyncio.Event, duration_s: float | None = None) -> None:
        """Connect, stream until ``stop`` is set or ``duration_s`` (session seconds) has passed, then close.

        Raises:
            DeviceNotFoundError: a sensor could not be connected or started
                (nothing keeps running then).
        """
        consumer = asyncio.ensure_future(self._consume())
        try:
            for link in self._links.values():  # one at a time
                await link.connect()
            for link in self._links.values():
                await link.start_streaming()
            supervisors = [asyncio.ensure_future(link.supervise(stop)) for link in self._links.values()]
            try:
                remaining_s = None if duration_s is None else max(0.0, duration_s - self.now_s())
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), remaining_s)
            finally:
                stop.set()
                await asyncio.gather(*supervisors, return_exceptions=True)
        finally:
            stop.set()
            for link in self._links.values():
                await link.close()
            await self._queue.join()
            consumer.cancel()
            await asyncio.gather(consumer, return_exceptions=True)
            self._store_clock_models()

    async def _consume(self) -> None:
        """Drain the queue in batches: record, decode, hand samples to the hook."""
        while True:
            batch = [await self._queue.get()]
            while not self._queue.empty():
                batch.append(self._queue.get_nowait())
            try:
                self._handle(batch)
            finally:
                for _ in batch:
                    self._queue.task_done()

    def _handle(self, batch: list[Arrival]) -> None:
        if self._writer is not None:
            for arrival in batch:
                self._writer.add_packet(
                    arrival.side,
                    arrival.arrival_time_s,
                    arrival.payload,
                    arrival.characteristic_uuid,
                )
        for side, stream in self._streams.items():
            chunk = stream.add([a for a in batch if a.side == side])
            if chunk is not None and self._on_samples is not None:
                try:
                    self._on_samples(side, chunk)
                except Exception:
                    logger.exception("on_samples hook failed for the %s side", side)

    def _store_clock_models(self) -> None:
        if self._writer is None:
            return
        for side, stream in self._streams.items():
            model = stream.clock_model()
            if model is not None:
                self._writer.set_clock_model(side, model)

    # ---------------------------------------------------------------- status
    def status(self) -> dict[Side, SideStatus]:
        """A snapshot of both sides (safe to call from the loop's thread at any time).

        From another thread the numbers are each consistent but may be from
        slightly different instants.
        """
        return {
            side: SideStatus(
                side=side,
                name=link.sensor.name,
                address=link.sensor.address,
                protocol=link.protocol.name,
                sampling_rate_hz=link.settings.sampling_rate_hz,
                connected=link.connected,
                samples=self._streams[side].samples,
                lost=self._streams[side].lost,
                decode_errors=self._streams[side].decode_errors,
                reconnections=self._reconnections[side],
                battery_pct=link.battery_pct,
                last_packet_s=link.last_arrival_s,
            )
            for side, link in self._links.items()
        }

    def clock_models(self) -> dict[Side, ClockModel | None]:
        """Per side, the clock model fitted over all packets so far, as stored at the end
        (:meth:`SideStream.clock_model`; None before data)."""
        return {side: stream.clock_model() for side, stream in self._streams.items()}
