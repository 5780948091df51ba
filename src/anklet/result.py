"""The JSON analysis result, schema ``anklet.analysis/1`` (docs/result-format.md).

The format is public and versioned: fields are only ever added within version 1;
removing or changing the meaning of a field needs ``anklet.analysis/2``.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np

import anklet
from anklet.errors import OutputPathError
from anklet.gait.pipeline import GaitAnalysis, LegAnalysis
from anklet.gait.strides import PARAMETERS, StrideTable

SCHEMA = "anklet.analysis/1"


def _number(value: float) -> float | None:
    """A JSON number (rounded to 1 us / 1e-6 units), or None for NaN/inf."""
    value = float(value)
    return round(value, 6) if math.isfinite(value) else None


def _numbers(values: np.ndarray) -> list[float | None]:
    return [_number(v) for v in values]


def _vector(values: np.ndarray) -> list[float]:
    return [round(float(v), 4) for v in values]


def strides_to_json(table: StrideTable) -> list[dict[str, Any]]:
    """One JSON object per stride, all :data:`PARAMETERS` plus bounds and inclusion."""
    columns = {name: getattr(table, name) for name in ("start_s", "end_s", "final_contact_s")}
    columns.update({name: getattr(table, name) for name in PARAMETERS})
    rows = []
    for k in range(len(table)):
        row: dict[str, Any] = {name: _number(col[k]) for name, col in columns.items()}
        row["bout_index"] = int(table.bout_index[k])
        row["included"] = bool(table.included[k])
        row["excluded_reason"] = table.excluded_reason[k]
        rows.append(row)
    return rows


def leg_to_json(leg: LegAnalysis) -> dict[str, Any]:
    """The per-leg part of the result."""
    return {
        "initial_contacts_s": _numbers(leg.initial_contacts_s),
        "final_contacts_s": _numbers(leg.final_contacts_s),
        "strides": strides_to_json(leg.strides),
        "n_strides": len(leg.strides),
        "n_strides_included": int(leg.strides.included.sum()),
        "sampling_rate_hz": _number(leg.sampling_rate_hz),
        "orientation": {
            "medio_lateral_axis_in_sensor_frame": _vector(leg.frame.medio_lateral),
            "up_axis_in_sensor_frame": _vector(leg.frame.up),
            "forward_axis_in_sensor_frame": _vector(leg.frame.forward),
            "planarity": _number(leg.frame.planarity),
            "direction_confidence": _number(leg.frame.sign_confidence),
        },
        "gaps": [
            {"start_s": _number(g.start_s), "end_s": _number(g.end_s), "bridged": g.bridged}
            for g in leg.gaps
        ],
    }


def analysis_to_json(analysis: GaitAnalysis, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The whole ``anklet.analysis/1`` document as a JSON-ready dict.

    Args:
        analysis: the pipeline's result.
        extra: further top-level sections (e.g. ``asymmetry``, ``bilateral``, ``input``).
    """
    document: dict[str, Any] = {
        "schema": SCHEMA,
        "anklet_version": anklet.__version__,
        "placement": analysis.placement,
        "assumptions": ["both sensors share one clock"],
        "bouts": [
            {
                "start_s": _number(b.start_s),
                "end_s": _number(b.end_s),
                "activity": b.activity,
                "n_strides": b.n_strides,
            }
            for b in analysis.bouts
        ],
        "turns": [
            {
                "start_s": _number(t.start_s),
                "end_s": _number(t.end_s),
                "heading_change_deg": _number(t.heading_change_deg),
            }
            for t in analysis.turns
        ],
        "activity_time_s": {name: _number(seconds) for name, seconds in analysis.activity_time_s().items()},
        "warnings": list(analysis.warnings),
    }
    for side, leg in analysis.legs.items():
        document[side] = leg_to_json(leg)
    document.update(extra or {})
    return document


def check_json_path(path: str | Path) -> None:
    """Check, before a long analysis, that a result document can be written to ``path``.

    Raises:
        OutputPathError: ``path`` is a folder, or its folder does not exist.
    """
    path = Path(path)
    if path.is_dir():
        raise OutputPathError(f"{path} is a folder: give a file name for the JSON result, e.g. {path / 'result.json'}")
    if not path.parent.is_dir():
        raise OutputPathError(f"{path}: folder {path.parent} does not exist; create it or choose another path")


def write_json(document: dict[str, Any], path: str | Path) -> None:
    """Write a result document (UTF-8, indented, no NaN: they are ``null``).

    Raises:
        OutputPathError: the file cannot be written (see :func:`check_json_path`, or
            no permission).
    """
    check_json_path(path)
    try:
        Path(path).write_text(json.dumps(document, indent=1, allow_nan=False) + "\n", encoding="utf-8")
    except OSError as error:
        raise OutputPathError(f"cannot write {path}: {error.strerror}") from None
