"""``anklet export``: a recording's analysis and signals as CSV, JSON or Motion-BIDS."""

from __future__ import annotations

import argparse
from pathlib import Path

from anklet.errors import AnkletError
from anklet.export.exporter import FORMATS
from anklet.imu import PLACEMENTS


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``export`` sub-command."""
    parser = sub.add_parser(
        "export",
        help="write a recording's strides, signals and events as CSV, JSON or Motion-BIDS",
        description="Decode and analyse an .anklet recording and export it for other tools "
        "(docs/exports.md). Notes, marker texts, the exact start time, sensor names and "
        "addresses, the recording configuration and the file name are left out unless "
        "--include-identifying is given.",
    )
    parser.add_argument("file", type=Path, metavar="FILE.anklet", help="the recording")
    parser.add_argument("--format", choices=FORMATS, required=True, help="csv, json or bids (Motion-BIDS)")
    parser.add_argument(
        "-o", "--output", type=Path, required=True, metavar="OUT_DIR",
        help="output directory: new (its parent must exist) or empty",
    )
    parser.add_argument(
        "--placement", choices=PLACEMENTS, default="ankle",
        help="where the sensors sat: ankle (shank, default) or foot (dorsum)",
    )
    parser.add_argument(
        "--include-identifying", action="store_true",
        help="also export notes, marker texts, the start date and time, sensor names and addresses",
    )
    parser.add_argument("--session", metavar="LABEL", help="bids only: session label, e.g. pre or week3")
    parser.add_argument("--task", metavar="LABEL", help="bids only: task label (default: from the activity)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Export ``args.file``; print where the files went."""
    from anklet.analysis import analyze
    from anklet.export import (
        bids_names,
        check_output_dir,
        export_session,
        session_from_recording,
    )
    from anklet.recording import load_recording_imu

    if args.format != "bids" and (args.session is not None or args.task is not None):
        raise AnkletError("--session and --task label BIDS files; use them with --format bids")
    check_output_dir(args.output)
    decoded = load_recording_imu(args.file)
    result = analyze(decoded.imu, args.placement)
    session = session_from_recording(decoded.recording, include_identifying=args.include_identifying)
    written = export_session(
        args.format, args.output, decoded.imu, result, session,
        placement=args.placement, names=bids_names(session, args.session, args.task), quality=decoded.quality,
    )
    print(f"wrote {len(written)} files to {args.output}")
    return 0
