"""bleak client backend on a :class:`~anklet.sensors.emulated.radio.VirtualRadio`.

``BleakClient(device, backend=BleakClientBumble)`` (bleak >= 0.18: ``backend``
takes a :class:`bleak.backends.client.BaseBleakClient` subclass; bleak passes
its keyword arguments through, so ``radio=`` and ``mtu_bytes=`` reach this
class) connects the radio's central to an emulated peripheral through Bumble's
host stack: LE connection, ATT MTU exchange, primary service / characteristic
/ descriptor discovery (Core Spec v5.4, Vol 3, Part G, 4.4-4.7), reads,
writes, CCCD subscriptions and notifications.

Behaviour follows bleak's BlueZ backend where bleak leaves room: the MTU
exchange happens during ``connect`` (BlueZ requests 517), and the
disconnected callback fires once per connection, whoever ended it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from bleak.args import SizedBuffer
from bleak.assigned_numbers import CHARACTERISTIC_PROPERTIES
from bleak.backends.characteristic import BleakGATTCharacteristic
from bleak.backends.client import BaseBleakClient, NotifyCallback
from bleak.backends.descriptor import BleakGATTDescriptor
from bleak.backends.device import BLEDevice
from bleak.backends.service import BleakGATTService, BleakGATTServiceCollection
from bleak.exc import BleakDeviceNotFoundError, BleakError, BleakGATTProtocolError
from bumble import att
from bumble import core as bumble_core
from bumble.device import Connection, Peer

from anklet.sensors.emulated.profile import from_bumble_uuid, to_bumble_uuid
from anklet.sensors.emulated.radio import VirtualRadio

logger = logging.getLogger(__name__)

_T = TypeVar("_T")

#: ATT_MTU the central asks for, as BlueZ does (Core Spec v5.4, Vol 3, Part F, 3.4.2.1).
DEFAULT_REQUESTED_MTU_BYTES = 517
_ATT_DEFAULT_MTU_BYTES = 23


def _property_names(properties: int) -> list[str]:
    """bleak's property names for a GATT properties bit field, in bit order."""
    return [name for bit, name in sorted(CHARACTERISTIC_PROPERTIES.items()) if properties & bit]


def _service_collection(peer: Peer, connection: Connection) -> BleakGATTServiceCollection:
    """bleak's service collection for the services ``peer`` has discovered.

    Characteristic handles are value handles; ``obj`` holds the Bumble proxy.
    """
    collection = BleakGATTServiceCollection()
    for service in peer.services:
        bleak_service = BleakGATTService(service, service.handle, from_bumble_uuid(service.uuid))
        collection.add_service(bleak_service)
        for characteristic in service.characteristics:
            bleak_characteristic = BleakGATTCharacteristic(
                characteristic,
                characteristic.handle,
                from_bumble_uuid(characteristic.uuid),
                _property_names(int(characteristic.properties)),  # type: ignore[arg-type]
                lambda: connection.att_mtu - 3,
                bleak_service,
            )
            collection.add_characteristic(bleak_characteristic)
            for descriptor in characteristic.descriptors:
                descriptor_uuid = from_bumble_uuid(descriptor.type)
                collection.add_descriptor(
                    BleakGATTDescriptor(descriptor, descriptor.handle, descriptor_uuid, bleak_characteristic)
                )
    return collection


