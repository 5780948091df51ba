"""Turn detection on the IPOL walks: each holds one annotated 180 degree U-turn.

Usage: python benchmarks/turns.py [--datasets DIR]

For every trial of ../shared/datasets/ipol-healthy-gait the whole pipeline runs and its
turns (``GaitAnalysis.turns``: runs of turning strides of either leg, docs/algorithms.md
section 3) are compared with the data set's ``UTurnBoundaries``. Printed: U-turns found
(a detected turn overlaps the annotation) and split in several; the heading change of
the turn found; how far its start and end lie from the annotation; turns detected
elsewhere: inside the annotated walk (between the first and last reference event: false
turns), or ending after it (the subjects often turned around after stopping; not
annotated, so not scored).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from anklet.gait.pipeline import GaitPipeline
from anklet.validation.datasets import default_root, iter_trials


def _quartiles(values: list[float]) -> str:
    low, median, high = np.percentile(values, [25, 50, 75])
    return f"median {median:+.2f} (IQR {low:+.2f} to {high:+.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=default_root())
    args = parser.parse_args()
    found = split = inside = after = 0
    heading_deg, start_error_s, end_error_s = [], [], []
    trials = list(iter_trials("ipol-healthy-gait", args.datasets, placement="foot"))
    for trial in trials:
        turns = GaitPipeline("foot").run(dict(trial.imu)).turns
        ref_start_s, ref_end_s = trial.annotations["turn"]
        hits = [t for t in turns if t.start_s < ref_end_s and t.end_s > ref_start_s]
        window_start_s, window_end_s = trial.evaluation_window_s
        others = [t for t in turns if t not in hits]
        inside += sum(t.start_s >= window_start_s and t.end_s <= window_end_s for t in others)
        after += sum(t.end_s > window_end_s for t in others)
        if hits:
            found += 1
            split += len(hits) > 1
            heading_deg.append(abs(sum(t.heading_change_deg for t in hits)))
            start_error_s.append(min(t.start_s for t in hits) - ref_start_s)
            end_error_s.append(max(t.end_s for t in hits) - ref_end_s)
    print(f"ipol-healthy-gait (foot): {len(trials)} trials, one annotated U-turn each")
    print(f"  U-turns found {found} of {len(trials)}, split in several turns {split}")
    print(f"  |heading change| of the turn found, deg: {_quartiles(heading_deg)}")
    print(f"  turn start - annotated start, s: {_quartiles(start_error_s)}")
    print(f"  turn end - annotated end, s: {_quartiles(end_error_s)}")
    print(
        f"  other turns inside the annotated walk (false turns): {inside}; "
        f"ending after the walk's last reference event (turning around after stopping, not annotated): {after}"
    )


if __name__ == "__main__":
    main()
