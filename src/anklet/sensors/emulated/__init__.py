"""Emulated BLE sensors: Bumble peripherals on an in-process virtual link, reached through bleak.

* :class:`VirtualRadio` owns a Bumble ``LocalLink``, the central and the peripherals;
* :class:`EmulatedPeripheral` serves a declarative :class:`PeripheralProfile`,
  takes writes through ``on_write``, sends notifications, injects faults;
* :func:`stream_notifications` sends a packet stream bunched into connection events;
* :class:`EmulatedSensor` is the base of the protocol emulators, which play back
  ``ImuData`` as one sensor family's traffic (:class:`EmulatedAnkletSensor`, :class:`EmulatedMovesenseSensor`,
  :class:`EmulatedPolarSensor`, :class:`EmulatedWitmotionSensor`);
* :class:`BleakScannerBumble` / :class:`BleakClientBumble` are bleak backends, so
  ``BleakScanner(backend=BleakScannerBumble)`` and
  ``BleakClient(device, backend=BleakClientBumble)`` run unchanged against them.

See ``docs/emulation.md``.
"""

from anklet.sensors.emulated.anklet_sensor import EmulatedAnkletSensor
from anklet.sensors.emulated.bleak_client import BleakClientBumble
from anklet.sensors.emulated.bleak_scanner import BleakScannerBumble
from anklet.sensors.emulated.errors import EmulationError, WriteRejected
from anklet.sensors.emulated.movesense_sensor import EmulatedMovesenseSensor
from anklet.sensors.emulated.peripheral import (
    EmulatedPeripheral,
    NotificationStats,
    SubscriptionHandler,
    WriteHandler,
)
from anklet.sensors.emulated.polar_sensor import EmulatedPolarSensor
from anklet.sensors.emulated.profile import (
    CharacteristicSpec,
    PeripheralProfile,
    ServiceSpec,
)
from anklet.sensors.emulated.radio import VirtualRadio
from anklet.sensors.emulated.sensor import EmulatedSensor
from anklet.sensors.emulated.streaming import ConnectionTiming, stream_notifications
from anklet.sensors.emulated.witmotion_sensor import EmulatedWitmotionSensor

__all__ = [
    "BleakClientBumble",
    "BleakScannerBumble",
    "CharacteristicSpec",
    "ConnectionTiming",
    "EmulatedAnkletSensor",
    "EmulatedMovesenseSensor",
    "EmulatedPeripheral",
    "EmulatedPolarSensor",
    "EmulatedSensor",
    "EmulatedWitmotionSensor",
    "EmulationError",
    "NotificationStats",
    "PeripheralProfile",
    "ServiceSpec",
    "SubscriptionHandler",
    "VirtualRadio",
    "WriteHandler",
    "WriteRejected",
    "stream_notifications",
]
