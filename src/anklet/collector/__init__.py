"""The BLE collector: find two sensors, stream them, record raw packets, decode live.

* :mod:`.scan`: :func:`scan_sensors`, :func:`find_sensor` (supported sensors by advertisement);
* :mod:`.link`: :class:`SensorLink` (one sensor: connect, subscribe, start, watchdog, reconnect);
* :mod:`.stream`: :class:`SideStream` (live decoding on :class:`anklet.recording.side_decoder.SideDecoder`,
  online clock fit) and :class:`SideStatus`;
* :mod:`.session`: :class:`CollectorSession` (two links on one loop, recording, ``on_samples`` hook);
* :mod:`.simulated`: :class:`SimulatedPair` (emulated sensors for ``--simulate``).

See ``docs/collector.md``.
"""

from anklet.collector.link import (
    DEFAULT_POLICY,
    Arrival,
    LinkPolicy,
    SensorLink,
    StreamSettings,
)
from anklet.collector.scan import (
    DEFAULT_SCAN_TIMEOUT_S,
    FoundSensor,
    find_sensor,
    scan_sensors,
)
from anklet.collector.session import CollectorSession, SampleHook
from anklet.collector.stream import SideStatus, SideStream

__all__ = [
    "DEFAULT_POLICY",
    "DEFAULT_SCAN_TIMEOUT_S",
    "Arrival",
    "CollectorSession",
    "FoundSensor",
    "LinkPolicy",
    "SampleHook",
    "SensorLink",
    "SideStatus",
    "SideStream",
    "StreamSettings",
    "find_sensor",
    "scan_sensors",
]
