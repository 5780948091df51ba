"""Validation of gait-event detection on public reference datasets: dataset
readers with reference events (:mod:`anklet.validation.datasets`) and one-to-one
event matching with precision/recall/F1 and timing errors
(:mod:`anklet.validation.matching`)."""
