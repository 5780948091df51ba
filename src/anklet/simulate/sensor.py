"""The sensor model: sampling clock (offset, drift, jitter), lost samples, mounting
rotation, bias, white noise and saturation. See :class:`SensorSpec` for the
definitions."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.spatial.transform import Rotation

from anklet.simulate.specs import SensorSpec


@dataclass(frozen=True)
class SampleClock:
    """The samples one sensor delivers.

    Attributes:
        session_time_s: (n,) true instants the samples were taken, s.
        sensor_time_s: (n,) their timestamps on the sensor's clock (with jitter), s.
        sample_index: (n,) index of each kept sample in the sensor's stream.
        samples_taken: samples the sensor took in the session (kept + lost).
    """

    session_time_s: np.ndarray
    sensor_time_s: np.ndarray
    sample_index: np.ndarray
    samples_taken: int


def mounting_rotation(spec: SensorSpec, rng: np.random.Generator) -> np.ndarray:
    """(3, 3) rotation mapping sensor-frame vectors into the segment frame: the
    spec's Euler angles, or a uniformly random rotation drawn from ``rng`` when they
    are None."""
    if spec.mounting_rotation_deg is None:
        return Rotation.random(rng=rng).as_matrix()
    return Rotation.from_euler(
        "xyz", spec.mounting_rotation_deg, degrees=True
    ).as_matrix()


def lost_samples(
    n: int, fraction: float, mean_burst: float, rng: np.random.Generator
) -> np.ndarray:
    """(n,) bool mask of lost samples: bursts at Poisson-random starts with geometric
    lengths (mean ``mean_burst``), at a rate that makes the expected covered fraction
    ``fraction`` (coverage of a Boolean model: ``1 - exp(-rate * mean_burst)``)."""
    if fraction <= 0.0 or n == 0:
        return np.zeros(n, dtype=bool)
    rate = -np.log1p(-fraction) / mean_burst
    bursts = rng.poisson(rate * n)
    starts = rng.integers(0, n, size=bursts)
    lengths = rng.geometric(1.0 / mean_burst, size=bursts)
    edges = np.zeros(n + 1, dtype=np.int64)
    np.add.at(edges, starts, 1)
    np.add.at(edges, np.minimum(starts + lengths, n), -1)
    return np.cumsum(edges[:-1]) > 0


def sample_clock(
    spec: SensorSpec, duration_s: float, rng: np.random.Generator
) -> SampleClock:
    """Samples taken in ``[0, duration_s)`` session seconds, after loss and jitter.

    The sensor takes sample ``k`` when its clock reads ``k / sampling_rate_hz``.
    """
    rate = spec.sampling_rate_hz
    first = int(np.ceil(float(spec.sensor_time_s(0.0)) * rate - 1e-9))
    last = int(np.ceil(float(spec.sensor_time_s(duration_s)) * rate - 1e-9))
    index = np.arange(first, last, dtype=np.int64)
    lost = lost_samples(
        index.size, spec.dropped_sample_fraction, spec.dropped_burst_mean_samples, rng
    )
    jitter = np.clip(
        rng.standard_normal(index.size) * spec.timestamp_jitter_s,
        -0.4 / rate,
        0.4 / rate,
    )
    nominal = index / rate
    keep = ~lost
    return SampleClock(
        session_time_s=spec.session_time_s(nominal[keep]),
        sensor_time_s=nominal[keep] + jitter[keep],
        sample_index=index[keep],
        samples_taken=int(index.size),
    )


def measure(
    spec: SensorSpec,
    gyr_segment_dps: np.ndarray,
    acc_segment_mps2: np.ndarray,
    rotation: np.ndarray,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """What the sensor reports for segment-frame motion: rotated into the sensor
    frame, plus bias and white noise, clipped to the measurement ranges.

    Args:
        spec: the sensor.
        gyr_segment_dps, acc_segment_mps2: (n, 3) in the segment frame.
        rotation: (3, 3) sensor-to-segment rotation.
        rng: noise source.

    Returns:
        (gyr_dps, acc_mps2), each (n, 3), sensor frame.
    """
    bandwidth = np.sqrt(spec.sampling_rate_hz / 2.0)
    n = gyr_segment_dps.shape[0]
    gyr = gyr_segment_dps @ rotation + np.asarray(spec.gyr_bias_dps)
    gyr += rng.standard_normal((n, 3)) * (
        spec.gyr_noise_density_dps_per_sqrt_hz * bandwidth
    )
    acc = acc_segment_mps2 @ rotation + np.asarray(spec.acc_bias_mps2)
    acc += rng.standard_normal((n, 3)) * (
        spec.acc_noise_density_mps2_per_sqrt_hz * bandwidth
    )
    return np.clip(gyr, -spec.gyr_range_dps, spec.gyr_range_dps), np.clip(
        acc, -spec.acc_range_mps2, spec.acc_range_mps2
    )
