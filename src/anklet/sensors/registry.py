"""All sensor protocols anklet speaks, by name and by advertisement."""

from __future__ import annotations

from collections.abc import Sequence

from anklet.sensors.anklet import AnkletProtocol
from anklet.sensors.base import SensorConfigError, SensorProtocol
from anklet.sensors.movesense import MovesenseProtocol
from anklet.sensors.polar_pmd import PolarPmdProtocol
from anklet.sensors.witmotion import WitmotionProtocol

#: Registry key -> protocol. Order matters for :func:`protocol_for_advertisement`
#: (first match wins): specific service UUIDs before name-only matches.
PROTOCOLS: dict[str, SensorProtocol] = {
    protocol.name: protocol
    for protocol in (AnkletProtocol(), MovesenseProtocol(), PolarPmdProtocol(), WitmotionProtocol())
}


def protocol_for_advertisement(advertised_name: str | None, service_uuids: Sequence[str]) -> SensorProtocol | None:
    """The protocol of an advertising device, or ``None`` if anklet does not know it.

    Args:
        advertised_name: the local name in the advertisement (may be ``None``).
        service_uuids: advertised service UUIDs, any case, 16- or 128-bit.
    """
    return next((p for p in PROTOCOLS.values() if p.matches(advertised_name, service_uuids)), None)


def get_protocol(name: str) -> SensorProtocol:
    """The protocol registered under ``name``.

    Raises:
        SensorConfigError: no such protocol; the message lists the known names.
    """
    try:
        return PROTOCOLS[name]
    except KeyError:
        known = ", ".join(sorted(PROTOCOLS))
        raise SensorConfigError(f"unknown sensor protocol {name!r}; known protocols: {known}") from None
