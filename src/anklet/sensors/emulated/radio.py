"""An in-process virtual BLE radio: one Bumble ``LocalLink`` with a central and emulated peripherals.

Every node is a Bumble ``Controller`` (the link layer) plus a Bumble ``Device``
(the host: HCI, L2CAP, ATT/GATT, SMP) wired by an in-memory HCI pipe, all on the
running asyncio loop. Controllers exchange advertising PDUs, connection
requests and ACL data through the shared ``LocalLink``. The central is the
"host adapter" that the Bumble bleak backend
(:mod:`anklet.sensors.emulated.bleak_scanner`,
:mod:`anklet.sensors.emulated.bleak_client`) drives.

While a radio runs it is the *current* radio of its event loop, which is how
``BleakScanner(backend=BleakScannerBumble)`` finds it without extra arguments.
"""

from __future__ import annotations

import asyncio
import weakref
from types import TracebackType

from bumble import core as bumble_core
from bumble import hci
from bumble.controller import Controller
from bumble.device import Connection, Device
from bumble.host import Host
from bumble.link import LocalLink
from bumble.transport.common import AsyncPipeSink

from anklet.sensors.emulated.errors import EmulationError
from anklet.sensors.emulated.peripheral import EmulatedPeripheral, WriteHandler
from anklet.sensors.emulated.profile import PeripheralProfile

#: LE ACL payload per packet in bytes: 251 = LE Data Length Extension
#: (Core Spec v5.4, Vol 6, Part B, 4.5.10), what nRF52 sensors and current
#: adapters negotiate. Bumble's controller default (27) is the pre-4.2 value.
LE_ACL_DATA_PACKET_BYTES = 251

_CENTRAL_ADDRESS = "C0:00:00:00:00:00"
#: Peripheral addresses are static random addresses (two top bits set) C0:A0:00:00:00:01, ...
_PERIPHERAL_ADDRESS_PREFIX = "C0:A0:00:00"

_current_radios: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, VirtualRadio] = (
    weakref.WeakKeyDictionary()
)


class _Controller(Controller):
    """Bumble's virtual link-layer controller, completed with LE Create Connection Cancel.

    Bumble's ``Controller`` acknowledges the cancel command but keeps the
    pending connection, so a later advertisement of the target still completes
    it and the host waits forever for the cancel's outcome. Here the pending
    connection is dropped and, as the Core Spec requires (v5.4, Vol 4, Part E,
    7.8.13), an LE Connection Complete event with status Unknown Connection
    Identifier follows the command completion.
    """

    def on_hci_le_create_connection_cancel_command(
        self, command: hci.HCI_LE_Create_Connection_Cancel_Command
    ) -> hci.HCI_StatusReturnParameters:
        """Drop the pending LE connection and report it failed; Command Disallowed if none is pending."""
        pending = self.pending_le_connection
        if pending is None:
            return hci.HCI_StatusReturnParameters(hci.HCI_ErrorCode.COMMAND_DISALLOWED_ERROR)
        self.pending_le_connection = None
        failure = hci.HCI_LE_Connection_Complete_Event(
            status=hci.HCI_ErrorCode.UNKNOWN_CONNECTION_IDENTIFIER_ERROR,
            connection_handle=0,
            role=hci.Role.CENTRAL,
            peer_address_type=pending.peer_address_type,
            peer_address=pending.peer_address,
            connection_interval=0,
            peripheral_latency=0,
            supervision_timeout=0,
            central_clock_accuracy=0,
        )
        asyncio.get_running_loop().call_soon(self.send_hci_packet, failure)
        return hci.HCI_StatusReturnParameters(hci.HCI_ErrorCode.SUCCESS)


def _new_node(link: LocalLink, name: str, address: str) -> tuple[_Controller, Device]:
    """A controller on ``link`` and a Bumble device (host) attached to it by an in-memory HCI pipe."""
    controller = _Controller(name, link=link, public_address=address)
    controller.le_acl_data_packet_length = LE_ACL_DATA_PACKET_BYTES
    device = Device(name=name, address=hci.Address(address), host=Host(controller, AsyncPipeSink(controller)))
    return controller, device


