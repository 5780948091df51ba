"""``anklet scan`` / ``anklet record`` errors a user meets before any data flows."""

from __future__ import annotations

from anklet.cli import main


def test_record_refuses_one_sensor_for_both_legs(tmp_path, capsys):
    status = main(["record", "--left", "AA:BB:CC:DD:EE:01", "--right", "aa:bb:cc:dd:ee:01", "--duration", "1",
                   "-o", str(tmp_path / "s.anklet")])
    assert status == 2
    err = capsys.readouterr().err
    assert "same sensor" in err and "Traceback" not in err
    assert not (tmp_path / "s.anklet").exists()


def test_record_without_addresses_or_pairing_says_what_to_give(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ANKLET_CONFIG_DIR", str(tmp_path / "config"))
    assert main(["record", "--duration", "1", "-o", str(tmp_path / "s.anklet")]) == 2
    err = capsys.readouterr().err
    assert "--left ADDR and --right ADDR" in err and "anklet scan" in err


def test_record_without_bluetooth_or_sensor_is_a_clear_error(tmp_path, monkeypatch, capsys):
    """Either the platform has no usable Bluetooth stack (as on CI) or no sensor has these addresses."""
    monkeypatch.chdir(tmp_path)
    assert main(["record", "--left", "AA:01", "--right", "AA:02", "--duration", "1"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "Bluetooth is not available" in err or "not found" in err
