"""Gait analysis: orientation, bouts, events, strides, parameters, asymmetry."""
