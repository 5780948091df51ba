"""Tests of anklet.validation.datasets on the real shared datasets (a few trials
each, skipped when the shared folder is absent)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from anklet.imu import SIDES
from anklet.validation.datasets import (
    DATASETS,
    DatasetNotFoundError,
    ReferenceEvents,
    Trial,
    default_root,
    iter_trials,
    list_trials,
)
from anklet.validation.matching import match_events

ROOT = default_root()
needs_data = pytest.mark.skipif(
    not ROOT.is_dir(), reason=f"shared datasets not found at {ROOT}; set ANKLET_DATASETS to run these tests"
)


def assert_alternating(events: ReferenceEvents) -> None:
    """ICs and FCs strictly alternate in time."""
    times = np.r_[events.initial_contacts_s, events.final_contacts_s]
    is_ic = np.r_[np.ones(events.initial_contacts_s.shape, bool), np.zeros(events.final_contacts_s.shape, bool)]
    order = np.argsort(times)
    assert np.all(np.diff(times[order]) > 0)
    assert np.all(is_ic[order][1:] != is_ic[order][:-1])


def stance_fractions(events: ReferenceEvents) -> np.ndarray:
    """(FC - IC) / (next IC - IC) for every stride with one FC inside."""
    ic, fc = events.initial_contacts_s, events.final_contacts_s
    index = np.searchsorted(fc, ic[:-1])
    inside = (index < fc.shape[0]) & (fc[np.minimum(index, fc.shape[0] - 1)] < ic[1:])
    return ((fc[np.minimum(index, fc.shape[0] - 1)] - ic[:-1]) / np.diff(ic))[inside]


def assert_consistent(trial: Trial) -> None:
    """Reference events alternate and lie inside the data; the window opens on a
    final contact (first lift-off) and closes on an initial contact (last step)."""
    assert set(trial.imu) == set(SIDES)
    start_s, end_s = trial.evaluation_window_s
    for side, events in trial.reference.items():
        assert_alternating(events)
        time_s = trial.imu[side].time_s
        all_events = np.r_[events.initial_contacts_s, events.final_contacts_s]
        assert time_s[0] <= all_events.min() and all_events.max() <= time_s[-1]
        inside = (all_events >= start_s - 1e-9) & (all_events <= end_s + 1e-9)
        assert np.count_nonzero(inside) >= 4
    fcs = np.concatenate([e.final_contacts_s for e in trial.reference.values()])
    ics = np.concatenate([e.initial_contacts_s for e in trial.reference.values()])
    assert np.min(np.abs(fcs - start_s)) < 1e-9
    assert np.min(np.abs(ics - end_s)) < 1e-9


def swing_to_stance_gyro_ratio(trial: Trial) -> float:
    """Median |gyr| at mid-swing over median |gyr| at mid-stance, both legs.

    Foot and shank turn fast in swing and little in mid-stance, so a large ratio
    shows the reference events and the IMU share one time axis.
    """
    swing, stance = [], []
    for side, events in trial.reference.items():
        ic, fc = events.initial_contacts_s, events.final_contacts_s
        after_fc = np.searchsorted(ic, fc)
        ok = after_fc < ic.shape[0]
        mid_swing = (fc[ok] + ic[after_fc[ok]]) / 2
        after_ic = np.searchsorted(fc, ic)
        ok = after_ic < fc.shape[0]
        mid_stance = (ic[ok] + fc[after_ic[ok]]) / 2
        imu = trial.imu[side]
        norm_dps = np.linalg.norm(imu.gyr_dps, axis=1)
        swing.append(np.interp(mid_swing, imu.time_s, norm_dps))
        stance.append(np.interp(mid_stance, imu.time_s, norm_dps))
    return float(np.median(np.concatenate(swing)) / np.median(np.concatenate(stance)))


@needs_data
def test_ipol_trials_load_with_turn_and_gaps() -> None:
    names = list_trials("ipol-healthy-gait", ROOT)
    assert names[0] == "1-1" and all(name.count("-") == 1 for name in names)
    trials = list(iter_trials("ipol-healthy-gait", ROOT, names=["1-1", "3-3"]))
    for trial in trials:
        assert trial.placement == "foot" and set(trial.reference) == set(SIDES)
        assert_consistent(trial)
        turn_start_s, turn_end_s = trial.annotations["turn"]
        start_s, end_s = trial.evaluation_window_s
        assert start_s < turn_start_s < turn_end_s < end_s
        assert trial.subject["height_cm"] > 100
        assert swing_to_stance_gyro_ratio(trial) > 5
        # Gyroscope converted to deg/s: foot swing peaks reach hundreds of deg/s.
        assert np.abs(trial.imu["left"].gyr_dps).max() > 200
    # Trial 3-3 lost hundreds of packets: time keeps the gaps (PacketCounter clock).
    steps_s = np.diff(trials[1].imu["right"].time_s)
    assert steps_s.min() == pytest.approx(0.01) and steps_s.max() > 0.05


@needs_data
def test_marpino_both_placements_share_a_plausible_pressure_reference() -> None:
    names = [n for n in list_trials("marpino-walking", ROOT) if n.startswith("Young_")][:2] + ["Marzia_12"]
    trials = list(iter_trials("marpino-walking", ROOT, names=names))
    assert [t.placement for t in trials] == ["ankle", "foot"] * len(names)
    for ankle, foot in zip(trials[::2], trials[1::2], strict=True):
        assert ankle.reference is foot.reference
        assert not np.array_equal(ankle.imu["left"].gyr_dps, foot.imu["left"].gyr_dps)
        assert_consistent(ankle)
        assert swing_to_stance_gyro_ratio(foot) > 3
        for events in ankle.reference.values():
            # A 5 m walk from standing: the leading foot lifts first, every step counts.
            assert events.final_contacts_s[0] < events.initial_contacts_s[0]
            assert events.initial_contacts_s.shape[0] >= 3
            fractions = stance_fractions(events)
            assert 0.55 < np.median(fractions) < 0.68


@needs_data
def test_marpino_ankle_placement_filter() -> None:
    name = list_trials("marpino-walking", ROOT)[0]
    trials = list(iter_trials("marpino-walking", ROOT, names=[name], placement="ankle"))
    assert [t.placement for t in trials] == ["ankle"]
    assert trials[0].imu["right"].source.endswith("right_shank")


@needs_data
def test_gaitmap_mocap_reference_agrees_with_gaitmaps_own_events() -> None:
    (trial,) = iter_trials("gaitmap-example", ROOT)
    assert_consistent(trial)
    assert swing_to_stance_gyro_ratio(trial) > 5
    peer = np.genfromtxt(
        ROOT / "gaitmap-example" / "stride_events_sample.csv", delimiter=",", names=True, dtype=None, encoding=None
    )
    for side in SIDES:
        events = trial.reference[side]
        assert 0.55 < np.median(stance_fractions(events)) < 0.7
        theirs = peer[peer["foot"] == side]
        for ours_s, theirs_s in ((events.initial_contacts_s, theirs["ic"]), (events.final_contacts_s, theirs["tc"])):
            match = match_events(ours_s, theirs_s / 204.8, tolerance_s=0.05)
            assert match.recall == 1.0  # every gaitmap event has one of ours within 50 ms


def test_unknown_dataset_and_trial_raise(tmp_path: Path) -> None:
    with pytest.raises(DatasetNotFoundError, match="unknown dataset"):
        list_trials("no-such-set", tmp_path)
    with pytest.raises(DatasetNotFoundError, match="ANKLET_DATASETS"):
        list_trials(DATASETS[0], tmp_path)
    (tmp_path / "ipol-healthy-gait").mkdir()
    with pytest.raises(DatasetNotFoundError, match="99-1"):
        list(iter_trials("ipol-healthy-gait", tmp_path, names=["99-1"]))


def test_environment_variable_sets_the_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANKLET_DATASETS", str(tmp_path))
    assert default_root() == tmp_path
    (tmp_path / "marpino-walking").mkdir()
    assert list_trials("marpino-walking") == []


@needs_data
def test_ipol_repeated_recording_is_no_further_walk_of_its_subject() -> None:
    original, repeat = iter_trials("ipol-healthy-gait", ROOT, names=["9-3", "9-4"])
    assert original.person == "subject 9" and original.notes == ()
    assert repeat.person is None and repeat.notes == ("repeats the recording of trial 9-3",)
    for side in SIDES:
        walked = original.reference[side].initial_contacts_s
        np.testing.assert_array_equal(repeat.reference[side].initial_contacts_s[: walked.size], walked)
