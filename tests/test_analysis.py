"""``anklet.analysis.analyze``: the one seam from two legs' data to the result document."""

from __future__ import annotations

import json

from anklet.analysis import analyze, summary_text
from anklet.gait.measured_accuracy import RUNNING_NOT_VALIDATED
from anklet.simulate import GaitSpec, SensorSpec, Stand, Walk, simulate_session


def _session():
    sensor = SensorSpec(sampling_rate_hz=100.0, mounting_rotation_deg=None)
    gait = GaitSpec(out_of_plane_amplitude_deg=8.0)
    return simulate_session(gait, sensor, sensor, bouts=[Stand(3.0), Walk(20), Stand(3.0)], seed=5)


def test_swapped_sensors_are_warned_about_and_the_document_says_so():
    imu = dict(_session().imu)
    labelled = analyze(imu)
    swapped = analyze({"left": imu["right"], "right": imu["left"]})

    assert labelled.document["mounting"]["left_right_score_deg"] > 15
    assert labelled.document["mounting"]["findings"] == []
    assert not any("swapped" in w for w in labelled.gait.warnings)

    assert swapped.document["mounting"]["left_right_score_deg"] < -15
    assert [f["kind"] for f in swapped.document["mounting"]["findings"]] == ["swapped_legs"]
    assert any("swapped" in w for w in swapped.document["warnings"])
    assert any("labelled" in a for a in labelled.document["assumptions"])
    assert any(
        "as labelled, although the data suggest the legs were swapped" in a for a in swapped.document["assumptions"]
    )
    json.dumps(swapped.document, allow_nan=False)


def test_terminal_summary_quotes_the_measured_accuracy_of_the_placement():
    imu = dict(_session().imu)
    shank = summary_text(analyze(imu, placement="ankle"))
    assert "Measurement accuracy (shank sensors" in shank
    assert "step 7.5" in " ".join(shank.split())
    assert "Measurement accuracy (foot sensors" in summary_text(analyze(imu, placement="foot"))


def test_result_document_carries_the_measured_accuracy_of_its_placement():
    document = analyze(dict(_session().imu), placement="foot").document
    accuracy = document["measurement_accuracy"]
    assert accuracy["validation_dataset"] == "ipol-healthy-gait"
    assert set(accuracy["median_abs_difference"]) == set(accuracy["median_abs_change_difference"])
    assert {"step_time", "gait_asymmetry"} <= set(accuracy["median_abs_difference"])
    json.dumps(document, allow_nan=False)


def test_running_sessions_are_told_the_accuracy_comes_from_walking():
    sensor = SensorSpec(sampling_rate_hz=100.0, mounting_rotation_deg=None)
    running = simulate_session(GaitSpec.running(), sensor, sensor, bouts=[Stand(3.0), Walk(20), Stand(3.0)], seed=5)
    assert RUNNING_NOT_VALIDATED in " ".join(summary_text(analyze(dict(running.imu))).split())
    assert RUNNING_NOT_VALIDATED not in " ".join(summary_text(analyze(dict(_session().imu))).split())


def test_one_leg_gives_no_asymmetry_and_says_why():
    result = analyze({"left": _session().imu["left"]})
    assert result.asymmetry is None and result.document["asymmetry"] is None
    assert (
        "asymmetry needs both legs: only the left leg was given, so no left/right comparison"
        in (result.document["warnings"])
    )
    assert "asymmetry needs both legs" in summary_text(result)
