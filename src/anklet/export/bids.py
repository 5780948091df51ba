"""The Motion-BIDS export (BIDS >= 1.9, motion modality; Jeung et al. 2024,
Motion-BIDS, Scientific Data 11:716, doi:10.1038/s41597-024-03559-8).

Layout (BIDS specification, "Motion", and the schema in ``bidsschematools``)::

    dataset_description.json  README.md  participants.tsv  participants.json
    sub-<label>/[ses-<label>/][sub-<label>[_ses-<label>]_scans.tsv]   (identifying only)
    sub-<label>/[ses-<label>/]motion/
        sub-<label>[_ses-<label>]_task-<label>_tracksys-imu_motion.tsv    no header, one column per channel
        ..._tracksys-imu_motion.json     SamplingFrequency, TaskName, channel counts, ...
        ..._tracksys-imu_channels.tsv    name, component, type, tracked_point, units, ...
        ..._tracksys-imu_channels.json   the reference_frame levels
        ..._tracksys-imu_events.tsv      onset, duration, trial_type, side, text
        ..._tracksys-imu_events.json     what the columns and trial types mean

Both sensors form one tracking system ("imu"): after clock alignment they share
one session timeline and :func:`anklet.export.signals.align_signals` puts them
on one grid, so they have the same duration and number of samples (the
spec's definition of a tracking system). Accelerations are in m/s^2, angular
rates in rad/s (SI, as in the specification's example), both in each sensor's
own frame. Event onsets are seconds from the first sample of ``_motion.tsv``.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from datetime import UTC, timedelta
from pathlib import Path
from typing import Any

import numpy as np

import anklet
from anklet.export._text import MISSING_NUMBER, numeric_table, write_json_file
from anklet.export.events import KINDS, EventTable
from anklet.export.session import ExportSession
from anklet.export.signals import AlignedSignals
from anklet.imu import Placement

#: BIDS version the files follow (motion entered BIDS in 1.9.0).
BIDS_VERSION = "1.10.0"
TRACKSYS_LABEL = "imu"
DEFAULT_SUBJECT_LABEL = "01"
DEFAULT_TASK_LABEL = "gait"
#: Manufacturer by sensor protocol (docs/sensors.md).
MANUFACTURERS: dict[str, str] = {
    "movesense": "Movesense",
    "polar_pmd": "Polar Electro",
    "witmotion": "WitMotion",
}
_TRACKED_POINT: dict[Placement, str] = {"ankle": "Ankle", "foot": "Foot"}
_PLACEMENT_TEXT: dict[Placement, str] = {"ankle": "shank, just above the ankle", "foot": "dorsum of the foot"}
_TRIAL_TYPES: dict[str, str] = {
    "walk_bout": "a bout of walking (duration = the bout)",
    "run_bout": "a bout of running (duration = the bout)",
    "data_gap": "samples missing from one sensor (duration = the gap); NaN in _motion.tsv where not bridged",
    "initial_contact": "initial contact (heel strike) of the leg in 'side'",
    "final_contact": "final contact (toe-off) of the leg in 'side'",
    "marker": "a marker set by the operator while recording ('text')",
}


@dataclass(frozen=True)
class BidsNames:
    """Labels of one exported recording.

    Attributes:
        subject: ``sub-`` label (``[0-9a-zA-Z+]+``).
        task: ``task-`` label.
        session: ``ses-`` label, None for no session level.
    """

    subject: str
    task: str
    session: str | None = None

    @property
    def prefix(self) -> str:
        """``sub-<s>[_ses-<s>]``."""
        return f"sub-{self.subject}" + (f"_ses-{self.session}" if self.session else "")

    @property
    def folder(self) -> Path:
        """``sub-<s>[/ses-<s>]``, relative to the dataset root."""
        return Path(f"sub-{self.subject}") / (f"ses-{self.session}" if self.session else "")

    def motion_file(self, suffix_and_extension: str) -> Path:
        """E.g. ``sub-01/motion/sub-01_task-gait_tracksys-imu_motion.tsv`` for "motion.tsv"."""
        name = f"{self.prefix}_task-{self.task}_tracksys-{TRACKSYS_LABEL}_{suffix_and_extension}"
        return self.folder / "motion" / name


def bids_label(text: str, default: str) -> str:
    """A BIDS label (``[0-9a-zA-Z+]+``) from free text: other characters are
    dropped, ``default`` if nothing is left (e.g. subject "S-07" -> "S07")."""
    return re.sub(r"[^0-9a-zA-Z+]", "", text) or default


def bids_names(session: ExportSession, session_label: str | None = None, task_label: str | None = None) -> BidsNames:
    """Labels from the session facts: subject from ``subject_id``, task from
    ``activity`` (or the given labels, cleaned the same way)."""
    task = bids_label(task_label if task_label is not None else session.activity, DEFAULT_TASK_LABEL)
    session_part = bids_label(session_label, "") if session_label is not None else ""
    return BidsNames(bids_label(session.subject_id, DEFAULT_SUBJECT_LABEL), task, session_part or None)


def write_bids_export(
    out_dir: Path,
    signals: AlignedSignals,
    events: EventTable,
    session: ExportSession,
    placement: Placement,
    names: BidsNames,
) -> list[Path]:
    """Write a one-recording Motion-BIDS dataset into the existing directory ``out_dir``.

    Args:
        out_dir: dataset root (prepared with :func:`anklet.export.output_dir.prepare_output_dir`).
        signals: both legs on one grid (acc m/s^2, gyr deg/s; written in rad/s).
        events: the session's events (session seconds).
        session: the exportable session facts.
        placement: where the sensors sat ("ankle" or "foot").
        names: subject/session/task labels.

    Returns:
        The files written.

    Raises:
        OSError: the files cannot be written.
    """
    (out_dir / names.folder / "motion").mkdir(parents=True)
    written: list[Path] = []

    def json_file(relative: Path | str, document: dict[str, Any]) -> None:
        write_json_file(document, out_dir / relative)
        written.append(out_dir / relative)

    def tsv_file(relative: Path | str, header: list[str], rows: list[list[str]]) -> None:
        with (out_dir / relative).open("w", encoding="utf-8", newline="") as file:
            writer = csv.writer(file, delimiter="\t", lineterminator="\n")
            writer.writerow(header)
            writer.writerows(rows)
        written.append(out_dir / relative)

    json_file("dataset_description.json", _dataset_description())
    (out_dir / "README.md").write_text(_readme(session), encoding="utf-8")
    written.append(out_dir / "README.md")
    tsv_file("participants.tsv", ["participant_id"], [[f"sub-{names.subject}"]])
    json_file("participants.json", {"participant_id": {"Description": "anonymous subject code of the recording"}})

    motion_tsv = names.motion_file("motion.tsv")
    (out_dir / motion_tsv).write_text(_motion_table(signals), encoding="utf-8")
    written.append(out_dir / motion_tsv)
    json_file(names.motion_file("motion.json"), _motion_sidecar(signals, session))
    tsv_file(names.motion_file("channels.tsv"), list(CHANNEL_COLUMNS), _channel_rows(signals, placement))
    json_file(names.motion_file("channels.json"), _channels_sidecar())
    tsv_file(names.motion_file("events.tsv"), list(EVENT_COLUMNS), _event_rows(events, float(signals.time_s[0])))
    json_file(names.motion_file("events.json"), _events_sidecar())
    if session.start_time_utc is not None:
        scans = names.folder / f"{names.prefix}_scans.tsv"
        acquired = session.start_time_utc + timedelta(seconds=float(signals.time_s[0]))
        acq_time = acquired.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"
        tsv_file(scans, ["filename", "acq_time"], [[motion_tsv.relative_to(names.folder).as_posix(), acq_time]])
    return written


#: Columns of ``_channels.tsv``: the five required ones in the required order, then recommended/optional ones.
CHANNEL_COLUMNS: tuple[str, ...] = (
    "name",
    "component",
    "type",
    "tracked_point",
    "units",
    "placement",
    "reference_frame",
    "sampling_frequency",
)
EVENT_COLUMNS: tuple[str, ...] = ("onset", "duration", "trial_type", "side", "text")
#: Per leg: (channel type, name part, unit in _channels.tsv).
_CHANNEL_KINDS: tuple[tuple[str, str, str], ...] = (("ACCEL", "acc", "m/s^2"), ("GYRO", "gyr", "rad/s"))
_AXES = ("x", "y", "z")
#: Motion channel types anklet never writes (their counts are 0 in ``_motion.json``).
_ABSENT_CHANNEL_TYPES = ("ANGACCEL", "JNTANG", "LATENCY", "MAGN", "ORNT", "POS", "VEL")


def _channel_rows(signals: AlignedSignals, placement: Placement) -> list[list[str]]:
    rows = []
    for side in signals.sides:
        point = f"{side.capitalize()}{_TRACKED_POINT[placement]}"
        where = f"{side} {_PLACEMENT_TEXT[placement]}"
        for kind, part, unit in _CHANNEL_KINDS:
            for axis in _AXES:
                rows.append(
                    [
                        f"{side}_{part}_{axis}",
                        axis,
                        kind,
                        point,
                        unit,
                        where,
                        "sensor",
                        f"{signals.sampling_rate_hz:g}",
                    ]
                )
    return rows


def _motion_table(signals: AlignedSignals) -> str:
    blocks = []
    for side in signals.sides:
        blocks += [signals.acc_mps2[side], np.deg2rad(signals.gyr_dps[side])]
    return numeric_table(np.hstack(blocks), ["%.7g"] * (6 * len(signals.sides)), "\t")


def _motion_sidecar(signals: AlignedSignals, session: ExportSession) -> dict[str, Any]:
    protocols = sorted({sensor.protocol for sensor in session.sensors.values()})
    manufacturers = sorted({MANUFACTURERS[p] for p in protocols if p in MANUFACTURERS})
    n_legs = len(signals.sides)
    sidecar: dict[str, Any] = {
        "TaskName": session.activity or DEFAULT_TASK_LABEL,
        "TaskDescription": session.activity or "gait recorded with anklet",
        "SamplingFrequency": signals.sampling_rate_hz,
        "SamplingFrequencyEffective": signals.sampling_rate_hz,
        "TrackingSystemName": f"anklet: {n_legs} leg-worn IMU(s) ({', '.join(protocols) or 'unknown protocol'})",
        "ManufacturersModelName": ", ".join(protocols) or "n/a",
        "SoftwareVersions": f"anklet {anklet.__version__}; firmware "
        + ", ".join(f"{side} {s.firmware_version or 'unknown'}" for side, s in session.sensors.items()),
        "MotionChannelCount": 6 * n_legs,
        "ACCELChannelCount": 3 * n_legs,
        "GYROChannelCount": 3 * n_legs,
        "TrackedPointsCount": n_legs,
        **{f"{kind}ChannelCount": 0 for kind in _ABSENT_CHANNEL_TYPES},
        "MissingValues": MISSING_NUMBER,
        "RecordingDuration": round(len(signals) / signals.sampling_rate_hz, 6),
        "SubjectArtefactDescription": "n/a",
    }
    sidecar["Manufacturer"] = ", ".join(manufacturers) or "n/a"
    return sidecar


def _channels_sidecar() -> dict[str, Any]:
    return {
        "reference_frame": {
            "LongName": "reference frame",
            "Levels": {
                "sensor": {
                    "Description": "the sensor's own axes as printed on the device, as mounted; "
                    "the anatomical axes found in this frame are in anklet's analysis.json (orientation)",
                    "RotationRule": "right-hand",
                }
            },
        }
    }


def _event_rows(events: EventTable, first_sample_s: float) -> list[list[str]]:
    onset = np.round(events.time_s - first_sample_s, 6).tolist()
    duration = np.round(events.duration_s, 6).tolist()
    return [
        [_tsv_number(o), _tsv_number(d), kind, side or "n/a", text or "n/a"]
        for o, d, kind, side, text in zip(onset, duration, events.kind, events.side, events.text, strict=True)
    ]


def _tsv_number(value: float) -> str:
    return f"{value:.6f}" if math.isfinite(value) else "n/a"


def _events_sidecar() -> dict[str, Any]:
    return {
        "onset": {"Description": "seconds from the first sample of the _motion.tsv file", "Units": "s"},
        "duration": {"Description": "0 for instants, else the span of the bout or gap", "Units": "s"},
        "trial_type": {"Description": "what happened", "Levels": {k: _TRIAL_TYPES[k] for k in KINDS}},
        "side": {
            "Description": "the leg of the event; n/a for both legs",
            "Levels": {"left": "left leg", "right": "right leg"},
        },
        "text": {"Description": "marker text ('marker' when identifying fields were left out); n/a otherwise"},
    }


def _dataset_description() -> dict[str, Any]:
    return {
        "Name": "anklet gait recording",
        "BIDSVersion": BIDS_VERSION,
        "DatasetType": "raw",
        "GeneratedBy": [
            {"Name": "anklet", "Version": anklet.__version__, "Description": "anklet export --format bids"}
        ],
    }


def _readme(session: ExportSession) -> str:
    return (
        "# anklet gait recording\n\n"
        "Exported by anklet (`anklet export --format bids`): two leg-worn IMUs "
        "(accelerometer in m/s^2, gyroscope in rad/s, sensor frames), "
        "resampled onto one time grid, with gait events (initial/final contacts), "
        "walking/running bouts, data gaps and operator markers in the events file.\n"
        + (
            ""
            if session.include_identifying
            else "\nIdentifying fields (notes, exact start time, sensor names and addresses) were left out.\n"
        )
    )
