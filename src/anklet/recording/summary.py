"""Human-readable summary of a recording, printed by ``anklet info FILE``."""

from __future__ import annotations

import numpy as np

from anklet.recording.reader import Recording

#: An inter-arrival interval longer than this counts as a gap (BLE connection
#: intervals are 7.5 ms to 4 s by spec, but sensors streaming IMU data use <= 50 ms).
DEFAULT_GAP_THRESHOLD_S = 0.5


def arrival_gaps(arrival_time_s: np.ndarray, gap_threshold_s: float = DEFAULT_GAP_THRESHOLD_S) -> np.ndarray:
    """Lengths (seconds) of the inter-arrival intervals longer than ``gap_threshold_s``.

    Args:
        arrival_time_s: (n,) packet arrival times in seconds, non-decreasing.
        gap_threshold_s: shortest interval reported as a gap, seconds.

    Raises:
        ValueError: if ``arrival_time_s`` is not one-dimensional.
    """
    if arrival_time_s.ndim != 1:
        raise ValueError("arrival_time_s must be one-dimensional")
    intervals_s = np.diff(arrival_time_s)
    return intervals_s[intervals_s > gap_threshold_s]


def summarize(recording: Recording, *, gap_threshold_s: float = DEFAULT_GAP_THRESHOLD_S) -> str:
    """A multi-line plain-text summary: subject, start time, duration, per side
    sensor/protocol/packets/bytes/packet rate/gaps/connection events, markers,
    completeness, damage and versions. Times in seconds, rates in packets/s.

    Args:
        recording: an opened recording.
        gap_threshold_s: shortest packet inter-arrival interval counted as a gap, seconds.
    """
    meta = recording.metadata
    start = meta.start_time_utc.isoformat(timespec="seconds") if meta.start_time_utc else "unknown"
    lines = [
        f"file:        {recording.path}",
        f"status:      {'complete' if recording.complete else 'INCOMPLETE (writer did not finish)'}",
        f"subject:     {meta.subject_id or '-'}",
        f"activity:    {meta.activity or '-'}",
        f"start (UTC): {start}",
        f"duration:    {recording.duration_s:.1f} s",
    ]
    if meta.notes:
        lines.append(f"notes:       {meta.notes}")
    for side in recording.sides:
        sensor = recording.sensors.get(side)
        times_s, _ = recording.packets(side)
        n_packets = len(times_s)
        span_s = float(times_s[-1] - times_s[0]) if n_packets > 1 else 0.0
        rate = f"{(n_packets - 1) / span_s:.1f} packets/s" if span_s > 0 else "-"
        gaps_s = arrival_gaps(times_s, gap_threshold_s)
        events = [e for e in recording.connection_events if e.side == side]
        disconnects = sum(e.kind == "disconnected" for e in events)
        lines.append(f"{side}:")
        if sensor is None:
            lines.append("  sensor:    unknown (sensor record lost)")
        else:
            firmware = f", firmware {sensor.firmware_version}" if sensor.firmware_version else ""
            lines.append(f"  sensor:    {sensor.name} [{sensor.address}]{firmware}")
            lines.append(f"  protocol:  {sensor.protocol}")
        lines.append(f"  packets:   {n_packets} ({recording.byte_count(side)} bytes), {rate}")
        lines.append(
            f"  gaps:      {len(gaps_s)} > {gap_threshold_s:g} s"
            + (f" (total {gaps_s.sum():.1f} s, longest {gaps_s.max():.1f} s)" if len(gaps_s) else "")
        )
        lines.append(f"  link:      {len(events)} connection events, {disconnects} disconnects")
        clock = recording.clock_models.get(side)
        if clock is not None:
            lines.append(
                f"  clock:     offset {clock.offset_s:.6f} s, drift {clock.drift_ppm:.1f} ppm, "
                f"residual {clock.residual_s * 1e3:.2f} ms"
            )
    lines.append(f"markers:     {len(recording.markers)}")
    lines.extend(f"  {m.time_s:9.2f} s  {m.text}" for m in recording.markers)
    for damage in recording.damage:
        lines.append(f"DAMAGED:     {damage.describe()}")
    lines.append(
        f"written by:  anklet {recording.anklet_version or 'unknown'}, format {recording.format_version}"
    )
    return "\n".join(lines)
