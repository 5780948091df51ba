"""The ``anklet`` command line: one thin sub-command per verb.

User mistakes (bad files, missing data) print ``anklet: error: ...`` and exit with
status 2 without a traceback; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

import anklet
from anklet.analysis import AnalysisResult, analyze, summary_text
from anklet.errors import AnkletError
from anklet.gait.events import PLACEMENTS
from anklet.imu import ImuData, Side
from anklet.io import read_imu
from anklet.result import write_json

#: The demo recording shipped with anklet (made by ``anklet.simulate``, see recordings/README.md).
DEMO_DIR = Path(__file__).resolve().parents[2] / "recordings"
DEMO_FILES: dict[Side, str] = {"left": "demo_left.csv", "right": "demo_right.csv"}


def cmd_analyze(args: argparse.Namespace) -> int:
    if args.left is None and args.right is None:
        raise AnkletError("give at least one leg: --left FILE and/or --right FILE")
    imu: dict[Side, ImuData] = {}
    for side in ("left", "right"):
        path = getattr(args, side)
        if path is not None:
            imu[side] = read_imu(path, args.format)  # type: ignore[index]
    result = analyze(imu, args.placement)
    result.document["input"] = {side: str(getattr(args, side)) for side in imu}
    _report(result, args.json)
    return 0


def _report(result: AnalysisResult, json_path: Path | None) -> None:
    print(summary_text(result))
    if json_path is not None:
        write_json(result.document, json_path)
        print(f"wrote {json_path}")


def cmd_demo(args: argparse.Namespace) -> int:
    imu = {side: read_imu(DEMO_DIR / name) for side, name in DEMO_FILES.items()}
    print(f"anklet demo: analysing the synthetic demo recording in {DEMO_DIR}")
    _report(analyze(imu, "ankle"), args.json)
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    from anklet.recording import Recording, summarize

    print(summarize(Recording.open(args.file)))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="anklet", description="Left/right gait asymmetry from two leg-worn IMUs."
    )
    parser.add_argument("--version", action="version", version=f"anklet {anklet.__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    analyze = sub.add_parser(
        "analyze",
        help="find gait events, strides and asymmetry in two legs' IMU files",
        description="Analyse IMU files of the left and right leg (anklet CSV or Xsens MT "
        "Manager text export; both files must share one clock).",
    )
    analyze.add_argument("--left", type=Path, help="left leg's IMU file")
    analyze.add_argument("--right", type=Path, help="right leg's IMU file")
    analyze.add_argument(
        "--placement", choices=PLACEMENTS, default="ankle",
        help="where the sensors sit: ankle (shank, default) or foot (dorsum)",
    )
    analyze.add_argument(
        "--format", choices=("csv", "xsens"), default=None,
        help="input format (default: detected from the file's first lines)",
    )
    analyze.add_argument("--json", type=Path, metavar="OUT.json", help="write the analysis result")
    analyze.set_defaults(func=cmd_analyze)

    demo = sub.add_parser("demo", help="analyse the bundled synthetic demo recording")
    demo.add_argument("--json", type=Path, metavar="OUT.json", help="write the analysis result")
    demo.set_defaults(func=cmd_demo)

    info = sub.add_parser("info", help="summarise an .anklet recording file")
    info.add_argument("file", type=Path, help="the recording (.anklet)")
    info.set_defaults(func=cmd_info)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``anklet`` console script; returns the exit status."""
    args = build_parser().parse_args(argv)
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.showwarning = _show_warning
        try:
            return int(args.func(args))
        except AnkletError as error:
            print(f"anklet: error: {error}", file=sys.stderr)
            return 2
        except KeyboardInterrupt:
            print("anklet: interrupted", file=sys.stderr)
            return 130


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    """Print warnings as one ``anklet: warning: ...`` line (no source location)."""
    print(f"anklet: warning: {message}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
