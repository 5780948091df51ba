"""The error raised when the BLE emulation is set up or driven the wrong way."""

from __future__ import annotations

from anklet.errors import AnkletError


class EmulationError(AnkletError):
    """An emulated sensor or the virtual radio was used the wrong way.

    Examples: a profile with an unknown characteristic property, advertising
    data longer than legacy advertising allows, a notification longer than the
    negotiated ATT MTU, no :class:`~anklet.sensors.emulated.radio.VirtualRadio`
    running when the Bumble bleak backend is asked for one. The message says
    what is wrong and what to do.
    """
