"""A real two-leg walk (IPOL healthy-gait trial 1-1, foot-worn Xsens at 100 Hz) and
the same walk written as an ``.anklet`` recording."""

from __future__ import annotations

from pathlib import Path

import pytest

from anklet.imu import ImuData, Side
from anklet.validation.datasets import iter_trials

TRIAL = "1-1"


@pytest.fixture(scope="session")
def real_walk(datasets_root: Path) -> dict[Side, ImuData]:
    """Both feet of a real 10 m walk, turn and walk back (~30 s)."""
    trial = next(iter_trials("ipol-healthy-gait", root=datasets_root, names=[TRIAL]))
    return dict(trial.imu)


@pytest.fixture(scope="session")
def real_recording(real_walk: dict[Side, ImuData], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real walk as a synthetic ``.anklet`` recording (anklet protocol)."""
    from anklet.recording.synthesize import write_synthetic_recording

    return write_synthetic_recording(tmp_path_factory.mktemp("rec") / "walk.anklet", real_walk)
