"""Decode a recording's raw packets into IMU samples of both legs on one session
timeline, with per-side stream quality (docs/recording-format.md, "Decoding";
clock alignment: docs/clock-alignment.md).

Steps per side: feed every packet in arrival order to the side's
:class:`~anklet.recording.side_decoder.SideDecoder` (the same per-side core the
live collector uses: a new protocol decoder at each "connected"/"reconnected"
event, responses, corrupt packets, timestamp unwrapping, clock segments, lost
samples, clock points), map each clock segment onto the session timeline with
its clock model (the file's, or the lower-envelope fit of arrival vs sensor
time), then find the gaps left by lost samples.
"""

from __future__ import annotations

import warnings
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from anklet.errors import RecordingError
from anklet.imu import SIDES, ImuData, Side
from anklet.recording.model import ClockModel, Packet, SensorInfo
from anklet.recording.reader import Recording, RecordingWarning
from anklet.recording.side_decoder import DecodedChunk, SideDecoder
from anklet.sensors.base import SensorConfigError, SensorProtocol
from anklet.sensors.registry import get_protocol

#: Consecutive samples further apart than this many nominal periods bound a gap.
GAP_FACTOR = 1.5
_RECONNECTION_KINDS = ("connected", "reconnected")


@dataclass(frozen=True)
class StreamQuality:
    """How complete and well-timed one side's decoded stream is.

    Attributes:
        protocol: the sensor protocol name.
        sampling_rate_hz: expected rate from the sensor configuration, Hz.
        packets: data packets in the file.
        corrupt_packets: packets (data or response) whose decoding raised
            DecodeError; skipped.
        samples_decoded: samples on the timeline.
        samples_lost: samples known lost: sensor-time jumps within a clock
            segment, arrival-time estimates across a new segment (see
            :mod:`anklet.recording.side_decoder`); for sensors without
            timestamps (WitMotion) only losses that broke the clock into
            segments are seen. The live collector counts the same.
        samples_discarded: decoded samples dropped because their sensor time
            did not advance (duplicated or out-of-order packets).
        gaps: (start_s, end_s) session times of the last sample before and the
            first after each gap longer than :data:`GAP_FACTOR` periods.
        clock_residual_s: residual of the clock model of the longest segment
            (median latency above the lower envelope), s; None without samples.
        clock_segments: clock segments (1 + sensor restarts); 0 without samples.
        clock_source: "file" when the recording's stored clock model was used,
            "fitted" when it was fitted from the packets, "none" without samples.
    """

    protocol: str
    sampling_rate_hz: float
    packets: int
    corrupt_packets: int
    samples_decoded: int
    samples_lost: int
    samples_discarded: int
    gaps: tuple[tuple[float, float], ...]
    clock_residual_s: float | None
    clock_segments: int
    clock_source: Literal["file", "fitted", "none"]

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict of all fields (gaps as lists of two numbers)."""
        document = asdict(self)
        document["gaps"] = [list(gap) for gap in self.gaps]
        return document


@dataclass(frozen=True)
class DecodedRecording:
    """A recording decoded onto the session timeline.

    Attributes:
        recording: the source recording (metadata, markers, connection events).
        imu: per side with at least one sample, the samples on the session
            timeline (s), sensor axes, acc in m/s^2, gyr in deg/s.
        clock_models: per side in ``imu``, the clock model of its longest clock
            segment (sensor time -> session time).
        quality: per side with a sensor, the stream quality.
    """

    recording: Recording
    imu: dict[Side, ImuData]
    clock_models: dict[Side, ClockModel]
    quality: dict[Side, StreamQuality]


def decode_recording(recording: Recording) -> DecodedRecording:
    """Decode both sides of ``recording`` onto the session timeline.

    Deterministic: the same file gives bit-identical arrays. Lost packets leave
    gaps in time (later samples are never moved earlier) for every protocol
    with sensor timestamps.

    Raises:
        RecordingError: a sensor's protocol is unknown to this anklet, or its
            configuration lacks a supported ``sampling_rate_hz``.
    """
    streams = {side: _SideStream(recording, side, info) for side, info in recording.sensors.items()}
    orphan_sides = sorted({s for s in recording.side_packets if s not in streams and recording.packet_count(s)})
    for side in orphan_sides:
        warnings.warn(
            f"{recording.path}: the {side} sensor's description is missing (damaged file), "
            f"so its {recording.packet_count(side)} packets cannot be decoded",
            RecordingWarning,
            stacklevel=2,
        )
    connect_times = {
        side: np.sort(
            [e.time_s for e in recording.connection_events if e.side == side and e.kind in _RECONNECTION_KINDS]
        )
        for side in streams
    }
    for packet in recording.iter_packets():
        stream = streams.get(packet.side)
        if stream is not None:
            connection = int(np.searchsorted(connect_times[packet.side], packet.arrival_time_s, side="right"))
            stream.feed(packet, connection)
    imu: dict[Side, ImuData] = {}
    models: dict[Side, ClockModel] = {}
    quality: dict[Side, StreamQuality] = {}
    for side in SIDES:
        if side not in streams:
            continue
        data, model, quality[side] = streams[side].finish()
        if data is not None and model is not None:
            imu[side], models[side] = data, model
    return DecodedRecording(recording, imu, models, quality)


def load_recording_imu(path: str | Path) -> DecodedRecording:
    """Open and decode a recording; at least one side must yield samples.

    Warns:
        anklet.recording.RecordingWarning: the file is incomplete or damaged
            (partial read), or a side cannot be decoded.

    Raises:
        RecordingError: the file cannot be read (see ``Recording.open``), a
            protocol is unknown, or no side has a decodable sample.
    """
    decoded = decode_recording(Recording.open(path))
    if not decoded.imu:
        sides = "; ".join(
            f"{side}: {q.packets} data packets, {q.corrupt_packets} corrupt" for side, q in decoded.quality.items()
        )
        raise RecordingError(
            f"{path}: no IMU samples could be decoded ({sides or 'no sensors described'}); "
            "check the file with 'anklet info'"
        )
    return decoded


class _SideStream:
    """One side's :class:`SideDecoder` and the chunks it returned, then its timeline."""

    def __init__(self, recording: Recording, side: Side, info: SensorInfo) -> None:
        self._recording = recording
        self._side = side
        protocol = _protocol(recording.path, side, info)
        try:
            self.decoder = SideDecoder(protocol, _sampling_rate_hz(recording.path, side, info))
        except SensorConfigError as exc:
            raise RecordingError(f"{recording.path}: {side} sensor: {exc}") from exc
        self._chunks: list[DecodedChunk] = []

    def feed(self, packet: Packet, connection: int) -> None:
        """Decode one packet of this side; ``connection`` counts (re)connections before it."""
        chunk = self.decoder.feed(packet.payload, packet.arrival_time_s, packet.characteristic_uuid, connection)
        if chunk is not None:
            self._chunks.append(chunk)

    def finish(self) -> tuple[ImuData | None, ClockModel | None, StreamQuality]:
        """The side's samples on the session timeline, its main clock model and quality."""
        decoder = self.decoder
        if not self._chunks:
            return None, None, self._quality((), None, "none")
        stored = self._recording.clock_models.get(self._side)
        use_stored = stored is not None and self._recording.complete and decoder.segments == 1
        models = [stored] if use_stored else decoder.clock_models()
        offsets_s = np.array([m.offset_s for m in models])
        slopes = 1.0 + np.array([m.drift_ppm for m in models]) * 1e-6
        sample_segment = np.repeat([c.segment for c in self._chunks], [len(c) for c in self._chunks])
        sensor_s = np.concatenate([c.sensor_time_s for c in self._chunks])
        time_s = offsets_s[sample_segment] + sensor_s * slopes[sample_segment]
        main = models[decoder.main_segment()]
        data = ImuData(
            time_s,
            np.concatenate([c.acc_mps2 for c in self._chunks]),
            np.concatenate([c.gyr_dps for c in self._chunks]),
            source=f"{self._recording.path} ({self._side})",
        )
        quality = self._quality(
            _gaps(time_s, 1.0 / decoder.sampling_rate_hz), main.residual_s, "file" if use_stored else "fitted"
        )
        return data, main, quality

    def _quality(
        self,
        gaps: tuple[tuple[float, float], ...],
        residual_s: float | None,
        source: Literal["file", "fitted", "none"],
    ) -> StreamQuality:
        decoder = self.decoder
        return StreamQuality(
            protocol=decoder.protocol.name,
            sampling_rate_hz=decoder.sampling_rate_hz,
            packets=decoder.packets,
            corrupt_packets=decoder.corrupt_packets,
            samples_decoded=decoder.samples,
            samples_lost=decoder.samples_lost,
            samples_discarded=decoder.samples_discarded,
            gaps=gaps,
            clock_residual_s=residual_s,
            clock_segments=decoder.segments,
            clock_source=source,
        )


