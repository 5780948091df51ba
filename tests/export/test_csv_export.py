from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np

from anklet.export import ExportSession, align_signals, export_session
from anklet.gait.strides import PARAMETERS

from .conftest import Analysed


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def _number(text: str) -> float:
    return float(text)  # "NaN" reads as nan


def _same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == b


def test_strides_csv_equals_the_analysis(
    tmp_path: Path, analysed: Analysed, export_session_facts: ExportSession
) -> None:
    export_session("csv", tmp_path / "out", analysed.imu, analysed.result, export_session_facts)
    rows = _read(tmp_path / "out" / "strides.csv")
    legs = analysed.result.gait.legs
    assert len(rows) == sum(len(leg.strides) for leg in legs.values())
    assert set(PARAMETERS) <= set(rows[0])
    for side, leg in legs.items():
        mine = [row for row in rows if row["side"] == side]
        table = leg.strides
        assert [int(r["stride_index"]) for r in mine] == list(range(len(table)))
        for name in ("start_s", "end_s", "final_contact_s", *PARAMETERS):
            values = getattr(table, name)
            assert all(_same(_number(r[name]), float(v)) for r, v in zip(mine, values, strict=True)), name
        assert [r["included"] == "true" for r in mine] == table.included.tolist()
        assert [r["excluded_reason"] or None for r in mine] == list(table.excluded_reason)
        assert [int(r["bout_index"]) for r in mine] == table.bout_index.tolist()
    assert any(r["included"] == "false" for r in rows) and any(r["included"] == "true" for r in rows)


def test_signals_csv_is_the_aligned_grid(
    tmp_path: Path, analysed: Analysed, export_session_facts: ExportSession
) -> None:
    imu = dict(analysed.imu)
    keep = (imu["right"].time_s < 10.0) | (imu["right"].time_s > 11.0)  # a 1 s hole in the right leg
    right = imu["right"]
    imu["right"] = type(right)(right.time_s[keep], right.acc_mps2[keep], right.gyr_dps[keep])
    export_session("csv", tmp_path / "out", imu, analysed.result, export_session_facts)
    with (tmp_path / "out" / "signals.csv").open(encoding="utf-8", newline="") as file:
        reader = csv.reader(file)
        header = next(reader)
        values = np.array([[float(x) for x in row] for row in reader])
    assert header[:4] == ["time_s", "left_acc_x_mps2", "left_acc_y_mps2", "left_acc_z_mps2"]
    assert header[-1] == "right_gyr_z_dps" and len(header) == 13
    expected = align_signals(imu, 208.0)
    np.testing.assert_allclose(values[:, 0], expected.time_s, atol=1e-6)
    np.testing.assert_allclose(values[:, 4:7], expected.gyr_dps["left"], rtol=1e-6, atol=1e-4)
    np.testing.assert_allclose(values[:, 7:10], expected.acc_mps2["right"], rtol=1e-6, atol=1e-4)
    hole = (values[:, 0] > 10.0) & (values[:, 0] < 11.0)
    assert np.isnan(values[hole, 7:]).all() and not np.isnan(values[hole, 1:7]).any()


def test_events_and_session_files(tmp_path: Path, analysed: Analysed, export_session_facts: ExportSession) -> None:
    written = export_session("csv", tmp_path / "out", analysed.imu, analysed.result, export_session_facts)
    assert sorted(p.name for p in written) == ["events.csv", "session.json", "signals.csv", "strides.csv"]
    rows = _read(tmp_path / "out" / "events.csv")
    assert list(rows[0]) == ["time_s", "duration_s", "side", "kind", "text"]
    for side, leg in analysed.result.gait.legs.items():
        ic = [float(r["time_s"]) for r in rows if r["side"] == side and r["kind"] == "initial_contact"]
        assert ic == leg.initial_contacts_s.tolist()
    assert [(float(r["time_s"]), r["text"]) for r in rows if r["kind"] == "marker"] == [(4.0, "marker")]
    session = json.loads((tmp_path / "out" / "session.json").read_text(encoding="utf-8"))
    assert session["subject_id"] == "S-07" and "notes" not in session
