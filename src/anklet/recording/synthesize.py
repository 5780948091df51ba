"""Synthetic ``.anklet`` recordings: IMU samples encoded as a sensor family's real
notification payloads, with realistic arrival times, written by the real
:class:`~anklet.recording.RecordingWriter`. A fast, BLE-free way to make
recordings for tests of decoding, reports, exports and replay.

Timing model, per side:

* sensor clock: ``session_time_s = clock_offset_s + sensor_time_s * (1 + clock_drift_ppm * 1e-6)``
  (the :class:`~anklet.recording.ClockModel` convention), so sample times
  given on the session timeline are stamped ``(time_s - offset) / (1 + drift)``;
* a packet is ready when its last sample is taken; the radio sends it at the
  next connection event (a grid of ``connection_interval_s`` with a random
  phase per link, Core Spec v5.4, Vol 6, Part B, 4.5.1), so packets that became
  ready between two events arrive together (bunching);
* the host adds a one-sided random delay (exponential, mean ``latency_s``);
  notifications of one link arrive in order.

Packetisation follows each family's peripheral: anklet as many samples as fit
one 247-byte-MTU notification, Movesense and Polar as their emulators
(:mod:`anklet.sensors.emulated`), WitMotion one sample per notification.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np

from anklet.imu import SIDES, ImuData, Side
from anklet.recording.model import SensorInfo, SessionMetadata
from anklet.recording.writer import RecordingWriter
from anklet.sensors import anklet as anklet_protocol
from anklet.sensors import movesense, polar_pmd, witmotion
from anklet.sensors.base import SensorConfigError
from anklet.sensors.registry import get_protocol
from anklet.timing.sampling_rate import infer_sampling_rate_hz

#: Polar sensor time counts ns since 2000-01-01; a powered-on sensor reads about 2026 (s).
POLAR_CLOCK_BASE_S = 820_540_800.0
#: Default sensor clocks: uptime at session start and drift drawn uniformly from these ranges.
DEFAULT_UPTIME_RANGE_S = (10.0, 3600.0)
DEFAULT_DRIFT_RANGE_PPM = (-50.0, 50.0)
_ADDRESSES: dict[Side, str] = {"left": "5E:00:00:00:00:01", "right": "5E:00:00:00:00:02"}

#: (notifications per packet, response payloads) for one side's samples.
_Encoded = tuple[list[list[bytes]], list[bytes]]


def write_synthetic_recording(
    path: str | Path,
    imu: Mapping[Side, ImuData],
    *,
    protocol: str = "anklet",
    sampling_rate_hz: float | None = None,
    metadata: SessionMetadata | None = None,
    clock_offset_s: Mapping[Side, float] | None = None,
    clock_drift_ppm: Mapping[Side, float] | None = None,
    drop_packets_fraction: float = 0.0,
    seed: int = 0,
    latency_s: float = 0.002,
    connection_interval_s: float = 0.0075,
    overwrite: bool = False,
) -> Path:
    """Write ``imu`` as a complete ``.anklet`` recording of ``protocol`` sensors.

    Args:
        path: the file to write (suffix ``.anklet``).
        imu: per side, samples with ``time_s`` = when each was taken, session
            seconds; sampled at ``sampling_rate_hz`` (gaps allowed: lost samples).
        protocol: "anklet", "movesense", "polar_pmd" or "witmotion".
        sampling_rate_hz: a rate the protocol supports; default: the supported
            rate nearest to the rate of the data (within 2 %).
        metadata: session metadata; default: activity "synthetic".
        clock_offset_s, clock_drift_ppm: per side sensor clock (see the module
            docstring); default: drawn from ``seed`` (uptime 10 s..1 h,
            drift +-50 ppm; Polar clocks read calendar time since 2000).
        drop_packets_fraction: fraction of packets lost on the link (never written).
        seed: seed of every random choice (same seed, same file contents).
        latency_s: mean host delay after the connection event, s (> 0).
        connection_interval_s: BLE connection interval, s (7.5 ms .. 4 s).
        overwrite: replace an existing file.

    Returns:
        ``path`` as a Path. No clock model is stored (as after a crash): the
        decoder fits it.

    Raises:
        SensorConfigError: unknown protocol, unsupported rate, or data not
            sampled at the rate.
        ValueError: ``imu`` is empty, or a fraction/latency/interval is out of range.
        RecordingError: the file exists (without ``overwrite``) or cannot be written.
    """
    if not imu:
        raise ValueError("imu must hold at least one side")
    if not 0.0 <= drop_packets_fraction < 1.0 or not latency_s > 0.0 or not 0.0075 <= connection_interval_s <= 4.0:
        raise ValueError(
            "drop_packets_fraction must be in [0, 1), latency_s > 0 and connection_interval_s in [0.0075, 4] s"
        )
    family = get_protocol(protocol)
    sides = [side for side in SIDES if side in imu]
    rate_hz = _rate(family.supported_rates_hz, imu, sampling_rate_hz)
    acc_range_g, gyr_range_dps = max(family.supported_acc_ranges_g), max(family.supported_gyr_ranges_dps)
    rng = np.random.default_rng(seed)
    sensors = {
        side: SensorInfo(
            _ADDRESSES[side],
            f"{family.advertised_name_prefixes[0]} synthetic {side}",
            family.name,
            "synthetic",
            {"sampling_rate_hz": rate_hz, "acc_range_g": acc_range_g, "gyr_range_dps": gyr_range_dps},
        )
        for side in sides
    }
    rows: list[tuple[float, int, Side, bytes, str | None]] = []
    connected_s: dict[Side, float] = {}
    for order, side in enumerate(sides):
        data = imu[side]
        offset_s = _choice(clock_offset_s, side, -(rng.uniform(*DEFAULT_UPTIME_RANGE_S) + _clock_base_s(protocol)))
        drift_ppm = _choice(clock_drift_ppm, side, rng.uniform(*DEFAULT_DRIFT_RANGE_PPM))
        sensor_s = (data.time_s - offset_s) / (1.0 + drift_ppm * 1e-6)
        packets = _packet_indices(data.time_s, rate_hz, _samples_per_packet(protocol, rate_hz))
        notifications, responses = _ENCODERS[protocol](data, sensor_s, packets, rate_hz, acc_range_g, gyr_range_dps)
        ready_s = np.array([data.time_s[p[-1]] for p in packets])
        kept = rng.random(len(packets)) >= drop_packets_fraction
        arrival_s = _arrivals(ready_s, [len(n) for n in notifications], latency_s, connection_interval_s, rng)
        connected_s[side] = float(data.time_s[0]) - 0.1
        for k, payload in enumerate(responses):
            rows.append((connected_s[side] + 0.001 * (k + 1), order, side, payload, polar_pmd.PMD_CONTROL_POINT_UUID))
        flat = [(p, payload) for p, group in enumerate(notifications) for payload in group]
        rows.extend(
            (float(t), order, side, payload, None)
            for t, (p, payload) in zip(arrival_s, flat, strict=True)
            if kept[p]
        )
    rows.sort(key=lambda row: (row[0], row[1]))
    with RecordingWriter(path, metadata or SessionMetadata(activity="synthetic"), sensors, overwrite=overwrite) as out:
        for side in sides:
            out.add_connection_event(side, connected_s[side], "connected", "synthetic")
        for time_s, _, side, payload, uuid in rows:
            out.add_packet(side, time_s, payload, characteristic_uuid=uuid)
    return Path(path)


def _choice(values: Mapping[Side, float] | None, side: Side, default: float) -> float:
    """The caller's value for ``side``, else ``default`` (drawn either way, so the
    random stream does not depend on which values were given)."""
    return float(values[side]) if values is not None and side in values else default


def _clock_base_s(protocol: str) -> float:
    return POLAR_CLOCK_BASE_S if protocol == polar_pmd.NAME else 0.0


def _rate(supported_hz: tuple[float, ...], imu: Mapping[Side, ImuData], requested_hz: float | None) -> float:
    """The sampling rate to announce; every side's data must be sampled at it (2 %)."""
    measured = {side: infer_sampling_rate_hz(data.time_s) for side, data in imu.items()}
    rate_hz = requested_hz
    if rate_hz is None:
        first = next(iter(measured.values()))
        rate_hz = min(supported_hz, key=lambda r: abs(r - first))
    if not any(np.isclose(rate_hz, r) for r in supported_hz):
        raise SensorConfigError(f"sampling rate {rate_hz:g} Hz is not supported; choose one of {supported_hz}")
    for side, hz in measured.items():
        if abs(hz / rate_hz - 1.0) > 0.02:
            raise SensorConfigError(
                f"imu[{side!r}] is sampled at {hz:.4g} Hz, not at the protocol rate {rate_hz:g} Hz; "
                "simulate or resample at a rate the protocol supports"
            )
    return float(rate_hz)


