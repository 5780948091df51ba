"""``anklet live``: record two sensors and watch the gait analysis as it happens.

Real sensors: ``anklet live --left ADDR --right ADDR [-o FILE] [--duration S]
[--headless] [--placement ankle|foot] [--json OUT]`` (addresses default to the
last pair recorded). Emulated pair: ``anklet live --simulate [--protocol P]
[--asymmetry PCT]``. The collector runs on its own thread
(:class:`anklet.collector.thread.CollectorSource`); the dashboard, or the terminal
view without a display, shows the session; the duration, closing the window,
Ctrl-C or SIGTERM stop it, finalise the recording and print the summary.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from anklet.cli.record import PROTOCOL_CHOICES
from anklet.imu import PLACEMENTS
from anklet.live.cli_options import RECORDING_SUFFIX, add_recording_options, add_view_options, positive_seconds

if TYPE_CHECKING:
    from anklet.collector.thread import CollectorSource, RecordingPlan


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``live`` sub-command."""
    parser = sub.add_parser(
        "live",
        help="record two sensors with the live dashboard",
        description="Stream two sensors into a recording while the dashboard (or, without a display, "
        "the terminal view) shows both legs, their strides and the running asymmetry. Stops after "
        "--duration, when the window is closed, or on Ctrl-C; then prints the summary.",
    )
    parser.add_argument("--left", metavar="ADDR", help="left sensor's address (default: the last pair recorded)")
    parser.add_argument("--right", metavar="ADDR", help="right sensor's address (default: the last pair recorded)")
    parser.add_argument("--protocol", choices=PROTOCOL_CHOICES, help="expected sensor protocol (simulate: anklet)")
    parser.add_argument(
        "--rate", type=float, metavar="HZ", help="sampling rate (default: the supported rate nearest 200 Hz)"
    )
    parser.add_argument(
        "--placement", choices=PLACEMENTS, default="ankle",
        help="where the sensors sit: ankle (shank, default) or foot (dorsum)",
    )
    parser.add_argument("--duration", type=positive_seconds, metavar="S", help="stop after S seconds")
    add_recording_options(parser, default_help="recording-<time>.anklet")
    parser.add_argument("--subject-id", default="", metavar="ID", help="anonymous subject code (never a name)")
    parser.add_argument("--activity", default="", metavar="TEXT", help="what the subject does")
    add_view_options(parser)
    simulated = parser.add_argument_group("emulated sensors")
    simulated.add_argument(
        "--simulate", action="store_true", help="two emulated sensors playing synthetic gait over a virtual BLE link"
    )
    simulated.add_argument(
        "--asymmetry", type=float, default=0.0, metavar="PCT", help="imposed swing-time asymmetry, right minus left, %%"
    )
    simulated.add_argument("--seed", type=int, default=0, help="simulation seed")
    parser.set_defaults(func=run)


def recording_plan(
    output: Path, *, overwrite: bool, config: dict[str, object], subject_id: str = "", activity: str = ""
) -> RecordingPlan:
    """The recording to make, checked before any scanning.

    Raises:
        AnkletError: ``output`` does not end in ``.anklet``, or exists and ``overwrite`` is False.
    """
    from anklet.collector.thread import RecordingPlan
    from anklet.errors import AnkletError

    if output.suffix != RECORDING_SUFFIX:
        raise AnkletError(f"-o {output}: a recording file name must end in '{RECORDING_SUFFIX}'")
    if output.exists() and not overwrite:
        raise AnkletError(f"{output} already exists; choose another file name or pass --overwrite")
    return RecordingPlan(output, overwrite, subject_id, activity, config)


def require_ble() -> None:
    """Check that the Bluetooth packages (the ``ble`` extra: bleak, bumble) are installed.

    Raises:
        AnkletError: one is missing; the message gives the install command.
    """
    from anklet.errors import AnkletError

    try:
        import bleak  # noqa: F401
        import bumble  # noqa: F401
    except ImportError as exc:
        raise AnkletError(
            f"live sessions need the Bluetooth packages ({exc}); install them with: pip install 'anklet[ble]'"
        ) from exc


def run(args: argparse.Namespace) -> int:
    """Stream, show, then print the summary (and write ``--json``).

    Raises:
        AnkletError: bad options, the Bluetooth packages missing, a sensor not found, Bluetooth off,
            an existing output file.
    """
    require_ble()
    from anklet.collector.pairing import pair_addresses, save_pairing
    from anklet.collector.simulated import SimulationSpec
    from anklet.collector.thread import CollectorSource
    from anklet.errors import AnkletError

    if args.simulate and (args.left or args.right):
        raise AnkletError("--left/--right name real sensors; drop them with --simulate")
    output = args.output or Path(f"recording-{datetime.now():%Y%m%d-%H%M%S}{RECORDING_SUFFIX}")
    config: dict[str, object] = {"command": "live", "simulate": bool(args.simulate), "duration_s": args.duration}
    if args.simulate:
        config |= {"asymmetry_pct": args.asymmetry, "seed": args.seed}
        spec = SimulationSpec(protocol=args.protocol or "anklet", asymmetry_pct=args.asymmetry, seed=args.seed)
        addresses = None
        subtitle = f"emulated {spec.protocol} pair"
    else:
        spec = None
        addresses = pair_addresses(args.left, args.right)
        subtitle = f"left {addresses['left']}, right {addresses['right']}"
    plan = recording_plan(
        output, overwrite=args.overwrite, config=config, subject_id=args.subject_id, activity=args.activity
    )
    source = CollectorSource(
        addresses, simulation=spec, protocol=args.protocol, sampling_rate_hz=args.rate, recording=plan
    )
    print(f"anklet live: {subtitle}, recording to {output}", flush=True)
    run_live_session(source, f"live: {subtitle}", args)
    if spec is None:
        save_pairing({side: sensor.address for side, sensor in source.sensors.items()})
    return 0


def run_live_session(source: CollectorSource, subtitle: str, args: argparse.Namespace) -> None:
    """Run ``source`` through a live session and view (``args.headless``, ``args.duration``,
    ``args.placement``), then print the summary, write ``args.json`` and name the recording.

    Raises:
        AnkletError: the source failed (sensor not found, Bluetooth off...).
        InsufficientDataError: too little was streamed to analyse.
    """
    from anklet.cli._output import print_analysis
    from anklet.live.app import run_session
    from anklet.live.session import LiveSession

    session = LiveSession(source, placement=args.placement)
    source.keep_markers(lambda: session.snapshot().markers)
    result = run_session(session, subtitle, headless=args.headless, duration_s=args.duration, out=sys.stdout)
    if source.recording_path is not None:
        result.document["input"] = {"recording": str(source.recording_path)}
    print_analysis(result, args.json)
    if source.recording_path is not None:
        print(f"saved {source.recording_path}")
