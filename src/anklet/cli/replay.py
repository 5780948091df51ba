"""``anklet replay``: a recording through the live pipeline and dashboard."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from anklet.cli._output import note_recording_input, print_analysis
from anklet.imu import PLACEMENTS
from anklet.live.cli_options import add_view_options


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``replay`` sub-command."""
    parser = sub.add_parser(
        "replay",
        help="replay a recording through the live pipeline and dashboard",
        description="Feed an .anklet recording through the same live path as the sensors, at "
        "--speed times real time or as fast as possible; the final analysis equals "
        "'anklet analyze' on the same file.",
    )
    parser.add_argument("file", type=Path, help="the recording (.anklet)")
    parser.add_argument(
        "--speed", default="1", metavar="X|max",
        help="times real time (default 1), or 'max' for as fast as possible",
    )
    parser.add_argument(
        "--placement", choices=PLACEMENTS, default="ankle",
        help="where the sensors sat: ankle (shank, default) or foot (dorsum)",
    )
    add_view_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Replay ``args.file``; print the summary, write the JSON."""
    from anklet.live.app import run_session
    from anklet.live.session import LiveSession
    from anklet.live.sources import ReplaySource, parse_speed
    from anklet.recording import Recording
    from anklet.recording.decode import decode_recording

    speed = parse_speed(args.speed)
    decoded = decode_recording(Recording.open(args.file))
    session = LiveSession(ReplaySource(decoded.imu, speed=speed), placement=args.placement)
    result = run_session(
        session, f"replay: {args.file.name}", headless=args.headless, duration_s=None, out=sys.stdout
    )
    note_recording_input(result, args.file, decoded)
    print_analysis(result, args.json)
    return 0
