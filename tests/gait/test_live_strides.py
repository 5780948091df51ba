"""The live stride tables (updated from the new swings only) against a fresh assembly.

``IncrementalGaitAnalyzer.strides`` keeps its tables up to date from the swings,
gaps and samples that are new since the last call. Ground truth is what it used to
compute on every new swing: :meth:`GaitPipeline.assemble` on all final swings so
far. The two must be equal to the bit, row for row, at every swing.
"""

from __future__ import annotations

from dataclasses import fields

import numpy as np
import pytest

from anklet.gait.bouts import heading_change_deg
from anklet.gait.incremental import IncrementalGaitAnalyzer, _Leg
from anklet.gait.live_strides import LiveStrideTables, _SideStrides
from anklet.gait.orientation import SagittalFrame
from anklet.gait.pipeline import GaitPipeline
from anklet.gait.strides import StrideTable
from anklet.imu import SIDES, ImuData, Side
from anklet.simulate import GaitSpec, SensorSpec, Stand, Turn, Walk, simulate_session
from anklet.timing import Gap, UniformSegment


def _assert_same_table(live: StrideTable, fresh: StrideTable, where: str) -> None:
    for column in fields(StrideTable):
        a, b = getattr(live, column.name), getattr(fresh, column.name)
        if isinstance(b, np.ndarray):
            assert a.dtype == b.dtype, (where, column.name)
            np.testing.assert_array_equal(a, b, err_msg=f"{where}: {column.name}")
        else:
            assert a == b, (where, column.name)


def _fresh(pipeline: GaitPipeline, legs: dict[Side, _Leg]) -> dict[Side, StrideTable]:
    """The uncached computation: assemble the final swings so far of the legs that have some."""
    ready = {side: leg.leg_events(leg.frame) for side, leg in legs.items() if len(leg.swings) and leg.frame is not None}
    return {side: a.strides for side, a in pipeline.assemble(ready, []).legs.items()} if ready else {}


def _drop(imu: ImuData, start_s: float, duration_s: float) -> ImuData:
    keep = (imu.time_s < start_s) | (imu.time_s >= start_s + duration_s)
    return ImuData(imu.time_s[keep], imu.acc_mps2[keep], imu.gyr_dps[keep], imu.source)


def test_strides_after_every_swing_equal_a_fresh_assembly_over_minutes_of_walking():
    """About 4.5 minutes at 100 Hz in 1-40 sample chunks: walks, 180 and 90 degree turns,
    pauses that end bouts and short ones that do not, lost samples (bridged), two
    unbridged gaps (one per leg), and the right leg's data arriving 1.5 s late."""
    bouts = [Stand(3.0), Walk(25), Turn(2, 180.0), Walk(25), Stand(5.0), Walk(15), Turn(3, -90.0), Walk(20),
             Stand(1.5), Walk(12), Turn(2, 180.0), Walk(30), Stand(4.0), Walk(60), Stand(2.0)]
    sensor = SensorSpec(sampling_rate_hz=100.0, mounting_rotation_deg=None, dropped_sample_fraction=0.01)
    session = simulate_session(GaitSpec(), sensor, sensor, bouts=bouts, seed=21)
    end_s = float(session.imu["left"].time_s[-1])
    assert end_s > 240.0
    imu = {"left": _drop(session.imu["left"], 0.3 * end_s, 0.6), "right": _drop(session.imu["right"], 0.7 * end_s, 1.0)}
    rng = np.random.default_rng(4)
    arrivals = []
    for side, data in imu.items():
        bounds = np.cumsum(rng.integers(1, 41, size=len(data)))
        bounds = np.concatenate(([0], bounds[bounds < len(data)], [len(data)]))
        for a, b in zip(bounds[:-1], bounds[1:], strict=True):
            chunk = ImuData(data.time_s[a:b], data.acc_mps2[a:b], data.gyr_dps[a:b])
            arrivals.append((float(chunk.time_s[-1]) + (1.5 if side == "right" else 0.0), side, chunk))
    arrivals.sort(key=lambda item: item[0])

    analyzer = IncrementalGaitAnalyzer("ankle")
    counts, checked, rebuilt = None, 0, []
    for _, side, chunk in arrivals:
        analyzer.push(side, chunk)
        legs = analyzer._legs
        now = tuple(len(legs[s].swings) if s in legs else 0 for s in SIDES)
        if now == counts:
            continue
        counts = now
        fresh = _fresh(analyzer.pipeline, legs)
        for s in SIDES:
            live = analyzer.strides(s)
            if s in fresh:
                _assert_same_table(live, fresh[s], f"{s} after swings {now}")
            else:
                assert len(live) == 0
        if len(fresh) == 2:
            rebuilt.append(max(analyzer._live_strides.rebuilt_swings.values()))
        checked += 1
    analyzer.flush()
    fresh = _fresh(analyzer.pipeline, analyzer._legs)
    final = analyzer.finish()
    for s in SIDES:
        _assert_same_table(analyzer.strides(s), fresh[s], f"{s} after flush")
        _assert_same_table(analyzer.strides(s), final.legs[s].strides, f"{s} finish")

    # every kind of row was exercised: turns, bout boundaries at pauses and at gaps
    # (the two dropped stretches and two random losses longer than the bridged 0.1 s,
    # all inside walks: each cuts both legs' strides on either side), steady strides
    reasons = [r for s in SIDES for r in final.legs[s].strides.excluded_reason]
    assert checked > 350 and len(final.bouts) >= 6
    assert reasons.count("turn") >= 6
    assert reasons.count("first_stride_of_bout") >= 6 and reasons.count("last_stride_of_bout") >= 6
    unbridged_gaps = [g for s in SIDES for g in final.legs[s].gaps if not g.bridged]
    assert len(unbridged_gaps) == 4 and reasons.count("gap") == 4 * len(unbridged_gaps)
    assert reasons.count(None) >= 300
    # the work per update does not grow with the session: a few swings before the newest
    # (the first update with both legs, when the right leg joined, rebuilt everything)
    assert len(rebuilt) > 300 and max(rebuilt[1:]) <= 8


