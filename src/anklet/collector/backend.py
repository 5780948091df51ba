"""Which bleak backend to use: the platform's, or Bumble's when a virtual radio runs.

bleak picks its platform backend (BlueZ, WinRT, CoreBluetooth) when
``backend=None``; a :class:`~anklet.sensors.emulated.VirtualRadio` running on
the current event loop means "talk to the emulated sensors" (``--simulate``,
tests, demo), so the collector passes the Bumble backends instead. The
collector never branches on emulation anywhere else.
"""

from __future__ import annotations

from bleak.backends.client import BaseBleakClient
from bleak.backends.scanner import BaseBleakScanner

from anklet.sensors.emulated import BleakClientBumble, BleakScannerBumble, VirtualRadio


def scanner_backend() -> type[BaseBleakScanner] | None:
    """``BleakScannerBumble`` if a virtual radio runs on this loop, else None (bleak's platform default).

    Must be called from a coroutine (it looks at the running loop).
    """
    return BleakScannerBumble if VirtualRadio.running() else None


def client_backend() -> type[BaseBleakClient] | None:
    """``BleakClientBumble`` if a virtual radio runs on this loop, else None (bleak's platform default).

    Must be called from a coroutine (it looks at the running loop).
    """
    return BleakClientBumble if VirtualRadio.running() else None
