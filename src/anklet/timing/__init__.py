"""Timing: sampling-rate inference, gap detection and uniform resampling of IMU data."""

from anklet.timing.clock import (
    OnlineClockFit,
    clock_segments,
    fit_clock_model,
    to_session_time,
)
from anklet.timing.resample import (
    DEFAULT_MAX_BRIDGED_GAP_S,
    Gap,
    UniformSegment,
    to_uniform_segments,
)
from anklet.timing.sampling_rate import infer_sampling_rate_hz

__all__ = [
    "DEFAULT_MAX_BRIDGED_GAP_S",
    "Gap",
    "OnlineClockFit",
    "UniformSegment",
    "clock_segments",
    "fit_clock_model",
    "infer_sampling_rate_hz",
    "to_session_time",
    "to_uniform_segments",
]
