"""Sampling-rate inference with gaps, jitter, pauses and drift."""

from __future__ import annotations

import numpy as np
import pytest

from anklet.errors import InsufficientDataError
from anklet.timing import infer_sampling_rate_hz


def lossy_counter(n: int, loss: float, seed: int) -> np.ndarray:
    """Sorted packet counters of n sent packets after random loss (runs of losses included)."""
    rng = np.random.default_rng(seed)
    received = rng.random(n) > loss
    received[[0, -1]] = True
    return np.flatnonzero(received).astype(float)


@pytest.mark.parametrize("rate_hz", [50.0, 100.0, 204.8])
def test_uniform_times_give_the_rate(rate_hz: float) -> None:
    assert infer_sampling_rate_hz(np.arange(1000) / rate_hz) == pytest.approx(rate_hz, rel=1e-12)


def test_counter_times_with_ten_percent_loss_are_exact() -> None:
    time_s = lossy_counter(5000, loss=0.10, seed=1) / 100.0
    assert np.diff(time_s).max() >= 0.04  # the data really have multi-packet gaps
    assert infer_sampling_rate_hz(time_s) == pytest.approx(100.0, rel=1e-12)


def test_jittered_host_times_with_loss_are_accurate() -> None:
    rng = np.random.default_rng(2)
    counter = lossy_counter(6000, loss=0.05, seed=3)
    time_s = (counter + rng.uniform(-0.2, 0.2, counter.size)) / 100.0
    estimate = infer_sampling_rate_hz(time_s)
    naive = 1.0 / np.median(np.diff(time_s))
    assert estimate == pytest.approx(100.0, rel=2e-4)
    assert abs(estimate - 100.0) < abs(naive - 100.0)


def test_clock_drift_is_measured_not_rounded() -> None:
    time_s = np.arange(3000) / 99.95
    assert infer_sampling_rate_hz(time_s) == pytest.approx(99.95, rel=1e-12)


def test_long_pause_does_not_bias_the_rate() -> None:
    time_s = np.concatenate([np.arange(500) / 100.0, 30.0 + np.arange(500) / 100.0])
    assert infer_sampling_rate_hz(time_s) == pytest.approx(100.0, rel=1e-12)


@pytest.mark.parametrize("time_s", [np.array([]), np.array([1.0]), np.array([1.0, 1.0])])
def test_too_few_samples(time_s: np.ndarray) -> None:
    with pytest.raises(InsufficientDataError, match="at least two samples"):
        infer_sampling_rate_hz(time_s)
