"""Send a packet stream as notifications the way a BLE link delivers them.

A sensor produces packets at a steady rate, but the radio only transmits at
connection events, one every connection interval (7.5 ms to 4 s in 1.25 ms
steps, Core Spec v5.4, Vol 6, Part B, 4.5.1). Packets that became ready since
the last event leave together, a few per event (how many fit depends on the
controllers; 4-7 is common), so the central sees bursts of notifications with
identical or near-identical arrival times, plus host scheduling jitter.
:func:`stream_notifications` reproduces that pattern on an
:class:`~anklet.sensors.emulated.peripheral.EmulatedPeripheral`.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from anklet.sensors.emulated.errors import EmulationError
from anklet.sensors.emulated.peripheral import EmulatedPeripheral

#: Connection interval bounds in seconds (Core Spec v5.4, Vol 6, Part B, 4.5.1).
CONNECTION_INTERVAL_MIN_S = 0.0075
CONNECTION_INTERVAL_MAX_S = 4.0


@dataclass(frozen=True)
class ConnectionTiming:
    """When and how many notifications a link delivers.

    Attributes:
        interval_s: connection interval in seconds (0.0075..4.0).
        max_notifications_per_event: notifications sent per connection event
            at most; the rest wait for the next event.
        jitter_s: each event is delayed by a uniform random 0..jitter_s seconds.
        seed: seed of the jitter's random generator (runs are repeatable).

    Raises:
        EmulationError: a field is out of range.
    """

    interval_s: float = 0.015
    max_notifications_per_event: int = 6
    jitter_s: float = 0.002
    seed: int = 0

    def __post_init__(self) -> None:
        if not CONNECTION_INTERVAL_MIN_S <= self.interval_s <= CONNECTION_INTERVAL_MAX_S:
            raise EmulationError(
                f"interval_s={self.interval_s} is outside the BLE range "
                f"{CONNECTION_INTERVAL_MIN_S}..{CONNECTION_INTERVAL_MAX_S} s"
            )
        if self.max_notifications_per_event < 1:
            raise EmulationError(f"max_notifications_per_event must be >= 1, got {self.max_notifications_per_event}")
        if self.jitter_s < 0:
            raise EmulationError(f"jitter_s must be >= 0, got {self.jitter_s}")

    @property
    def capacity_per_s(self) -> float:
        """Most notifications per second this timing can deliver."""
        return self.max_notifications_per_event / self.interval_s


def check_packet_rate(packet_rate_hz: float, timing: ConnectionTiming) -> None:
    """Check that ``timing`` can deliver ``packet_rate_hz`` notifications per second.

    Raises:
        EmulationError: the rate is not positive or exceeds ``timing.capacity_per_s``.
    """
    if not 0 < packet_rate_hz <= timing.capacity_per_s:
        raise EmulationError(
            f"packet_rate_hz={packet_rate_hz:g} must be > 0 and at most the {timing.capacity_per_s:g} "
            "notifications/s the connection timing delivers; raise max_notifications_per_event "
            "or shorten interval_s"
        )


#: A typical link: 15 ms connection interval, up to 6 notifications per event, 2 ms jitter.
DEFAULT_TIMING = ConnectionTiming()


async def stream_notifications(
    peripheral: EmulatedPeripheral,
    char_uuid: str,
    packets: Iterable[bytes],
    packet_rate_hz: float,
    timing: ConnectionTiming = DEFAULT_TIMING,
    *,
    stop_on_disconnect: bool = True,
) -> int:
    """Notify ``packets`` on ``char_uuid``, bunched into connection events.

    Packet ``k`` becomes ready ``(k + 1) / packet_rate_hz`` seconds after the
    call (when a sensor has taken its last sample, if it holds the samples of
    one packet period);
    at each connection event (every ``timing.interval_s`` plus jitter) the
    ready packets are sent in order, at most ``timing.max_notifications_per_event``
    of them. ``packets`` is consumed lazily, so it may be an endless generator;
    cancel the task to stop. Faults injected on the peripheral apply.

    Args:
        peripheral: the sender.
        char_uuid: a characteristic with the ``notify`` property.
        packets: notification payloads, each at most ATT_MTU - 3 bytes.
        packet_rate_hz: packets the sensor produces per second (> 0).
        timing: the link's connection-event pattern.
        stop_on_disconnect: return as soon as no central is connected.

    Returns:
        The number of packets handed to :meth:`EmulatedPeripheral.notify`
        (faults may have dropped some of them).

    Raises:
        EmulationError: ``packet_rate_hz`` is not positive or exceeds what
            ``timing`` can deliver, or :meth:`EmulatedPeripheral.notify` refuses a packet.
    """
    check_packet_rate(packet_rate_hz, timing)
    loop = asyncio.get_running_loop()
    rng = np.random.default_rng(timing.seed)
    source = iter(packets)
    pending: deque[bytes] = deque()
    produced = sent = 0
    exhausted = False
    start_s = loop.time()
    for event in itertools.count(1):
        event_time_s = start_s + event * timing.interval_s + rng.uniform(0.0, timing.jitter_s)
        await asyncio.sleep(max(0.0, event_time_s - loop.time()))
        if stop_on_disconnect and not peripheral.is_connected:
            break
        ready = int((loop.time() - start_s) * packet_rate_hz)
        if not exhausted and ready > produced:
            new = list(itertools.islice(source, ready - produced))
            exhausted = len(new) < ready - produced
            produced += len(new)
            pending.extend(new)
        for _ in range(min(timing.max_notifications_per_event, len(pending))):
            await peripheral.notify(char_uuid, pending.popleft())
            sent += 1
        if exhausted and not pending:
            break
    return sent
