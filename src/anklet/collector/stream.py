"""Per-side decoding of the raw notifications: samples, losses, clock, status.

:class:`SideStream` takes one side's :class:`~anklet.collector.link.Arrival`
items in arrival order (in the session's consumer, never in a BLE callback),
decodes them with a fresh protocol decoder per connection, counts samples,
lost samples and decode errors, fits the sensor clock live
(:class:`~anklet.collector.clock.LiveClockFit`) and returns the decoded samples
on the session timeline.

Lost samples: for protocols with sensor timestamps (anklet, Movesense, Polar)
a packet whose first sample comes more than one period after the previous
packet's last sample means ``round(gap * rate) - 1`` samples were lost; this
also sizes the gap of a reconnection, since the sensor clock keeps running.
WitMotion sends no timestamp or counter: samples are counted, lost packets are
invisible, and the count of a new connection continues from the fitted clock
at its first arrival, so a reconnection's gap is an estimate (+-1 sample).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from anklet.collector.clock import LiveClockFit
from anklet.collector.link import Arrival
from anklet.errors import DecodeError
from anklet.imu import ImuData, Side
from anklet.recording.model import ClockModel
from anklet.sensors.base import PacketDecoder, SensorProtocol

#: Sensor timestamp rollover per protocol, s (anklet: uint32 us; Movesense: uint32 ms).
TIMESTAMP_WRAP_S: dict[str, float] = {"anklet": 2**32 * 1e-6, "movesense": 2**32 * 1e-3}


#: Smallest step between delivered sample times when a clock refit would move them back, s.
MIN_STEP_S = 1e-6


@dataclass(frozen=True)
class SideStatus:
    """A snapshot of one side's link and stream.

    Attributes:
        side: "left" or "right".
        name, address, protocol: the sensor.
        sampling_rate_hz: the configured rate, Hz.
        connected: the data stream is subscribed and started.
        samples: samples decoded so far.
        lost: samples known lost so far (timestamp gaps; WitMotion: only
            across reconnections, estimated).
        decode_errors: notifications that did not decode.
        reconnections: successful reconnections.
        battery_pct: last battery level, %, or None if the sensor does not report it.
        last_packet_s: session time of the last notification, s, or None.
    """

    side: Side
    name: str
    address: str
    protocol: str
    sampling_rate_hz: float
    connected: bool
    samples: int
    lost: int
    decode_errors: int
    reconnections: int
    battery_pct: int | None
    last_packet_s: float | None

    @property
    def loss_pct(self) -> float:
        """Lost samples in % of the samples that should have arrived (0 before any)."""
        expected = self.samples + self.lost
        return 100.0 * self.lost / expected if expected else 0.0


class SideStream:
    """Decoding state of one side.

    Args:
        side: "left" or "right".
        protocol: the sensor's protocol.
        sampling_rate_hz: the configured rate, Hz.
    """

    def __init__(
        self, side: Side, protocol: SensorProtocol, sampling_rate_hz: float
    ) -> None:
        self.side = side
        self.protocol = protocol
        self.sampling_rate_hz = sampling_rate_hz
        self.clock = LiveClockFit()
        self.samples = 0
        self.lost = 0
        self.decode_errors = 0
        self._decoder: PacketDecoder | None = None
        self._connection = 0
        self._last_sensor_s: float | None = (
            None  # unwrapped sensor time of the last sample
        )
        self._unwrap_s = 0.0
        self._count_base_s = (
            0.0  # WitMotion: sensor time of the current connection's sample 0
        )
        self._timestamped = protocol.name != "witmotion"
        self._last_session_s: float | None = None

    def add(self, arrivals: list[Arrival]) -> ImuData | None:
        """Decode ``arrivals`` (this side's, in arrival order) and return their samples.

        Returns:
            The decoded samples, time on the session timeline (current clock
            fit; strictly after the samples returned before: a refit that
            would move them back, by well under 1 ms in practice, is clipped),
            or None if they held none.
        """
        times, accs, gyrs = [], [], []
        for arrival in arrivals:
            if arrival.connection != self._connection:
                self._new_connection(arrival)
            decoder = self._decoder
            assert decoder is not None
            try:
                if arrival.characteristic_uuid is not None:
                    decoder.handle_response(arrival.payload)
                    continue
                packet = decoder.decode(arrival.payload)
            except DecodeError:
                self.decode_errors += 1
                continue
            if len(packet) == 0:
                continue
            sensor_s = self._sensor_times(
                packet.sensor_time_s, packet.sample_index, len(packet)
            )
            self.clock.add(float(sensor_s[-1]), arrival.arrival_time_s)
            times.append(sensor_s)
            accs.append(packet.acc_mps2)
            gyrs.append(packet.gyr_dps)
        if not times:
            return None
        session_s = self.clock.to_session(np.concatenate(times))
        if self._last_session_s is not None:
            # a refit may move new samples before ones already delivered: keep time increasing
            floor_s = self._last_session_s + MIN_STEP_S * np.arange(
                1, session_s.size + 1
            )
            session_s = np.maximum(session_s, floor_s)
        self._last_session_s = float(session_s[-1])
        return ImuData(
            session_s, np.vstack(accs), np.vstack(gyrs), f"{self.side} sensor"
        )

    def _new_connection(self, arrival: Arrival) -> None:
        self._connection = arrival.connection
        self._decoder = self.protocol.new_decoder(self.sampling_rate_hz)
        if (
            not self._timestamped
            and self.clock.ready
            and self._last_sensor_s is not None
        ):
            # continue the sample count at the fitted sensor time of the first arrival
            period_s = 1.0 / self.sampling_rate_hz
            self._count_base_s = max(
                self._last_sensor_s + period_s,
                round(self.clock.to_sensor(arrival.arrival_time_s) / period_s)
                * period_s,
            )

    def _sensor_times(
        self, sensor_time_s: np.ndarray | None, sample_index: int | None, k: int
    ) -> np.ndarray:
        """Unwrapped sensor times of one packet's samples; counts lost samples before it."""
        period_s = 1.0 / self.sampling_rate_hz
        if sensor_time_s is None:
            first = 0 if sample_index is None else sample_index
            times = self._count_base_s + (first + np.arange(k)) * period_s
        else:
            times = sensor_time_s + self._unwrap_s
            wrap_s = TIMESTAMP_WRAP_S.get(self.protocol.name)
            if (
                wrap_s is not None
                and self._last_sensor_s is not None
                and times[0] < self._last_sensor_s - wrap_s / 2
            ):
                self._unwrap_s += wrap_s
                times = times + wrap_s
        if self._last_sensor_s is not None:
            self.lost += max(0, round((times[0] - self._last_sensor_s) / period_s) - 1)
        self._last_sensor_s = float(times[-1])
        self.samples += k
        return times

    def clock_model(self) -> ClockModel | None:
        """The fitted clock model, or None before any sample."""
        return self.clock.model() if self.clock.ready else None
