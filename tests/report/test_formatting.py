from anklet.report.formatting import (
    MISSING,
    ci_text,
    duration_text,
    mean_text,
    signed_pct_text,
    unsigned_text,
)


def test_means_use_the_units_precision():
    assert mean_text(0.44312, "s") == "0.443"
    assert mean_text(104.94, "steps/min") == "104.9"
    assert mean_text(294.6, "deg/s") == "295"
    assert mean_text(None, "s") == MISSING


def test_signed_and_unsigned_values():
    assert signed_pct_text(7.96) == "+8.0"
    assert signed_pct_text(-0.04) == "-0.0"
    assert unsigned_text(3.14) == "3.1"
    assert ci_text((6.94, 8.51), signed=True) == "+6.9 to +8.5"
    assert ci_text((2.0, 4.04), signed=False) == "2.0 to 4.0"
    assert ci_text(None, signed=True) == MISSING


def test_durations():
    assert duration_text(48.4) == "48 s"
    assert duration_text(725) == "12 min 05 s"
    assert duration_text(3725) == "1 h 02 min"
