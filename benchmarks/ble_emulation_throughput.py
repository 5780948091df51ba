"""Throughput of the emulated BLE path: two Bumble peripherals -> virtual link -> bleak.

Each peripheral streams IMU-like packets (``--packet-bytes`` bytes, i.e.
packet_bytes / sample_bytes samples of ``--sample-bytes`` bytes) at the rate
``--sampling-rate-hz`` needs, bunched into connection events, for
``--duration-s`` seconds. One central receives both streams through
``BleakClient(..., backend=BleakClientBumble)`` and checks that every packet
arrived, in order and bit-exact. Prints notifications/s and the process CPU
time per wall second.

With ``--anklet``: two :class:`EmulatedAnkletSensor` play a motion, the host
writes the anklet start commands, collects and decodes every notification and
checks the sequence counters for gaps.

Run: .venv/bin/python benchmarks/ble_emulation_throughput.py [--duration-s 10] [--packet-bytes 240] [--anklet]
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Callable

import numpy as np
from bleak import BleakClient, BleakScanner
from bleak.backends.characteristic import BleakGATTCharacteristic

from anklet.imu import ImuData
from anklet.sensors.anklet import AnkletProtocol
from anklet.sensors.emulated import (
    BleakClientBumble,
    BleakScannerBumble,
    CharacteristicSpec,
    ConnectionTiming,
    EmulatedAnkletSensor,
    PeripheralProfile,
    ServiceSpec,
    VirtualRadio,
    stream_notifications,
)

SERVICE_UUID = "e1acfdcd-34bd-489f-afd3-f1ccd4a4dee8"
DATA_UUID = "a0efc469-1811-49e4-b77a-301c23c813fb"


def profile(name: str) -> PeripheralProfile:
    """A one-characteristic streaming profile."""
    return PeripheralProfile(
        name,
        (ServiceSpec(SERVICE_UUID, (CharacteristicSpec(DATA_UUID, frozenset({"notify"})),)),),
        advertised_service_uuids=(SERVICE_UUID,),
    )


def make_packets(count: int, packet_bytes: int, seed: int) -> list[bytes]:
    """``count`` random payloads of ``packet_bytes`` bytes."""
    data = np.random.default_rng(seed).integers(0, 256, (count, packet_bytes), dtype=np.uint8)
    return [row.tobytes() for row in data]


def collector(store: list[bytes]) -> Callable[[BleakGATTCharacteristic, bytearray], None]:
    """A notification callback appending each payload to ``store``."""

    def on_data(_characteristic: BleakGATTCharacteristic, data: bytearray) -> None:
        store.append(bytes(data))

    return on_data


async def run(args: argparse.Namespace) -> None:
    samples_per_packet = args.packet_bytes // args.sample_bytes
    packet_rate_hz = args.sampling_rate_hz / samples_per_packet
    count = round(packet_rate_hz * args.duration_s)
    timing = ConnectionTiming(interval_s=args.interval_s, max_notifications_per_event=args.per_event)
    sides = ("left", "right")
    sent = {side: make_packets(count, args.packet_bytes, seed) for seed, side in enumerate(sides)}
    received: dict[str, list[bytes]] = {side: [] for side in sides}

    async with VirtualRadio() as radio:
        peripherals = {side: await radio.add_peripheral(profile(f"bench-{side[0].upper()}")) for side in sides}
        found = await BleakScanner.discover(0.2, return_adv=True, backend=BleakScannerBumble)
        clients = {side: BleakClient(found[peripherals[side].address][0], backend=BleakClientBumble) for side in sides}
        for side in sides:
            await clients[side].connect()
            await clients[side].start_notify(DATA_UUID, collector(received[side]))
        wall_start_s, cpu_start_s = time.perf_counter(), time.process_time()
        await asyncio.gather(
            *(stream_notifications(peripherals[s], DATA_UUID, sent[s], packet_rate_hz, timing) for s in sides)
        )
        async with asyncio.timeout(5.0):
            while any(len(received[s]) < count for s in sides):
                await asyncio.sleep(0.01)
        wall_s, cpu_s = time.perf_counter() - wall_start_s, time.process_time() - cpu_start_s
        for side in sides:
            await clients[side].disconnect()

    total = sum(len(received[s]) for s in sides)
    print(f"packets: {args.packet_bytes} B = {samples_per_packet} samples x {args.sample_bytes} B at "
          f"{args.sampling_rate_hz:g} Hz -> {packet_rate_hz:g} notifications/s per sensor, "
          f"connection interval {timing.interval_s * 1000:g} ms, <= {timing.max_notifications_per_event}/event")
    for side in sides:
        lost = count - len(received[side])
        exact = received[side] == sent[side]
        print(f"{side:>5}: sent {count}, received {len(received[side])}, lost {lost}, in order and bit-exact: {exact}")
    print(f"wall {wall_s:.2f} s, received {total / wall_s:.1f} notifications/s "
          f"({total * args.packet_bytes / wall_s / 1000:.1f} kB/s), "
          f"CPU {cpu_s:.2f} s = {100 * cpu_s / wall_s:.1f} % of one core")


def walking_like_motion(duration_s: float) -> ImuData:
    """A 1 Hz stride-like motion at 1000 Hz for the protocol benchmark (content is irrelevant here)."""
    time_s = np.arange(0.0, duration_s, 0.001)
    phase = 2 * np.pi * time_s
    acc = np.column_stack([20 * np.sin(phase), 5 * np.cos(3 * phase), 9.81 + 10 * np.sin(2 * phase)])
    gyr = np.column_stack([300 * np.sin(phase), 50 * np.cos(phase), 20 * np.sin(5 * phase)])
    return ImuData(time_s, acc, gyr, "benchmark")


async def run_anklet(args: argparse.Namespace) -> None:
    """Two emulated anklet sensors at ``--sampling-rate-hz``, started, collected and decoded by the host."""
    host = AnkletProtocol()
    timing = ConnectionTiming(interval_s=args.interval_s, max_notifications_per_event=args.per_event)
    sides = ("left", "right")
    received: dict[str, list[bytes]] = {side: [] for side in sides}
    async with VirtualRadio() as radio:
        motion = walking_like_motion(4.0)
        sensors = {
            side: await EmulatedAnkletSensor.add_to(radio, f"anklet-{side[0].upper()}", motion, timing=timing)
            for side in sides
        }
        clients = {side: BleakClient(sensors[side].peripheral.address, backend=BleakClientBumble) for side in sides}
        for side in sides:
            await clients[side].connect()
            await clients[side].start_notify(host.data_characteristic_uuid, collector(received[side]))
        wall_start_s, cpu_start_s = time.perf_counter(), time.process_time()
        for side in sides:
            for char_uuid, command in host.start_commands(args.sampling_rate_hz, 16.0, 2000.0):
                await clients[side].write_gatt_char(char_uuid, command, response=True)
        await asyncio.sleep(args.duration_s)
        for side in sides:
            for char_uuid, command in host.stop_commands():
                await clients[side].write_gatt_char(char_uuid, command, response=True)
        decoded = {side: [host.new_decoder(args.sampling_rate_hz).decode(p) for p in received[side]] for side in sides}
        wall_s, cpu_s = time.perf_counter() - wall_start_s, time.process_time() - cpu_start_s
        for side in sides:
            await clients[side].disconnect()

    print(f"anklet protocol, {args.sampling_rate_hz:g} Hz, two sensors, {args.duration_s:g} s, "
          f"connection interval {timing.interval_s * 1000:g} ms, <= {timing.max_notifications_per_event}/event")
    for side in sides:
        sequences = np.array([p.sequence for p in decoded[side]])
        samples = sum(len(p) for p in decoded[side])
        gaps = int(np.count_nonzero(np.diff(sequences) != 1))
        print(f"{side:>5}: {len(sequences)} notifications, {samples} samples "
              f"({samples / args.duration_s:.0f} samples/s), sequence gaps {gaps}")
    print(f"CPU incl. decoding {cpu_s:.2f} s over {wall_s:.2f} s = {100 * cpu_s / wall_s:.1f} % of one core")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration-s", type=float, default=10.0)
    parser.add_argument("--sampling-rate-hz", type=float, default=1000.0)
    parser.add_argument("--sample-bytes", type=int, default=12)
    parser.add_argument("--packet-bytes", type=int, default=240)
    parser.add_argument("--interval-s", type=float, default=0.015)
    parser.add_argument("--per-event", type=int, default=6)
    parser.add_argument(
        "--anklet", action="store_true", help="stream two EmulatedAnkletSensor and decode with AnkletProtocol"
    )
    args = parser.parse_args()
    asyncio.run(run_anklet(args) if args.anklet else run(args))


if __name__ == "__main__":
    main()
