"""anklet's own import/export CSV: one sensor per file, one sample per row.

Header (required, any column order, extra columns ignored)::

    time_s,acc_x,acc_y,acc_z,gyr_x,gyr_y,gyr_z

time in seconds (strictly increasing), acceleration in m/s^2 with gravity,
angular rate in deg/s, sensor axes as mounted. Full description in
docs/import-formats.md.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from anklet.errors import InputFormatError, RecordingError
from anklet.imu import ImuData
from anklet.io._text import (
    data_rows,
    find_columns,
    parse_columns,
    read_lines,
    require_at_most_cells,
    require_increasing,
)

#: Column names of the anklet CSV, in the order :func:`write_imu_csv` writes them.
COLUMNS: tuple[str, ...] = ("time_s", "acc_x", "acc_y", "acc_z", "gyr_x", "gyr_y", "gyr_z")

#: Decimals written per quantity: 1 us for time, 1e-5 m/s^2, 1e-4 deg/s (all far
#: below the resolution of MEMS IMUs). Reading a written file returns exactly the
#: float64 values nearest to these decimal strings.
TIME_DECIMALS = 6
ACC_DECIMALS = 5
GYR_DECIMALS = 4

_ROW_FORMAT = ",".join(
    [f"%.{TIME_DECIMALS}f"] + [f"%.{ACC_DECIMALS}f"] * 3 + [f"%.{GYR_DECIMALS}f"] * 3
) + "\n"
_WRITE_CHUNK_ROWS = 50_000
_DELIMITER = ","

#: Separators people use instead of the comma, with their name for messages
#: (None: runs of spaces).
_OTHER_SEPARATORS: dict[str | None, str] = {
    ";": "semicolons (;)", "\t": "tabs", "|": "vertical bars (|)", None: "spaces",
}
#: Splits a line into candidate column names whatever the separator.
_ANY_SEPARATOR = re.compile(r"[\s,;|]+")
_NUMBER_HINT = (
    "use '.' as the decimal point (decimal commas such as 0,01 are not accepted) "
    "and ',' only between cells"
)


def read_imu_csv(path: str | Path) -> ImuData:
    """Read an anklet CSV file (see module docstring and docs/import-formats.md).

    Args:
        path: the CSV file (UTF-8, comma-separated, first line = header).

    Returns:
        ImuData with time_s in s, acc_mps2 in m/s^2, gyr_dps in deg/s, axes as in
        the file (sensor frame as mounted); ``source`` is the path.

    Raises:
        InputFormatError: the file is missing, empty or header-only; the header
            is separated by something other than commas; a required column is
            missing (named, with the columns found); a row has more cells than the
            header (e.g. decimal commas); a cell is empty, not a number, NaN or
            infinite (file, line, column and text named); time_s does not increase
            strictly (both lines and times named).
    """
    path = Path(path)
    lines = read_lines(path)
    header_index = next(i for i, line in enumerate(lines) if line.strip())
    header_cells = lines[header_index].split(_DELIMITER)
    columns = _find_header_columns(path, lines[header_index], header_index + 1)
    rows = data_rows(path, lines, header_index + 1, _DELIMITER)
    require_at_most_cells(rows, len(header_cells), f"; {_NUMBER_HINT}")
    values = parse_columns(rows, columns)
    require_increasing(rows, values["time_s"], "time_s")
    return ImuData(
        time_s=values["time_s"],
        acc_mps2=np.column_stack([values["acc_x"], values["acc_y"], values["acc_z"]]),
        gyr_dps=np.column_stack([values["gyr_x"], values["gyr_y"], values["gyr_z"]]),
        source=str(path),
    )


def looks_like_imu_csv(head: list[str]) -> bool:
    """True if the first non-blank line of ``head`` is an anklet CSV header."""
    return set(COLUMNS) <= _names_in(_first_line(head), _DELIMITER)


def resembles_imu_csv(head: list[str]) -> bool:
    """True if the first non-blank line of ``head`` looks like an attempt at an anklet
    CSV header, whatever the separator: it names ``time_s`` or at least 3 of the 7
    columns (case-sensitive, so Xsens ``Acc_X`` headers do not count). Such a file is
    given to :func:`read_imu_csv` so that its message says what is wrong."""
    names = set(COLUMNS) & {name.strip("\"'") for name in _ANY_SEPARATOR.split(_first_line(head))}
    return COLUMNS[0] in names or len(names) >= 3


def _first_line(lines: list[str]) -> str:
    """The first non-blank line ('' if none)."""
    return next((line for line in lines if line.strip()), "")


def _names_in(header: str, separator: str | None) -> set[str]:
    """The anklet column names among the cells of ``header`` split at ``separator``."""
    return set(COLUMNS) & {cell.strip() for cell in header.split(separator)}


def _find_header_columns(path: Path, header: str, line: int) -> dict[str, int]:
    """0-based index of each of :data:`COLUMNS` in the comma-separated ``header``.

    Raises:
        InputFormatError: the header names more anklet columns when split at another
            separator (';', tab, '|', spaces) than at commas (the message asks for
            commas and '.' decimals); a column is missing or repeated.
    """
    found_with_commas = len(_names_in(header, _DELIMITER))
    for separator, name in _OTHER_SEPARATORS.items():
        if len(_names_in(header, separator)) > found_with_commas:
            raise InputFormatError(
                path,
                f"the header is separated by {name}, but the anklet CSV's cells must be "
                "separated by commas; save the file with ',' as the field separator and '.' "
                "as the decimal point (decimal commas such as 0,01 are not accepted)",
                line,
            )
    return find_columns(
        path, header.split(_DELIMITER), COLUMNS, line,
        "; the header must be the first line and cells must be separated by commas",
    )


def write_imu_csv(imu: ImuData, path: str | Path) -> None:
    """Write ``imu`` as an anklet CSV with the header :data:`COLUMNS`.

    Values are written with :data:`TIME_DECIMALS`, :data:`ACC_DECIMALS` and
    :data:`GYR_DECIMALS` decimals; :func:`read_imu_csv` returns them exactly at
    that precision, and writing what was read reproduces the file byte for byte.

    Args:
        imu: time_s in s, acc_mps2 in m/s^2, gyr_dps in deg/s.
        path: file to create or overwrite.

    Raises:
        RecordingError: a value is NaN/infinite, two times are equal at the written
            precision (the file could not be read back), or the file cannot be written.
    """
    table = np.column_stack([imu.time_s, imu.acc_mps2, imu.gyr_dps]).astype(np.float64)
    not_finite = np.flatnonzero(~np.isfinite(table).all(axis=1))
    if not_finite.size:
        raise RecordingError(f"cannot write {path}: sample {not_finite[0]} has a NaN or infinite value")
    collapsed = np.flatnonzero(np.diff(np.round(imu.time_s, TIME_DECIMALS)) <= 0)
    if collapsed.size:
        i = int(collapsed[0])
        raise RecordingError(
            f"cannot write {path}: samples {i} and {i + 1} (time_s {float(imu.time_s[i])!r}, "
            f"{float(imu.time_s[i + 1])!r}) are not increasing at {TIME_DECIMALS} decimals"
        )
    try:
        with Path(path).open("w", encoding="utf-8", newline="") as stream:
            stream.write(",".join(COLUMNS) + "\n")
            for start in range(0, len(table), _WRITE_CHUNK_ROWS):
                chunk = table[start : start + _WRITE_CHUNK_ROWS]
                # One C-level %-format per chunk: ~2x faster than numpy.savetxt.
                stream.write((_ROW_FORMAT * len(chunk)) % tuple(chunk.ravel().tolist()))
    except OSError as exc:
        raise RecordingError(f"cannot write {path}: {exc.strerror}") from None
