"""Mounting checks: swapped legs and upside-down sensors, on real and synthetic data."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from anklet.gait.mounting import (
    SWAP_THRESHOLD_DEG,
    MountingSpecError,
    check_mounting,
    stride_roll_minus_yaw_deg,
)
from anklet.gait.orientation import SagittalFrame
from anklet.gait.pipeline import GaitPipeline
from anklet.imu import ImuData
from anklet.simulate import GaitSpec, SensorSpec, Stand, Turn, Walk, simulate_session
from anklet.validation.datasets import iter_trials


def _inputs(imu: dict[str, ImuData], placement: str) -> tuple[dict, dict, dict]:
    """frames, imu, final contacts per side, as the pipeline finds them."""
    legs = GaitPipeline(placement).run(imu).legs
    frames = {side: leg.frame for side, leg in legs.items()}
    contacts = {side: leg.swings.final_contacts_s for side, leg in legs.items()}
    return frames, imu, contacts


def _swapped(mapping: dict) -> dict:
    return {"left": mapping["right"], "right": mapping["left"]}


def _rotated(imu: ImuData, rotation: Rotation) -> ImuData:
    """The same motion seen by a sensor strapped at another rotation."""
    matrix = rotation.as_matrix()
    return ImuData(
        imu.time_s, imu.acc_mps2 @ matrix.T, imu.gyr_dps @ matrix.T, imu.source
    )


def _session(
    placement: str, left_mounting=(0, 0, 0), right_mounting=(0, 0, 0), bouts=None
):
    """Walk, turn, walk back; out-of-plane motion larger than the simulator's default."""
    return simulate_session(
        GaitSpec(out_of_plane_amplitude_deg=8.0),
        left=SensorSpec(placement=placement, mounting_rotation_deg=left_mounting),
        right=SensorSpec(placement=placement, mounting_rotation_deg=right_mounting),
        bouts=bouts or [Stand(2.0), Walk(10), Turn(2, 180.0), Walk(10), Stand(2.0)],
        seed=5,
    )


# --- per-stride integral -----------------------------------------------------------

_FRAME = SagittalFrame(
    medio_lateral=np.array([0.0, 0.0, 1.0]),
    up=np.array([0.0, 1.0, 0.0]),
    forward=np.array([1.0, 0.0, 0.0]),
    planarity=0.9,
    sign_confidence=0.5,
)


def test_stride_integral_is_rate_times_duration_and_skips_gaps_and_odd_durations():
    time_s = np.arange(0.0, 10.0, 0.01)
    time_s = np.delete(time_s, np.arange(520, 540))  # a 0.21 s gap in the third stride
    gyr = np.tile(
        [10.0, -5.0, 300.0], (time_s.size, 1)
    )  # roll 10, yaw -5, pitch ignored
    imu = ImuData(time_s, np.tile([0.0, 9.81, 0.0], (time_s.size, 1)), gyr)
    contacts = np.array(
        [1.0, 2.0, 3.1, 5.5, 5.6, 9.0, np.nan]
    )  # strides 1.0, 1.1, [gap], 0.1, 3.4 s
    angles = stride_roll_minus_yaw_deg(_FRAME, imu, contacts)
    np.testing.assert_allclose(angles, [15.0 * 1.0, 15.0 * 1.1], rtol=1e-9)


# --- synthetic -----------------------------------------------------------------------


@pytest.mark.parametrize("placement", ["ankle", "foot"])
def test_synthetic_pair_is_confirmed_and_its_swap_is_flagged(placement):
    session = _session(placement, left_mounting=None, right_mounting=None)
    frames, imu, contacts = _inputs(dict(session.imu), placement)
    correct = check_mounting(frames, imu, contacts)
    swapped = check_mounting(_swapped(frames), _swapped(imu), _swapped(contacts))
    assert correct.left_right_score_deg > SWAP_THRESHOLD_DEG
    assert correct.findings == ()
    assert swapped.left_right_score_deg == pytest.approx(-correct.left_right_score_deg)
    assert [f.kind for f in swapped.findings] == ["swapped_legs"]
    assert (
        "swapped" in swapped.findings[0].message
        and "relabel" in swapped.findings[0].message
    )


@pytest.mark.parametrize("seed", range(3))
def test_strap_rotation_does_not_change_the_left_right_score(seed):
    session = _session("ankle")
    frames, imu, contacts = _inputs(dict(session.imu), "ankle")
    reference = check_mounting(frames, imu, contacts).left_right_score_deg
    rotations = Rotation.random(2, random_state=seed)
    rotated = {
        side: _rotated(imu[side], rotations[i])
        for i, side in enumerate(("left", "right"))
    }
    score = check_mounting(*_inputs(rotated, "ankle")).left_right_score_deg
    assert score == pytest.approx(reference, abs=1e-6)


