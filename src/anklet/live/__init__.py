"""Live sessions: ring buffers, sources, the running analysis, terminal and Qt views."""
