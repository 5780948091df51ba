"""Where the asymmetry error comes from: each leg's IC/FC timing bias per trial.

Usage: python benchmarks/asymmetry_error_sources.py [--datasets DIR]

For every trial with both legs referenced, anklet's steady-state strides are paired
with reference strides as in ``asymmetry_accuracy.py``; per leg the median signed IC
and FC error (anklet minus reference, ms) is computed, and per trial the signed SI
error (anklet minus reference, percentage points).

IPOL (foot): the median biases, the spread of the left-minus-right IC bias, its
correlation with the step-time SI error, and the eight trials with the largest
step-time SI error (trial, IC bias L/R, FC bias L/R, SI error step/stance/swing,
strides).

Marpino: every recording carries a shank and a foot sensor on each leg and one
pressure reference, so the left-minus-right IC bias is printed for both placements
of the same steps, per subject group (``Young_*``: several young adults; ``Marzia_*``:
one person, 28 recordings). A left-minus-right bias that differs between the shank
and the foot of the same steps is not in the reference: it is in the shank's signal.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from anklet.validation.asymmetry_agreement import asymmetry_metrics, metric_differences, paired_trial_strides
from anklet.validation.datasets import default_root, ipol, marpino
from anklet.validation.datasets.trial import Trial


def trial_errors(trial: Trial) -> dict[str, float]:
    """Median IC/FC bias per leg (ms) and signed SI error per parameter (pp) of one trial."""
    pairs = paired_trial_strides(trial)
    row: dict[str, float] = {"strides_left": float(pairs["left"][0].included.sum())}
    for side, (det, ref) in pairs.items():
        d, r = det.included, ref.included
        ic_error_s = det.start_s[d] - ref.start_s[r]
        fc_error_s = (det.start_s[d] + det.stance_time_s[d]) - (ref.start_s[r] + ref.stance_time_s[r])
        row[f"ic_{side}_ms"] = float(np.median(ic_error_s) * 1e3) if ic_error_s.size else np.nan
        row[f"fc_{side}_ms"] = float(np.median(fc_error_s) * 1e3) if fc_error_s.size else np.nan
    detected = asymmetry_metrics(pairs["left"][0], pairs["right"][0])
    reference = asymmetry_metrics(pairs["left"][1], pairs["right"][1])
    for k, error in metric_differences(detected, reference).items():
        row[f"si_{k}_pp"] = np.nan if error is None else error
    return row


def _both_legs(trials: list[Trial]) -> list[Trial]:
    return [t for t in trials if set(t.reference) == {"left", "right"}]


def report_ipol(folder: Path) -> None:
    trials = _both_legs([t for n in ipol.list_names(folder) for t in ipol.load(folder, n)])
    rows = {t.name: trial_errors(t) for t in trials}
    col = {k: np.array([r[k] for r in rows.values()]) for k in next(iter(rows.values()))}
    print("ipol-healthy-gait (foot)")
    print(
        f"  IC bias ms L/R median: {np.nanmedian(col['ic_left_ms']):.1f} {np.nanmedian(col['ic_right_ms']):.1f} ; "
        f"FC bias L/R {np.nanmedian(col['fc_left_ms']):.1f} {np.nanmedian(col['fc_right_ms']):.1f}"
    )
    left_minus_right = col["ic_left_ms"] - col["ic_right_ms"]
    q25, q75 = np.nanpercentile(left_minus_right, [25, 75])
    print(f"  IC bias L-R: median {np.nanmedian(left_minus_right):.1f}  IQR {q25:.1f}..{q75:.1f}")
    step, stance, swing = (np.nanmedian(col[f"si_{k}_pp"]) for k in ("step_time", "stance_time", "swing_time"))
    print(f"  signed SI error step/stance/swing median: {step:.2f} {stance:.2f} {swing:.2f}")
    ok = np.isfinite(col["si_step_time_pp"]) & np.isfinite(left_minus_right)
    correlation = np.corrcoef(col["si_step_time_pp"][ok], left_minus_right[ok])[0, 1]
    print(f"  corr(step SI err, IC bias L-R): {correlation:.2f}")
    keys = ("ic_left_ms", "ic_right_ms", "fc_left_ms", "fc_right_ms", "si_step_time_pp", "si_stance_time_pp")
    for name, r in sorted(rows.items(), key=lambda item: -abs(np.nan_to_num(item[1]["si_step_time_pp"])))[:8]:
        print(f"  {name:6s}", " ".join(f"{r[k]:6.1f}" for k in (*keys, "si_swing_time_pp")), int(r["strides_left"]))


def report_marpino(folder: Path) -> None:
    trials = [t for n in marpino.list_names(folder) for t in marpino.load(folder, n)]
    left_minus_right: dict[tuple[str, str], list[float]] = {}
    for trial in _both_legs(trials):
        r = trial_errors(trial)
        group = "Young" if trial.name.startswith("Young") else "Marzia"
        left_minus_right.setdefault((group, trial.placement), []).append(r["ic_left_ms"] - r["ic_right_ms"])
    print("marpino-walking: IC bias left minus right (ms), same steps and pressure reference for both placements")
    for (group, placement), values in sorted(left_minus_right.items()):
        v = np.asarray(values)
        q25, q75 = np.nanpercentile(v, [25, 75])
        print(
            f"  {group:6s} {placement:5s} trials {v.size:2d}  median {np.nanmedian(v):6.1f}  IQR {q25:6.1f}..{q75:6.1f}"
            f"  median |.| {np.nanmedian(np.abs(v)):5.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=default_root())
    args = parser.parse_args()
    report_ipol(args.datasets / "ipol-healthy-gait")
    report_marpino(args.datasets / "marpino-walking")


if __name__ == "__main__":
    main()
