"""Xsens MT Manager text exports (MTw Awinda, MTi), one sensor per file.

Supported layout (see docs/import-formats.md for examples):

1. an optional preamble: blank lines, comment lines starting with ``//`` (MT
   Manager 4.x: ``// Update Rate: 100.0Hz``; MT Manager 2019+: ``//  Update Rate:
   100.0Hz`` under ``// Device settings:``) or ``Name: value`` lines (the IPOL data
   set: ``Acquisition frequency: 100 Hz``);
2. one header line of column names separated by tabs (or ``;``, ``,``, spaces);
3. one row per sample. Cells of columns anklet does not use may be empty.

Needed columns: ``Acc_X Acc_Y Acc_Z`` (m/s^2, gravity included), ``Gyr_X Gyr_Y
Gyr_Z`` (rad/s, converted to deg/s) and a clock, either ``PacketCounter`` (16-bit
sample counter, time = counter / sampling rate) or ``SampleTimeFine`` (32-bit
count of 10 kHz ticks, used when no sampling rate is known). Counter roll-over is
unwrapped the way the Xsens device API documents it (a step back by more than half
the counter range is a wrap).
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from anklet.errors import InputFormatError
from anklet.imu import ImuData
from anklet.io._text import DataRows, data_rows, find_columns, parse_columns, read_lines

ACC_COLUMNS: tuple[str, str, str] = ("Acc_X", "Acc_Y", "Acc_Z")
GYR_COLUMNS: tuple[str, str, str] = ("Gyr_X", "Gyr_Y", "Gyr_Z")

_RATE_PATTERN = re.compile(
    r"(?:update rate|acquisition frequency|sampl(?:e|ing) rate|output rate)\s*:\s*"
    r"(\d+(?:\.\d*)?)\s*hz",
    re.IGNORECASE,
)
_MISSING_COLUMN_HINT = (
    "; re-export from MT Manager with 'Acceleration' and 'Rate of turn' "
    "(calibrated data) and 'Packet counter' or 'Sample time fine' selected"
)


@dataclass(frozen=True)
class _Clock:
    """A counter column that gives each sample's time."""

    column: str
    modulus: int
    ticks_per_s: float


PACKET_COUNTER = "PacketCounter"
SAMPLE_TIME_FINE = "SampleTimeFine"
_PACKET_COUNTER_MODULUS = 2**16
_SAMPLE_TIME_FINE = _Clock(SAMPLE_TIME_FINE, 2**32, 10_000.0)


def read_xsens_mtw_txt(path: str | Path, sampling_rate_hz: float | None = None) -> ImuData:
    """Read an Xsens MT Manager text export (layout in the module docstring).

    Time is ``PacketCounter / sampling_rate_hz`` when the file has a PacketCounter
    and a rate is known (argument, else the preamble), otherwise
    ``SampleTimeFine / 10000``. Both keep the recording's own zero, so files of
    sensors sharing a clock (MTw Awinda) stay aligned. Rows that repeat the
    previous row's counter are dropped with a :class:`UserWarning` giving the count.

    Args:
        path: the exported .txt file.
        sampling_rate_hz: overrides the rate found in the preamble.

    Returns:
        ImuData with time_s in s (gaps where packets were lost), acc_mps2 in m/s^2,
        gyr_dps in deg/s (converted from rad/s), sensor axes as exported.

    Raises:
        InputFormatError: no header line; missing Acc/Gyr/clock column; a
            PacketCounter without any sampling rate and no SampleTimeFine; a cell
            missing, empty, not a number, NaN or infinite; a counter that is not a
            non-negative integer in range or that goes backwards (not a roll-over).
            Messages name the file, line, column and text.
    """
    path = Path(path)
    lines = read_lines(path)
    header_index, preamble_rate_hz = _read_preamble(lines)
    if header_index is None:
        raise InputFormatError(
            path,
            "no column header found: expected a line of column names such as "
            "'PacketCounter<TAB>Acc_X<TAB>...' after the '//' comment lines",
        )
    header = lines[header_index]
    delimiter = _delimiter(header)
    header_cells = header.split(delimiter)
    rate_hz = preamble_rate_hz if sampling_rate_hz is None else sampling_rate_hz
    clock = _choose_clock(path, {cell.strip() for cell in header_cells}, rate_hz, header_index + 1)
    columns = find_columns(
        path, header_cells, (clock.column, *ACC_COLUMNS, *GYR_COLUMNS), header_index + 1,
        _MISSING_COLUMN_HINT,
    )
    rows = data_rows(path, lines, header_index + 1, delimiter)
    values = parse_columns(rows, columns)
    keep = _rows_with_new_counter(rows, values[clock.column], clock, columns[clock.column])
    ticks = _unwrapped_ticks(rows, values[clock.column], keep, clock)
    return ImuData(
        time_s=ticks / clock.ticks_per_s,
        acc_mps2=np.column_stack([values[name][keep] for name in ACC_COLUMNS]),
        gyr_dps=np.rad2deg(np.column_stack([values[name][keep] for name in GYR_COLUMNS])),
        source=str(path),
    )


