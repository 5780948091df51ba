"""``anklet demo``: ``anklet live`` on the emulated sensor pair (no hardware needed).

Two emulated anklet-protocol sensors play a synthetic walk whose right swing is
:data:`DEMO_ASYMMETRY_PCT` % longer than the left one over a virtual BLE link;
the real collector reads them on its own thread and the dashboard (or, without a
display, the terminal view) shows the session, which ends after ``--duration``
with the summary.
"""

from __future__ import annotations

import argparse

from anklet.imu import PLACEMENTS
from anklet.live.cli_options import add_recording_options, add_view_options, positive_seconds

#: Imposed swing-time asymmetry of the demo walk, right minus left, %.
DEMO_ASYMMETRY_PCT = 8.0
#: Default length of the demo, s.
DEMO_DURATION_S = 60.0


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``demo`` sub-command."""
    parser = sub.add_parser(
        "demo",
        help="live dashboard on two emulated sensors (no hardware needed)",
        description=f"Stream two emulated sensors (anklet protocol, synthetic walk with the right swing "
        f"{DEMO_ASYMMETRY_PCT:g} %% longer) over a virtual Bluetooth LE link through the collector, the live "
        "analysis and the dashboard; without a display, a terminal view. Ends after --duration or when "
        "the window is closed, then prints the summary.",
    )
    parser.add_argument(
        "--duration", type=positive_seconds, default=DEMO_DURATION_S, metavar="S",
        help=f"stop after S seconds (default {DEMO_DURATION_S:g})",
    )
    parser.add_argument(
        "--asymmetry", type=float, default=DEMO_ASYMMETRY_PCT, metavar="PCT",
        help=f"imposed swing-time asymmetry, right minus left, %% (default {DEMO_ASYMMETRY_PCT:g})",
    )
    add_recording_options(parser, default_help="none, the demo keeps no file")
    add_view_options(parser)
    parser.set_defaults(func=run, placement=PLACEMENTS[0])


def run(args: argparse.Namespace) -> int:
    """Run the emulated pair live; print the summary, write the JSON (and the recording with ``-o``).

    Raises:
        AnkletError: the Bluetooth packages missing, an asymmetry out of range, an existing output file.
    """
    from anklet.cli.live import recording_plan, require_ble, run_live_session

    require_ble()
    from anklet.collector.simulated import SimulationSpec
    from anklet.collector.thread import CollectorSource

    spec = SimulationSpec(protocol="anklet", asymmetry_pct=args.asymmetry)
    plan = (
        None
        if args.output is None
        else recording_plan(
            args.output,
            overwrite=args.overwrite,
            config={"command": "demo", "simulate": True, "asymmetry_pct": args.asymmetry, "duration_s": args.duration},
        )
    )
    print(
        f"anklet demo: two emulated sensors over a virtual BLE link, right swing {args.asymmetry:+g} % "
        f"(imposed), {args.duration:g} s",
        flush=True,
    )
    run_live_session(CollectorSource(simulation=spec, recording=plan), "demo: emulated sensor pair", args)
    return 0