class BleakClientBumble(BaseBleakClient):
    """bleak client backend that connects through the central of a :class:`VirtualRadio`.

    Args:
        address_or_ble_device: a ``BLEDevice`` from :class:`BleakScannerBumble`
            (its ``details`` is the radio) or an address ``"XX:XX:XX:XX:XX:XX"``.
        services: only discover these service UUIDs (None: all).
        disconnected_callback: called (scheduled on the loop) once per
            connection when it ends, whoever ended it.
        timeout: seconds for the whole ``connect`` (link, MTU, discovery).
        radio: the radio to use; default the device's radio or
            :meth:`VirtualRadio.current`.
        mtu_bytes: ATT_MTU requested during ``connect``; the result is the
            smaller of this and the peripheral's maximum.
        **kwargs: bleak's platform arguments (``bluez``, ``winrt``), ignored.
    """

    def __init__(
        self,
        address_or_ble_device: BLEDevice | str,
        services: set[str] | None = None,
        *,
        disconnected_callback: Callable[[], None] | None,
        timeout: float,
        radio: VirtualRadio | None = None,
        mtu_bytes: int = DEFAULT_REQUESTED_MTU_BYTES,
        **kwargs: Any,
    ) -> None:
        super().__init__(address_or_ble_device, disconnected_callback=disconnected_callback, timeout=timeout)
        self._name: str | None = None
        if isinstance(address_or_ble_device, BLEDevice):
            self._name = address_or_ble_device.name
            if radio is None and isinstance(address_or_ble_device.details, VirtualRadio):
                radio = address_or_ble_device.details
        self._radio = radio
        self._service_filter = services
        self._requested_mtu_bytes = mtu_bytes
        self._connection: Connection | None = None
        self._peer: Peer | None = None
        self._subscribers: dict[int, Callable[[bytes], None]] = {}

    # ------------------------------------------------------------ properties
    @property
    def name(self) -> str:
        """The advertised name, or the address with dashes when it is unknown."""
        return self._name or self.address.replace(":", "-")

    @property
    def mtu_size(self) -> int:
        """The negotiated ATT_MTU in bytes (23 before connecting)."""
        return self._connection.att_mtu if self._connection is not None else _ATT_DEFAULT_MTU_BYTES

    @property
    def is_connected(self) -> bool:
        """True between a successful ``connect`` and the end of the connection."""
        return self._connection is not None

    # ----------------------------------------------------------- connection
    async def connect(self, pair: bool, **kwargs: Any) -> None:
        """Connect, exchange the MTU and discover services within ``timeout`` seconds (no-op if connected).

        Raises:
            BleakDeviceNotFoundError: no device with this address is on the radio.
            TimeoutError: the whole procedure took longer than ``timeout``.
            BleakError: the link dropped during discovery.
            EmulationError: no radio was given and none runs on this loop.
        """
        if self.is_connected:
            return
        if pair:
            logger.warning("pairing is not emulated; connecting without pairing")
        radio = self._radio or VirtualRadio.current()
        if not radio.has_device(self.address):
            raise BleakDeviceNotFoundError(self.address, f"Device with address {self.address} was not found.")
        loop = asyncio.get_running_loop()
        deadline_s = loop.time() + self._timeout
        connection = await radio.connect(self.address, timeout_s=self._timeout)
        peer = Peer(connection)
        self._connection, self._peer = connection, peer
        connection.on(connection.EVENT_DISCONNECTION, self._on_disconnection)
        try:
            async with asyncio.timeout_at(deadline_s):
                await self._gatt("MTU exchange", lambda peer: peer.request_mtu(self._requested_mtu_bytes))
                await self._gatt("service discovery", self._discover)
        except BaseException:
            await self.disconnect()
            raise
        self.services = _service_collection(peer, connection)

    async def _discover(self, peer: Peer) -> None:
        """Discover services (all, or by UUID when filtered), their characteristics and descriptors."""
        if self._service_filter is None:
            await peer.discover_services()
        else:
            for uuid in sorted(self._service_filter):
                await peer.discover_service(to_bumble_uuid(uuid))
        for service in peer.services:
            await peer.discover_characteristics(service=service)
            for characteristic in service.characteristics:
                await peer.discover_descriptors(characteristic=characteristic)

    def _on_disconnection(self, reason: int) -> None:
        logger.debug("%s disconnected, HCI reason 0x%02X", self.address, reason)
        self._connection = None
        self._peer = None
        self._subscribers.clear()
        self.services = None
        if self._disconnected_callback is not None:
            asyncio.get_running_loop().call_soon(self._disconnected_callback)

    async def disconnect(self) -> None:
        """Disconnect (no-op when not connected); returns once the link is down."""
        connection = self._connection
        if connection is None:
            return
        await connection.disconnect()

    async def pair(self, *args: Any, **kwargs: Any) -> None:
        """Not emulated.

        Raises:
            NotImplementedError: always.
        """
        raise NotImplementedError("pairing is not emulated on the Bumble virtual radio")

    async def unpair(self) -> None:
        """Not emulated.

        Raises:
            NotImplementedError: always.
        """
        raise NotImplementedError("pairing is not emulated on the Bumble virtual radio")

    # ----------------------------------------------------------------- GATT
    async def _gatt(self, operation: str, request: Callable[[Peer], Awaitable[_T]]) -> _T:
        """Run ``request(peer)``, turning Bumble's failures into bleak's exceptions.

        Raises:
            BleakError: not connected, or the link dropped during the request.
            BleakGATTProtocolError: the peripheral answered with an ATT error.
            TimeoutError: no ATT response within Bumble's 30 s GATT timeout.
        """
        peer, connection = self._peer, self._connection
        if peer is None or connection is None:
            raise BleakError(f"{operation}: not connected")
        try:
            return await connection.cancel_on_disconnection(request(peer))
        except att.ATT_Error as exc:
            raise BleakGATTProtocolError(exc.error_code) from exc
        except bumble_core.TimeoutError as exc:
            raise TimeoutError(f"{operation}: no ATT response from {self.address}") from exc
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if task is not None and task.cancelling():
                raise
            raise BleakError(f"{operation}: {self.address} disconnected") from None

    async def read_gatt_char(
        self, characteristic: BleakGATTCharacteristic, *, use_cached: bool = False, **kwargs: Any
    ) -> bytearray:
        """Read a characteristic value (long values with Read Blob).

        Raises:
            BleakError: not connected, or the link dropped.
            BleakGATTProtocolError: the peripheral answered with an ATT error.
        """
        return bytearray(await self._gatt("read", lambda peer: peer.read_value(characteristic.obj)))

    async def read_gatt_descriptor(
        self, descriptor: BleakGATTDescriptor, *, use_cached: bool = False, **kwargs: Any
    ) -> bytearray:
        """Read a descriptor value.

        Raises:
            BleakError: not connected, or the link dropped.
            BleakGATTProtocolError: the peripheral answered with an ATT error.
        """
        return bytearray(await self._gatt("read descriptor", lambda peer: peer.read_value(descriptor.obj)))

    async def write_gatt_char(
        self, characteristic: BleakGATTCharacteristic, data: SizedBuffer, response: bool
    ) -> None:
        """Write with response (ATT Write Request) or without (ATT Write Command).

        Raises:
            BleakError: not connected, or the link dropped.
            BleakGATTProtocolError: the peripheral rejected a write request.
        """
        value = bytes(data)
        await self._gatt("write", lambda peer: peer.write_value(characteristic.obj, value, with_response=response))

    async def write_gatt_descriptor(self, descriptor: BleakGATTDescriptor, data: SizedBuffer) -> None:
        """Write a descriptor value with response.

        Raises:
            BleakError: not connected, or the link dropped.
            BleakGATTProtocolError: the peripheral rejected the write.
        """
        value = bytes(data)
        await self._gatt("write descriptor", lambda peer: peer.write_value(descriptor.obj, value, with_response=True))

    async def start_notify(
        self, characteristic: BleakGATTCharacteristic, callback: NotifyCallback, **kwargs: Any
    ) -> None:
        """Enable notifications (indications if the characteristic only indicates) via its CCCD.

        ``callback`` receives each value as a ``bytearray``; bleak's
        ``BleakClient.start_notify`` prepends the characteristic.

        Raises:
            BleakError: not connected, the characteristic cannot notify or
                indicate, or notifications are already started on it.
        """
        if not {"notify", "indicate"} & set(characteristic.properties):
            raise BleakError(f"characteristic {characteristic.uuid} does not support notify or indicate")
        if not self.is_connected:
            raise BleakError("start_notify: not connected")
        if characteristic.handle in self._subscribers:
            raise BleakError(f"notifications on {characteristic.uuid} are already started")

        def on_value(value: bytes) -> None:
            callback(bytearray(value))

        await self._gatt("start_notify", lambda peer: peer.subscribe(characteristic.obj, on_value))
        self._subscribers[characteristic.handle] = on_value

    async def stop_notify(self, characteristic: BleakGATTCharacteristic) -> None:
        """Disable notifications/indications on ``characteristic`` (writes 0 to its CCCD).

        Raises:
            BleakError: not connected, or the link dropped.
        """
        subscriber = self._subscribers.pop(characteristic.handle, None)
        await self._gatt("stop_notify", lambda peer: peer.unsubscribe(characteristic.obj, subscriber))