def looks_like_xsens_txt(head: list[str]) -> bool:
    """True if ``head`` (the first lines of a file) holds an Xsens export header."""
    header_index, _ = _read_preamble(head)
    if header_index is None:
        return False
    header = head[header_index]
    names = {cell.strip() for cell in header.split(_delimiter(header))}
    return ACC_COLUMNS[0] in names and bool(names & {PACKET_COUNTER, SAMPLE_TIME_FINE})


def _read_preamble(lines: list[str]) -> tuple[int | None, float | None]:
    """0-based index of the column-header line (None if absent) and the rate in Hz
    stated above it (None if absent).

    Preamble lines are blank, start with ``//`` or contain a ``:`` (column names
    never do).
    """
    rate_hz = None
    for index, line in enumerate(lines):
        text = line.strip()
        if text and not text.startswith("//") and ":" not in text:
            return index, rate_hz
        match = _RATE_PATTERN.search(text)
        if match and rate_hz is None:
            rate_hz = float(match.group(1))
    return None, rate_hz


def _delimiter(header: str) -> str | None:
    """The cell separator of an export: tab, semicolon, comma, else whitespace (None)."""
    return next((sep for sep in ("\t", ";", ",") if sep in header), None)


def _choose_clock(path: Path, names: set[str], rate_hz: float | None, header_line: int) -> _Clock:
    """PacketCounter at ``rate_hz`` if possible, else SampleTimeFine.

    Raises:
        InputFormatError: neither clock can be used, or the rate is not positive.
    """
    if rate_hz is not None and not rate_hz > 0:
        raise InputFormatError(path, f"the sampling rate must be positive, got {rate_hz} Hz")
    if PACKET_COUNTER in names and rate_hz is not None:
        return _Clock(PACKET_COUNTER, _PACKET_COUNTER_MODULUS, rate_hz)
    if SAMPLE_TIME_FINE in names:
        return _SAMPLE_TIME_FINE
    if PACKET_COUNTER in names:
        raise InputFormatError(
            path,
            "has a PacketCounter but no sampling rate: the header lines state no "
            "'Update Rate' or 'Acquisition frequency'; pass sampling_rate_hz",
            header_line,
        )
    raise InputFormatError(
        path,
        f"no time column: need '{PACKET_COUNTER}' or '{SAMPLE_TIME_FINE}'{_MISSING_COLUMN_HINT}",
        header_line,
    )


def _rows_with_new_counter(
    rows: DataRows, counter: np.ndarray, clock: _Clock, column_index: int
) -> np.ndarray:
    """Boolean mask dropping rows that repeat the previous row's counter (warns with the count).

    Raises:
        InputFormatError: a counter value is not an integer in [0, modulus).
    """
    invalid = np.flatnonzero((counter != np.rint(counter)) | (counter < 0) | (counter >= clock.modulus))
    if invalid.size:
        row = int(invalid[0])
        raise InputFormatError(
            rows.path,
            f"column '{clock.column}' (column {column_index + 1}) must hold integers from 0 to "
            f"{clock.modulus - 1}, got '{rows.cell_text(row, column_index)}'",
            int(rows.line_numbers[row]),
        )
    keep = np.ones(counter.shape, dtype=bool)
    keep[1:] = np.diff(counter) != 0
    dropped = int(np.count_nonzero(~keep))
    if dropped:
        first = int(rows.line_numbers[np.flatnonzero(~keep)[0]])
        warnings.warn(
            f"{rows.path}: dropped {dropped} row(s) that repeat the previous row's "
            f"{clock.column} (first on line {first}); the first row of each repeat is kept",
            UserWarning,
            stacklevel=3,
        )
    return keep


def _unwrapped_ticks(rows: DataRows, counter: np.ndarray, keep: np.ndarray, clock: _Clock) -> np.ndarray:
    """The kept counter values made monotonic across roll-overs (float64 ticks).

    A step back by more than half the counter range is a roll-over (as in the
    Xsens device API's packet stamper); any other step back is an error.

    Raises:
        InputFormatError: the counter goes backwards; names both lines and values.
    """
    ticks = counter[keep]
    steps = np.diff(ticks)
    rolled_over = steps < -clock.modulus / 2
    backwards = np.flatnonzero((steps < 0) & ~rolled_over)
    if backwards.size:
        i = int(backwards[0])
        previous_line, line = rows.line_numbers[keep][i : i + 2].tolist()
        raise InputFormatError(
            rows.path,
            f"{clock.column} goes backwards: {int(ticks[i + 1])} comes after {int(ticks[i])} "
            f"on line {previous_line}; rows must stay in recording order",
            line,
        )
    offsets = np.concatenate([[0.0], np.cumsum(rolled_over) * float(clock.modulus)])
    return ticks + offsets
