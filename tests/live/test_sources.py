"""ReplaySource delivers every sample exactly once, in order, in chunks; speed parsing."""

import threading

import numpy as np
import pytest

from anklet.imu import ImuData
from anklet.live.sources import ReplaySource, ReplaySpeedError, parse_speed


def _imu(time_s: np.ndarray) -> ImuData:
    n = time_s.size
    return ImuData(time_s, np.tile([0.0, 0.0, 9.81], (n, 1)), np.column_stack([time_s, time_s, time_s]))


def test_replay_delivers_every_sample_once_in_order_and_counts_gaps() -> None:
    left_time = np.arange(0, 2.0, 0.01)
    right_time = np.delete(np.arange(0.003, 2.0, 0.01), np.arange(50, 60))  # 10 samples lost
    received: dict[str, list[ImuData]] = {"left": [], "right": []}
    lock = threading.Lock()

    def sink(side: str, chunk: ImuData) -> None:
        with lock:
            received[side].append(chunk)

    source = ReplaySource({"left": _imu(left_time), "right": _imu(right_time)}, speed=None, chunk_s=0.04)
    source.start(sink)
    while not source.finished():
        threading.Event().wait(0.01)
    for side, expected in (("left", left_time), ("right", right_time)):
        chunks = received[side]
        assert len(chunks) > 10
        np.testing.assert_array_equal(np.concatenate([c.time_s for c in chunks]), expected)
        assert all(c.time_s[-1] - c.time_s[0] < 0.04 for c in chunks)
    status = source.status()
    assert status["left"].samples == left_time.size and status["left"].lost == 0
    assert status["right"].lost == 10 and not status["right"].connected


def test_stop_ends_a_real_time_replay_early() -> None:
    time_s = np.arange(0, 60.0, 0.01)
    source = ReplaySource({"left": _imu(time_s)}, speed=1.0)
    source.start(lambda side, chunk: None)
    source.stop()
    assert source.finished()
    assert source.status()["left"].samples < time_s.size


@pytest.mark.parametrize(("text", "speed"), [("max", None), ("MAX", None), ("1", 1.0), ("0.5", 0.5)])
def test_parse_speed(text: str, speed: float | None) -> None:
    assert parse_speed(text) == speed


@pytest.mark.parametrize("text", ["0", "-2", "fast", "nan", "inf"])
def test_parse_speed_refuses_nonsense(text: str) -> None:
    with pytest.raises(ReplaySpeedError, match="--speed"):
        parse_speed(text)
