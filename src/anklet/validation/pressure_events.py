"""Reference initial and final contacts of one foot from a heel and a toe pressure
sensor (force-sensitive resistors read as raw ADC counts, higher = more load).

Method (footswitch thresholding, as in Hausdorff et al. 1995, "Footswitch system
for measurement of the temporal parameters of gait", J Biomech 28(3):347-351, with
per-recording adaptive levels because the raw ADC scale differs between sensors
and subjects):

1. Per sensor, the unloaded level is the 5th percentile of the recording (swing
   samples) and the loaded level the 99th percentile (stance peaks). Hysteresis
   levels lie between them: ``low = unloaded + 0.15 * span`` and
   ``high = unloaded + 0.30 * span``.
2. The foot is in contact while the heel OR the toe is loaded
   (:func:`anklet.validation.contacts.contacts_from_levels`), so standing on the
   forefoot or on the heel alone still counts as contact.
3. IC is the load onset: the time the sensor that starts the contact last rose
   through ``low`` (normally the heel). FC is the end of unloading: the time the
   last loaded sensor fell through ``low`` (normally the toe). Both are linearly
   interpolated between samples.
4. Swings shorter than 0.2 s (weight shifts while standing) are merged into the
   contact, then contacts shorter than 0.15 s (a brushing toe) are dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from anklet.validation.contacts import ContactLevel, FootContacts, contacts_from_levels

#: Raw value a disconnected or broken sensor sticks at (12-bit ADC near full scale).
STUCK_LEVEL_COUNTS = 4000.0


@dataclass(frozen=True)
class PressureThresholds:
    """Parameters of :func:`contacts_from_pressure` (defaults as in the module docstring).

    Attributes:
        unloaded_percentile: percentile taken as the unloaded (swing) level.
        loaded_percentile: percentile taken as the loaded (stance peak) level.
        low_fraction: fraction of the unloaded-to-loaded span for the low level
            (events are timed here).
        high_fraction: fraction for the high level (confirms a real load).
        min_span_counts: smallest loaded-minus-unloaded span, ADC counts, of a
            working sensor.
        max_stuck_fraction: largest fraction of samples at or above
            :data:`STUCK_LEVEL_COUNTS` for a working sensor.
        min_swing_s: shorter swings are merged into contact, s.
        min_contact_s: shorter contacts are dropped, s.
    """

    unloaded_percentile: float = 5.0
    loaded_percentile: float = 99.0
    low_fraction: float = 0.15
    high_fraction: float = 0.30
    min_span_counts: float = 100.0
    max_stuck_fraction: float = 0.01
    min_swing_s: float = 0.2
    min_contact_s: float = 0.15


def sensor_problem(pressure_counts: np.ndarray, thresholds: PressureThresholds = PressureThresholds()) -> str | None:
    """Say why a pressure sensor cannot serve as a reference, or None if it can.

    Args:
        pressure_counts: (n,) raw ADC counts of one sensor.
        thresholds: rule parameters.

    Returns:
        None for a working sensor, else a short reason ("stuck near 4093 ...",
        "flat signal ...").
    """
    values = np.asarray(pressure_counts, dtype=float)
    stuck = float(np.mean(values >= STUCK_LEVEL_COUNTS))
    if stuck > thresholds.max_stuck_fraction:
        return f"stuck near 4093 in {stuck:.0%} of samples"
    unloaded, loaded = np.percentile(values, [thresholds.unloaded_percentile, thresholds.loaded_percentile])
    if loaded - unloaded < thresholds.min_span_counts:
        return f"flat signal (span {loaded - unloaded:.0f} counts)"
    return None


def contacts_from_pressure(
    time_s: np.ndarray,
    heel_counts: np.ndarray,
    toe_counts: np.ndarray,
    thresholds: PressureThresholds = PressureThresholds(),
) -> FootContacts:
    """Initial and final contacts of one foot from its heel and toe pressure.

    Check :func:`sensor_problem` first: a broken sensor gives meaningless events.

    Args:
        time_s: (n,) strictly increasing sample times, seconds.
        heel_counts: (n,) heel sensor, raw ADC counts, higher = more load.
        toe_counts: (n,) toe sensor, raw ADC counts.
        thresholds: rule parameters (see the module docstring).

    Returns:
        The foot's alternating ICs and FCs, seconds.

    Raises:
        ValueError: the arrays differ in length or time is not strictly increasing.
    """
    levels = [_adaptive_level(np.asarray(c, dtype=float), thresholds) for c in (heel_counts, toe_counts)]
    return contacts_from_levels(time_s, levels, thresholds.min_swing_s, thresholds.min_contact_s)


def _adaptive_level(counts: np.ndarray, thresholds: PressureThresholds) -> ContactLevel:
    """Hysteresis levels between the unloaded and loaded percentiles of one sensor."""
    unloaded, loaded = np.percentile(counts, [thresholds.unloaded_percentile, thresholds.loaded_percentile])
    span = loaded - unloaded
    return ContactLevel(
        values=counts,
        low=float(unloaded + thresholds.low_fraction * span),
        high=float(unloaded + thresholds.high_fraction * span),
    )
