"""Shared machinery of the text importers: read the lines of a file, locate columns
by name, parse numeric columns fast with :func:`numpy.loadtxt` and, when that
fails, find the exact file/line/column/text to report.

Every problem raises :class:`anklet.errors.InputFormatError` with a 1-based line
number where one applies.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import islice, repeat
from pathlib import Path

import numpy as np

from anklet.errors import InputFormatError


@dataclass(frozen=True)
class DataRows:
    """The non-blank data lines of a text table and where they are in the file.

    Attributes:
        path: the file, for messages.
        texts: the data lines, without line terminators, blank lines removed.
        line_numbers: (n,) int, 1-based line number of each entry of ``texts``.
        delimiter: cell separator; None splits on runs of whitespace.
    """

    path: Path
    texts: list[str]
    line_numbers: np.ndarray
    delimiter: str | None

    def cell_text(self, row: int, column: int) -> str:
        """The stripped text of one cell (0-based row of ``texts``, 0-based column)."""
        return self.texts[row].split(self.delimiter)[column].strip()


def read_lines(path: Path, max_lines: int | None = None) -> list[str]:
    """The lines of a UTF-8 text file (a leading byte-order mark is dropped), without
    line terminators; only the first ``max_lines`` if given (for sniffing).

    Raises:
        InputFormatError: the file does not exist, is a folder, cannot be read,
            is not UTF-8 text, or is empty.
    """
    try:
        with path.open(encoding="utf-8-sig", newline=None) as stream:
            lines = stream.read().splitlines() if max_lines is None else [
                line.rstrip("\r\n") for line in islice(stream, max_lines)
            ]
    except FileNotFoundError:
        raise InputFormatError(path, "file not found; check the path") from None
    except IsADirectoryError:
        raise InputFormatError(path, "is a folder, not a file; give the path of a data file") from None
    except UnicodeDecodeError:
        _raise_not_utf8(path)
    except OSError as exc:
        raise InputFormatError(path, f"cannot read the file ({exc.strerror})") from None
    if not any(line.strip() for line in lines):
        raise InputFormatError(path, "the file is empty; expected a header line and data rows")
    return lines


def _raise_not_utf8(path: Path) -> None:
    """Raise an InputFormatError naming the line and offset of the first non-UTF-8 byte."""
    raw = path.read_bytes()
    try:
        raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputFormatError(
            path,
            f"is not a UTF-8 text file (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
            "export the data as text (CSV/TXT)",
            raw.count(b"\n", 0, exc.start) + 1,
        ) from None


def data_rows(path: Path, lines: list[str], first_line_index: int, delimiter: str | None) -> DataRows:
    """The non-blank lines from 0-based ``first_line_index`` on, with their line numbers.

    Raises:
        InputFormatError: there is no data line (header only).
    """
    tail = lines[first_line_index:]
    stripped_lengths = np.fromiter(map(len, map(str.strip, tail)), dtype=np.int64, count=len(tail))
    keep = np.flatnonzero(stripped_lengths > 0)
    if keep.size == 0:
        raise InputFormatError(
            path,
            "the file has a header but no data rows; one row per sample must follow it",
            first_line_index,
        )
    texts = tail if keep.size == len(tail) else list(map(tail.__getitem__, keep.tolist()))
    return DataRows(path, texts, keep + first_line_index + 1, delimiter)


def require_at_most_cells(rows: DataRows, header_cells: int, hint: str = "") -> None:
    """Check that no data row has more cells than the header (``rows.delimiter`` must
    be a string). ``hint`` (what to do, format-specific) is appended to the message.

    One C-level count per row; the offending row is only searched for when the
    longest row is too long.

    Raises:
        InputFormatError: at the first row with more cells than the header; names
            the line and both cell counts.
    """
    delimiter = rows.delimiter
    if delimiter is None:
        raise ValueError("require_at_most_cells needs an explicit delimiter")
    if max(map(str.count, rows.texts, repeat(delimiter))) < header_cells:
        return
    row = next(i for i, text in enumerate(rows.texts) if text.count(delimiter) >= header_cells)
    cells = rows.texts[row].count(delimiter) + 1
    raise InputFormatError(
        rows.path,
        f"the row has {cells} cells but the header has {header_cells}; every row needs "
        f"one cell per header column{hint}",
        int(rows.line_numbers[row]),
    )


def find_columns(
    path: Path, header_cells: Sequence[str], wanted: Sequence[str], header_line: int, hint: str = ""
) -> dict[str, int]:
    """0-based index of each wanted column name in a header (names compared exactly).

    ``hint`` (what to do, format-specific) is appended to the missing-column message.

    Raises:
        InputFormatError: a wanted column is missing or appears more than once; the
            message names it and lists the columns found.
    """
    found = [cell.strip() for cell in header_cells]
    missing = [name for name in wanted if name not in found]
    if missing:
        raise InputFormatError(
            path,
            f"missing column(s) {', '.join(repr(m) for m in missing)}; "
            f"found columns: {', '.join(repr(f) for f in found)}; "
            f"required: {', '.join(wanted)}{hint}",
            header_line,
        )
    repeated = [name for name in wanted if found.count(name) > 1]
    if repeated:
        raise InputFormatError(
            path,
            f"column(s) {', '.join(repr(r) for r in repeated)} appear more than once in the "
            "header; keep one of each",
            header_line,
        )
    return {name: found.index(name) for name in wanted}


def parse_columns(rows: DataRows, columns: Mapping[str, int]) -> dict[str, np.ndarray]:
    """Parse the named columns of every data row as finite float64 numbers.

    Vectorised (:func:`numpy.loadtxt` over the selected columns); only when that
    fails are the rows scanned one by one to name the first bad cell.

    Args:
        rows: the data lines.
        columns: column name -> 0-based column index.

    Returns:
        column name -> (n,) float64 array, one value per data row.

    Raises:
        InputFormatError: a cell is missing, empty, not a number, NaN or infinite.
            The message names the file, the 1-based line, the column (name and
            1-based position) and the offending text.
    """
    names = list(columns)
    indices = [columns[name] for name in names]
    try:
        values = np.loadtxt(
            rows.texts, dtype=np.float64, delimiter=rows.delimiter, usecols=indices,
            comments=None, ndmin=2,
        )
    except ValueError as exc:
        _raise_first_bad_cell(rows, columns)
        raise InputFormatError(rows.path, f"cannot parse the numbers ({exc})") from None
    not_finite = ~np.isfinite(values)
    if not_finite.any():
        row, position = np.argwhere(not_finite)[0]
        name = names[position]
        raise InputFormatError(
            rows.path,
            f"column '{name}' (column {columns[name] + 1}): "
            f"'{rows.cell_text(row, columns[name])}' is not a finite number; "
            "NaN and infinity are not allowed, remove or repair the row",
            int(rows.line_numbers[row]),
        )
    return {name: values[:, position] for position, name in enumerate(names)}


def _raise_first_bad_cell(rows: DataRows, columns: Mapping[str, int]) -> None:
    """Scan the rows in order and raise for the first missing/empty/non-numeric cell.

    Only runs after the fast parser failed, so its per-row loop costs nothing on
    valid files. Returns normally only if no bad cell is found.
    """
    for text, line in zip(rows.texts, rows.line_numbers.tolist(), strict=True):
        cells = text.split(rows.delimiter)
        for name, index in columns.items():
            where = f"column '{name}' (column {index + 1})"
            if index >= len(cells):
                raise InputFormatError(
                    rows.path,
                    f"{where} is missing: the line has only {len(cells)} cell(s)",
                    line,
                )
            cell = cells[index].strip()
            if not cell:
                raise InputFormatError(rows.path, f"{where} is empty; every sample needs a value", line)
            try:
                float(cell)
            except ValueError:
                raise InputFormatError(rows.path, f"{where}: '{cell}' is not a number", line) from None


def require_increasing(rows: DataRows, values: np.ndarray, name: str) -> None:
    """Check that ``values`` (one per data row) increase strictly.

    Raises:
        InputFormatError: at the first row whose value is equal to or smaller than
            the previous row's; names both lines and both values.
    """
    steps = np.diff(values)
    bad = np.flatnonzero(steps <= 0)
    if bad.size:
        i = int(bad[0])
        previous_line, line = rows.line_numbers[i : i + 2].tolist()
        previous_value, value = values[i : i + 2].tolist()
        relation = "equal to" if steps[i] == 0 else "before"
        raise InputFormatError(
            rows.path,
            f"{name} must increase strictly: {name}={value!r} is {relation} "
            f"{name}={previous_value!r} on line {previous_line}; sort the rows by {name} and "
            "remove repeated samples",
            line,
        )
