"""How closely anklet's asymmetry numbers matched reference events on real recordings.

A Symmetry Index (SI) from anklet carries two kinds of uncertainty. Stride-to-stride
variation is in its bootstrap 95 % interval (docs/asymmetry.md). The timing of each
leg's detected events relative to the true contacts is not: it differs a little
between legs and people, and shifts the SI by a few points. This module holds the
size of that second part as measured on real recordings, so the terminal table and
the report can quote it next to the results.

Measured by ``benchmarks/asymmetry_accuracy.py`` with
:func:`anklet.validation.asymmetry_agreement.compare_asymmetry`: per trial, each SI and
the Gait Asymmetry (GA) computed from anklet's events and from the data set's reference
events over exactly the same steady-state strides; the figure is the median over
trials of |anklet - reference| (docs/validation.md, "Asymmetry vs reference events").
``tests/validation/test_asymmetry_agreement.py`` recomputes every figure on the real
recordings, so they cannot drift from what the detector does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from anklet.imu import Placement


@dataclass(frozen=True)
class MeasuredAccuracy:
    """Median |anklet - reference| of the asymmetry metrics for one sensor placement.

    Attributes:
        dataset: the validation data set (folder name under ``../shared/datasets``).
        description: what was measured, for people (sensor, reference, trials).
        median_abs_difference: metric -> median over trials of |SI(anklet) -
            SI(reference)| in SI points (``stride_time``, ``stance_time``,
            ``swing_time``, ``step_time``), and of |GA(anklet) - GA(reference)| under
            ``gait_asymmetry``.
    """

    dataset: str
    description: str
    median_abs_difference: Mapping[str, float]

    def note(self) -> str:
        """One sentence quoting the figures, e.g. for a table footnote."""
        si = ", ".join(
            f"{name.removesuffix('_time')} {value:.1f}"
            for name, value in self.median_abs_difference.items()
            if name != "gait_asymmetry"
        )
        return (
            f"Measurement accuracy ({self.description}): anklet's SI differed from the reference's "
            f"by a median of {si} points, GA by {self.median_abs_difference['gait_asymmetry']:.1f}; "
            "a smaller SI does not show a difference between the legs."
        )


#: Measured accuracy per placement (2026-11-21, anklet 0.1.0).
MEASURED_ACCURACY: Mapping[Placement, MeasuredAccuracy] = MappingProxyType(
    {
        "foot": MeasuredAccuracy(
            dataset="ipol-healthy-gait",
            description="foot sensors, walking; 52 walks of 9 healthy adults, manually annotated events",
            median_abs_difference=MappingProxyType(
                {
                    "stride_time": 0.13,
                    "stance_time": 1.06,
                    "swing_time": 1.72,
                    "step_time": 2.17,
                    "gait_asymmetry": 1.49,
                }
            ),
        ),
        "ankle": MeasuredAccuracy(
            dataset="marpino-walking",
            description="shank sensors, walking; 42 walks of healthy adults, foot pressure sensors as reference",
            median_abs_difference=MappingProxyType(
                {
                    "stride_time": 0.45,
                    "stance_time": 2.98,
                    "swing_time": 5.29,
                    "step_time": 7.47,
                    "gait_asymmetry": 3.49,
                }
            ),
        ),
    }
)
