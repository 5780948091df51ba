"""Timing: sampling-rate inference, gap detection and uniform resampling of IMU data."""

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
    "UniformSegment",
    "infer_sampling_rate_hz",
    "to_uniform_segments",
]