def _samples_per_packet(protocol: str, rate_hz: float) -> int:
    if protocol == anklet_protocol.NAME:
        return anklet_protocol.samples_per_notification(anklet_protocol.DEFAULT_ATT_MTU)
    if protocol == movesense.NAME:
        from anklet.sensors.emulated.movesense_sensor import samples_per_message

        return samples_per_message(rate_hz, anklet_protocol.DEFAULT_ATT_MTU)
    if protocol == polar_pmd.NAME:
        from anklet.sensors.emulated.polar_sensor import samples_per_frame

        return samples_per_frame(rate_hz, anklet_protocol.DEFAULT_ATT_MTU)
    return 1


def _packet_indices(time_s: np.ndarray, rate_hz: float, per_packet: int) -> list[np.ndarray]:
    """Sample indices of each packet: runs of consecutive samples (split at gaps), ``per_packet`` at a time."""
    n = time_s.size
    new_run = np.concatenate([[True], np.diff(time_s) > 1.5 / rate_hz])
    run_start = np.maximum.accumulate(np.where(new_run, np.arange(n), 0))
    starts = np.flatnonzero(new_run | ((np.arange(n) - run_start) % per_packet == 0))
    return np.split(np.arange(n), starts[1:])


def _arrivals(
    ready_s: np.ndarray, notifications: list[int], latency_s: float, interval_s: float, rng: np.random.Generator
) -> np.ndarray:
    """Arrival time of every notification (packets in order, each ``notifications[k]`` long)."""
    phase_s = interval_s * rng.random()
    event_s = phase_s + np.ceil((ready_s - phase_s) / interval_s) * interval_s
    per_notification = np.repeat(event_s, notifications)
    return np.maximum.accumulate(per_notification + rng.exponential(latency_s, per_notification.size))


