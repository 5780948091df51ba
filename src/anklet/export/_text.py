"""Number and JSON formatting shared by the export writers."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np

#: How a missing number is written in CSV/TSV tables (read as NaN by numpy, pandas and R).
MISSING_NUMBER = "NaN"


def exact_number(value: float) -> str:
    """Shortest text that reads back as exactly ``value`` (``repr``), or "NaN"."""
    value = float(value)
    return repr(value) if math.isfinite(value) else MISSING_NUMBER


#: Rows formatted by one printf call (bounds the temporary tuple to ~100k numbers).
_ROWS_PER_CHUNK = 8192


def numeric_table(columns: np.ndarray, formats: list[str], delimiter: str) -> str:
    """Rows of a 2-D float array as text, one line per row ("\n" ends).

    Each column is printf-formatted with its entry of ``formats``; NaN is written
    "NaN". Whole chunks of rows go through one ``%`` operation (C speed, about
    twice as fast as :func:`numpy.savetxt`, which loops over rows in Python).
    """
    row = delimiter.join(formats) + "\n"
    chunks = (columns[start : start + _ROWS_PER_CHUNK] for start in range(0, len(columns), _ROWS_PER_CHUNK))
    text = "".join((row * len(chunk)) % tuple(chunk.ravel().tolist()) for chunk in chunks)
    return text.replace("nan", MISSING_NUMBER)


def write_json_file(document: dict[str, Any], path: Path) -> None:
    """Write a JSON object (UTF-8, indented, ``null`` for missing numbers; NaN refused)."""
    path.write_text(json.dumps(document, indent=1, allow_nan=False) + "\n", encoding="utf-8")
