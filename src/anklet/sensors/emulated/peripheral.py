"""An emulated BLE peripheral: a Bumble ``Device`` serving a declarative GATT profile.

The peripheral advertises its name and service UUIDs, serves the
characteristics of its :class:`~anklet.sensors.emulated.profile.PeripheralProfile`,
accepts the central's ATT MTU exchange up to ``profile.max_mtu_bytes``, hands
writes to an ``on_write(char_uuid, payload)`` callback and sends notifications
with :meth:`EmulatedPeripheral.notify` (Bumble's ``Device.notify_subscribers``).

Fault injection acts on the notification path, as a lossy radio would:
:meth:`~EmulatedPeripheral.drop_next` loses notifications,
:meth:`~EmulatedPeripheral.pause` silences the link for a while (discarding or
holding back what the sensor sends meanwhile) and
:meth:`~EmulatedPeripheral.disconnect` ends the connection from the sensor side
(the central sees an unsolicited disconnection).
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bumble import att, gatt, hci
from bumble.device import Connection, Device

from anklet.errors import AnkletError
from anklet.sensors.emulated.errors import EmulationError, WriteRejected
from anklet.sensors.emulated.faults import LinkFaults, Verdict
from anklet.sensors.emulated.profile import (
    CharacteristicSpec,
    PeripheralProfile,
    ServiceSpec,
    advertising_data_bytes,
    to_bumble_uuid,
)

logger = logging.getLogger(__name__)

#: ``on_write(char_uuid, payload)``: called for every write to a writable
#: characteristic (with or without response). ``char_uuid`` is the lower-case
#: 128-bit UUID. It may be a coroutine function. Raising
#: :class:`~anklet.sensors.emulated.errors.WriteRejected` answers a write
#: request with its ATT error code; any other
#: :class:`~anklet.errors.AnkletError` (e.g. a ``DecodeError`` for a malformed
#: command) with 0x13 "Value Not Allowed"; any other exception is logged and
#: answered with 0x0E "Unlikely Error".
WriteHandler = Callable[[str, bytes], Awaitable[None] | None]

#: ``on_subscription(char_uuid, enabled)``: called when a central writes the
#: CCCD of ``char_uuid``; ``enabled`` is True if notifications or indications
#: are now on.
SubscriptionHandler = Callable[[str, bool], None]

#: ``on_disconnection()``: called when a central's link to the peripheral drops.
DisconnectionHandler = Callable[[], None]

_PROPERTY_FLAGS: dict[str, gatt.Characteristic.Properties] = {
    "read": gatt.Characteristic.Properties.READ,
    "write": gatt.Characteristic.Properties.WRITE,
    "write-without-response": gatt.Characteristic.Properties.WRITE_WITHOUT_RESPONSE,
    "notify": gatt.Characteristic.Properties.NOTIFY,
    "indicate": gatt.Characteristic.Properties.INDICATE,
}
_WRITE_PROPERTIES = frozenset({"write", "write-without-response"})
_ATT_HEADER_NOTIFICATION_BYTES = 3  # opcode + attribute handle (Vol 3, Part F, 3.4.7.1)


@dataclass(frozen=True)
class NotificationStats:
    """Counts of :meth:`EmulatedPeripheral.notify` calls since the peripheral started.

    Attributes:
        sent: notifications handed to the Bumble stack (they reach every
            subscribed central unless the connection drops).
        dropped: notifications lost on purpose (``drop_next`` or a ``pause``
            without backlog).
        withheld: notifications currently held back by a ``pause`` with backlog.
    """

    sent: int
    dropped: int
    withheld: int


class EmulatedPeripheral:
    """A GATT peripheral on a :class:`~anklet.sensors.emulated.radio.VirtualRadio`.

    Create it with :meth:`VirtualRadio.add_peripheral`, which powers it on and
    starts advertising. Characteristics are addressed by UUID (any form
    :func:`anklet.sensors.base.normalize_uuid` accepts).

    Attributes:
        profile: the profile it serves.
        device: the underlying Bumble device (for what this class does not wrap).
        on_write: the write handler (see :data:`WriteHandler`), or ``None``.
        on_subscription: the CCCD handler (see :data:`SubscriptionHandler`), or ``None``.
        on_disconnection: called when a link drops (see :data:`DisconnectionHandler`), or ``None``.
    """

    def __init__(self, device: Device, profile: PeripheralProfile, on_write: WriteHandler | None) -> None:
        self.profile = profile
        self.device = device
        self.on_write = on_write
        self.on_subscription: SubscriptionHandler | None = None
        self.on_disconnection: DisconnectionHandler | None = None
        self._values: dict[str, bytes] = {}
        self._characteristics: dict[str, gatt.Characteristic] = {}
        self._readvertise = True
        self._faults: LinkFaults[tuple[gatt.Characteristic, bytes]] = LinkFaults()
        self._flush_handle: asyncio.TimerHandle | None = None
        self._send_lock = asyncio.Lock()
        self._background: set[asyncio.Task[None]] = set()
        self._sent = 0
        self._dropped = 0
        device.gatt_server.max_mtu = profile.max_mtu_bytes
        device.add_services([self._bumble_service(service) for service in profile.services])
        device.on(device.EVENT_CONNECTION, self._on_connection)

    # ------------------------------------------------------------------ GATT
    def _bumble_service(self, service_spec: ServiceSpec) -> gatt.Service:
        characteristics = []
        for spec in service_spec.characteristics:
            self._values[spec.uuid] = spec.initial_value
            flags = gatt.Characteristic.Properties(0)
            for name in spec.properties:
                flags |= _PROPERTY_FLAGS[name]
            permissions = att.Attribute.Permissions(0)
            if "read" in spec.properties:
                permissions |= att.Attribute.Permissions.READABLE
            if spec.properties & _WRITE_PROPERTIES:
                permissions |= att.Attribute.Permissions.WRITEABLE
            characteristic = gatt.Characteristic(
                to_bumble_uuid(spec.uuid),
                flags,
                permissions,
                gatt.CharacteristicValue(
                    read=lambda _connection, spec=spec: self._read(spec),
                    write=lambda _connection, value, spec=spec: self._write(spec, bytes(value)),
                ),
            )
            characteristic.on(
                characteristic.EVENT_SUBSCRIPTION,
                lambda _bearer, notify, indicate, uuid=spec.uuid: self._subscription_changed(uuid, notify or indicate),
            )
            self._characteristics[spec.uuid] = characteristic
            characteristics.append(characteristic)
        return gatt.Service(to_bumble_uuid(service_spec.uuid), characteristics)

    def _subscription_changed(self, char_uuid: str, enabled: bool) -> None:
        if self.on_subscription is not None:
            self.on_subscription(char_uuid, enabled)

    def _read(self, spec: CharacteristicSpec) -> bytes:
        if "read" not in spec.properties:
            raise att.ATT_Error(att.ErrorCode.READ_NOT_PERMITTED)
        return self._values[spec.uuid]

    async def _write(self, spec: CharacteristicSpec, value: bytes) -> None:
        if not spec.properties & _WRITE_PROPERTIES:
            raise att.ATT_Error(att.ErrorCode.WRITE_NOT_PERMITTED)
        if "read" in spec.properties:
            self._values[spec.uuid] = value
        if self.on_write is None:
            return
        try:
            result = self.on_write(spec.uuid, value)
            if inspect.isawaitable(result):
                await result
        except WriteRejected as exc:
            logger.info("%s: write to %s rejected: %s", self.profile.name, spec.uuid, exc)
            raise att.ATT_Error(exc.att_error_code, message=str(exc)) from exc
        except AnkletError as exc:
            logger.warning("%s: write to %s rejected: %s", self.profile.name, spec.uuid, exc)
            raise att.ATT_Error(att.ErrorCode.VALUE_NOT_ALLOWED, message=str(exc)) from exc
        except Exception as exc:
            logger.exception("%s: write handler failed for %s", self.profile.name, spec.uuid)
            raise att.ATT_Error(att.ErrorCode.UNLIKELY_ERROR, message=str(exc)) from exc

    def _characteristic(self, char_uuid: str, needed_property: str) -> gatt.Characteristic:
        spec = self.profile.characteristic(char_uuid)
        if needed_property not in spec.properties:
            raise EmulationError(
                f"{self.profile.name}: characteristic {spec.uuid} has no {needed_property!r} property "
                f"(it has {sorted(spec.properties)}); add it to the profile"
            )
        return self._characteristics[spec.uuid]

    def set_value(self, char_uuid: str, value: bytes) -> None:
        """Set the value a GATT read of ``char_uuid`` returns from now on.

        Raises:
            EmulationError: no such characteristic, or it is not readable.
        """
        self._characteristic(char_uuid, "read")
        self._values[self.profile.characteristic(char_uuid).uuid] = bytes(value)

    # ----------------------------------------------------------- connection
    @property
    def address(self) -> str:
        """The peripheral's (static random) Bluetooth address, ``"XX:XX:XX:XX:XX:XX"``."""
        return self.device.random_address.to_string(False)

    @property
    def connections(self) -> tuple[Connection, ...]:
        """The live Bumble connections to centrals."""
        return tuple(self.device.connections.values())

    @property
    def is_connected(self) -> bool:
        """True while at least one central is connected."""
        return bool(self.device.connections)

    async def start_advertising(self) -> None:
        """Advertise (connectable, undirected) the profile's name and service UUIDs.

        Also re-enables advertising after disconnections if
        :meth:`disconnect` switched it off.
        """
        self._readvertise = True
        interval_ms = self.profile.advertising_interval_s * 1000.0
        await self.device.start_advertising(
            advertising_data=advertising_data_bytes(self.profile),
            advertising_interval_min=interval_ms,
            advertising_interval_max=interval_ms,
        )

    def _on_connection(self, connection: Connection) -> None:
        connection.on(connection.EVENT_DISCONNECTION, lambda _reason: self._after_disconnection())

    def _after_disconnection(self) -> None:
        if self.on_disconnection is not None:
            self.on_disconnection()
        if self._readvertise and self.device.powered_on:
            self._spawn(self.start_advertising)

    def _spawn(self, work: Callable[[], Awaitable[None]]) -> None:
        task = asyncio.ensure_future(work())
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    def _subscribed_bearers(self, characteristic: gatt.Characteristic) -> list[att.Bearer]:
        """The bearers whose CCCD of ``characteristic`` enables notifications or indications."""
        return [
            bearer
            for bearer, cccds in self.device.gatt_server.subscribers.items()
            if cccds.get(characteristic.handle, b"\x00\x00")[0] & 0x03
        ]

    def is_subscribed(self, char_uuid: str) -> bool:
        """True if some connected central enabled notifications or indications on ``char_uuid``.

        Raises:
            EmulationError: no such characteristic.
        """
        return bool(self._subscribed_bearers(self._characteristics[self.profile.characteristic(char_uuid).uuid]))

    async def wait_until_subscribed(self, char_uuid: str, timeout_s: float) -> None:
        """Wait until a central subscribes to ``char_uuid``.

        Raises:
            EmulationError: no such characteristic.
            TimeoutError: nobody subscribed within ``timeout_s`` seconds.
        """
        characteristic = self._characteristics[self.profile.characteristic(char_uuid).uuid]
        changed = asyncio.Event()

        def on_subscription(*_args: object) -> None:
            changed.set()

        characteristic.on(characteristic.EVENT_SUBSCRIPTION, on_subscription)
        try:
            async with asyncio.timeout(timeout_s):
                while not self.is_subscribed(char_uuid):
                    changed.clear()
                    await changed.wait()
        finally:
            characteristic.remove_listener(characteristic.EVENT_SUBSCRIPTION, on_subscription)

    # --------------------------------------------------------- notification
    @property
    def stats(self) -> NotificationStats:
        """A snapshot of the notification counters."""
        return NotificationStats(sent=self._sent, dropped=self._dropped, withheld=self._faults.held)

    async def notify(self, char_uuid: str, payload: bytes) -> bool:
        """Send ``payload`` as a notification of ``char_uuid`` to every subscribed central.

        Faults apply in this order: an active :meth:`pause` discards or holds
        the payload; then :meth:`drop_next` may drop it. A backlog held by an
        ended pause is sent first, in order. Without a subscriber the payload is
        handed to Bumble, which sends nothing (like a sensor streaming into the void).

        Returns:
            True if the payload was handed to the stack, False if a fault took it.

        Raises:
            EmulationError: no such characteristic, it has no ``notify``
                property, or the payload is longer than ATT_MTU - 3 bytes of a
                subscribed connection (the message gives both sizes).
        """
        characteristic = self._characteristic(char_uuid, "notify")
        payload = bytes(payload)
        self._check_fits_mtu(characteristic, payload)
        async with self._send_lock:
            now_s = asyncio.get_running_loop().time()
            await self._send_released(now_s)
            verdict = self._faults.admit(now_s, (characteristic, payload))
            if verdict is Verdict.SEND:
                await self._send(characteristic, payload)
            elif verdict is Verdict.DROP:
                self._dropped += 1
            return verdict is Verdict.SEND

    async def indicate(self, char_uuid: str, payload: bytes) -> None:
        """Send ``payload`` as an indication of ``char_uuid`` and wait for the confirmations.

        Indications are acknowledged by the link layer, so faults do not apply.

        Raises:
            EmulationError: no such characteristic, it has no ``indicate``
                property, or the payload does not fit the ATT MTU.
        """
        characteristic = self._characteristic(char_uuid, "indicate")
        payload = bytes(payload)
        self._check_fits_mtu(characteristic, payload)
        await self.device.indicate_subscribers(characteristic, payload)

    def _check_fits_mtu(self, characteristic: gatt.Characteristic, payload: bytes) -> None:
        for bearer in self._subscribed_bearers(characteristic):
            room = bearer.att_mtu - _ATT_HEADER_NOTIFICATION_BYTES
            if len(payload) > room:
                raise EmulationError(
                    f"{self.profile.name}: a {len(payload)}-byte value does not fit the ATT MTU of "
                    f"{bearer.att_mtu} bytes negotiated with the central ({room} bytes of payload); "
                    "send smaller packets or negotiate a larger MTU"
                )

    async def _send(self, characteristic: gatt.Characteristic, payload: bytes) -> None:
        await self.device.notify_subscribers(characteristic, payload)
        self._sent += 1

    async def _send_released(self, now_s: float) -> None:
        for characteristic, payload in self._faults.release(now_s):
            await self._send(characteristic, payload)

    async def _flush_after_pause(self) -> None:
        async with self._send_lock:
            await self._send_released(asyncio.get_running_loop().time())

    # ---------------------------------------------------------------- faults
    def drop_next(self, count: int = 1) -> None:
        """Lose the next ``count`` notifications (they never reach the central).

        Raises:
            ValueError: ``count`` is negative.
        """
        self._faults.drop_next(count)

    def pause(self, duration_s: float, *, keep_backlog: bool = False) -> None:
        """Silence the link for ``duration_s`` seconds from now; the connection stays up.

        Args:
            duration_s: length of the silence in seconds (> 0).
            keep_backlog: False: notifications sent meanwhile are lost (link
                too weak, sensor buffer overwritten). True: they are held and
                delivered in one burst, in order, when the silence ends
                (link-layer retransmission), so they arrive late.

        Raises:
            ValueError: ``duration_s`` is not positive.
        """
        loop = asyncio.get_running_loop()
        self._faults.pause(loop.time(), duration_s, keep_backlog)
        if self._flush_handle is not None:
            self._flush_handle.cancel()
        self._flush_handle = loop.call_later(duration_s, self._spawn, self._flush_after_pause)

    async def disconnect(
        self, reason: int = hci.HCI_REMOTE_USER_TERMINATED_CONNECTION_ERROR, *, readvertise: bool = True
    ) -> None:
        """Drop every connection from the peripheral side (the central did not ask for it).

        Args:
            reason: HCI error code sent to the central (Core Spec v5.4, Vol 1,
                Part F); default 0x13 "Remote User Terminated Connection".
            readvertise: advertise again afterwards so the central can
                reconnect (False emulates a sensor that switched off).
        """
        self._readvertise = readvertise
        for connection in self.connections:
            await connection.disconnect(reason)
        if not readvertise:
            await self.device.stop_advertising()

    async def close(self) -> None:
        """Disconnect without re-advertising, finish background work and power the device off.

        Background tasks (re-advertising, backlog flush) are awaited, not
        cancelled: cancelling one mid HCI command would desynchronise Bumble's
        host from its controller.
        """
        self._readvertise = False
        if self._flush_handle is not None:
            self._flush_handle.cancel()
        await asyncio.gather(*tuple(self._background), return_exceptions=True)
        await self.disconnect(readvertise=False)
        await self.device.power_off()
