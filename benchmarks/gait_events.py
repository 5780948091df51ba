"""Accuracy of anklet's IC/FC detection on the shared real datasets, and its speed.

Usage: python benchmarks/gait_events.py [--datasets DIR]

For every trial of every dataset the whole pipeline (resampling, orientation,
events, strides) runs on both legs; detected events are matched one-to-one with
the reference events within 100 ms (anklet.validation.matching). Printed per
dataset: trials, IC/FC F1, precision, recall, bias, median and p95 absolute
error. Speed: a synthetic one-hour two-sensor recording at 200 Hz.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from anklet.gait.pipeline import GaitPipeline
from anklet.simulate import GaitSpec, SensorSpec, Stand, Walk, simulate_session
from anklet.validation.datasets import default_root, iter_trials
from anklet.validation.evaluation import score_pipeline
from anklet.validation.matching import MatchSummary


def _row(name: str, event: str, m: MatchSummary) -> str:
    return (
        f"{name:<26} {event}  F1 {m.f1:.3f}  P {m.precision:.3f}  R {m.recall:.3f}  "
        f"TP {m.n_true_positive:5d} FP {m.n_false_positive:4d} FN {m.n_false_negative:4d}  "
        f"bias {m.bias_ms:+6.1f} ms  median|e| {m.median_abs_error_ms:5.1f} ms  p95|e| {m.p95_abs_error_ms:5.1f} ms"
    )


def speed_one_hour() -> tuple[float, int]:
    """Seconds to analyse one hour of two sensors at 200 Hz (synthetic walking), and samples."""
    sensor = SensorSpec(sampling_rate_hz=200.0, mounting_rotation_deg=None)
    gait = GaitSpec()
    strides = int(3600.0 * gait.cadence_steps_per_min / 120.0) - 10
    session = simulate_session(gait, sensor, sensor, bouts=[Stand(5.0), Walk(strides), Stand(5.0)], seed=1)
    pipeline = GaitPipeline("ankle")
    t0 = time.perf_counter()
    pipeline.run(dict(session.imu))
    return time.perf_counter() - t0, sum(len(imu) for imu in session.imu.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=default_root())
    args = parser.parse_args()
    sets = {
        "ipol-healthy-gait (foot)": ("ipol-healthy-gait", "foot"),
        "marpino-walking (ankle)": ("marpino-walking", "ankle"),
        "marpino-walking (foot)": ("marpino-walking", "foot"),
        "gaitmap-example (foot)": ("gaitmap-example", "foot"),
    }
    for name, (dataset, placement) in sets.items():
        score = score_pipeline(iter_trials(dataset, args.datasets, placement=placement))
        print(f"{name}: {score.n_trials} trials, {score.n_legs} legs, {score.samples_per_s / 1e6:.2f} M samples/s")
        print(_row(name, "IC", score.initial_contacts))
        print(_row(name, "FC", score.final_contacts))
    seconds, samples = speed_one_hour()
    print(
        f"speed: one hour, two sensors at 200 Hz ({samples / 1e6:.2f} M samples) analysed in "
        f"{seconds:.2f} s ({samples / seconds / 1e6:.2f} M samples/s)"
    )


if __name__ == "__main__":
    main()
