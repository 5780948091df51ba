"""Per-side live decoding: samples on the session timeline, counts, status.

:class:`SideStream` takes one side's :class:`~anklet.collector.link.Arrival`
items in arrival order (in the session's consumer, never in a BLE callback)
and feeds them to a :class:`~anklet.recording.side_decoder.SideDecoder`, the
per-side core :func:`anklet.recording.decode_recording` uses too: a fresh
protocol decoder per connection, command answers, corrupt packets, timestamp
unwrapping, clock segments, lost samples. The same packets therefore give the
same samples and the same loss counts live and from the recording.

Live times come from :class:`anklet.timing.clock.OnlineClockFit` (one per clock
segment), which maps each packet with the lower-envelope fit of the packets so
far; :meth:`SideStream.clock_model` is the fit over all packets that
``decode_recording`` would compute, which the session stores in the recording.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from anklet.collector.link import Arrival
from anklet.imu import ImuData, Side
from anklet.recording.model import ClockModel
from anklet.recording.side_decoder import SideDecoder
from anklet.sensors.base import SensorProtocol
from anklet.timing.clock import OnlineClockFit

#: Smallest step between delivered sample times after a sensor restart would move them back, s.
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
        lost: samples known lost so far (``SideDecoder.samples_lost``; WitMotion:
            only across reconnections and long silences, estimated).
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
    """Live decoding state of one side.

    Args:
        side: "left" or "right".
        protocol: the sensor's protocol.
        sampling_rate_hz: the configured rate, Hz.

    Raises:
        SensorConfigError: the rate is not supported by the protocol.

    Attributes:
        decoder: the per-side decoding core (counts: ``samples``,
            ``samples_lost``, ``corrupt_packets``, ...).
    """

    def __init__(self, side: Side, protocol: SensorProtocol, sampling_rate_hz: float) -> None:
        self.side = side
        self.decoder = SideDecoder(protocol, sampling_rate_hz)
        self._fit: OnlineClockFit | None = None
        self._fit_segment = -1
        self._last_session_s = -np.inf

    def add(self, arrivals: list[Arrival]) -> ImuData | None:
        """Decode ``arrivals`` (this side's, in arrival order) and return their samples.

        Returns:
            The decoded samples, time on the session timeline (each packet
            mapped with the online clock fit at its arrival; strictly after the
            samples returned before), or None if they held none.
        """
        times, accs, gyrs = [], [], []
        for arrival in arrivals:
            chunk = self.decoder.feed(
                arrival.payload, arrival.arrival_time_s, arrival.characteristic_uuid, arrival.connection
            )
            if chunk is None:
                continue
            if chunk.segment != self._fit_segment or self._fit is None:
                # the sensor time of a new segment is unwrapped by the decoder: nothing wraps here
                self._fit = OnlineClockFit(wrap_period_s=None, timestamped=self.decoder.timestamped)
                self._fit_segment = chunk.segment
            session_s = self._fit.update(chunk.sensor_time_s, chunk.arrival_time_s)
            session_s = np.maximum(session_s, self._last_session_s + MIN_STEP_S * np.arange(1, len(chunk) + 1))
            self._last_session_s = float(session_s[-1])
            times.append(session_s)
            accs.append(chunk.acc_mps2)
            gyrs.append(chunk.gyr_dps)
        if not times:
            return None
        return ImuData(np.concatenate(times), np.vstack(accs), np.vstack(gyrs), f"{self.side} sensor")

    @property
    def samples(self) -> int:
        """Samples decoded so far."""
        return self.decoder.samples

    @property
    def lost(self) -> int:
        """Samples known lost so far."""
        return self.decoder.samples_lost

    @property
    def decode_errors(self) -> int:
        """Packets that did not decode."""
        return self.decoder.corrupt_packets

    def clock_model(self) -> ClockModel | None:
        """The clock model ``decode_recording`` fits from the packets so far: the
        lower-envelope fit of the main clock segment, in the decoder's unwrapped
        sensor time; None before any sample."""
        if self.decoder.samples == 0:
            return None
        return self.decoder.clock_models()[self.decoder.main_segment()]
