"""A short synthetic motion for the protocol-emulator tests."""

from __future__ import annotations

import numpy as np

from anklet.imu import ImuData
from anklet.sensors.base import STANDARD_GRAVITY_MPS2


def sine_motion() -> ImuData:
    """2 s at 100 Hz: 1.5 Hz sinusoids, within +-4 g and +-250 deg/s, gravity on z."""
    time_s = np.arange(0.0, 2.0, 0.01)
    phase = 2 * np.pi * 1.5 * time_s
    acc = np.column_stack([3 * np.sin(phase), 2 * np.cos(phase), np.full_like(time_s, STANDARD_GRAVITY_MPS2)])
    gyr = np.column_stack([200 * np.sin(phase), -150 * np.cos(phase), 50 * np.sin(2 * phase)])
    return ImuData(time_s, acc, gyr, "sine")