def _bare_leg(side: Side, pipeline: GaitPipeline, rng: np.random.Generator, spans: list) -> _Leg:
    """A leg with 50 Hz segments over ``spans`` ((start, stop) s), random rotation with
    bursts of vertical rate (turns), and no swing or gap yet."""
    rate = 50.0
    up = rng.normal(size=3)
    up /= np.linalg.norm(up)
    frame = SagittalFrame(np.array([1.0, 0.0, 0.0]), up, np.array([0.0, 1.0, 0.0]), 0.9, 0.9)
    leg = _Leg(side, pipeline, frame)
    for start_s, stop_s in spans:
        n = int((stop_s - start_s) * rate)
        t = start_s + np.arange(n) / rate
        gyr = rng.normal(scale=15.0, size=(n, 3))
        for centre in rng.uniform(start_s, stop_s, size=4):
            gyr += np.outer(120.0 * np.exp(-0.5 * ((t - centre) / 0.8) ** 2), up) * rng.choice([-1.0, 1.0])
        leg.resampler.closed.append(UniformSegment(start_s, rate, np.zeros((n, 3)), gyr, np.zeros(n, dtype=bool)))
    return leg


def _random_leg(side: Side, pipeline: GaitPipeline, rng: np.random.Generator, split_s: float) -> tuple[_Leg, list]:
    """A leg of two segments (unbridged gap at ``split_s``) and swings of odd timing.

    Returns the leg with no swing and no gap yet, and what is revealed later:
    (time, swing row or gap).
    """
    rate = 50.0
    spans = [(0.0, split_s), (split_s + 1.0, 160.0)]
    leg = _bare_leg(side, pipeline, rng, spans)
    reveal_lag_s = rng.choice([0.3, 2.0, 9.0])
    later: list = []
    for index, (start_s, stop_s) in enumerate(spans):
        ms = start_s + 1.0
        while ms < stop_s - 1.5:
            ic = ms + rng.uniform(0.0, 0.7) if rng.random() > 0.1 else np.nan
            # FC up to 0.9 s before MS (events of consecutive swings overlap), some after it (never
            # from the detector, but nothing here may rely on it), some missing
            fc = ms + rng.choice([-rng.uniform(0.05, 0.9), rng.uniform(0.0, 0.5), np.nan], p=[0.8, 0.1, 0.1])
            later.append((ms + reveal_lag_s, np.array([fc, ms, ic, rng.uniform(80.0, 400.0), index])))
            ms += rng.choice([rng.uniform(0.25, 1.4), rng.uniform(2.0, 3.5)], p=[0.9, 0.1])  # some pauses end bouts
        if index == 0:
            gap = Gap(stop_s + 1.0 / rate, split_s + 1.0, 1.0 - 1.0 / rate, False)
            later.append((split_s + 1.0 + reveal_lag_s, gap))
    later.append((rng.uniform(0.0, 160.0), Gap(50.0, 50.05, 0.05, True)))  # bridged: ignored
    return leg, later


