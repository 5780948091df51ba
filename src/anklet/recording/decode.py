"""Decode a recording's raw packets into IMU samples of both legs on one session
timeline, with per-side stream quality (docs/recording-format.md, "Decoding";
clock alignment: docs/clock-alignment.md).

Steps per side: feed every packet in arrival order to the protocol's decoder
(responses to ``handle_response``; a new decoder after each reconnection; a
packet that raises :class:`~anklet.errors.DecodeError` is counted and
skipped), unwrap sensor-clock rollovers and split at sensor restarts
(:func:`anklet.timing.clock.clock_segments`), map each clock segment onto the
session timeline with its clock model (the file's, or the lower-envelope fit
of arrival vs sensor time), then find the gaps left by lost samples.
"""

from __future__ import annotations

import warnings
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from anklet.errors import DecodeError, RecordingError
from anklet.imu import SIDES, ImuData, Side
from anklet.recording.model import ClockModel, Packet, SensorInfo
from anklet.recording.reader import Recording, RecordingWarning
from anklet.sensors.base import PacketDecoder, SensorConfigError, SensorProtocol
from anklet.sensors.registry import get_protocol

# ``import ... as`` (not ``from ... import name``): anklet.timing.clock imports
# anklet.recording.model, so either package may be imported first.
from anklet.timing import clock

