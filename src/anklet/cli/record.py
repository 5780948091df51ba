"""``anklet record``: stream two sensors into a crash-safe ``.anklet`` recording.

Real sensors: ``anklet record --left ADDR --right ADDR [--protocol P] [--rate HZ]
[--duration S] [-o FILE] [--subject-id ID] [--activity TEXT]`` (addresses
default to the last pair recorded). Emulated sensors: ``anklet record
--simulate [--protocol P] [--asymmetry PCT] [--duration S] [-o FILE]`` plus
optional faults. Stops on Ctrl-C (SIGINT), SIGTERM or after ``--duration``;
the file is finalised either way.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import asyncio

    from anklet.collector import CollectorSession, FoundSensor
    from anklet.collector.simulated import SimulatedPair, SimulationSpec
    from anklet.imu import Side
    from anklet.recording import RecordingWriter

PROTOCOL_CHOICES = ("anklet", "movesense", "polar_pmd", "witmotion")
#: Progress line period on a terminal / in a log (not a terminal), s.
PROGRESS_TTY_S = 0.5
PROGRESS_LOG_S = 5.0


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``record`` sub-command."""
    parser = sub.add_parser("record", help="record two sensors into an .anklet file")
    parser.add_argument(
        "--left",
        metavar="ADDR",
        help="left sensor's address (default: the last pair recorded)",
    )
    parser.add_argument(
        "--right",
        metavar="ADDR",
        help="right sensor's address (default: the last pair recorded)",
    )
    parser.add_argument(
        "--protocol",
        choices=PROTOCOL_CHOICES,
        help="expected sensor protocol (simulate: anklet)",
    )
    parser.add_argument(
        "--rate",
        type=float,
        metavar="HZ",
        help="sampling rate (default: the supported rate nearest 200 Hz)",
    )
    parser.add_argument(
        "--duration",
        type=float,
        metavar="S",
        help="stop after S seconds (default: Ctrl-C)",
    )
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="recording to create (default: recording-<time>.anklet)",
    )
    parser.add_argument("--overwrite", action="store_true", help="replace an existing output file")
    parser.add_argument(
        "--subject-id",
        default="",
        metavar="ID",
        help="anonymous subject code (never a name)",
    )
    parser.add_argument("--activity", default="", metavar="TEXT", help="what the subject does")
    simulated = parser.add_argument_group("emulated sensors")
    simulated.add_argument(
        "--simulate",
        action="store_true",
        help="record two emulated sensors playing synthetic gait",
    )
    simulated.add_argument(
        "--asymmetry",
        type=float,
        default=0.0,
        metavar="PCT",
        help="imposed swing-time asymmetry, right minus left, %%",
    )
    simulated.add_argument("--seed", type=int, default=0, help="simulation seed")
    simulated.add_argument("--drift-ppm", type=float, default=0.0, help="right sensor clock drift, ppm")
    simulated.add_argument("--offset-ms", type=float, default=0.0, help="right sensor clock offset, ms")
    simulated.add_argument("--drop-at", type=float, metavar="S", help="lose 5 left notifications at S s")
    simulated.add_argument(
        "--disconnect-at",
        type=float,
        metavar="S",
        help="disconnect the right sensor at S s",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Record until Ctrl-C or ``--duration``; print a progress line and a summary.

    Raises:
        AnkletError: bad options, a sensor not found or not supported, an
            unsupported rate (the message lists the choices), an existing output file.
    """
    import asyncio

    from anklet.errors import AnkletError

    if args.duration is not None and args.duration <= 0:
        raise AnkletError(f"--duration {args.duration:g}: give a positive number of seconds")
    if not args.simulate and any(
        v not in (None, 0.0) for v in (args.drift_ppm, args.offset_ms, args.drop_at, args.disconnect_at)
    ):
        raise AnkletError("--drift-ppm, --offset-ms, --drop-at and --disconnect-at need --simulate")
    return asyncio.run(_record(args))


def _simulation_spec(args: argparse.Namespace) -> SimulationSpec:
    from anklet.collector.simulated import (
        Drop,
        Outage,
        SimulationFaults,
        SimulationSpec,
    )

    faults = SimulationFaults(
        drift_ppm=args.drift_ppm,
        offset_s=args.offset_ms * 1e-3,
        drops=() if args.drop_at is None else (Drop("left", args.drop_at, 5),),
        outages=() if args.disconnect_at is None else (Outage("right", args.disconnect_at),),
    )
    return SimulationSpec(
        protocol=args.protocol or "anklet",
        asymmetry_pct=args.asymmetry,
        seed=args.seed,
        faults=faults,
    )


async def _record(args: argparse.Namespace) -> int:
    from anklet.collector.pairing import pair_addresses
    from anklet.collector.scan import find_pair
    from anklet.collector.simulated import SimulatedPair

    if not args.simulate:
        found = await find_pair(pair_addresses(args.left, args.right), args.protocol)
        return await _record_sensors(args, found, None)
    async with SimulatedPair(_simulation_spec(args)) as pair:
        addresses = {side: sensor.peripheral.address for side, sensor in pair.sensors.items()}
        return await _record_sensors(args, await find_pair(addresses), pair)


async def _record_sensors(args: argparse.Namespace, found: dict[Side, FoundSensor], pair: SimulatedPair | None) -> int:
    import asyncio
    import signal
    import time
    from datetime import UTC, datetime

    from anklet.collector import CollectorSession, StreamSettings
    from anklet.collector.pairing import save_pairing
    from anklet.recording import RecordingWriter, SensorInfo, SessionMetadata

    protocol = found["left"].protocol
    settings = StreamSettings.for_protocol(protocol, args.rate)
    start_monotonic_s, start_time_utc = time.monotonic(), datetime.now(UTC)
    output = args.output or Path(f"recording-{start_time_utc.astimezone():%Y%m%d-%H%M%S}.anklet")
    sensor_config = {
        "sampling_rate_hz": settings.sampling_rate_hz,
        "acc_range_g": settings.acc_range_g,
        "gyr_range_dps": settings.gyr_range_dps,
    }
    session_config = {
        "command": "record",
        "simulate": bool(args.simulate),
        "duration_s": args.duration,
    }
    if args.simulate:
        session_config |= {"asymmetry_pct": args.asymmetry, "seed": args.seed}
    metadata = SessionMetadata(
        subject_id=args.subject_id,
        activity=args.activity,
        start_time_utc=start_time_utc,
        config=session_config,
    )
    infos = {side: SensorInfo(s.address, s.name, s.protocol.name, "", sensor_config) for side, s in found.items()}
    with RecordingWriter(output, metadata, infos, overwrite=args.overwrite) as writer:
        session = CollectorSession(
            found,
            dict.fromkeys(found, settings),
            writer=writer,
            start_monotonic_s=start_monotonic_s,
            start_time_utc=start_time_utc,
        )
        if pair is not None:
            pair.inject_faults(session.now_s)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        progress = asyncio.ensure_future(_show_progress(session))
        stop_markers = _take_markers(loop, session, writer)
        print(
            f"recording {protocol.name} at {settings.sampling_rate_hz:g} Hz to {output}; "
            "type a note and Enter to add a marker; Ctrl-C stops",
            file=sys.stderr,
            flush=True,
        )
        try:
            await session.run(stop, args.duration)
        finally:
            progress.cancel()
            stop_markers()
            for signum in (signal.SIGINT, signal.SIGTERM):
                loop.remove_signal_handler(signum)
    print(("\r" if sys.stderr.isatty() else "") + progress_line(session), file=sys.stderr)
    print(f"saved {output}")
    if pair is None:
        save_pairing({side: s.address for side, s in found.items()})
    return 0


def _take_markers(
    loop: asyncio.AbstractEventLoop, session: CollectorSession, writer: RecordingWriter
) -> Callable[[], None]:
    """Store each line read from standard input as a marker at the session time it arrived.

    Reading stops at end of input (e.g. no terminal). Returns the function that stops it.
    Where the platform cannot watch standard input from the event loop (Windows), no
    markers are taken.
    """
    if sys.stdin is None or sys.stdin.closed:
        return lambda: None
    fd = sys.stdin.fileno()

    def on_line() -> None:
        line = sys.stdin.readline()
        if not line:
            loop.remove_reader(fd)
            return
        if line.strip():
            time_s = session.now_s()
            writer.add_marker(time_s, line.strip())
            print(f"marker at {time_s:.1f} s: {line.strip()}", file=sys.stderr, flush=True)

    try:
        loop.add_reader(fd, on_line)
    except (NotImplementedError, OSError, ValueError):
        return lambda: None
    return lambda: loop.remove_reader(fd)


def progress_line(session: CollectorSession) -> str:
    """``elapsed | L samples loss battery | R ...`` for one status snapshot."""
    parts = [f"{session.now_s():7.1f} s"]
    for side, status in session.status().items():
        battery = "--" if status.battery_pct is None else f"{status.battery_pct}%"
        state = "" if status.connected else " (disconnected)"
        parts.append(f"{side[0].upper()} {status.samples:7d} samples {status.loss_pct:5.2f}% lost bat {battery}{state}")
    return " | ".join(parts)


async def _show_progress(session: CollectorSession) -> None:
    import asyncio

    tty = sys.stderr.isatty()
    while True:
        await asyncio.sleep(PROGRESS_TTY_S if tty else PROGRESS_LOG_S)
        print(
            ("\r" if tty else "") + progress_line(session),
            end="" if tty else "\n",
            file=sys.stderr,
            flush=True,
        )
