"""``anklet analyze``: gait events, strides and asymmetry of an ``.anklet``
recording or of two legs' IMU files."""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from anklet.analysis import analyze
from anklet.cli._output import note_recording_input, print_analysis
from anklet.errors import AnkletError
from anklet.imu import PLACEMENTS, ImuData, Side
from anklet.io import read_imu
from anklet.live.cli_options import json_output_path

#: ``--sensor-up`` choices: sensor-frame unit vectors.
SENSOR_AXES: dict[str, tuple[float, float, float]] = {
    "+x": (1.0, 0.0, 0.0),
    "-x": (-1.0, 0.0, 0.0),
    "+y": (0.0, 1.0, 0.0),
    "-y": (0.0, -1.0, 0.0),
    "+z": (0.0, 0.0, 1.0),
    "-z": (0.0, 0.0, -1.0),
}


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``analyze`` sub-command."""
    parser = sub.add_parser(
        "analyze",
        help="find gait events, strides and asymmetry in a recording or two legs' IMU files",
        description="Analyse an .anklet recording (decoded onto one session timeline), or IMU "
        "files of the left and right leg (anklet CSV or Xsens MT Manager text export; both "
        "files must share one clock).",
    )
    parser.add_argument(
        "recording", nargs="?", type=Path, metavar="FILE.anklet",
        help="a recording made by 'anklet record' (instead of --left/--right)",
    )
    parser.add_argument("--left", type=Path, help="left leg's IMU file")
    parser.add_argument("--right", type=Path, help="right leg's IMU file")
    parser.add_argument(
        "--placement", choices=PLACEMENTS, default="ankle",
        help="where the sensors sit: ankle (shank, default) or foot (dorsum)",
    )
    parser.add_argument(
        "--format", choices=("csv", "xsens"), default=None,
        help="input format (default: detected from the file's first lines)",
    )
    parser.add_argument(
        "--sensor-up", choices=tuple(SENSOR_AXES), metavar="AXIS",
        help="the sensor axis that points up when a sensor is worn as instructed (+x, -x, +y, -y, +z, -z): "
        "a sensor worn upside down or turned is then warned about (write negative axes as --sensor-up=-z)",
    )
    parser.add_argument("--json", type=json_output_path, metavar="OUT.json", help="write the analysis result")
    parser.set_defaults(func=run)


def _declared_up(args: argparse.Namespace, sides: tuple[Side, ...]) -> dict[Side, np.ndarray] | None:
    """``--sensor-up`` as a declared up axis for every analysed leg (None when not given)."""
    if args.sensor_up is None:
        return None
    return {side: np.array(SENSOR_AXES[args.sensor_up]) for side in sides}


def run(args: argparse.Namespace) -> int:
    """Analyse the recording or files named by ``args``; print the summary, write the JSON."""
    if args.recording is not None:
        return _run_recording(args)
    if args.left is None and args.right is None:
        raise AnkletError("give a recording FILE.anklet, or at least one leg: --left FILE and/or --right FILE")
    imu: dict[Side, ImuData] = {}
    for side in ("left", "right"):
        path = getattr(args, side)
        if path is not None:
            imu[side] = read_imu(path, args.format)  # type: ignore[index]
    result = analyze(imu, args.placement, declared_up_axis=_declared_up(args, tuple(imu)))
    result.document["input"] = {side: str(getattr(args, side)) for side in imu}
    print_analysis(result, args.json)
    return 0


def _run_recording(args: argparse.Namespace) -> int:
    """Decode the recording, analyse it, add its input and stream quality to the JSON."""
    from anklet.recording import describe_decoded, load_recording_imu

    if args.left is not None or args.right is not None or args.format is not None:
        raise AnkletError(
            f"give either the recording {args.recording} or --left/--right files (with --format), not both"
        )
    decoded = load_recording_imu(args.recording)
    print(describe_decoded(decoded))
    result = analyze(decoded.imu, args.placement, declared_up_axis=_declared_up(args, tuple(decoded.imu)))
    note_recording_input(result, args.recording, decoded)
    print_analysis(result, args.json)
    return 0
