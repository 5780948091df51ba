"""Reader of the IPOL healthy-gait data set (Voisard et al., "A Reference Data Set
for the Study of Healthy Subject Gait with Inertial Measurements Units", Image
Processing On Line 13, 2023, https://doi.org/10.5201/ipol.2023.497; data GNU
AGPL-3.0, read in place, never redistributed).

Per trial ``S-T``: ``S-T_lf.txt`` / ``S-T_rf.txt`` (Xsens MTw Awinda on the dorsum
of each foot, 100 Hz) and ``S-T.json``. The Xsens ``PacketCounter`` is the common
clock of both feet: time = PacketCounter / 100 s, so rows lost on the radio leave
real gaps (files are read with :func:`anklet.io.xsens.read_xsens_mtw_txt`).
``LeftFootEvents`` / ``RightFootEvents`` list one
``[toe-off, heel-strike]`` pair of PacketCounter values per swing phase (manually
checked annotations): toe-off is the final contact (FC), heel strike the next
initial contact (IC). ``TrialBoundaries`` (first toe-off, last heel strike) is
the evaluation window and ``UTurnBoundaries`` the 180 degree turn, both in
PacketCounter units.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import MappingProxyType

import numpy as np

from anklet.errors import InputFormatError
from anklet.imu import Side
from anklet.io.xsens import read_xsens_mtw_txt
from anklet.validation.datasets.trial import ReferenceEvents, Trial

DATASET = "ipol-healthy-gait"
#: PacketCounter increments per second (every file states "Acquisition frequency: 100 Hz").
COUNTER_RATE_HZ = 100.0
_FILE_SUFFIX: dict[Side, str] = {"left": "_lf.txt", "right": "_rf.txt"}
_EVENT_KEY: dict[Side, str] = {"left": "LeftFootEvents", "right": "RightFootEvents"}
_NAME = re.compile(r"^(\d+)-(\d+)\.json$")
#: Trials that repeat another trial's recording: 9-4's first 2200 rows are those of
#: 9-3 and it holds all of 9-3's reference events (docs/validation-datasets.md).
REPEATED_TRIALS: MappingProxyType[str, str] = MappingProxyType({"9-4": "9-3"})


def list_names(folder: Path) -> list[str]:
    """Trial names ("S-T") in ``folder``, sorted by subject then trial number."""
    found = [m for m in (_NAME.match(p.name) for p in folder.glob("*.json")) if m]
    return [f"{s}-{t}" for s, t in sorted((int(m.group(1)), int(m.group(2))) for m in found)]


def load(folder: Path, name: str) -> list[Trial]:
    """Load trial ``name`` ("S-T") from ``folder``.

    Returns:
        One foot-placement Trial; times in s (PacketCounter / sampling rate).

    Raises:
        InputFormatError: a file is missing a field, malformed, or an event lies
            outside the recorded counters.
    """
    meta_path = folder / f"{name}.json"
    meta = _read_json(meta_path)
    imu = {
        side: read_xsens_mtw_txt(folder / f"{name}{suffix}", sampling_rate_hz=COUNTER_RATE_HZ)
        for side, suffix in _FILE_SUFFIX.items()
    }
    counter_s = 1.0 / COUNTER_RATE_HZ
    reference = {}
    for side, key in _EVENT_KEY.items():
        pairs = np.asarray(meta[key], dtype=float).reshape(-1, 2) * counter_s
        events = ReferenceEvents(initial_contacts_s=pairs[:, 1], final_contacts_s=pairs[:, 0])
        time_s = imu[side].time_s
        if pairs.size and (pairs.min() < time_s[0] or pairs.max() > time_s[-1]):
            raise InputFormatError(meta_path, f"{key} has events outside the {side} recording")
        reference[side] = events
    window = _interval_s(meta_path, meta, "TrialBoundaries", counter_s)
    turn = _interval_s(meta_path, meta, "UTurnBoundaries", counter_s)
    return [
        Trial(
            name=name,
            dataset=DATASET,
            placement="foot",
            imu=MappingProxyType(imu),
            reference=MappingProxyType(reference),
            evaluation_window_s=window,
            annotations=MappingProxyType({"turn": turn}),
            notes=() if name not in REPEATED_TRIALS else (f"repeats the recording of trial {REPEATED_TRIALS[name]}",),
            person=None if name in REPEATED_TRIALS else f"subject {name.split('-')[0]}",
            subject=MappingProxyType(
                {
                    "age_years": float(meta["Age"]),
                    "sex": str(meta["Gender"]),
                    "height_cm": float(meta["Height"]),
                    "mass_kg": float(meta["Weight"]),
                }
            ),
        )
    ]


def _interval_s(path: Path, meta: dict, key: str, counter_s: float) -> tuple[float, float]:
    """A [first, last] PacketCounter pair of the metadata as (start, end) in s.

    Raises:
        InputFormatError: not two increasing numbers.
    """
    values = meta[key]
    if len(values) != 2 or not float(values[0]) <= float(values[1]):
        raise InputFormatError(path, f"{key} must be [first, last] PacketCounter values, got {values!r}")
    return float(values[0]) * counter_s, float(values[1]) * counter_s


def _read_json(path: Path) -> dict:
    """The trial's JSON metadata, checked for the fields this reader uses."""
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise InputFormatError(path, f"cannot read the trial metadata: {error}") from error
    missing = [k for k in ("TrialBoundaries", "UTurnBoundaries", *_EVENT_KEY.values()) if k not in meta]
    if missing:
        raise InputFormatError(path, f"missing field(s) {', '.join(missing)}; is this an IPOL trial file?")
    return meta