def _gaps(time_s: np.ndarray, period_s: float) -> tuple[tuple[float, float], ...]:
    """Gaps longer than GAP_FACTOR periods as (start_s, end_s) of the samples around them."""
    where = np.flatnonzero(np.diff(time_s) > GAP_FACTOR * period_s)
    return tuple((float(time_s[i]), float(time_s[i + 1])) for i in where)


def _protocol(path: Path, side: Side, info: SensorInfo) -> SensorProtocol:
    try:
        return get_protocol(info.protocol)
    except SensorConfigError as exc:
        raise RecordingError(f"{path}: the {side} sensor cannot be decoded: {exc}; upgrade anklet") from exc


def _sampling_rate_hz(path: Path, side: Side, info: SensorInfo) -> float:
    rate = info.config.get("sampling_rate_hz")
    if isinstance(rate, bool) or not isinstance(rate, int | float) or not rate > 0:
        raise RecordingError(
            f"{path}: the {side} sensor's configuration has no valid sampling_rate_hz (got {rate!r}); "
            "the recorder must store the rate it started the sensor with"
        )
    return float(rate)


def describe_decoded(decoded: DecodedRecording) -> str:
    """Per side, one line of decoded figures: samples, losses, gaps, corrupt
    packets and the clock model (what ``anklet info`` and ``anklet analyze`` print)."""
    lines = []
    for side, q in decoded.quality.items():
        line = (
            f"  {side:<5} {q.samples_decoded} samples at {q.sampling_rate_hz:g} Hz, {q.samples_lost} lost in "
            f"{len(q.gaps)} gaps, {q.corrupt_packets} of {q.packets} packets corrupt"
        )
        model = decoded.clock_models.get(side)
        if model is not None:
            line += (
                f"; clock offset {model.offset_s:.4f} s, drift {model.drift_ppm:+.1f} ppm, residual "
                f"{model.residual_s * 1e3:.2f} ms ({q.clock_source}, {q.clock_segments} segment(s))"
            )
        lines.append(line)
    return "\n".join(["decoded:", *lines])
