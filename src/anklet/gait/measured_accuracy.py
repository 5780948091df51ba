"""How closely anklet's asymmetry numbers matched reference events on real recordings.

A Symmetry Index (SI) from anklet carries two kinds of uncertainty. Stride-to-stride
variation is in its bootstrap 95 % interval (docs/asymmetry.md). The timing of each
leg's detected events relative to the true contacts is not: it differs a little
between legs and people, and shifts the SI by a few points. This module holds the
size of that second part as measured on real recordings, so the terminal table and
the reports can quote it next to the results: for one session's SI, and for the
change of SI between two sessions of one person (what the progress report shows).

Measured by ``benchmarks/asymmetry_accuracy.py`` with
:func:`anklet.validation.asymmetry_agreement.compare_asymmetry`: per trial, each SI and
the Gait Asymmetry (GA) computed from anklet's events and from the data set's reference
events over exactly the same steady-state strides; the figure is the median over
trials of |anklet - reference|, and for a change the median over every pair of walks
of one person of |error_1 - error_2| (docs/validation.md, "Asymmetry vs reference
events").
``tests/validation/test_asymmetry_agreement.py`` recomputes every figure on the real
recordings, so they cannot drift from what the detector does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from anklet.imu import Placement

#: Added to the accuracy note of sessions with running bouts.
RUNNING_NOT_VALIDATED = (
    "These figures are from walking: running has not been validated against reference events on real recordings."
)


@dataclass(frozen=True)
class MeasuredAccuracy:
    """Median |anklet - reference| of the asymmetry metrics for one sensor placement.

    Attributes:
        dataset: the validation data set (folder name under ``../shared/datasets``).
        sensors: which sensors were measured doing what, for people.
        description: the walks and the reference, for people.
        median_abs_difference: metric -> median over trials of |SI(anklet) -
            SI(reference)| in SI points (``stride_time``, ``stance_time``,
            ``swing_time``, ``step_time``), and of |GA(anklet) - GA(reference)| under
            ``gait_asymmetry``.
        change_description: whose walks the change figures come from, for people.
        median_abs_change_difference: metric -> median over every pair of walks of
            one person of |error_1 - error_2|, error = anklet - reference: how far
            anklet's change of the metric between two sessions was from the
            reference's change.
    """

    dataset: str
    sensors: str
    description: str
    median_abs_difference: Mapping[str, float]
    change_description: str
    median_abs_change_difference: Mapping[str, float]

    def note(self, includes_running: bool = False) -> str:
        """The sentence quoting the accuracy of one session's SI and GA.

        Args:
            includes_running: the session has running bouts; the note then adds that
                the figures come from walking (running has no real-data validation).
        """
        note = (
            f"Measurement accuracy ({self.sensors}; {self.description}): anklet's SI differed from the "
            f"reference's by a median of {_figures(self.median_abs_difference)}; a smaller SI does not show "
            "a difference between the legs."
        )
        return note + (f" {RUNNING_NOT_VALIDATED}" if includes_running else "")

    def change_note(self) -> str:
        """One sentence quoting the accuracy of a change between two sessions."""
        return (
            f"Measurement accuracy of a change ({self.sensors}; {self.change_description}): anklet's "
            f"change of SI differed from the reference's by a median of "
            f"{_figures(self.median_abs_change_difference)}; a smaller change is not shown by the data."
        )


    def to_json(self) -> dict[str, object]:
        """The ``measurement_accuracy`` section of the result document (docs/result-format.md)."""
        return {
            "validation_dataset": self.dataset,
            "sensors": self.sensors,
            "walks": self.description,
            "median_abs_difference": dict(self.median_abs_difference),
            "change_walks": self.change_description,
            "median_abs_change_difference": dict(self.median_abs_change_difference),
        }


def _figures(values: Mapping[str, float]) -> str:
    """ "stride 0.1, stance 1.1, ... points, GA 1.5" from metric -> value."""
    si = ", ".join(f"{name.removesuffix('_time')} {v:.1f}" for name, v in values.items() if name != "gait_asymmetry")
    return f"{si} points, GA {values['gait_asymmetry']:.1f}"


#: Measured accuracy per placement (2026-11-21, anklet 0.1.0).
MEASURED_ACCURACY: Mapping[Placement, MeasuredAccuracy] = MappingProxyType(
    {
        "foot": MeasuredAccuracy(
            dataset="ipol-healthy-gait",
            sensors="foot sensors, walking",
            description="52 walks of 9 healthy adults, manually annotated events",
            median_abs_difference=MappingProxyType(
                {
                    "stride_time": 0.13,
                    "stance_time": 1.06,
                    "swing_time": 1.67,
                    "step_time": 2.17,
                    "gait_asymmetry": 1.49,
                }
            ),
            change_description="two walks of one person on the same day; 9 people, 4-6 walks each",
            median_abs_change_difference=MappingProxyType(
                {
                    "stride_time": 0.23,
                    "stance_time": 1.66,
                    "swing_time": 3.21,
                    "step_time": 3.69,
                    "gait_asymmetry": 2.12,
                }
            ),
        ),
        "ankle": MeasuredAccuracy(
            dataset="marpino-walking",
            sensors="shank sensors, walking",
            description="42 walks of healthy adults, foot pressure sensors as reference",
            median_abs_difference=MappingProxyType(
                {
                    "stride_time": 0.45,
                    "stance_time": 2.98,
                    "swing_time": 5.29,
                    "step_time": 7.47,
                    "gait_asymmetry": 3.49,
                }
            ),
            change_description="two walks of one person; 1 person, 23 walks",
            median_abs_change_difference=MappingProxyType(
                {
                    "stride_time": 0.61,
                    "stance_time": 2.00,
                    "swing_time": 2.44,
                    "step_time": 2.32,
                    "gait_asymmetry": 2.71,
                }
            ),
        ),
    }
)
