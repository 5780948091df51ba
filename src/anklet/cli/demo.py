"""``anklet demo``: analyse the synthetic demo recording shipped with anklet."""

from __future__ import annotations

import argparse
from pathlib import Path

from anklet.analysis import analyze
from anklet.cli._output import print_analysis
from anklet.imu import Side
from anklet.io import read_imu

#: The demo recording shipped with anklet (made by ``anklet.simulate``, see recordings/README.md).
DEMO_DIR = Path(__file__).resolve().parents[3] / "recordings"
DEMO_FILES: dict[Side, str] = {"left": "demo_left.csv", "right": "demo_right.csv"}


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``demo`` sub-command."""
    parser = sub.add_parser("demo", help="analyse the bundled synthetic demo recording")
    parser.add_argument("--json", type=Path, metavar="OUT.json", help="write the analysis result")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Analyse the demo recording; print the summary, write the JSON."""
    imu = {side: read_imu(DEMO_DIR / name) for side, name in DEMO_FILES.items()}
    print(f"anklet demo: analysing the synthetic demo recording in {DEMO_DIR}")
    print_analysis(analyze(imu, "ankle"), args.json)
    return 0
