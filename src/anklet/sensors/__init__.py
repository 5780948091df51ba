"""BLE IMU sensor protocols: the common interface (:mod:`.base`), one module per
sensor family, and the registry that picks a family from an advertisement."""
