"""Asymmetry metrics from anklet's events vs the same metrics from reference events.

Usage: python benchmarks/asymmetry_accuracy.py [--datasets DIR]

For each trial with both legs referenced, anklet's steady-state strides are paired
with reference strides (both bounding ICs within 100 ms); the Symmetry Index of
stride, stance, swing and step time and the Gait Asymmetry are computed once from
anklet's events and once from the reference events over exactly those strides
(:mod:`anklet.validation.asymmetry_agreement`). Printed per dataset: median and p90
of |anklet - reference| in percentage points; then the error of the change between
two walks of one person (every pair of trials of one person: |error_i - error_j|;
only trials whose person the data set names); each with the figure anklet quotes to
its users (:data:`anklet.gait.measured_accuracy.MEASURED_ACCURACY`) for comparison.

IPOL's reference events are whole PacketCounter values (a 10 ms grid), so the
reference SI itself is uncertain: the true event lies anywhere within half a sample
of its annotation. For IPOL the script also prints that floor: the median
|SI(reference events moved by uniform +-5 ms) - SI(reference)| over the same strides
(20 draws per trial, fixed seed). No detector can be shown more accurate than it.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from anklet.gait.measured_accuracy import MEASURED_ACCURACY
from anklet.validation.asymmetry_agreement import GAIT_ASYMMETRY, METRICS, compare_asymmetry
from anklet.validation.datasets import default_root, ipol, iter_trials


def _print_table(differences: Mapping[str, Sequence[float]], quoted: Mapping[str, float] | None = None) -> None:
    for metric, values in differences.items():
        v = np.asarray(values)
        label = "GA" if metric == GAIT_ASYMMETRY else f"SI {metric}"
        line = f"  {label:<18} values {v.size:4d}  median {np.median(v):5.2f}  p90 {np.percentile(v, 90):5.2f}"
        print(line + (f"  (quoted to users: {quoted[metric]:.2f})" if quoted else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=default_root())
    args = parser.parse_args()
    for placement, accuracy in MEASURED_ACCURACY.items():
        jitter_s = 0.5 / ipol.COUNTER_RATE_HZ if accuracy.dataset == ipol.DATASET else 0.0
        trials = iter_trials(accuracy.dataset, args.datasets, placement=placement)
        agreement = compare_asymmetry(trials, reference_jitter_s=jitter_s)
        print(f"{accuracy.dataset} ({placement}): |anklet - reference| in percentage points (SI) / GA units")
        _print_table({m: agreement.abs_differences(m) for m in METRICS}, accuracy.median_abs_difference)
        people = {t.person for t in agreement.trials if t.person is not None}
        print(f"  change between two walks of one person (people: {len(people)}):")
        _print_table({m: agreement.change_abs_differences(m) for m in METRICS}, accuracy.median_abs_change_difference)
        if jitter_s:
            print(f"  reference resolution floor: |reference moved by +-{jitter_s * 1e3:.0f} ms - reference|")
            _print_table(agreement.resolution_floor)


if __name__ == "__main__":
    main()