#: Sensor clocks that wrap, by protocol: anklet's 32-bit microsecond and
#: Movesense's 32-bit millisecond timestamps (Polar's 64-bit ns never wrap;
#: WitMotion has no clock).
WRAP_PERIOD_S: dict[str, float] = {"anklet": 2**32 * 1e-6, "movesense": 2**32 * 1e-3}
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
        samples_lost: samples missing inside the gaps (gap length / nominal
            period - 1, summed); for sensors without timestamps (WitMotion) only
            losses that broke the clock into segments are seen.
        samples_discarded: decoded samples dropped because their time did not
            increase (duplicated or out-of-order packets).
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
        side: np.sort([e.time_s for e in recording.connection_events if e.side == side and e.kind in _RECONNECTION_KINDS])
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
    """Accumulates one side's decoded packets, then builds its timeline."""

    def __init__(self, recording: Recording, side: Side, info: SensorInfo) -> None:
        self._recording = recording
        self._side = side
        self._protocol = _protocol(recording.path, side, info)
        self._rate_hz = _sampling_rate_hz(recording.path, side, info)
        self._decoder = self._new_decoder()
        self._connection = 0
        self._connection_samples = 0
        self._packets = 0
        self._corrupt = 0
        self._acc: list[np.ndarray] = []
        self._gyr: list[np.ndarray] = []
        self._sensor_s: list[np.ndarray] = []
        self._arrival_s: list[float] = []
        self._timestamped = True

    def _new_decoder(self) -> PacketDecoder:
        try:
            return self._protocol.new_decoder(self._rate_hz)
        except SensorConfigError as exc:
            raise RecordingError(f"{self._recording.path}: {self._side} sensor: {exc}") from exc

    def feed(self, packet: Packet, connection: int) -> None:
        """Decode one packet of this side; ``connection`` counts (re)connections before it."""
        if connection != self._connection:
            self._connection = connection
            if self._connection_samples:  # a fresh connection: fresh decoder state
                self._decoder, self._connection_samples = self._new_decoder(), 0
        try:
            if packet.characteristic_uuid is not None:
                self._decoder.handle_response(packet.payload)
                return
            self._packets += 1
            decoded = self._decoder.decode(packet.payload)
        except DecodeError:
            self._corrupt += 1
            return
        k = len(decoded)
        if k == 0:
            return
        if decoded.sensor_time_s is None:  # no clock: count samples at the nominal rate
            self._timestamped = False
            sensor_s = (self._connection_samples + np.arange(k)) / self._rate_hz
        else:
            sensor_s = decoded.sensor_time_s
        self._connection_samples += k
        self._acc.append(decoded.acc_mps2)
        self._gyr.append(decoded.gyr_dps)
        self._sensor_s.append(sensor_s)
        self._arrival_s.append(packet.arrival_time_s)

    def finish(self) -> tuple[ImuData | None, ClockModel | None, StreamQuality]:
        """The side's samples on the session timeline, its main clock model and quality."""
        if not self._sensor_s:
            return None, None, self._quality(0, 0, 0, (), None, 0, "none")
        counts = np.array([s.size for s in self._sensor_s])
        first_s = np.array([s[0] for s in self._sensor_s])
        last_s = np.array([s[-1] for s in self._sensor_s])
        arrival_s = np.array(self._arrival_s)
        unwrap_s, segment = clock.clock_segments(
            first_s,
            last_s,
            arrival_s,
            wrap_period_s=WRAP_PERIOD_S.get(self._protocol.name),
            timestamped=self._timestamped,
        )
        n_segments = int(segment[-1]) + 1
        stored = self._recording.clock_models.get(self._side)
        use_stored = stored is not None and self._recording.complete and n_segments == 1
        models = (
            [stored]
            if use_stored
            else [clock.fit_clock_model(last_s[segment == k] + unwrap_s[segment == k], arrival_s[segment == k])
                  for k in range(n_segments)]
        )
        packet_of_sample = np.repeat(np.arange(counts.size), counts)
        sample_segment = segment[packet_of_sample]
        sensor_s = np.concatenate(self._sensor_s) + unwrap_s[packet_of_sample]
        models = _chain_segments(models, sensor_s, sample_segment, 1.0 / self._rate_hz)
        offsets_s = np.array([m.offset_s for m in models])
        slopes = 1.0 + np.array([m.drift_ppm for m in models]) * 1e-6
        time_s = offsets_s[sample_segment] + sensor_s * slopes[sample_segment]
        keep = time_s > np.maximum.accumulate(np.concatenate([[-np.inf], time_s[:-1]]))
        time_s = time_s[keep]
        gaps, lost = _gaps(time_s, 1.0 / self._rate_hz)
        main = models[int(np.argmax(np.bincount(sample_segment[keep], minlength=n_segments)))]
        data = ImuData(
            time_s,
            np.concatenate(self._acc)[keep],
            np.concatenate(self._gyr)[keep],
            source=f"{self._recording.path} ({self._side})",
        )
        quality = self._quality(
            time_s.size, lost, int(np.count_nonzero(~keep)), gaps, main.residual_s, n_segments,
            "file" if use_stored else "fitted",
        )
        return data, main, quality

    def _quality(
        self,
        samples: int,
        lost: int,
        discarded: int,
        gaps: tuple[tuple[float, float], ...],
        residual_s: float | None,
        segments: int,
        source: Literal["file", "fitted", "none"],
    ) -> StreamQuality:
        return StreamQuality(
            protocol=self._protocol.name,
            sampling_rate_hz=self._rate_hz,
            packets=self._packets,
            corrupt_packets=self._corrupt,
            samples_decoded=samples,
            samples_lost=lost,
            samples_discarded=discarded,
            gaps=gaps,
            clock_residual_s=residual_s,
            clock_segments=segments,
            clock_source=source,
        )


def _chain_segments(
    models: list[ClockModel], sensor_s: np.ndarray, sample_segment: np.ndarray, period_s: float
) -> list[ClockModel]:
    """Delay a segment whose first sample would not come after the previous
    segment's last sample (one nominal period later), so time never goes back."""
    chained = list(models)
    for k in range(1, len(models)):
        previous, current = chained[k - 1], chained[k]
        end_s = clock.to_session_time(previous, sensor_s[sample_segment == k - 1][-1:])[0]
        start_s = clock.to_session_time(current, sensor_s[sample_segment == k][:1])[0]
        if start_s <= end_s:
            chained[k] = ClockModel(current.offset_s + end_s + period_s - start_s, current.drift_ppm, current.residual_s)
    return chained


def _gaps(time_s: np.ndarray, period_s: float) -> tuple[tuple[tuple[float, float], ...], int]:
    """Gaps longer than GAP_FACTOR periods as (start_s, end_s), and the samples they miss."""
    interval_s = np.diff(time_s)
    where = np.flatnonzero(interval_s > GAP_FACTOR * period_s)
    lost = int(np.sum(np.rint(interval_s[where] / period_s) - 1))
    return tuple((float(time_s[i]), float(time_s[i + 1])) for i in where), lost


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
