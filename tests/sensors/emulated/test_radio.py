"""VirtualRadio lifecycle and its lookup from the running loop."""

from __future__ import annotations

import pytest

from anklet.sensors.emulated import EmulationError, VirtualRadio

from .support import make_profile, run_async


def test_current_radio_is_the_running_one_and_only_one_runs_per_loop() -> None:
    async def main() -> None:
        with pytest.raises(EmulationError, match="no VirtualRadio"):
            VirtualRadio.current()
        assert VirtualRadio.running() is None
        async with VirtualRadio() as radio:
            assert VirtualRadio.current() is radio
            assert VirtualRadio.running() is radio
            with pytest.raises(EmulationError, match="already running"):
                await VirtualRadio().start()
        with pytest.raises(EmulationError, match="no VirtualRadio"):
            VirtualRadio.current()

    run_async(main)


def test_peripherals_get_distinct_static_random_addresses() -> None:
    async def main() -> None:
        async with VirtualRadio() as radio:
            first = await radio.add_peripheral(make_profile("a"))
            second = await radio.add_peripheral(make_profile("b"))
            assert radio.peripherals == (first, second)
            assert first.address != second.address
            for peripheral in radio.peripherals:
                assert int(peripheral.address[:2], 16) >> 6 == 0b11  # static random (Vol 6, Part B, 1.3.2.1)
                assert radio.has_device(peripheral.address)
            assert not radio.has_device("C0:A0:00:00:00:99")

    run_async(main)


def test_adding_a_peripheral_before_start_is_refused() -> None:
    async def main() -> None:
        with pytest.raises(EmulationError, match="not started"):
            await VirtualRadio().add_peripheral(make_profile("a"))

    run_async(main)
