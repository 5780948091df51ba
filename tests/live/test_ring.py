"""SampleRing: fixed memory, newest samples in order, wrap-around."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anklet.live.ring import SampleRing


def _write_range(ring: SampleRing, first: int, stop: int) -> None:
    t = np.arange(first, stop, dtype=float)
    ring.write(t, np.column_stack([t, -t]))


def test_latest_returns_the_newest_samples_oldest_first_after_wrapping() -> None:
    ring = SampleRing(capacity=10, n_channels=2)
    for first in range(0, 25, 7):
        _write_range(ring, first, min(first + 7, 25))
    time_s, values = ring.latest(duration_s=100.0)
    np.testing.assert_array_equal(time_s, np.arange(15, 25))
    np.testing.assert_array_equal(values[:, 1], -np.arange(15, 25))
    assert ring.total_written == 25


def test_a_chunk_larger_than_the_ring_keeps_its_tail() -> None:
    ring = SampleRing(capacity=4, n_channels=2)
    _write_range(ring, 0, 11)
    np.testing.assert_array_equal(ring.latest(100.0)[0], [7, 8, 9, 10])


def test_latest_limits_to_the_duration() -> None:
    ring = SampleRing(capacity=100, n_channels=2)
    _write_range(ring, 0, 50)
    np.testing.assert_array_equal(ring.latest(duration_s=3.0)[0], [46, 47, 48, 49])
    empty = SampleRing(capacity=3, n_channels=1).latest(1.0)
    assert empty[0].shape == (0,) and empty[1].shape == (0, 1)


def test_wrong_shapes_are_refused() -> None:
    ring = SampleRing(capacity=5, n_channels=2)
    with pytest.raises(ValueError, match="shape"):
        ring.write(np.arange(3.0), np.zeros((3, 3)))
    with pytest.raises(ValueError):
        SampleRing(capacity=0, n_channels=1)


@settings(max_examples=200, deadline=None)
@given(
    capacity=st.integers(1, 12),
    chunks=st.lists(st.integers(0, 15), min_size=1, max_size=8),
    duration_s=st.floats(0.0, 30.0),
)
def test_latest_equals_the_tail_of_everything_written(capacity: int, chunks: list[int], duration_s: float) -> None:
    """Whatever the wrap position, latest() is the kept tail of the stream, cut to the duration."""
    ring = SampleRing(capacity=capacity, n_channels=2)
    first = 0
    for size in chunks:
        _write_range(ring, first, first + size)
        first += size
    kept = np.arange(max(0, first - capacity), first, dtype=float)
    expected = kept[kept >= kept[-1] - duration_s] if kept.size else kept
    time_s, values = ring.latest(duration_s)
    np.testing.assert_array_equal(time_s, expected)
    np.testing.assert_array_equal(values, np.column_stack([expected, -expected]).reshape(-1, 2))
