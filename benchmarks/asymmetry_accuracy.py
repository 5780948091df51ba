"""Asymmetry metrics from anklet's events vs the same metrics from reference events.

Usage: python benchmarks/asymmetry_accuracy.py [--datasets DIR]

For each trial with both legs referenced, anklet's steady-state strides are paired
with reference strides (both bounding ICs within 100 ms); the Symmetry Index of
stride, stance, swing and step time and the Gait Asymmetry are computed once from
anklet's events and once from the reference events over exactly those strides.
Printed per dataset: median and p90 of |anklet - reference| in percentage points.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

import numpy as np

from anklet.gait.asymmetry import session_asymmetry
from anklet.gait.coordination import bilateral_coordination
from anklet.gait.pipeline import GaitPipeline
from anklet.gait.strides import StrideTable, build_stride_table
from anklet.validation.datasets import default_root, ipol, marpino

TOLERANCE_S = 0.1
PARAMETERS = ("stride_time", "stance_time", "swing_time", "step_time")


def _reference_swings(ic_s: np.ndarray, fc_s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pair every reference IC with the FC opening its swing (NaN when none within 1 s)."""
    i = np.searchsorted(fc_s, ic_s) - 1
    fc = np.where(i >= 0, fc_s[np.maximum(i, 0)], np.nan)
    fc[(ic_s - fc) > 1.0] = np.nan
    return ic_s, fc


def _reference_tables(trial) -> dict[str, StrideTable]:
    swings = {s: _reference_swings(r.initial_contacts_s, r.final_contacts_s) for s, r in trial.reference.items()}
    tables = {}
    for side, (ic, fc) in swings.items():
        other = swings["right" if side == "left" else "left"]
        n = ic.size
        tables[side] = build_stride_table(
            side, ic, fc, np.full(n, np.nan), np.zeros(n, int), np.zeros(max(n - 1, 0), bool), other[0], other[1]
        )
    return tables


def _paired(detected: StrideTable, reference: StrideTable) -> tuple[StrideTable, StrideTable]:
    """Both tables restricted to detected steady-state strides that have a reference twin."""
    det_keep = np.zeros(len(detected), bool)
    ref_keep = np.zeros(len(reference), bool)
    for k in np.flatnonzero(detected.included):
        match = np.flatnonzero(
            (np.abs(reference.start_s - detected.start_s[k]) < TOLERANCE_S)
            & (np.abs(reference.end_s - detected.end_s[k]) < TOLERANCE_S)
        )
        if match.size:
            det_keep[k] = True
            ref_keep[match[0]] = True
    return replace(detected, included=det_keep), replace(reference, included=ref_keep)


def compare(trials) -> dict[str, list[float]]:
    differences: dict[str, list[float]] = {name: [] for name in (*PARAMETERS, "gait_asymmetry")}
    for trial in trials:
        if set(trial.reference) != {"left", "right"}:
            continue
        analysis = GaitPipeline(trial.placement).run(dict(trial.imu))
        reference = _reference_tables(trial)
        pairs = {side: _paired(analysis.legs[side].strides, reference[side]) for side in ("left", "right")}
        det = session_asymmetry(pairs["left"][0], pairs["right"][0], parameters=PARAMETERS, n_bootstrap=10)
        ref = session_asymmetry(pairs["left"][1], pairs["right"][1], parameters=PARAMETERS, n_bootstrap=10)
        for name in PARAMETERS:
            a, b = det[name].symmetry_index_pct, ref[name].symmetry_index_pct
            if a is not None and b is not None:
                differences[name].append(abs(a - b))
        ga_det = bilateral_coordination(pairs["left"][0], pairs["right"][0], n_bootstrap=10).gait_asymmetry_pct
        ga_ref = bilateral_coordination(pairs["left"][1], pairs["right"][1], n_bootstrap=10).gait_asymmetry_pct
        if ga_det is not None and ga_ref is not None:
            differences["gait_asymmetry"].append(abs(ga_det - ga_ref))
    return differences


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=default_root())
    args = parser.parse_args()
    ipol_dir, marpino_dir = args.datasets / "ipol-healthy-gait", args.datasets / "marpino-walking"
    sets = {
        "ipol-healthy-gait (foot)": [t for n in ipol.list_names(ipol_dir) for t in ipol.load(ipol_dir, n)],
        "marpino-walking (ankle)": [
            t for n in marpino.list_names(marpino_dir) for t in marpino.load(marpino_dir, n) if t.placement == "ankle"
        ],
    }
    for name, trials in sets.items():
        print(f"{name}: |anklet - reference| in percentage points (SI) / GA units")
        for metric, values in compare(trials).items():
            v = np.asarray(values)
            label = f"SI {metric}" if metric != "gait_asymmetry" else "GA"
            print(f"  {label:<18} trials {v.size:3d}  median {np.median(v):5.2f}  p90 {np.percentile(v, 90):5.2f}")


if __name__ == "__main__":
    main()
