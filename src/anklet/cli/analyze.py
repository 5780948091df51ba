"""``anklet analyze``: gait events, strides and asymmetry of two legs' IMU files."""

from __future__ import annotations

import argparse
from pathlib import Path

from anklet.analysis import analyze
from anklet.cli._output import print_analysis
from anklet.errors import AnkletError
from anklet.imu import PLACEMENTS, ImuData, Side
from anklet.io import read_imu


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``analyze`` sub-command."""
    parser = sub.add_parser(
        "analyze",
        help="find gait events, strides and asymmetry in two legs' IMU files",
        description="Analyse IMU files of the left and right leg (anklet CSV or Xsens MT "
        "Manager text export; both files must share one clock).",
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
    parser.add_argument("--json", type=Path, metavar="OUT.json", help="write the analysis result")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Analyse the files named by ``args``; print the summary, write the JSON."""
    if args.left is None and args.right is None:
        raise AnkletError("give at least one leg: --left FILE and/or --right FILE")
    imu: dict[Side, ImuData] = {}
    for side in ("left", "right"):
        path = getattr(args, side)
        if path is not None:
            imu[side] = read_imu(path, args.format)  # type: ignore[index]
    result = analyze(imu, args.placement)
    result.document["input"] = {side: str(getattr(args, side)) for side in imu}
    print_analysis(result, args.json)
    return 0
