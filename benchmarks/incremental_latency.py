"""Incremental gait analysis: agreement with the offline pipeline, IC latency, CPU per chunk.

Usage: python benchmarks/incremental_latency.py [--datasets DIR] [--trials N] [--chunk-s S]

For every trial (IPOL foot, Marpino shank and foot), both legs are streamed in
chunks of ``--chunk-s`` seconds, interleaved in time order, through
IncrementalGaitAnalyzer twice: with the frame found from the stream itself and
with the offline frame given. Printed per dataset: the share of offline events
that the stream reproduced within one sample, and the IC latency (data time from
the IC to its emission: median, p95, max; "steady" = after the leg's first
emitted event; "warm-up" = per leg, data time from its first IC to its first
emission, i.e. how long the frame took to settle). Speed: push() cost per chunk on a
synthetic 2 x 200 Hz walk.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from anklet.gait.incremental import GaitEvent, IncrementalGaitAnalyzer
from anklet.gait.pipeline import GaitAnalysis, GaitPipeline
from anklet.imu import ImuData, Side
from anklet.simulate import GaitSpec, SensorSpec, Stand, Walk, simulate_session
from anklet.validation.datasets import default_root, iter_trials, list_trials

SETS = {
    "ipol-healthy-gait (foot)": ("ipol-healthy-gait", "foot"),
    "marpino-walking (ankle)": ("marpino-walking", "ankle"),
    "marpino-walking (foot)": ("marpino-walking", "foot"),
}


def chunked(imu: dict[Side, ImuData], chunk_s: float) -> list[tuple[Side, ImuData]]:
    """Both legs cut into chunks of ``chunk_s`` seconds, in arrival (end time) order."""
    out = []
    for side, data in imu.items():
        edges = np.searchsorted(data.time_s, np.arange(data.time_s[0], data.time_s[-1] + chunk_s, chunk_s))
        edges = np.unique(np.concatenate([edges, [len(data)]]))
        for a, b in zip(edges[:-1], edges[1:], strict=True):
            chunk = ImuData(data.time_s[a:b], data.acc_mps2[a:b], data.gyr_dps[a:b])
            out.append((float(data.time_s[b - 1]), side, chunk))
    out.sort(key=lambda item: item[0])
    return [(side, chunk) for _, side, chunk in out]


def stream(
    analyzer: IncrementalGaitAnalyzer, chunks: list[tuple[Side, ImuData]]
) -> tuple[list[GaitEvent], list[float]]:
    """Events emitted and the CPU seconds of every push."""
    events, cost = [], []
    for side, chunk in chunks:
        start = time.perf_counter()
        events += analyzer.push(side, chunk)
        cost.append(time.perf_counter() - start)
    return events + analyzer.flush(), cost


def agreement(events: list[GaitEvent], offline: GaitAnalysis) -> tuple[int, int, int]:
    """(offline events reproduced within one sample, offline events, streamed events without such a twin)."""
    hit = total = extra = 0
    for side, leg in offline.legs.items():
        for kind, expected in (("initial_contact", leg.initial_contacts_s), ("final_contact", leg.final_contacts_s)):
            streamed = np.array([e.time_s for e in events if e.side == side and e.kind == kind])
            total += expected.size
            if streamed.size and expected.size:
                distance = np.abs(expected[:, None] - streamed[None, :])
                hit += int(np.sum(distance.min(axis=1) <= 1.0 / leg.sampling_rate_hz))
                extra += int(np.sum(distance.min(axis=0) > 1.0 / leg.sampling_rate_hz))
            else:
                extra += streamed.size
    return hit, total, extra


def latencies(events: list[GaitEvent]) -> tuple[list[float], list[float], list[float]]:
    """IC latencies, s: all, and after each leg's first emitted event; per leg, the warm-up
    (data time from its first IC to its first emission)."""
    sides = {e.side for e in events}
    first = {side: min(e.emitted_at_s for e in events if e.side == side) for side in sides}
    ics = [e for e in events if e.kind == "initial_contact"]
    warm_up = [first[side] - min(e.time_s for e in ics if e.side == side) for side in sides]
    return [e.latency_s for e in ics], [e.latency_s for e in ics if e.emitted_at_s > first[e.side]], warm_up


def _ms(values: list[float]) -> str:
    v = 1000 * np.asarray(values)
    return f"median {np.median(v):4.0f}  p95 {np.percentile(v, 95):5.0f}  max {v.max():5.0f} ms"


def speed(chunk_s: float) -> tuple[np.ndarray, float]:
    """push() seconds per chunk on a 2 x 200 Hz synthetic walk, and the data duration (s)."""
    sensor = SensorSpec(sampling_rate_hz=200.0, mounting_rotation_deg=None)
    session = simulate_session(GaitSpec(), sensor, sensor, bouts=[Stand(5.0), Walk(100), Stand(5.0)], seed=1)
    _, cost = stream(IncrementalGaitAnalyzer("ankle"), chunked(dict(session.imu), chunk_s))
    return np.array(cost), float(session.imu["left"].time_s[-1] - session.imu["left"].time_s[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=default_root())
    parser.add_argument("--trials", type=int, default=None, help="first N trials per dataset (default all)")
    parser.add_argument("--chunk-s", type=float, default=0.05, help="chunk duration, s (default 0.05)")
    args = parser.parse_args()
    for name, (dataset, placement) in SETS.items():
        names = list_trials(dataset, args.datasets)[: args.trials]
        own_hit = known_hit = total = own_extra = known_extra = 0
        own_all, own_steady, own_warm_up, known_all = [], [], [], []
        for trial in iter_trials(dataset, args.datasets, names=names, placement=placement):
            offline = GaitPipeline(placement).run(dict(trial.imu))
            chunks = chunked(dict(trial.imu), args.chunk_s)
            own, _ = stream(IncrementalGaitAnalyzer(placement), chunks)
            frames = {side: leg.frame for side, leg in offline.legs.items()}
            known, _ = stream(IncrementalGaitAnalyzer(placement, frames), chunks)
            hit, n, extra = agreement(own, offline)
            own_hit, total, own_extra = own_hit + hit, total + n, own_extra + extra
            hit, _, extra = agreement(known, offline)
            known_hit, known_extra = known_hit + hit, known_extra + extra
            everything, steady, warm_up = latencies(own)
            own_all += everything
            own_steady += steady
            own_warm_up += warm_up
            known_all += latencies(known)[0]
        print(f"{name}: {len(names)} trials, {total} offline events")
        print(
            f"  own frame:   {own_hit}/{total} within one sample, {own_extra} extra; "
            f"IC latency all    {_ms(own_all)}"
        )
        print(f"{'':52}IC latency steady {_ms(own_steady)}")
        print(f"{'':52}warm-up (leg)     {_ms(own_warm_up)}")
        print(
            f"  known frame: {known_hit}/{total} within one sample, {known_extra} extra; "
            f"IC latency       {_ms(known_all)}"
        )
    cost, duration_s = speed(args.chunk_s)
    print(
        f"speed: {duration_s:.0f} s of 2 x 200 Hz in {args.chunk_s * 1000:.0f} ms chunks: push() "
        f"mean {cost.mean() * 1e3:.2f} ms, p99 {np.percentile(cost, 99) * 1e3:.2f} ms, max {cost.max() * 1e3:.1f} ms; "
        f"{cost.sum() / duration_s:.1%} of one core"
    )


if __name__ == "__main__":
    main()
