"""Number and JSON formatting shared by the export writers."""

from __future__ import annotations

import io
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


def numeric_table(columns: np.ndarray, formats: list[str], delimiter: str) -> str:
    """Rows of a 2-D float array as text (printf ``formats`` per column, NaN as "NaN")."""
    buffer = io.StringIO()
    np.savetxt(buffer, columns, fmt=formats, delimiter=delimiter)
    return buffer.getvalue().replace("nan", MISSING_NUMBER)


def write_json_file(document: dict[str, Any], path: Path) -> None:
    """Write a JSON object (UTF-8, indented, ``null`` for missing numbers; NaN refused)."""
    path.write_text(json.dumps(document, indent=1, allow_nan=False) + "\n", encoding="utf-8")
