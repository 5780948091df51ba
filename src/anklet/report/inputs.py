"""What a report is made from: one analysed session with its who/when/what and the
data quality of each sensor stream."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from anklet.analysis import AnalysisResult
from anklet.imu import Side


@dataclass(frozen=True)
class StreamQuality:
    """Quality of one sensor's data stream, as far as the source knows it.

    Attributes:
        packets: packets received, or None when the source has no packets (e.g. CSV).
        corrupt_packets: packets that failed to decode, or None.
        lost_samples: samples missing from the stream (sequence gaps), or None.
        expected_samples: samples the sensor sent or should have sent (received +
            lost), or None.
        disconnections_s: session times (s) at which the BLE link dropped.
    """

    packets: int | None = None
    corrupt_packets: int | None = None
    lost_samples: int | None = None
    expected_samples: int | None = None
    disconnections_s: tuple[float, ...] = ()

    @property
    def lost_pct(self) -> float | None:
        """Lost samples in % of the expected samples, or None when unknown."""
        if self.lost_samples is None or not self.expected_samples:
            return None
        return 100.0 * self.lost_samples / self.expected_samples


@dataclass(frozen=True)
class SessionInput:
    """One analysed session and what the report says about where it came from.

    Attributes:
        result: the analysis (both legs for a report).
        subject_id: anonymous subject code ("" if not recorded).
        activity: what the subject did, free text.
        start_time_utc: wall-clock start (timezone-aware), or None if unknown.
        duration_s: recording length, s.
        sensors: per side, a one-line description of the sensor.
        source: the input file's name, for the report and error messages.
        quality: per side, the stream quality (empty when unknown).
    """

    result: AnalysisResult
    subject_id: str
    activity: str
    start_time_utc: datetime | None
    duration_s: float
    sensors: Mapping[Side, str]
    source: str
    quality: Mapping[Side, StreamQuality] = field(default_factory=dict)
