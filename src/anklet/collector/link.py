"""One sensor's BLE link: connect, subscribe, start, watch, reconnect.

:class:`SensorLink` drives one sensor through bleak's public API:

1. :meth:`SensorLink.connect`: connect (``BleakClient``), read the battery
   level when the sensor has a Battery Service (0x180F/0x2A19, Bluetooth SIG
   Battery Service 1.0) and subscribe to it, subscribe to the protocol's
   response characteristics, then to its data characteristic;
2. :meth:`SensorLink.start_streaming`: write the protocol's start commands in
   order, with response;
3. :meth:`SensorLink.supervise`: until stopped, wait for a dropout (bleak's
   disconnected callback, or the silent-link watchdog: no notification for
   ``silence_timeout_s``), record it, and reconnect with backoff: scan for the
   sensor, connect, subscribe, record "reconnected", write the start commands again;
4. :meth:`SensorLink.close`: stop commands (best effort) and disconnect.

Connection events are stamped with the time the connection was opened (before
subscribing) and recorded before the start commands are written: every
notification of a connection, the commands' answers included, arrives after
its event, which is how ``decode_recording`` tells connections apart.

The notification callbacks do O(1) work: they stamp the arrival time and hand
an :class:`Arrival` to ``deliver`` (the session's queue); decoding happens in
the session's consumer. Every callback runs on the event loop's thread.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from bleak import BleakClient
from bleak.backends.characteristic import BleakGATTCharacteristic
from bleak.exc import BleakError

from anklet.collector.backend import client_backend
from anklet.collector.scan import FoundSensor, find_sensor
from anklet.errors import AnkletError, DeviceNotFoundError
from anklet.imu import Side
from anklet.recording.model import ConnectionEventKind
from anklet.sensors.base import SensorProtocol, normalize_uuid

logger = logging.getLogger(__name__)

#: Battery Level characteristic (Bluetooth SIG assigned number 0x2A19).
BATTERY_LEVEL_UUID = normalize_uuid("2a19")


@dataclass(frozen=True)
class StreamSettings:
    """What a sensor is asked to stream.

    Attributes:
        sampling_rate_hz: one of the protocol's supported rates, Hz.
        acc_range_g: accelerometer full scale, +-g.
        gyr_range_dps: gyroscope full scale, +-deg/s.
    """

    sampling_rate_hz: float
    acc_range_g: float
    gyr_range_dps: float

    @classmethod
    def for_protocol(
        cls,
        protocol: SensorProtocol,
        sampling_rate_hz: float | None = None,
        acc_range_g: float | None = None,
        gyr_range_dps: float | None = None,
    ) -> StreamSettings:
        """Settings for ``protocol``; None picks the default: the supported rate closest to 200 Hz and the
        largest ranges (gait impacts reach 10 g and 1000 deg/s at the shank).

        Raises:
            SensorConfigError: a given value is not supported; the message lists the choices.
        """
        rate = (
            min(protocol.supported_rates_hz, key=lambda r: abs(r - DEFAULT_RATE_HZ))
            if sampling_rate_hz is None
            else protocol.check_rate(sampling_rate_hz)
        )
        settings = cls(
            rate,
            max(protocol.supported_acc_ranges_g) if acc_range_g is None else acc_range_g,
            max(protocol.supported_gyr_ranges_dps) if gyr_range_dps is None else gyr_range_dps,
        )
        protocol.check_settings(settings.sampling_rate_hz, settings.acc_range_g, settings.gyr_range_dps)
        return settings


#: The rate the default settings aim for, Hz (stride events need >= 100 Hz, see docs/sensors.md).
DEFAULT_RATE_HZ = 200.0


@dataclass(frozen=True)
class LinkPolicy:
    """Timeouts and the reconnect schedule of a link.

    Attributes:
        connect_timeout_s: longest wait for one connection (link, MTU, discovery), s.
        scan_timeout_s: longest scan for the sensor before a reconnection attempt, s.
        silence_timeout_s: the watchdog treats a streaming link without any
            notification for this long as a dropout, s.
        reconnect_delays_s: waits before the 1st, 2nd, ... reconnection
            attempt, s; the last one repeats until the session stops.
    """

    connect_timeout_s: float = 10.0
    scan_timeout_s: float = 5.0
    silence_timeout_s: float = 2.0
    reconnect_delays_s: tuple[float, ...] = (0.0, 0.5, 1.0, 2.0, 5.0)

    def __post_init__(self) -> None:
        if min(self.connect_timeout_s, self.scan_timeout_s, self.silence_timeout_s) <= 0:
            raise ValueError("LinkPolicy timeouts must be > 0 s")
        if not self.reconnect_delays_s or min(self.reconnect_delays_s) < 0:
            raise ValueError("LinkPolicy.reconnect_delays_s must be a non-empty tuple of delays >= 0 s")

    def reconnect_delay_s(self, attempt: int) -> float:
        """Wait before reconnection attempt ``attempt`` (0-based), s."""
        return self.reconnect_delays_s[min(attempt, len(self.reconnect_delays_s) - 1)]


#: The default timeouts and reconnect schedule.
DEFAULT_POLICY = LinkPolicy()


class Arrival(NamedTuple):
    """One notification as the host received it.

    Attributes:
        side: "left" or "right".
        connection: 1 for the first connection, +1 per reconnection (a new
            connection needs a new decoder).
        arrival_time_s: host arrival time on the session timeline, s.
        payload: the notification bytes.
        characteristic_uuid: None for the protocol's data characteristic,
            else the response characteristic it came from.
    """

    side: Side
    connection: int
    arrival_time_s: float
    payload: bytes
    characteristic_uuid: str | None


#: ``on_connection_event(side, time_s, kind, detail)``: a link connected,
#: disconnected or reconnected at session time ``time_s``.
ConnectionListener = Callable[[Side, float, ConnectionEventKind, str], None]


class SensorLink:
    """The BLE link to the sensor worn on one side.

    Args:
        side: "left" or "right".
        sensor: the sensor, as found by a scan.
        settings: what to stream (checked against the protocol).
        deliver: takes every notification as an :class:`Arrival`; called on
            the event loop, must return at once (e.g. ``queue.put_nowait``).
        on_connection_event: told about connections and dropouts.
        clock: now on the session timeline, s (``time.monotonic`` based).
        policy: timeouts and reconnect schedule.

    Attributes:
        connected: True while the data stream is subscribed and started.
        connection: number of the current (or last) connection, 0 before the first.
        battery_pct: last battery level reported, %, or None.
        last_arrival_s: session time of the last notification (or of the
            start of streaming), None before streaming starts.
    """

    def __init__(
        self,
        side: Side,
        sensor: FoundSensor,
        settings: StreamSettings,
        deliver: Callable[[Arrival], None],
        on_connection_event: ConnectionListener,
        clock: Callable[[], float],
        policy: LinkPolicy = DEFAULT_POLICY,
    ) -> None:
        self.side = side
        self.sensor = sensor
        self.settings = settings
        self.policy = policy
        self._deliver = deliver
        self._on_connection_event = on_connection_event
        self._clock = clock
        self._client: BleakClient | None = None
        self._dropped = asyncio.Event()
        self._closing = False
        self.connected = False
        self.connection = 0
        self._opened_s = 0.0
        self.battery_pct: int | None = None
        self.last_arrival_s: float | None = None

    @property
    def protocol(self) -> SensorProtocol:
        """The sensor's protocol."""
        return self.sensor.protocol

    # ------------------------------------------------------------ connecting
    async def connect(self) -> None:
        """Connect and subscribe (first connection); records a "connected" event.

        Raises:
            DeviceNotFoundError: the sensor could not be connected or does not
                offer the protocol's characteristics; the message says what to do.
        """
        try:
            await self._open(self.sensor)
        except (BleakError, TimeoutError) as exc:
            raise DeviceNotFoundError(
                f"{self.side} sensor {self.sensor.name or self.sensor.address} ({self.sensor.address}): cannot connect "
                f"({exc or type(exc).__name__}); check that it is on and in range, and run 'anklet scan'"
            ) from exc
        self._on_connection_event(self.side, self._opened_s, "connected", self._describe())

    async def _open(self, sensor: FoundSensor) -> None:
        """Connect to ``sensor`` and subscribe battery, responses and data (in that order)."""
        self._dropped.clear()
        client = BleakClient(
            sensor.device,
            disconnected_callback=self._on_disconnected,
            timeout=self.policy.connect_timeout_s,
            backend=client_backend(),
        )
        await client.connect()
        try:
            self.connection += 1
            # before subscribing: every notification of this connection arrives at or after it
            self._opened_s = self._clock()
            await self._subscribe(client, self.connection)
        except BaseException:
            await client.disconnect()
            raise
        self._client = client

    async def _subscribe(self, client: BleakClient, connection: int) -> None:
        battery = client.services.get_characteristic(BATTERY_LEVEL_UUID)
        if battery is not None:
            if "read" in battery.properties:
                self._set_battery(await client.read_gatt_char(battery))
            if "notify" in battery.properties:
                await client.start_notify(battery, lambda _c, data: self._set_battery(data))
        for uuid in self.protocol.response_characteristic_uuids:
            await client.start_notify(uuid, self._callback(connection, uuid))
        await client.start_notify(self.protocol.data_characteristic_uuid, self._callback(connection, None))

    def _callback(self, connection: int, uuid: str | None) -> Callable[[BleakGATTCharacteristic, bytearray], None]:
        side, clock, deliver = self.side, self._clock, self._deliver

        def on_notification(_characteristic: BleakGATTCharacteristic, data: bytearray) -> None:
            now_s = clock()
            self.last_arrival_s = now_s
            deliver(Arrival(side, connection, now_s, bytes(data), uuid))

        return on_notification

    def _set_battery(self, data: bytes | bytearray) -> None:
        if len(data) >= 1 and data[0] <= 100:
            self.battery_pct = int(data[0])

    def _on_disconnected(self, client: BleakClient) -> None:
        if client is self._client:  # not an old connection's late callback
            self.connected = False
            self._dropped.set()

    def _describe(self) -> str:
        rate = self.settings.sampling_rate_hz
        return f"{self.sensor.name} {self.sensor.address} {self.protocol.name} {rate:g} Hz"

    async def start_streaming(self) -> None:
        """Write the protocol's start commands (in order, with response).

        Raises:
            DeviceNotFoundError: the link dropped or the sensor refused a command.
        """
        try:
            await self._write_start()
        except (BleakError, TimeoutError) as exc:
            raise DeviceNotFoundError(
                f"{self.side} sensor {self.sensor.address} refused to start streaming "
                f"({exc or type(exc).__name__}); switch it off and on, and try again"
            ) from exc

    async def _write_start(self) -> None:
        client = self._require_client()
        settings = self.settings
        commands = self.protocol.start_commands(settings.sampling_rate_hz, settings.acc_range_g, settings.gyr_range_dps)
        for uuid, payload in commands:
            await client.write_gatt_char(uuid, payload, response=True)
        self.last_arrival_s = self._clock()
        self.connected = True

    def _require_client(self) -> BleakClient:
        if self._client is None or not self._client.is_connected:
            raise BleakError("not connected")
        return self._client

    # ------------------------------------------------------------ supervision
    async def supervise(self, stop: asyncio.Event) -> None:
        """Watch the link until ``stop`` is set; after a dropout, reconnect with backoff.

        A dropout is a disconnection or a stream silent for
        ``policy.silence_timeout_s`` (the watchdog then disconnects itself).
        Each is recorded as a "disconnected" event, each recovery as a
        "reconnected" event. Never raises for link trouble: it keeps trying
        (with ``policy.reconnect_delays_s``) until ``stop`` is set.
        """
        poll_s = min(0.1, self.policy.silence_timeout_s / 4)
        while not stop.is_set():
            reason = await self._wait_for_dropout(stop, poll_s)
            if reason is None:
                return
            self.connected = False
            self._on_connection_event(self.side, self._clock(), "disconnected", reason)
            await self._drop_client()
            await self._reconnect(stop)

    async def _wait_for_dropout(self, stop: asyncio.Event, poll_s: float) -> str | None:
        """The dropout's description, or None once ``stop`` is set."""
        while not stop.is_set():
            if self._dropped.is_set():
                return "link lost"
            last_s = self.last_arrival_s
            if last_s is not None and self._clock() - last_s > self.policy.silence_timeout_s:
                return f"watchdog: no data for {self.policy.silence_timeout_s:g} s"
            await _wait_any(stop, self._dropped, poll_s)
        return None

    async def _reconnect(self, stop: asyncio.Event) -> None:
        attempt = 0
        while not stop.is_set():
            if await _wait_any(stop, None, self.policy.reconnect_delay_s(attempt)):
                return
            attempt += 1
            try:
                sensor = await find_sensor(self.sensor.address, self.policy.scan_timeout_s)
                await self._open(sensor)
            except (BleakError, TimeoutError, AnkletError) as exc:
                logger.info("%s: reconnection attempt %d failed: %s", self.side, attempt, exc)
                await self._drop_client()
                continue
            # recorded before the start commands, so their answers (e.g. Polar's scale factor) follow it
            self._on_connection_event(self.side, self._opened_s, "reconnected", f"attempt {attempt}")
            try:
                await self._write_start()
            except (BleakError, TimeoutError) as exc:
                self._on_connection_event(self.side, self._clock(), "disconnected", f"start failed: {exc}")
                await self._drop_client()
                continue
            return

    async def _drop_client(self) -> None:
        client, self._client = self._client, None
        if client is not None and client.is_connected:
            try:
                await client.disconnect()
            except BleakError as exc:
                logger.info("%s: disconnect failed: %s", self.side, exc)

    async def close(self) -> None:
        """Write the stop commands (best effort) and disconnect; records a "disconnected" event if connected."""
        client = self._client
        if client is not None and client.is_connected:
            try:
                for uuid, payload in self.protocol.stop_commands():
                    await client.write_gatt_char(uuid, payload, response=True)
            except (BleakError, TimeoutError) as exc:
                logger.info("%s: stop command failed: %s", self.side, exc)
            self._on_connection_event(self.side, self._clock(), "disconnected", "session ended")
        self.connected = False
        await self._drop_client()


async def _wait_any(stop: asyncio.Event, other: asyncio.Event | None, timeout_s: float) -> bool:
    """Wait up to ``timeout_s`` for ``stop`` (or ``other``); True if ``stop`` is set."""
    events = [stop] if other is None else [stop, other]
    waiters = [asyncio.ensure_future(event.wait()) for event in events]
    try:
        await asyncio.wait(waiters, timeout=timeout_s, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
    return stop.is_set()
