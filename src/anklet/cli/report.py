"""``anklet report``: a session report (one recording) or a progress report (several)."""

from __future__ import annotations

import argparse
from pathlib import Path

from anklet.imu import PLACEMENTS


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``report`` sub-command."""
    parser = sub.add_parser(
        "report",
        help="write a PDF or HTML report of one session, or a progress report of several",
        description="One recording: a session report (left-vs-right table, plain-language reading, "
        "figures, data quality). Several recordings of one subject: a progress report (asymmetry per "
        "session, change beyond the measurement's variability, trend). Needs the 'report' extra "
        "(matplotlib). Not a diagnosis.",
    )
    parser.add_argument("files", type=Path, nargs="+", metavar="FILE.anklet", help="recording(s)")
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="OUT.pdf|OUT.html",
                        help="report file; the suffix chooses PDF or self-contained HTML")
    parser.add_argument("--placement", choices=PLACEMENTS, default="ankle",
                        help="where the sensors sat: ankle (shank, default) or foot (dorsum)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Load, analyse and report the files named by ``args``."""
    from anklet.report import check_output_path, write_report
    from anklet.report.load import load_session
    from anklet.report.progress import progress_report
    from anklet.report.session import session_report

    check_output_path(args.output)
    sessions = [load_session(path, args.placement) for path in args.files]
    report = session_report(sessions[0]) if len(sessions) == 1 else progress_report(sessions)
    write_report(report, args.output)
    kind = "session" if len(sessions) == 1 else f"progress ({len(sessions)} sessions)"
    print(f"wrote {kind} report {args.output}")
    return 0