def test_sensor_upside_down_against_its_declared_axis():
    # segment y is up the shank; a 180 deg turn about x makes the sensor's +y point down
    session = _session("ankle", left_mounting=(180, 0, 0), right_mounting=(0, 0, 90))
    frames, imu, contacts = _inputs(dict(session.imu), "ankle")
    declared = {"left": np.array([0.0, 1.0, 0.0]), "right": np.array([0.0, 2.0, 0.0])}
    check = check_mounting(frames, imu, contacts, declared_up_axis=declared)
    kinds = {f.side: f.kind for f in check.findings}
    assert kinds == {"left": "upside_down", "right": "rotated"}
    assert check.up_angle_deg["left"] > 150.0
    assert 60.0 < check.up_angle_deg["right"] < 120.0
    upright = check_mounting(
        frames, imu, contacts, declared_up_axis={"left": np.array([0.0, -1.0, 0.0])}
    )
    assert upright.findings == () and upright.up_angle_deg["left"] < 30.0
    assert any("declared way up" in a for a in upright.assumptions)


def test_one_leg_or_too_few_strides_is_not_checked_but_said():
    session = _session("ankle", bouts=[Stand(2.0), Walk(2), Stand(2.0)])
    frames, imu, contacts = _inputs(dict(session.imu), "ankle")
    short = check_mounting(frames, imu, contacts)
    assert short.left_right_score_deg is None and short.findings == ()
    assert any("fewer than" in a for a in short.assumptions)
    one_leg = check_mounting(
        {"left": frames["left"]}, {"left": imu["left"]}, {"left": contacts["left"]}
    )
    assert one_leg.left_right_score_deg is None
    assert any("one leg" in a for a in one_leg.assumptions)


@pytest.mark.parametrize(
    "axis", [np.zeros(3), np.array([1.0, 0.0]), np.array([np.nan, 0.0, 1.0])]
)
def test_malformed_declared_axis_is_a_clear_error(axis):
    session = _session("ankle")
    frames, imu, contacts = _inputs(dict(session.imu), "ankle")
    with pytest.raises(MountingSpecError, match="non-zero 3-vector"):
        check_mounting(frames, imu, contacts, declared_up_axis={"left": axis})


# --- real data ----------------------------------------------------------------------


def _scores(root, dataset: str, placement: str) -> dict[str, float]:
    scores = {}
    for trial in iter_trials(dataset, root=root, placement=placement):
        check = check_mounting(*_inputs(dict(trial.imu), placement))
        scores[trial.name] = check.left_right_score_deg
    return scores


@pytest.mark.parametrize("placement", ["ankle", "foot"])
def test_marpino_labels_confirmed_without_false_alarm(datasets_root, placement):
    scores = np.array(
        list(_scores(datasets_root, "marpino-walking", placement).values())
    )
    assert scores.size == 47
    assert np.all(scores > -SWAP_THRESHOLD_DEG)  # no false alarm
    assert (
        np.mean(scores > SWAP_THRESHOLD_DEG) > 0.8
    )  # a swap would be caught this often


def test_ipol_labels_confirmed_and_only_the_suspect_trials_flagged(datasets_root):
    scores = _scores(datasets_root, "ipol-healthy-gait", "foot")
    flagged = sorted(
        name for name, score in scores.items() if score < -SWAP_THRESHOLD_DEG
    )
    # 4-1 and 4-2 look swapped (every mirror-odd feature flips; subject 4's other trials do not)
    assert flagged == ["4-1", "4-2"]
    assert np.mean(np.array(list(scores.values())) > SWAP_THRESHOLD_DEG) > 0.55


def test_gaitmap_labels_and_known_up_axis(datasets_root):
    """gaitmap's example data are in a documented foot frame: x to the toes, z up."""
    (trial,) = iter_trials("gaitmap-example", root=datasets_root, placement="foot")
    frames, imu, contacts = _inputs(dict(trial.imu), "foot")
    up, down = np.array([0.0, 0.0, 1.0]), np.array([0.0, 0.0, -1.0])
    as_documented = check_mounting(
        frames, imu, contacts, declared_up_axis={"left": up, "right": up}
    )
    assert as_documented.left_right_score_deg > SWAP_THRESHOLD_DEG
    assert as_documented.findings == ()
    assert max(as_documented.up_angle_deg.values()) < 30.0
    flipped = check_mounting(frames, imu, contacts, declared_up_axis={"left": down})
    assert [(f.kind, f.side) for f in flipped.findings] == [("upside_down", "left")]
