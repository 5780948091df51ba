"""The Motion-BIDS export checked against the specification: the official BIDS
validator (``bids-validator-deno``), the file-name rules of ``bids-validator`` and
the column/sidecar rules of the schema shipped by ``bidsschematools``."""

from __future__ import annotations

import csv
import dataclasses
import json
from datetime import timedelta
from pathlib import Path

import bids_validator
import bidsschematools.schema
import numpy as np
import pytest

from anklet.analysis import analyze
from anklet.export import ExportSession, align_signals, bids_names, export_session
from anklet.export.bids import BidsNames

from .conftest import START, Analysed, bids_errors, validate_bids

NAMES = BidsNames(subject="S07", task="walk", session="pre")
MOTION = Path("sub-S07/ses-pre/motion")
STEM = "sub-S07_ses-pre_task-walk_tracksys-imu"


def _read_tsv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.reader(file, delimiter="\t"))


@pytest.fixture()
def dataset(tmp_path: Path, analysed: Analysed, export_session_facts: ExportSession) -> Path:
    root = tmp_path / "bids"
    export_session("bids", root, analysed.imu, analysed.result, export_session_facts, names=NAMES)
    return root


def test_the_bids_validator_finds_no_error(dataset: Path) -> None:
    issues = validate_bids(dataset)
    assert bids_errors(issues) == []
    assert not [i for i in issues if i["code"] == "SIDECAR_KEY_REQUIRED"]


def test_a_one_leg_recording_is_valid_bids(
    tmp_path: Path, analysed: Analysed, export_session_facts: ExportSession
) -> None:
    imu = {"left": analysed.imu["left"]}
    root = tmp_path / "bids"
    written = export_session("bids", root, imu, analyze(imu), export_session_facts, names=NAMES)
    assert sorted(written) == sorted(p for p in root.rglob("*") if p.is_file())
    assert bids_errors(validate_bids(root)) == []
    channels = _read_tsv(root / MOTION / f"{STEM}_channels.tsv")[1:]
    assert {row[3] for row in channels} == {"LeftAnkle"} and len(channels) == 6
    assert json.loads((root / MOTION / f"{STEM}_motion.json").read_text())["TrackedPointsCount"] == 1


def test_the_validator_catches_a_broken_channels_file(dataset: Path) -> None:
    """Negative control: the validator really reads our files."""
    channels = dataset / MOTION / f"{STEM}_channels.tsv"
    lines = channels.read_text(encoding="utf-8").splitlines(keepends=True)
    channels.write_text("".join(lines[:-1]).replace("\tGYRO\t", "\tGYR\t"), encoding="utf-8")
    codes = {e.split()[0] for e in bids_errors(validate_bids(dataset))}
    assert {"TSV_EQUAL_ROWS", "TSV_VALUE_INCORRECT_TYPE"} <= codes


def test_file_names_follow_the_schema(dataset: Path) -> None:
    validator = bids_validator.BIDSValidator()
    files = sorted("/" + p.relative_to(dataset).as_posix() for p in dataset.rglob("*") if p.is_file())
    assert len(files) == 10
    assert [f for f in files if not validator.is_bids(f)] == []
    assert f"/{MOTION.as_posix()}/{STEM}_motion.tsv" in files
    assert f"/{MOTION.as_posix()}/{STEM}_events.tsv" in files


