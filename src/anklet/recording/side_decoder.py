"""One side's raw packets -> samples on its sensor clock: the per-side decoding
core shared by the live collector (:class:`anklet.collector.stream.SideStream`)
and :func:`anklet.recording.decode_recording`, so both give the same samples,
loss counts and clock model for the same packets.

Per packet, in arrival order (:meth:`SideDecoder.feed`):

1. a new connection gets a fresh protocol decoder (decoders keep state across
   packets: Polar's scale factor from the start answers, sample counts, delta
   frames); answers from a response characteristic go to
   ``PacketDecoder.handle_response``; a packet that raises
   :class:`~anklet.errors.DecodeError` is counted and skipped;
2. sensor time: the protocol's timestamps, unwrapped across rollovers
   (:attr:`SensorProtocol.sensor_clock_wrap_s`); without timestamps
   (WitMotion) samples counted on this connection / nominal rate;
3. clock segments: :func:`anklet.timing.clock.classify_steps` decides whether
   the step from the previous packet is a rollover or a sensor restart; a
   restart, or a new connection of a sensor without timestamps (its count
   starts again at 0), opens a new segment with its own clock model;
4. loss accounting: within a segment, a jump of the sensor time of more than
   one period means ``round(jump * rate) - 1`` lost samples (this also sizes
   the gap of a reconnection: the sensor clock keeps running); across a new
   segment the sensor clock says nothing, so the loss is estimated from the
   arrival times (``round(arrival step * rate) - samples in the packet``,
   within a connection interval); samples whose sensor time does not advance
   (repeated packets) are discarded;
5. clock points: (last sample's sensor time, arrival time) per packet, for
   the lower-envelope fit of each segment (:meth:`SideDecoder.clock_models`,
   :func:`anklet.timing.clock.fit_clock_model`, docs/clock-alignment.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from anklet.errors import DecodeError, InsufficientDataError
from anklet.recording.model import ClockModel
from anklet.sensors.base import PacketDecoder, SensorProtocol

# ``import ... as`` (not ``from ... import name``): anklet.timing.clock imports
# anklet.recording.model, so either package may be imported first.
from anklet.timing import clock


@dataclass(frozen=True)
class DecodedChunk:
    """The samples one data packet added to the stream.

    Attributes:
        acc_mps2: (k, 3) specific force, m/s^2, sensor axes.
        gyr_dps: (k, 3) angular rate, deg/s, sensor axes.
        sensor_time_s: (k,) sensor time of the samples, s, unwrapped since the
            start of their clock segment (strictly increasing within it).
        arrival_time_s: host arrival time of the packet, session s.
        segment: index of the clock segment (0, 1, ...).
    """

    acc_mps2: np.ndarray
    gyr_dps: np.ndarray
    sensor_time_s: np.ndarray
    arrival_time_s: float
    segment: int

    def __len__(self) -> int:
        return int(self.sensor_time_s.size)


class SideDecoder:
    """Decodes one side's packets in arrival order (see the module docstring).

    Args:
        protocol: the sensor's protocol.
        sampling_rate_hz: the rate the sensor was started with, Hz.

    Raises:
        SensorConfigError: the rate is not supported by the protocol.

    Attributes:
        packets: data packets fed (not responses).
        corrupt_packets: packets (data or response) whose decoding raised DecodeError.
        samples: samples returned so far.
        samples_lost: samples known lost (see the module docstring, step 4).
        samples_discarded: decoded samples dropped because their sensor time did not advance.
        timestamped: False once a packet without sensor timestamps was decoded.
    """

    def __init__(self, protocol: SensorProtocol, sampling_rate_hz: float) -> None:
        self.protocol = protocol
        self.sampling_rate_hz = float(sampling_rate_hz)
        self._decoder: PacketDecoder = protocol.new_decoder(self.sampling_rate_hz)
        self._connection: int | None = None
        self._connection_samples = 0
        self._new_connection = False
        self._unwrap_s = 0.0
        self._previous: tuple[float, float] | None = None  # last kept sensor time (unwrapped), its arrival
        self._segment = -1
        self.packets = 0
        self.corrupt_packets = 0
        self.samples = 0
        self.samples_lost = 0
        self.samples_discarded = 0
        self.timestamped = True
        self._point_s: list[tuple[float, float, int]] = []  # (last sensor time, arrival, segment) per packet
        self._segment_bounds_s: list[list[float]] = []  # per segment: first and last sensor time
        self._segment_samples: list[int] = []

    @property
    def segments(self) -> int:
        """Clock segments so far (0 before the first sample)."""
        return self._segment + 1

    def feed(
        self, payload: bytes, arrival_time_s: float, characteristic_uuid: str | None, connection: int
    ) -> DecodedChunk | None:
        """Decode one packet.

        Args:
            payload: the notification bytes.
            arrival_time_s: host arrival time, session s (non-decreasing over calls).
            characteristic_uuid: None for the data characteristic, else the
                response characteristic the payload came from.
            connection: any number that changes when the sensor (re)connected.

        Returns:
            The samples it added, or None (a response, a corrupt packet, or no
            new sample).
        """
        if connection != self._connection:
            if self._connection is not None:
                self._decoder = self.protocol.new_decoder(self.sampling_rate_hz)
            self._connection, self._connection_samples = connection, 0
            self._new_connection = self._previous is not None
        try:
            if characteristic_uuid is not None:
                self._decoder.handle_response(payload)
                return None
            self.packets += 1
            packet = self._decoder.decode(payload)
        except DecodeError:
            self.corrupt_packets += 1
            return None
        k = len(packet)
        if k == 0:
            return None
        if packet.sensor_time_s is None:
            self.timestamped = False
            raw_s = (self._connection_samples + np.arange(k)) / self.sampling_rate_hz
        else:
            raw_s = packet.sensor_time_s
        self._connection_samples += k
        sensor_s, keep = self._place(raw_s, float(arrival_time_s))
        if not keep.any():
            return None
        sensor_s = sensor_s[keep]
        self._previous = (float(sensor_s[-1]), float(arrival_time_s))
        self._point_s.append((float(sensor_s[-1]), float(arrival_time_s), self._segment))
        self._segment_bounds_s[self._segment][1] = float(sensor_s[-1])
        self._segment_samples[self._segment] += sensor_s.size
        self.samples += sensor_s.size
        return DecodedChunk(packet.acc_mps2[keep], packet.gyr_dps[keep], sensor_s, float(arrival_time_s), self._segment)

    def _place(self, raw_s: np.ndarray, arrival_s: float) -> tuple[np.ndarray, np.ndarray]:
        """Unwrapped sensor times of a packet's samples and which of them are new;
        opens segments and counts lost and discarded samples."""
        new_connection, self._new_connection = self._new_connection, False
        if self._previous is None:
            return self._open_segment(raw_s)
        last_s, last_arrival_s = self._previous
        wrap_s = self.protocol.sensor_clock_wrap_s
        wrapped, restarted = clock.classify_steps(
            np.array([raw_s[0] + self._unwrap_s - last_s]),
            np.array([arrival_s - last_arrival_s]),
            wrap_period_s=wrap_s,
            timestamped=self.timestamped,
        )
        if restarted[0] or (new_connection and not self.timestamped):
            self.samples_lost += max(0, round((arrival_s - last_arrival_s) * self.sampling_rate_hz) - raw_s.size)
            self._unwrap_s = 0.0
            return self._open_segment(raw_s)
        if wrapped[0]:
            self._unwrap_s += wrap_s or 0.0
        sensor_s = raw_s + self._unwrap_s
        keep = sensor_s > last_s
        self.samples_discarded += int(np.count_nonzero(~keep))
        if keep.any():
            self.samples_lost += max(0, round((sensor_s[keep][0] - last_s) * self.sampling_rate_hz) - 1)
        return sensor_s, keep

    def _open_segment(self, raw_s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        self._segment += 1
        self._segment_bounds_s.append([float(raw_s[0]), float(raw_s[-1])])
        self._segment_samples.append(0)
        return raw_s, np.ones(raw_s.size, dtype=bool)

    def main_segment(self) -> int:
        """Index of the clock segment with the most samples.

        Raises:
            InsufficientDataError: no sample yet.
        """
        if not self._segment_samples:
            raise InsufficientDataError(f"no {self.protocol.name} sample decoded yet")
        return int(np.argmax(self._segment_samples))

    def clock_models(self) -> list[ClockModel]:
        """Per clock segment, the lower-envelope fit of arrival vs sensor time of
        its packets (:func:`anklet.timing.clock.fit_clock_model`; sensor time as
        in :attr:`DecodedChunk.sensor_time_s`). A segment whose first sample
        would not come after the previous segment's last one is delayed to one
        nominal period after it, so session time never goes back.

        Raises:
            InsufficientDataError: no sample yet.
        """
        if not self._point_s:
            raise InsufficientDataError(f"no {self.protocol.name} sample decoded yet")
        points = np.array(self._point_s)
        segment = points[:, 2].astype(np.int64)
        models: list[ClockModel] = []
        for k in range(self.segments):
            fitted = clock.fit_clock_model(points[segment == k, 0], points[segment == k, 1])
            if models:
                end_s = clock.to_session_time(models[-1], np.array([self._segment_bounds_s[k - 1][1]]))[0]
                start_s = clock.to_session_time(fitted, np.array([self._segment_bounds_s[k][0]]))[0]
                if start_s <= end_s:
                    delay_s = end_s + 1.0 / self.sampling_rate_hz - start_s
                    fitted = ClockModel(fitted.offset_s + delay_s, fitted.drift_ppm, fitted.residual_s)
            models.append(fitted)
        return models