def _encode_anklet(
    data: ImuData, sensor_s: np.ndarray, packets: list[np.ndarray], rate_hz: float, acc_g: float, gyr_dps: float
) -> _Encoded:
    period_us = round(1e6 / rate_hz)
    payloads = [
        [
            anklet_protocol.encode_packet(
                data.acc_mps2[p],
                data.gyr_dps[p],
                sequence=k,
                timestamp_us=round(sensor_s[p[0]] * 1e6),
                sample_period_us=period_us,
                acc_range_g=acc_g,
                gyr_range_dps=gyr_dps,
            )
        ]
        for k, p in enumerate(packets)
    ]
    return payloads, []


def _encode_movesense(
    data: ImuData, sensor_s: np.ndarray, packets: list[np.ndarray], rate_hz: float, acc_g: float, gyr_dps: float
) -> _Encoded:
    payloads = [
        movesense.encode_data_notifications(
            movesense.IMU_REFERENCE,
            movesense.encode_imu6_message(round(sensor_s[p[0]] * 1e3), data.acc_mps2[p], data.gyr_dps[p]),
        )
        for p in packets
    ]
    return payloads, []


def _encode_polar(
    data: ImuData, sensor_s: np.ndarray, packets: list[np.ndarray], rate_hz: float, acc_g: float, gyr_dps: float
) -> _Encoded:
    from anklet.sensors.emulated.polar_sensor import factor_for, to_counts

    streams = [
        (polar_pmd.MEASUREMENT_ACC, data.acc_mps2, factor_for(polar_pmd.MEASUREMENT_ACC, acc_g)),
        (polar_pmd.MEASUREMENT_GYRO, data.gyr_dps, factor_for(polar_pmd.MEASUREMENT_GYRO, gyr_dps)),
    ]
    counts = [(kind, to_counts(values, kind, factor)) for kind, values, factor in streams]
    payloads = [
        [polar_pmd.encode_delta_frame(kind, round(sensor_s[p[-1]] * 1e9), c[p]) for kind, c in counts] for p in packets
    ]
    responses = [polar_pmd.encode_control_response(polar_pmd.OP_START, polar_pmd.MEASUREMENT_SDK_MODE)] + [
        polar_pmd.encode_control_response(polar_pmd.OP_START, kind, factor=factor) for kind, _, factor in streams
    ]
    return payloads, responses


def _encode_witmotion(
    data: ImuData, sensor_s: np.ndarray, packets: list[np.ndarray], rate_hz: float, acc_g: float, gyr_dps: float
) -> _Encoded:
    frames = witmotion.encode_packet(data.acc_mps2, data.gyr_dps)
    size = witmotion.PACKET_SIZE
    return [[frames[p[0] * size : (p[-1] + 1) * size]] for p in packets], []


_ENCODERS: dict[str, Callable[..., _Encoded]] = {
    anklet_protocol.NAME: _encode_anklet,
    movesense.NAME: _encode_movesense,
    polar_pmd.NAME: _encode_polar,
    witmotion.NAME: _encode_witmotion,
}