class VirtualRadio:
    """Owns one Bumble ``LocalLink``, the central device and the emulated peripherals.

    Use it as an async context manager on the running loop::

        async with VirtualRadio() as radio:
            left = await radio.add_peripheral(profile_left, on_write=handler)
            async with BleakClient(left.address, backend=BleakClientBumble) as client:
                ...

    Only one radio may run per event loop; it is returned by :meth:`current`.
    """

    def __init__(self) -> None:
        self._link: LocalLink | None = None
        self._central: Device | None = None
        self._central_controller: _Controller | None = None
        self._peripherals: list[EmulatedPeripheral] = []
        self._connect_lock = asyncio.Lock()
        self._scan_users = 0
        self._scan_lock = asyncio.Lock()

    # ------------------------------------------------------------ lifecycle
    async def start(self) -> None:
        """Create the link and the central, power the central on, become the loop's current radio.

        Raises:
            EmulationError: another radio already runs on this loop, or this one already runs.
        """
        loop = asyncio.get_running_loop()
        if loop in _current_radios:
            raise EmulationError(
                "a VirtualRadio is already running on this event loop; stop it before starting another"
            )
        self._link = LocalLink()
        self._central_controller, self._central = _new_node(self._link, "anklet-host", _CENTRAL_ADDRESS)
        await self._central.power_on()
        _current_radios[loop] = self

    async def stop(self) -> None:
        """Close every peripheral, power the central off and stop being the current radio."""
        for peripheral in self._peripherals:
            await peripheral.close()
        if self._central is not None:
            for connection in tuple(self._central.connections.values()):
                await connection.disconnect()
            await self._central.power_off()
        self._peripherals.clear()
        self._central = None
        self._central_controller = None
        self._link = None
        loop = asyncio.get_running_loop()
        if _current_radios.get(loop) is self:
            del _current_radios[loop]

    async def __aenter__(self) -> VirtualRadio:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    @classmethod
    def running(cls) -> VirtualRadio | None:
        """The radio running on the current event loop, or None (e.g. to pick bleak's backend).

        Example: ``BleakScanner(backend=BleakScannerBumble if VirtualRadio.running() else None)``.
        """
        return _current_radios.get(asyncio.get_running_loop())

    @classmethod
    def current(cls) -> VirtualRadio:
        """The radio running on the current event loop.

        Raises:
            EmulationError: none runs (start one with ``async with VirtualRadio()``).
        """
        radio = cls.running()
        if radio is None:
            raise EmulationError(
                "no VirtualRadio is running on this event loop; wrap the code in "
                "'async with VirtualRadio() as radio:' and add the emulated peripherals first"
            )
        return radio

    # ---------------------------------------------------------------- nodes
    @property
    def central(self) -> Device:
        """The central (host adapter) Bumble device.

        Raises:
            EmulationError: the radio is not started.
        """
        if self._central is None:
            raise EmulationError("the VirtualRadio is not started; use 'async with VirtualRadio() as radio:'")
        return self._central

    @property
    def peripherals(self) -> tuple[EmulatedPeripheral, ...]:
        """The peripherals added so far, in order."""
        return tuple(self._peripherals)

    async def add_peripheral(
        self, profile: PeripheralProfile, *, on_write: WriteHandler | None = None
    ) -> EmulatedPeripheral:
        """Create a peripheral serving ``profile``, power it on and start advertising.

        Its address is ``C0:A0:00:00:00:01`` for the first peripheral, then
        ``...:02`` and so on.

        Raises:
            EmulationError: the radio is not started.
        """
        if self._link is None:
            raise EmulationError("the VirtualRadio is not started; use 'async with VirtualRadio() as radio:'")
        index = len(self._peripherals) + 1
        address = f"{_PERIPHERAL_ADDRESS_PREFIX}:{index >> 8:02X}:{index & 0xFF:02X}"
        _, device = _new_node(self._link, profile.name, address)
        peripheral = EmulatedPeripheral(device, profile, on_write)
        await device.power_on()
        await peripheral.start_advertising()
        self._peripherals.append(peripheral)
        return peripheral

    # ----------------------------------------------- services for the backend
    async def acquire_scanning(self, active: bool) -> None:
        """Start the central's scanner for one more user (reference counted).

        Args:
            active: active (True) or passive scanning; the first user decides.
        """
        async with self._scan_lock:
            if self._scan_users == 0:
                await self.central.start_scanning(active=active)
            self._scan_users += 1

    async def release_scanning(self) -> None:
        """Stop the central's scanner when its last user releases it."""
        async with self._scan_lock:
            self._scan_users = max(0, self._scan_users - 1)
            if self._scan_users == 0 and self._central is not None and self._central.is_scanning:
                await self._central.stop_scanning()

    def has_device(self, address: str) -> bool:
        """True if a controller on the link owns ``address`` (``"XX:XX:XX:XX:XX:XX"``)."""
        return self._link is not None and self._link.find_le_controller(hci.Address(address)) is not None

    async def connect(self, address: str, timeout_s: float) -> Connection:
        """Connect the central to the advertiser with ``address``, one connection attempt at a time.

        Raises:
            EmulationError: the radio is not started.
            TimeoutError: the device did not accept a connection within
                ``timeout_s`` seconds (not advertising, already connected).
        """
        central = self.central
        async with self._connect_lock:
            try:
                return await central.connect(hci.Address(address), timeout=timeout_s)
            except bumble_core.TimeoutError as exc:
                raise TimeoutError(
                    f"{address} did not accept a connection within {timeout_s} s "
                    "(is it advertising, or already connected?)"
                ) from exc
            except asyncio.CancelledError:
                # The host gave up waiting; drop the attempt in the controller too.
                if self._central_controller is not None:
                    self._central_controller.pending_le_connection = None
                raise
