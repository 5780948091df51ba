"""Where the step-time SI error on IPOL comes from: each leg's IC/FC timing bias per trial.

Usage: python benchmarks/asymmetry_error_sources.py

For every IPOL trial with both legs referenced, anklet's steady-state strides are
paired with reference strides as in ``asymmetry_accuracy.py``; per leg the median
signed IC and FC error (anklet minus reference, ms) is computed, and per trial the
signed SI error (anklet minus reference, percentage points). Printed: the median
biases, the spread of the left-minus-right IC bias, its correlation with the step-time
SI error, and the eight trials with the largest step-time SI error
(trial, IC bias L/R, FC bias L/R, SI error step/stance/swing, strides).
"""

from __future__ import annotations

import numpy as np
from asymmetry_accuracy import PARAMETERS, _paired, _reference_tables

from anklet.gait.asymmetry import session_asymmetry
from anklet.gait.pipeline import GaitPipeline
from anklet.validation.datasets import default_root, ipol


def main() -> None:
    root = default_root() / "ipol-healthy-gait"
    trials = [t for n in ipol.list_names(root) for t in ipol.load(root, n)]
    rows = []
    for trial in trials:
        if set(trial.reference) != {"left", "right"}:
            continue
        analysis = GaitPipeline(trial.placement).run(dict(trial.imu))
        reference = _reference_tables(trial)
        pairs = {s: _paired(analysis.legs[s].strides, reference[s]) for s in ("left", "right")}
        bias = {}
        for side, (det, ref) in pairs.items():
            d, r = det.included, ref.included
            ic_ms = np.median(det.start_s[d] - ref.start_s[r]) * 1e3
            fc_ms = np.median((det.start_s[d] + det.stance_time_s[d]) - (ref.start_s[r] + ref.stance_time_s[r])) * 1e3
            bias[side] = (ic_ms, fc_ms)
        det_si = session_asymmetry(pairs["left"][0], pairs["right"][0], parameters=PARAMETERS, n_bootstrap=10)
        ref_si = session_asymmetry(pairs["left"][1], pairs["right"][1], parameters=PARAMETERS, n_bootstrap=10)
        error = {
            k: (det_si[k].symmetry_index_pct or np.nan) - (ref_si[k].symmetry_index_pct or np.nan) for k in PARAMETERS
        }
        rows.append(
            (
                trial.name,
                bias["left"][0],
                bias["right"][0],
                bias["left"][1],
                bias["right"][1],
                error["step_time"],
                error["stance_time"],
                error["swing_time"],
                int(pairs["left"][0].included.sum()),
            )
        )
    r = np.array([row[1:] for row in rows], float)
    ic_l, ic_r, fc_l, fc_r = np.nanmedian(r[:, :4], axis=0)
    print(f"IC bias ms L/R median: {ic_l:.1f} {ic_r:.1f} ; FC bias L/R {fc_l:.1f} {fc_r:.1f}")
    left_minus_right = r[:, 0] - r[:, 1]
    q25, q75 = np.nanpercentile(left_minus_right, [25, 75])
    print(f"IC bias L-R: median {np.nanmedian(left_minus_right):.1f}  IQR {q25:.1f}..{q75:.1f}")
    step, stance, swing = np.nanmedian(r[:, 4:7], axis=0)
    print(f"signed SI error step/stance/swing median: {step:.2f} {stance:.2f} {swing:.2f}")
    print(f"corr(step SI err, IC bias L-R): {np.corrcoef(r[:, 4], left_minus_right)[0, 1]:.2f}")
    for row in sorted(rows, key=lambda x: -abs(x[5]))[:8]:
        print(row[0], " ".join(f"{v:.1f}" for v in row[1:8]), row[8])


if __name__ == "__main__":
    main()
