"""Asymmetry metrics from anklet's events vs the same metrics from reference events.

Usage: python benchmarks/asymmetry_accuracy.py [--datasets DIR]

For each trial with both legs referenced, anklet's steady-state strides are paired
with reference strides (both bounding ICs within 100 ms); the Symmetry Index of
stride, stance, swing and step time and the Gait Asymmetry are computed once from
anklet's events and once from the reference events over exactly those strides.
Printed per dataset: median and p90 of |anklet - reference| in percentage points.

IPOL's reference events are whole PacketCounter values (a 10 ms grid), so the
reference SI itself is uncertain: the true event lies anywhere within half a sample
of its annotation. For IPOL the script also prints that floor: the median
|SI(reference events moved by uniform +-5 ms) - SI(reference)| over the same strides
(20 draws per trial, fixed seed). No detector can be shown more accurate than it.
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


def _reference_tables(trial, jitter_s: float = 0.0, rng: np.random.Generator | None = None) -> dict[str, StrideTable]:
    """Reference stride tables; every event moved by uniform +-``jitter_s`` when ``rng`` is given."""

    def moved(times_s: np.ndarray) -> np.ndarray:
        return times_s if rng is None else times_s + rng.uniform(-jitter_s, jitter_s, times_s.shape)

    swings = {
        s: _reference_swings(moved(r.initial_contacts_s), moved(r.final_contacts_s)) for s, r in trial.reference.items()
    }
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


def _metrics(left: StrideTable, right: StrideTable) -> dict[str, float | None]:
    """SI (%) of every parameter and GA over the included strides of both legs."""
    si = session_asymmetry(left, right, parameters=PARAMETERS, n_bootstrap=10)
    values: dict[str, float | None] = {name: si[name].symmetry_index_pct for name in PARAMETERS}
    values["gait_asymmetry"] = bilateral_coordination(left, right, n_bootstrap=10).gait_asymmetry_pct
    return values


def _append_differences(differences: dict[str, list[float]], a: dict, b: dict) -> None:
    for name, values in differences.items():
        if a[name] is not None and b[name] is not None:
            values.append(abs(a[name] - b[name]))


def compare(trials, reference_jitter_s: float = 0.0, n_draws: int = 20) -> tuple[dict, dict]:
    """|anklet - reference| per metric and trial, and (when ``reference_jitter_s`` > 0)
    |reference moved by uniform +-jitter - reference| per metric, trial and draw."""
    names = (*PARAMETERS, "gait_asymmetry")
    differences: dict[str, list[float]] = {name: [] for name in names}
    floor: dict[str, list[float]] = {name: [] for name in names}
    rng = np.random.default_rng(0)
    for trial in trials:
        if set(trial.reference) != {"left", "right"}:
            continue
        analysis = GaitPipeline(trial.placement).run(dict(trial.imu))
        reference = _reference_tables(trial)
        pairs = {side: _paired(analysis.legs[side].strides, reference[side]) for side in ("left", "right")}
        ref = _metrics(pairs["left"][1], pairs["right"][1])
        _append_differences(differences, _metrics(pairs["left"][0], pairs["right"][0]), ref)
        for _ in range(n_draws if reference_jitter_s > 0 else 0):
            moved = _reference_tables(trial, reference_jitter_s, rng)
            left, right = (replace(moved[side], included=pairs[side][1].included) for side in ("left", "right"))
            _append_differences(floor, _metrics(left, right), ref)
    return differences, floor


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
        jitter_s = 0.5 / ipol.COUNTER_RATE_HZ if name.startswith("ipol") else 0.0
        differences, floor = compare(trials, reference_jitter_s=jitter_s)
        print(f"{name}: |anklet - reference| in percentage points (SI) / GA units")
        _print_table(differences)
        if jitter_s:
            print(f"  reference resolution floor: |reference moved by +-{jitter_s * 1e3:.0f} ms - reference|")
            _print_table(floor)


def _print_table(differences: dict[str, list[float]]) -> None:
    for metric, values in differences.items():
        v = np.asarray(values)
        label = f"SI {metric}" if metric != "gait_asymmetry" else "GA"
        print(f"  {label:<18} values {v.size:4d}  median {np.median(v):5.2f}  p90 {np.percentile(v, 90):5.2f}")


if __name__ == "__main__":
    main()
