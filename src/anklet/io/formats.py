"""Registry of the file formats anklet can import, and :func:`read_imu`, which picks
the reader by sniffing the first lines of a file (or by an explicit format name).

To add a format, write a reader ``(Path) -> ImuData`` and a sniffer
``(first lines) -> bool`` and add an :class:`ImuFormat` to :data:`FORMATS`.
Optionally give it a second, looser test, ``resembles``: a file that no sniffer
accepts but that resembles a format (e.g. a CSV header with a misspelt column) is
handed to that format's reader, whose error names exactly what is wrong instead of
"unrecognised file format".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

from anklet.errors import InputFormatError
from anklet.imu import ImuData
from anklet.io._text import read_lines
from anklet.io.imu_csv import looks_like_imu_csv, read_imu_csv, resembles_imu_csv
from anklet.io.xsens import looks_like_xsens_txt, read_xsens_mtw_txt

#: How many leading lines a sniffer sees (the longest Xsens preamble is ~15 lines).
SNIFF_LINES = 50


def _resembles_nothing(head: list[str]) -> bool:
    """Default ``resembles`` test: no near misses are recognised."""
    return False


@dataclass(frozen=True)
class ImuFormat:
    """One importable file format.

    Attributes:
        description: one line for help texts and error messages.
        read: path -> ImuData (raises InputFormatError on malformed files).
        sniff: first lines of a file -> True if they are this format.
        resembles: first lines of a file -> True if they look like a (possibly
            broken) attempt at this format; consulted only when no ``sniff``
            matches, so that the reader reports the precise problem.
    """

    description: str
    read: Callable[[Path], ImuData]
    sniff: Callable[[list[str]], bool]
    resembles: Callable[[list[str]], bool] = _resembles_nothing


#: Format name (the ``fmt`` of :func:`read_imu`) -> format, in sniffing order.
FORMATS: dict[str, ImuFormat] = {
    "csv": ImuFormat(
        "anklet CSV: header time_s,acc_x,acc_y,acc_z,gyr_x,gyr_y,gyr_z (s, m/s^2, deg/s)",
        read_imu_csv,
        looks_like_imu_csv,
        resembles_imu_csv,
    ),
    "xsens": ImuFormat(
        "Xsens MT Manager text export: PacketCounter/SampleTimeFine, Acc_X.., Gyr_X.. (rad/s)",
        read_xsens_mtw_txt,
        looks_like_xsens_txt,
    ),
}


def read_imu(path: str | Path, fmt: str | None = None) -> ImuData:
    """Read one sensor's IMU file in any supported format.

    Args:
        path: the file.
        fmt: a key of :data:`FORMATS` ("csv", "xsens"); None sniffs the first
            :data:`SNIFF_LINES` lines and uses the first format whose ``sniff``
            matches, else the first whose ``resembles`` matches (its reader then
            says what is wrong with the file).

    Returns:
        ImuData (time_s in s, acc_mps2 in m/s^2, gyr_dps in deg/s, sensor axes).

    Raises:
        InputFormatError: ``fmt`` is unknown, or no format matches or resembles
            the file (the message lists the supported formats), or the chosen
            reader rejects it.
    """
    path = Path(path)
    if fmt is None:
        head = read_lines(path, SNIFF_LINES)
        matching = (name for name, spec in FORMATS.items() if spec.sniff(head))
        resembling = (name for name, spec in FORMATS.items() if spec.resembles(head))
        fmt = next(chain(matching, resembling), None)
        if fmt is None:
            first = next((line.strip() for line in head if line.strip()), "")
            raise InputFormatError(
                path,
                f"unrecognised file format (first line: {first[:80]!r}); supported formats: "
                f"{_supported()}; convert the file to the anklet CSV or name its format",
                1,
            )
    elif fmt not in FORMATS:
        raise InputFormatError(path, f"unknown format {fmt!r}; supported formats: {_supported()}")
    return FORMATS[fmt].read(path)


def _supported() -> str:
    """'name (description); ...' for every registered format."""
    return "; ".join(f"{name!r} ({spec.description})" for name, spec in FORMATS.items())
