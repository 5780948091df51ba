"""The CSV export: stride table, aligned per-sample signals, events, session facts.

Files (UTF-8, comma-separated, one header row, "\\n" line ends; missing numbers
are "NaN"), documented column by column in docs/exports.md:

* ``strides.csv``: one row per stride of both legs, every parameter of
  :data:`anklet.gait.strides.PARAMETERS` with its unit in the name, exactly the
  values of the analysis (shortest round-trip decimal);
* ``signals.csv``: both legs' accelerometer and gyroscope on one uniform session
  time grid (:func:`anklet.export.signals.align_signals`);
* ``events.csv``: contacts, bouts, gaps and markers (:func:`anklet.export.events.session_events`);
* ``session.json``: the session facts left after the privacy rule.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from anklet.analysis import AnalysisResult
from anklet.export._text import exact_number, numeric_table, write_json_file
from anklet.export.events import EventTable
from anklet.export.session import ExportSession, session_to_json
from anklet.export.signals import AlignedSignals
from anklet.gait.strides import PARAMETERS

#: Stride-table columns after ``side`` and ``stride_index``, all from :class:`~anklet.gait.strides.StrideTable`.
STRIDE_TIME_COLUMNS: tuple[str, ...] = ("start_s", "end_s", "final_contact_s")
STRIDE_COLUMNS: tuple[str, ...] = (
    "side", "stride_index", *STRIDE_TIME_COLUMNS, *PARAMETERS, "bout_index", "included", "excluded_reason",
)
EVENT_COLUMNS: tuple[str, ...] = ("time_s", "duration_s", "side", "kind", "text")
#: Signal quantities per leg: (name in the column, unit suffix).
SIGNAL_QUANTITIES: tuple[tuple[str, str], ...] = (("acc", "mps2"), ("gyr", "dps"))
AXES: tuple[str, ...] = ("x", "y", "z")


def signal_columns(signals: AlignedSignals) -> list[str]:
    """Column names of ``signals.csv``: ``time_s``, then ``<side>_<acc|gyr>_<axis>_<unit>`` per leg."""
    return ["time_s"] + [
        f"{side}_{quantity}_{axis}_{unit}"
        for side in signals.sides
        for quantity, unit in SIGNAL_QUANTITIES
        for axis in AXES
    ]


def write_csv_export(
    out_dir: Path, result: AnalysisResult, signals: AlignedSignals, events: EventTable, session: ExportSession
) -> list[Path]:
    """Write the four CSV-export files into the existing directory ``out_dir``.

    Args:
        out_dir: destination (prepared with :func:`anklet.export.output_dir.prepare_output_dir`).
        result: the analysis (strides).
        signals: both legs on one grid.
        events: the session's events.
        session: the exportable session facts.

    Returns:
        The files written.

    Raises:
        OSError: the files cannot be written.
    """
    paths = [out_dir / name for name in ("strides.csv", "signals.csv", "events.csv", "session.json")]
    _write_rows(paths[0], STRIDE_COLUMNS, _stride_rows(result))
    _write_signals(paths[1], signals)
    _write_rows(paths[2], EVENT_COLUMNS, _event_rows(events))
    write_json_file(session_to_json(session), paths[3])
    return paths


def _stride_rows(result: AnalysisResult) -> list[list[str]]:
    rows = []
    for side, leg in result.gait.legs.items():
        table = leg.strides
        numbers = [[exact_number(v) for v in getattr(table, name)] for name in (*STRIDE_TIME_COLUMNS, *PARAMETERS)]
        for k in range(len(table)):
            reason = table.excluded_reason[k]
            rows.append([
                side, str(k), *(column[k] for column in numbers), str(int(table.bout_index[k])),
                "true" if table.included[k] else "false", reason or "",
            ])
    return rows


def _event_rows(events: EventTable) -> list[list[str]]:
    return [
        [exact_number(t), exact_number(d), side, kind, text]
        for t, d, side, kind, text in zip(
            events.time_s.tolist(), events.duration_s.tolist(), events.side, events.kind, events.text, strict=True
        )
    ]


def _write_rows(path: Path, header: tuple[str, ...], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def _write_signals(path: Path, signals: AlignedSignals) -> None:
    blocks = [signals.time_s[:, None]]
    for side in signals.sides:
        blocks += [signals.acc_mps2[side], signals.gyr_dps[side]]
    columns = np.hstack(blocks)
    formats = ["%.6f"] + ["%.7g"] * (columns.shape[1] - 1)
    header = ",".join(signal_columns(signals)) + "\n"
    path.write_text(header + numeric_table(columns, formats, ","), encoding="utf-8")