def test_columns_and_sidecars_follow_the_schema(dataset: Path) -> None:
    schema = bidsschematools.schema.load_schema()
    rules, columns = schema.rules, schema.objects.columns

    sidecar = json.loads((dataset / MOTION / f"{STEM}_motion.json").read_text())
    for group in ("motionRequired", "motionTaskInformation"):
        for field, level in rules.sidecars.motion[group].fields.items():
            if (level if isinstance(level, str) else level["level"]) == "required":
                assert field in sidecar, field
    assert sidecar["SamplingFrequency"] == 208.0
    assert sidecar["Manufacturer"] == "Movesense"
    assert sidecar["MotionChannelCount"] == 12 and sidecar["TrackedPointsCount"] == 2

    channel_rule = rules.tabular_data.motion.motionChannels
    header, *channel_rows = _read_tsv(dataset / MOTION / f"{STEM}_channels.tsv")
    initial = [columns[c].name for c in channel_rule.initial_columns]
    assert header[: len(initial)] == initial
    assert set(header) <= {columns[c].name for c in channel_rule.columns}
    for key, column in (("type__channels", "type"), ("component", "component")):
        assert {row[header.index(column)] for row in channel_rows} <= set(columns[key].enum)
    units = {row[header.index("type")]: row[header.index("units")] for row in channel_rows}
    assert units == {"ACCEL": "m/s^2", "GYRO": "rad/s"}

    events_rule = rules.tabular_data.events.Events
    events_header = _read_tsv(dataset / MOTION / f"{STEM}_events.tsv")[0]
    assert events_header[:2] == [columns[c].name for c in events_rule.initial_columns]

    description = json.loads((dataset / "dataset_description.json").read_text())
    required = [f for f, level in rules.json.dataset.dataset_description.fields.items() if level == "required"]
    assert all(field in description for field in required)
    assert _read_tsv(dataset / "participants.tsv") == [["participant_id"], ["sub-S07"]]


def test_motion_values_and_event_onsets(dataset: Path, analysed: Analysed) -> None:
    channels = _read_tsv(dataset / MOTION / f"{STEM}_channels.tsv")[1:]
    text = (dataset / MOTION / f"{STEM}_motion.tsv").read_text(encoding="utf-8")
    motion = np.loadtxt(text.splitlines(), delimiter="\t")  # no header row: all numeric
    assert motion.shape[1] == len(channels) == 12
    expected = align_signals(analysed.imu, 208.0)
    assert motion.shape[0] == len(expected)
    names = [row[0] for row in channels]
    np.testing.assert_allclose(
        motion[:, names.index("right_gyr_x") : names.index("right_gyr_z") + 1],
        np.deg2rad(expected.gyr_dps["right"]), rtol=1e-6, atol=1e-6,
    )
    np.testing.assert_allclose(motion[:, names.index("left_acc_z")], expected.acc_mps2["left"][:, 2], rtol=1e-6)
    header, *events = _read_tsv(dataset / MOTION / f"{STEM}_events.tsv")
    onsets = [float(e[0]) for e in events if e[2] == "initial_contact" and e[header.index("side")] == "left"]
    leg = analysed.result.gait.legs["left"]
    np.testing.assert_allclose(onsets, leg.initial_contacts_s - expected.time_s[0], atol=1e-6)


def test_scans_file_with_acquisition_time_only_with_identifying_fields(
    tmp_path: Path, analysed: Analysed, export_session_facts: ExportSession
) -> None:
    session = dataclasses.replace(export_session_facts, include_identifying=True, start_time_utc=START)
    root = tmp_path / "bids"
    export_session("bids", root, analysed.imu, analysed.result, session, names=NAMES)
    scans = _read_tsv(root / "sub-S07" / "ses-pre" / "sub-S07_ses-pre_scans.tsv")
    first_sample = START + timedelta(seconds=float(align_signals(analysed.imu, 208.0).time_s[0]))
    assert scans[0] == ["filename", "acq_time"] and scans[1][0] == f"motion/{STEM}_motion.tsv"
    assert scans[1][1] == first_sample.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    assert bids_errors(validate_bids(root)) == []


def test_labels_from_free_text(export_session_facts: ExportSession) -> None:
    assert bids_names(export_session_facts) == BidsNames("S07", "overgroundwalk", None)
    anonymous = dataclasses.replace(export_session_facts, subject_id="", activity="")
    assert bids_names(anonymous, session_label="week 3", task_label="10m walk") == BidsNames("01", "10mwalk", "week3")
