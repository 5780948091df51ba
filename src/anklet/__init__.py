"""anklet: left/right gait asymmetry from two leg-worn IMUs."""

__version__ = "0.1.0"
