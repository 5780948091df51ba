"""Clock alignment: how well anklet puts the two legs' sensor clocks on one session timeline.

Reproduces the "Accuracy measured" table of docs/clock-alignment.md and measures the same
alignment through the full BLE path. Two parts, both run by default (``--part``):

* ``synthetic``: recordings written by :func:`anklet.recording.synthesize.write_synthetic_recording`
  (real payloads of each sensor family, packets sent at the next event of a connection-event
  grid with a random phase per link, exponential host delay of mean 2 ms), a 120 s walk at
  200 Hz (208 Hz Movesense/Polar, 50 Hz WitMotion), left clock 0 ppm, right clock +100 ppm
  and 30 ms ahead, decoded with :func:`anklet.recording.load_recording_imu`. Every sample
  carries its index as a code in its gyroscope values (the walk's accelerometer values are
  kept), so each decoded sample is matched by value to the truth sample it came from, however
  far its time is off (WitMotion's invisible losses misplace samples by hundreds of ms; a
  search for the nearest truth sample in time could not follow them). Per sample:
  error = decoded minus true time. Per recording: "both legs" = spread (max - min) of the
  errors of both legs together (what shifts one leg against the other), "one leg" = the larger
  spread within one leg, "drift error" = fitted right drift minus the true +100 ppm. Per row:
  both legs max over seeds (median over seeds), one leg max, drift error max |.| over seeds.
  WitMotion has no sensor clock (sample times are counted), so no drift error is shown.
* ``emulated``: the full BLE path. A :class:`anklet.collector.simulated.SimulatedPair` of
  emulated anklet sensors (right clock 100 ppm fast and 30 ms ahead) is found by scanning and
  recorded through the real collector (``CollectorSession`` + ``RecordingWriter``) for each
  duration of ``--durations``, ``--runs`` times, and the file is decoded with
  ``decode_recording``. At session times from 1 s to duration - 1 s the fitted model gives a
  sensor time; the emulator's ``host_time_s`` says when its clock really read it. The error
  between the legs is max |left error - right error| (the common BLE latency floor cancels).
  Each leg's fitted drift is compared with its true drift, taken from ``host_time_s`` too.
  Each run takes about its duration in wall time; its timing depends on the load of the machine.
  Below 10 s of clock data (``MIN_DRIFT_SPAN_S``, so recordings of less than about 11 s) the fit
  fixes the drift at 0 and only fits the offset.

Drifts are in the :class:`anklet.recording.ClockModel` convention, session time = offset +
sensor time * (1 + drift * 1e-6), which is also the synthesizer's ``clock_drift_ppm`` (a right
drift of +100 ppm there is a sensor clock running 100 ppm slow). The emulator's
``SimulationFaults.drift_ppm`` is how fast the sensor clock runs instead: its right clock,
100 ppm fast, has a true ClockModel drift of 1 / (1 + 100e-6) - 1 = -99.99 ppm.

Seeds: ``--seeds N`` uses seeds 0..N-1 of the synthesizer (connection phase, host delays,
lost packets) for every synthetic row; by default 10 for the anklet rows and 5 for the other
protocols, as in the docs. The walk itself is the same for every seed (``simulate_session``
seed 0).

Run::

    .venv/bin/python benchmarks/clock_alignment.py [--part synthetic|emulated|all] [--seeds N]
        [--durations "20 60"] [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

import anklet
from anklet.collector import StreamSettings
from anklet.collector.simulated import SimulatedPair, SimulationFaults, SimulationSpec, record_simulated_pair
from anklet.imu import SIDES, ImuData, Side
from anklet.recording import (
    Recording,
    decode_recording,
    load_recording_imu,
)
from anklet.recording.synthesize import POLAR_CLOCK_BASE_S, write_synthetic_recording
from anklet.sensors.emulated.streaming import DEFAULT_TIMING
from anklet.sensors.registry import get_protocol
from anklet.simulate import SensorSpec, simulate_session

#: Right sensor clock against the left (exact) one: drift, and how much more it reads.
RIGHT_DRIFT_PPM = 100.0
RIGHT_AHEAD_S = 0.030
#: Synthetic recordings: length, sensor uptime at session time 0 (clock reading of the left sensor), walk seed.
SYNTHETIC_DURATION_S = 120.0
UPTIME_S = 250.0
WALK_SEED = 0
#: Synthesizer timing model: mean exponential host delay after the connection event, s.
HOST_LATENCY_S = 0.002
#: Default seeds per synthetic row: anklet rows, other protocols (docs/clock-alignment.md).
DEFAULT_SEEDS_ANKLET = 10
DEFAULT_SEEDS_OTHER = 5
#: Sample code in the gyroscope values: three base-50 digits of the sample index, one per axis,
#: ``(digit - 25) * CODE_STEP_DPS`` (+-400 deg/s, far coarser than any protocol's quantisation).
CODE_BASE = 50
CODE_STEP_DPS = 16.0
#: Emulated part: session times where the alignment is evaluated (from 1 s to duration - 1 s).
EVALUATION_POINTS = 50
SCAN_S = 0.3
#: Emulated walk longer than the recording by this much (played in a loop anyway), s.
GAIT_MARGIN_S = 10.0


@dataclass(frozen=True)
class SyntheticCase:
    """One row of the synthetic table."""

    label: str
    protocol: str
    sampling_rate_hz: float
    connection_interval_s: float
    drop_packets_fraction: float
    default_seeds: int

    @property
    def has_clock(self) -> bool:
        """Whether the sensor stamps its samples (WitMotion does not: no drift to fit)."""
        return self.protocol != "witmotion"


CASES: tuple[SyntheticCase, ...] = (
    SyntheticCase("anklet, 7.5 ms, 0 %", "anklet", 200.0, 0.0075, 0.0, DEFAULT_SEEDS_ANKLET),
    SyntheticCase("anklet, 15 ms, 0 %", "anklet", 200.0, 0.015, 0.0, DEFAULT_SEEDS_ANKLET),
    SyntheticCase("anklet, 30 ms, 0 %", "anklet", 200.0, 0.030, 0.0, DEFAULT_SEEDS_ANKLET),
    SyntheticCase("anklet, 7.5 ms, 5 % packets lost", "anklet", 200.0, 0.0075, 0.05, DEFAULT_SEEDS_ANKLET),
    SyntheticCase("Movesense (1 ms timestamps), 7.5 ms", "movesense", 208.0, 0.0075, 0.0, DEFAULT_SEEDS_OTHER),
    SyntheticCase("Polar PMD, 7.5 ms", "polar_pmd", 208.0, 0.0075, 0.0, DEFAULT_SEEDS_OTHER),
    SyntheticCase("WitMotion (no timestamps), 7.5 ms, 0 %", "witmotion", 50.0, 0.0075, 0.0, DEFAULT_SEEDS_OTHER),
    SyntheticCase("WitMotion, 7.5 ms, 0.1 % notifications lost", "witmotion", 50.0, 0.0075, 0.001, DEFAULT_SEEDS_OTHER),
    SyntheticCase("WitMotion, 7.5 ms, 1 % notifications lost", "witmotion", 50.0, 0.0075, 0.01, DEFAULT_SEEDS_OTHER),
)


@dataclass(frozen=True)
class SyntheticResult:
    """Errors of one decoded synthetic recording.

    Attributes:
        both_legs_s: spread of the time errors over both legs, s.
        one_leg_s: the larger spread of the time errors within one leg, s.
        drift_error_ppm: fitted right drift minus the truth (None without a sensor clock).
    """

    both_legs_s: float
    one_leg_s: float
    drift_error_ppm: float | None


@dataclass(frozen=True)
class EmulatedResult:
    """Alignment of one recording of the emulated pair.

    Attributes:
        between_legs_s: max |left error - right error| over the evaluated session times, s.
        drift_ppm: per side, the fitted clock drift, ppm (ClockModel convention).
        true_drift_ppm: per side, the emulated clock's drift in the same convention, ppm.
        samples_lost: per side, samples the collector counted as lost.
        wall_s: wall time of the run (scan, recording, decoding), s.
    """

    between_legs_s: float
    drift_ppm: dict[Side, float]
    true_drift_ppm: dict[Side, float]
    samples_lost: dict[Side, int]
    wall_s: float

    def drift_error_ppm(self, side: Side) -> float:
        """Fitted minus true drift of ``side``, ppm."""
        return self.drift_ppm[side] - self.true_drift_ppm[side]

    @property
    def relative_drift_error_ppm(self) -> float:
        """Error of the fitted right-minus-left drift, ppm (what tilts one leg against the other)."""
        return self.drift_error_ppm("right") - self.drift_error_ppm("left")


# --- synthetic part -------------------------------------------------------------------------------------------------


def coded_walk(rate_hz: float, duration_s: float) -> dict[Side, ImuData]:
    """Both legs of a simulated walk at ``rate_hz`` with each sample's index coded in its gyroscope values."""
    walk = simulate_session(
        left=SensorSpec(sampling_rate_hz=rate_hz),
        right=SensorSpec(sampling_rate_hz=rate_hz),
        duration_s=duration_s,
        seed=WALK_SEED,
    )
    coded = {}
    for side in SIDES:
        data = walk.imu[side]
        index = np.arange(len(data))
        if index[-1] >= CODE_BASE**3:
            raise ValueError(f"{len(data)} samples do not fit the {CODE_BASE}^3 sample codes")
        digits = np.stack([index % CODE_BASE, index // CODE_BASE % CODE_BASE, index // CODE_BASE**2], axis=1)
        gyr_dps = (digits - CODE_BASE // 2) * CODE_STEP_DPS
        coded[side] = ImuData(data.time_s, data.acc_mps2, gyr_dps.astype(np.float64), f"coded walk ({side})")
    return coded


def sample_indices(gyr_dps: np.ndarray) -> np.ndarray:
    """The truth index of each decoded sample, read from the code in its gyroscope values.

    Raises:
        ValueError: a value is not close to a code (the sample does not come from :func:`coded_walk`).
    """
    scaled = gyr_dps / CODE_STEP_DPS + CODE_BASE // 2
    digits = np.round(scaled)
    if np.any(np.abs(scaled - digits) > 0.25) or np.any(digits < 0) or np.any(digits >= CODE_BASE):
        raise ValueError("decoded gyroscope values do not carry a sample code")
    digits = digits.astype(np.int64)
    return digits[:, 0] + digits[:, 1] * CODE_BASE + digits[:, 2] * CODE_BASE**2


def matched_errors_s(decoded: ImuData, truth: ImuData) -> np.ndarray:
    """Per decoded sample: decoded time minus the time of the truth sample with the same value (code), s."""
    index = sample_indices(decoded.gyr_dps)
    if np.any(index >= len(truth)):
        raise ValueError("a decoded sample code points past the truth samples")
    return decoded.time_s - truth.time_s[index]


def run_synthetic_case(case: SyntheticCase, walk: dict[Side, ImuData], seed: int, folder: Path) -> SyntheticResult:
    """Write, decode and score one synthetic recording of ``case``."""
    base_s = POLAR_CLOCK_BASE_S if case.protocol == "polar_pmd" else 0.0
    path = write_synthetic_recording(
        folder / f"{case.protocol}_{seed}.anklet",
        walk,
        protocol=case.protocol,
        sampling_rate_hz=case.sampling_rate_hz,
        clock_offset_s={"left": -(UPTIME_S + base_s), "right": -(UPTIME_S + base_s + RIGHT_AHEAD_S)},
        clock_drift_ppm={"left": 0.0, "right": RIGHT_DRIFT_PPM},
        drop_packets_fraction=case.drop_packets_fraction,
        seed=seed,
        latency_s=HOST_LATENCY_S,
        connection_interval_s=case.connection_interval_s,
        overwrite=True,
    )
    decoded = load_recording_imu(path)
    errors = {side: matched_errors_s(decoded.imu[side], walk[side]) for side in SIDES}
    drift_error = decoded.clock_models["right"].drift_ppm - RIGHT_DRIFT_PPM if case.has_clock else None
    path.unlink()
    return SyntheticResult(
        both_legs_s=float(np.ptp(np.concatenate(list(errors.values())))),
        one_leg_s=float(max(np.ptp(e) for e in errors.values())),
        drift_error_ppm=drift_error,
    )


def format_ms(value_ms: float) -> str:
    """A time in ms with about three significant digits, as in the docs table."""
    if value_ms >= 100.0:
        return f"{value_ms:.0f}"
    if value_ms >= 10.0:
        return f"{value_ms:.1f}"
    return f"{value_ms:.2f}"


def run_synthetic(seeds: int | None) -> None:
    """Print the synthetic table (one row per case, as soon as it is measured)."""
    print("== synthetic recordings (docs/clock-alignment.md, 'Accuracy measured') ==")
    print(
        f"settings: {SYNTHETIC_DURATION_S:g} s walk (simulate_session seed {WALK_SEED}), sample index coded in the "
        f"gyroscope; clock_drift_ppm left 0, right {RIGHT_DRIFT_PPM:+g} (ClockModel convention), right clock "
        f"{RIGHT_AHEAD_S * 1e3:g} ms ahead; "
        f"sensor uptime {UPTIME_S:g} s at session start (Polar: + {POLAR_CLOCK_BASE_S:.0f} s, calendar time since "
        f"2000); host delay exponential, mean {HOST_LATENCY_S * 1e3:g} ms; seeds 0..N-1 of write_synthetic_recording"
    )
    print("errors = decoded minus true sample time; 'both legs': max over seeds (median over seeds)")
    print()
    print("| protocol, connection interval, loss | both legs, max (median) | one leg, max | drift error, max | seeds |")
    print("|---|---|---|---|---|")
    walks: dict[float, dict[Side, ImuData]] = {}
    with tempfile.TemporaryDirectory(prefix="anklet-clock-") as folder:
        for case in CASES:
            if case.sampling_rate_hz not in walks:
                walks[case.sampling_rate_hz] = coded_walk(case.sampling_rate_hz, SYNTHETIC_DURATION_S)
            n_seeds = case.default_seeds if seeds is None else seeds
            results = [
                run_synthetic_case(case, walks[case.sampling_rate_hz], seed, Path(folder)) for seed in range(n_seeds)
            ]
            both_ms = np.array([r.both_legs_s for r in results]) * 1e3
            one_ms = max(r.one_leg_s for r in results) * 1e3
            drifts = [abs(r.drift_error_ppm) for r in results if r.drift_error_ppm is not None]
            drift = f"{max(drifts):.1f} ppm" if drifts else "-"
            print(
                f"| {case.label} | {format_ms(both_ms.max())} ms ({format_ms(float(np.median(both_ms)))}) "
                f"| {format_ms(one_ms)} ms | {drift} | {n_seeds} |",
                flush=True,
            )


# --- emulated part --------------------------------------------------------------------------------------------------


async def emulated_run(duration_s: float, path: Path) -> EmulatedResult:
    """Record the emulated pair for ``duration_s``, decode the file, and compare its clock models with the truth."""
    started_s = time.perf_counter()
    faults = SimulationFaults(drift_ppm=RIGHT_DRIFT_PPM, offset_s=RIGHT_AHEAD_S)
    async with asyncio.timeout(duration_s + 60.0):
        async with SimulatedPair(SimulationSpec(gait_duration_s=duration_s + GAIT_MARGIN_S, faults=faults)) as pair:
            session = await record_simulated_pair(pair, path, duration_s)
            sensors = dict(pair.sensors)
    decoded = decode_recording(Recording.open(path))
    session_s = np.linspace(1.0, duration_s - 1.0, EVALUATION_POINTS)
    errors_s = {}
    true_drift_ppm = {}
    for side, sensor in sensors.items():
        model = decoded.clock_models[side]
        # the sensor times the model puts at these session times, and when the sensor clock really read them
        sensor_s = (session_s - model.offset_s) / (1.0 + model.drift_ppm * 1e-6)
        true_session_s = sensor.host_time_s(sensor_s) - session.start_monotonic_s
        errors_s[side] = session_s - true_session_s
        true_slope = (true_session_s[-1] - true_session_s[0]) / (sensor_s[-1] - sensor_s[0])
        true_drift_ppm[side] = float(true_slope - 1.0) * 1e6
    status = session.status()
    return EmulatedResult(
        between_legs_s=float(np.max(np.abs(errors_s["left"] - errors_s["right"]))),
        drift_ppm={side: decoded.clock_models[side].drift_ppm for side in SIDES},
        true_drift_ppm=true_drift_ppm,
        samples_lost={side: status[side].lost for side in SIDES},
        wall_s=time.perf_counter() - started_s,
    )


def run_emulated(durations_s: Sequence[float], runs: int) -> None:
    """Record and print ``runs`` runs per duration, then a summary per duration."""
    print("== emulated BLE path (SimulatedPair -> bleak -> CollectorSession -> RecordingWriter -> decode_recording) ==")
    rate_hz = StreamSettings.for_protocol(get_protocol("anklet")).sampling_rate_hz
    print(
        f"settings: emulated anklet sensors at {rate_hz:g} Hz (the collector's default); "
        f"right clock {RIGHT_DRIFT_PPM:g} ppm fast (SimulationFaults.drift_ppm; ClockModel drift "
        f"{(1.0 / (1.0 + RIGHT_DRIFT_PPM * 1e-6) - 1.0) * 1e6:+.2f} ppm) and {RIGHT_AHEAD_S * 1e3:g} ms ahead "
        "(left exact); emulated link: "
        f"connection interval {DEFAULT_TIMING.interval_s * 1e3:g} ms, <= {DEFAULT_TIMING.max_notifications_per_event} "
        f"notifications/event, event jitter 0..{DEFAULT_TIMING.jitter_s * 1e3:g} ms; walk of duration + "
        f"{GAIT_MARGIN_S:g} s; alignment evaluated at {EVALUATION_POINTS} session times from 1 s to duration - 1 s"
    )
    print()
    summary: dict[float, list[EmulatedResult]] = {}
    with tempfile.TemporaryDirectory(prefix="anklet-clock-") as folder:
        for duration_s in durations_s:
            results = summary.setdefault(duration_s, [])
            for run in range(1, runs + 1):
                path = Path(folder) / f"emulated_{duration_s:g}s_{run}.anklet"
                result = asyncio.run(emulated_run(duration_s, path))
                path.unlink()
                results.append(result)
                fitted = ", ".join(
                    f"{side} {result.drift_ppm[side]:+7.2f} ppm (error {result.drift_error_ppm(side):+6.2f})"
                    for side in SIDES
                )
                print(
                    f"{duration_s:3g} s run {run}: between legs max {result.between_legs_s * 1e3:5.3f} ms; "
                    f"fitted drift {fitted}; lost L/R {result.samples_lost['left']}/{result.samples_lost['right']}; "
                    f"{result.wall_s:.1f} s wall",
                    flush=True,
                )
    print()
    print("drift error right-left: |fitted right-minus-left drift - true right-minus-left drift|")
    print(
        "| recording | runs | between legs, median | between legs, max "
        "| drift error right-left, median | drift error right-left, max |"
    )
    print("|---|---|---|---|---|---|")
    for duration_s, results in summary.items():
        between_ms = np.array([r.between_legs_s for r in results]) * 1e3
        drift_errors = np.abs([r.relative_drift_error_ppm for r in results])
        print(
            f"| {duration_s:g} s | {len(results)} | {np.median(between_ms):.3f} ms | {between_ms.max():.3f} ms "
            f"| {np.median(drift_errors):.2f} ppm | {drift_errors.max():.2f} ppm |"
        )


# --- command line ---------------------------------------------------------------------------------------------------


def parse_durations(text: str) -> list[float]:
    """``"20 60"`` (spaces or commas) -> [20.0, 60.0]; each at least 3 s."""
    try:
        values = [float(v) for v in text.replace(",", " ").split()]
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"durations must be numbers of seconds, got {text!r}") from exc
    if not values or any(v < 3.0 for v in values):
        raise argparse.ArgumentTypeError(f"give one or more durations of at least 3 s, got {text!r}")
    return values


def positive_int(text: str) -> int:
    """An integer >= 1."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected an integer >= 1, got {text!r}")
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=("synthetic", "emulated", "all"), default="all")
    parser.add_argument(
        "--seeds",
        type=positive_int,
        default=None,
        help=f"seeds per synthetic row (default: {DEFAULT_SEEDS_ANKLET} anklet, {DEFAULT_SEEDS_OTHER} others)",
    )
    parser.add_argument(
        "--durations",
        type=parse_durations,
        default=[20.0, 60.0],
        help='emulated recording lengths, s (default "20 60")',
    )
    parser.add_argument("--runs", type=positive_int, default=3, help="emulated runs per duration (default 3)")
    args = parser.parse_args()
    print(f"anklet {anklet.__version__}, numpy {np.__version__}, Python {sys.version.split()[0]}")
    try:
        if args.part in ("synthetic", "all"):
            run_synthetic(args.seeds)
        if args.part == "all":
            print()
        if args.part in ("emulated", "all"):
            run_emulated(args.durations, args.runs)
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        sys.exit(130)


if __name__ == "__main__":
    main()
