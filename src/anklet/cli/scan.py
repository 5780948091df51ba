"""``anklet scan``: list the supported sensors in range (name, address, protocol, RSSI)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from anklet.collector import FoundSensor


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``scan`` sub-command."""
    parser = sub.add_parser("scan", help="list the supported BLE sensors in range")
    parser.add_argument(
        "--timeout",
        type=float,
        default=5.0,
        metavar="S",
        help="scan duration, s (default 5)",
    )
    parser.add_argument(
        "--simulate",
        action="store_true",
        help="scan a pair of emulated sensors instead of the radio",
    )
    parser.add_argument(
        "--protocol",
        default="anklet",
        choices=("anklet", "movesense", "polar_pmd", "witmotion"),
        help="protocol of the emulated sensors with --simulate (default anklet)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Scan and print one line per supported sensor, strongest first.

    Raises:
        AnkletError: Bluetooth is unavailable, or the timeout is not positive.
    """
    import asyncio

    from anklet.errors import AnkletError

    if args.timeout <= 0:
        raise AnkletError(f"--timeout {args.timeout:g}: give a positive number of seconds")
    found = asyncio.run(_scan(args))
    if not found:
        print(f"no supported sensor found in {args.timeout:g} s; switch the sensors on (and off their phone app)")
        return 1
    print(f"{'name':24} {'address':38} {'protocol':10} RSSI")
    for sensor in found:
        print(f"{sensor.name:24} {sensor.address:38} {sensor.protocol.name:10} {sensor.rssi_dbm} dBm")
    return 0


async def _scan(args: argparse.Namespace) -> list[FoundSensor]:
    from anklet.collector import scan_sensors
    from anklet.collector.simulated import SimulatedPair, SimulationSpec

    if not args.simulate:
        return await scan_sensors(args.timeout)
    async with SimulatedPair(SimulationSpec(protocol=args.protocol, gait_duration_s=10.0)):
        return await scan_sensors(args.timeout)
