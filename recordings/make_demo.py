"""Regenerate the demo recording: ``python recordings/make_demo.py``.

A synthetic session from :mod:`anklet.simulate`: shank-worn sensors strapped at
random rotations, 100 Hz, standing - walking - a 180 degree turn - walking -
standing, with the right leg's swing 8 % longer than the left's (right minus left,
relative to the mean), sensor noise and 1 % lost samples. Written twice: as one
anklet CSV per leg (``demo_left.csv``, ``demo_right.csv``) and as an ``.anklet``
recording of two anklet-protocol sensors with BLE-like arrival times
(``demo.anklet``, see :func:`anklet.recording.synthesize.write_synthetic_recording`).
"""

from __future__ import annotations

from pathlib import Path

from anklet.io import write_imu_csv
from anklet.recording import SessionMetadata
from anklet.recording.synthesize import write_synthetic_recording
from anklet.simulate import GaitSpec, SensorSpec, Stand, Turn, Walk, simulate_session

HERE = Path(__file__).resolve().parent
SEED = 2026


def main() -> None:
    sensor = SensorSpec(
        sampling_rate_hz=100.0,
        mounting_rotation_deg=None,
        gyr_noise_density_dps_per_sqrt_hz=0.05,
        dropped_sample_fraction=0.01,
    )
    session = simulate_session(
        GaitSpec(swing_time_asymmetry_pct=8.0),
        sensor,
        sensor,
        bouts=[Stand(3.0), Walk(25), Turn(2, 180.0), Walk(25), Stand(3.0)],
        seed=SEED,
    )
    for side in ("left", "right"):
        write_imu_csv(session.imu[side], HERE / f"demo_{side}.csv")
    metadata = SessionMetadata(
        subject_id="DEMO", activity="synthetic walk with a 180 degree turn, right swing 8 % longer"
    )
    write_synthetic_recording(
        HERE / "demo.anklet", session.imu, metadata=metadata, seed=SEED, overwrite=True
    )


if __name__ == "__main__":
    main()
