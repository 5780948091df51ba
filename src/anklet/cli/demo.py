"""``anklet demo``: the live dashboard on the synthetic demo session shipped with anklet."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from anklet.live.cli_options import add_view_options, positive_seconds
from anklet.cli._output import print_analysis
from anklet.imu import Side

#: The demo recording shipped with anklet (made by ``anklet.simulate``, see recordings/README.md).
DEMO_DIR = Path(__file__).resolve().parents[3] / "recordings"
DEMO_FILES: dict[Side, str] = {"left": "demo_left.csv", "right": "demo_right.csv"}


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``demo`` sub-command."""
    parser = sub.add_parser(
        "demo",
        help="live dashboard on the bundled synthetic session (no sensors needed)",
        description="Play the bundled synthetic two-leg session (right swing 8 %% longer) through the "
        "live pipeline and dashboard; without a display, a terminal view. Ends when the session "
        "ends (about 70 s at --speed 1), after --duration, or when the window is closed.",
    )
    parser.add_argument("--duration", type=positive_seconds, metavar="S", help="stop after S seconds")
    parser.add_argument(
        "--speed", default="1", metavar="X|max",
        help="times real time (default 1), or 'max' for as fast as possible",
    )
    add_view_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run the demo session live; print the summary, write the JSON."""
    from anklet.io import read_imu
    from anklet.live.app import run_session
    from anklet.live.session import LiveSession
    from anklet.live.sources import ReplaySource, parse_speed

    speed = parse_speed(args.speed)
    imu = {side: read_imu(DEMO_DIR / name) for side, name in DEMO_FILES.items()}
    print(f"anklet demo: the synthetic demo session in {DEMO_DIR}, live")
    session = LiveSession(ReplaySource(imu, speed=speed), placement="ankle")
    result = run_session(
        session, "demo: synthetic session", headless=args.headless, duration_s=args.duration, out=sys.stdout
    )
    print_analysis(result, args.json)
    return 0