@pytest.mark.parametrize("seed", range(6))
def test_live_strides_equal_a_fresh_assembly_on_random_swings(seed):
    """Swings with overlapping events, missing ICs/FCs, random turns and pauses, gaps,
    legs revealed in random interleavings and lags (one leg joining late)."""
    rng = np.random.default_rng(seed)
    pipeline = GaitPipeline("ankle")
    legs, later = {}, []
    for side, split_s in zip(SIDES, rng.uniform(30.0, 120.0, size=2), strict=True):
        legs[side], revealed = _random_leg(side, pipeline, rng, float(split_s))
        later += [(t, side, item) for t, item in revealed]
    later.sort(key=lambda item: item[0])
    live = LiveStrideTables(pipeline)
    shown: dict[Side, _Leg] = {}
    swings = 0
    for _, side, item in later:
        leg = legs[side]
        if isinstance(item, Gap):
            leg.resampler.gaps.append(item)
            continue
        leg.swings.append(item)
        shown[side] = leg
        swings += 1
        if rng.random() < 0.3:  # updates skip some swings, as frames do
            continue
        fresh = _fresh(pipeline, shown)
        tables = live.update({s: shown[s] for s in SIDES if s in shown})
        assert set(tables) == set(fresh)
        for s, table in tables.items():
            _assert_same_table(table, fresh[s], f"seed {seed}, {s}, swing {swings}")
    tables, fresh = live.update(legs), _fresh(pipeline, legs)
    for s in SIDES:
        _assert_same_table(tables[s], fresh[s], f"seed {seed}, {s}, all swings")
        assert len(tables[s]) > 40


def test_a_new_contralateral_fc_updates_strides_that_started_before_it():
    """The right leg's new swing has its FC long before its mid-swing, inside the left
    leg's first stride, whose double support it sets; that stride starts (IC) after the
    next swing's mid-swing, whose FC follows (no detector output looks like this, but
    the tables must not depend on event order)."""
    pipeline = GaitPipeline("ankle")
    rng = np.random.default_rng(0)
    legs = {side: _bare_leg(side, pipeline, rng, [(0.0, 30.0)]) for side in SIDES}
    left = [[9.7, 10.0, 10.5, 200.0, 0], [10.55, 10.3, 10.8, 200.0, 0], [10.9, 10.6, 11.2, 200.0, 0]]
    for row in left:
        legs["left"].swings.append(np.array(row, dtype=float))
    legs["right"].swings.append(np.array([10.4, 10.45, 10.7, 200.0, 0]))
    live = LiveStrideTables(pipeline)
    before = live.update(legs)["left"]
    assert len(before) == 2 and np.isnan(before.double_support_time_s[0])
    legs["right"].swings.append(np.array([10.52, 12.0, 12.3, 200.0, 0]))
    after = live.update(legs)
    for side, fresh in _fresh(pipeline, legs).items():
        _assert_same_table(after[side], fresh, side)
    assert after["left"].double_support_time_s[0] == pytest.approx(0.02)


def test_swing_headings_equal_the_whole_segment_integration_to_the_bit():
    """Headings at each new swing's IC, integrated as the segment grows (down to one
    sample between updates), equal heading_change_deg on the whole segment exactly."""
    rng = np.random.default_rng(2)
    pipeline = GaitPipeline("ankle")
    leg = _bare_leg("left", pipeline, rng, [])
    assert leg.frame is not None
    n = 1500
    time_s = 5.0 + np.arange(n) / 100.0
    gyr = rng.normal(scale=80.0, size=(n, 3))
    state = _SideStrides()
    ics = []
    for k in range(n):
        leg.resampler.push(ImuData(time_s[k : k + 1], np.zeros((1, 3)), gyr[k : k + 1]))
        grown = leg.resampler.open
        if grown is None or len(grown) < 3 or rng.random() < 0.5:
            continue
        ic = grown.start_s + rng.uniform(0.0, len(grown) - 2) / grown.sampling_rate_hz
        ic = ic if rng.random() > 0.05 else np.nan
        state.add_headings(leg, np.array([[np.nan, ic, ic, 100.0, 0]]))
        ics.append(ic)
    leg.resampler.close()
    segment = leg.resampler.closed[0]
    ics = np.array(ics)
    whole = heading_change_deg(
        segment.gyr_dps @ leg.frame.up, segment.sampling_rate_hz, segment.start_s, ics[:-1], ics[1:]
    )
    headings = state.heading.view()[:, 0]
    assert ics.size > 500
    np.testing.assert_array_equal(headings[1:] - headings[:-1], whole)
