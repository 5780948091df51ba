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


class WriteRejected(EmulationError):
    """Raised by a write handler to answer a GATT write request with a chosen ATT error code.

    Attributes:
        att_error_code: the ATT error code sent to the central, 0x01..0xFF;
            protocol-specific rejections use the application range 0x80..0x9F
            (Core Spec v5.4, Vol 3, Part F, 3.4.1.1).
    """

    def __init__(self, att_error_code: int, reason: str) -> None:
        if not 0x01 <= att_error_code <= 0xFF:
            raise ValueError(f"att_error_code must be 0x01..0xFF, got {att_error_code:#x}")
        self.att_error_code = att_error_code
        super().__init__(f"write rejected with ATT error {att_error_code:#04x}: {reason}")
