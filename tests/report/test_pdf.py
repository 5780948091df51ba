"""The rendered PDF: the summary table's numbers are the JSON's, every page renders."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from anklet.gait.asymmetry import PARAMETER_UNITS
from anklet.report.formatting import ci_text, mean_text, signed_pct_text, unsigned_text
from anklet.report.pdf import paginate

from .conftest import ARTIFACTS


def expected_rows(document: dict) -> dict[str, list[str]]:
    """Per parameter, the cells the summary table must show, formatted from the JSON."""
    rows = {}
    for name, item in document["asymmetry"].items():
        unit = PARAMETER_UNITS[name]
        rows[name] = [
            f"{mean_text(item['left'], unit)} ± {mean_text(item['left_sd'], unit)}",
            f"{mean_text(item['right'], unit)} ± {mean_text(item['right_sd'], unit)}",
            f"{item['n_left']} / {item['n_right']}",
            signed_pct_text(item["symmetry_index_pct"]),
            ci_text(item["symmetry_index_ci95"], signed=True),
        ]
    bilateral = document["bilateral"]
    rows["gait_asymmetry"] = [unsigned_text(bilateral["gait_asymmetry"]),
                              ci_text(bilateral["gait_asymmetry_ci95"], signed=False)]
    rows["phase_coordination_index"] = [unsigned_text(bilateral["phase_coordination_index_pct"]),
                                        ci_text(bilateral["phase_coordination_index_ci95"], signed=False)]
    return rows


def test_summary_numbers_in_the_pdf_equal_the_json(rendered, demo_input):
    text = subprocess.run(["pdftotext", "-layout", "-f", "1", "-l", "1", str(rendered["pdf"]), "-"],
                          check=True, capture_output=True, text=True).stdout
    lines = text.splitlines()
    for name, cells in expected_rows(demo_input.result.document).items():
        label = name.replace("_", " ")
        row = [line for line in lines if line.strip().startswith(label.split(" (")[0])]
        assert row, f"no row for {name} on page 1"
        assert any(all(cell in line for cell in cells) for line in row), (name, cells, row)
    assert "S07" in text and "2026-03-02" in text and "corridor walk" in text
    assert "not a diagnosis" in text
    assert "Measurement accuracy (shank sensors, walking" in " ".join(text.split())


def test_every_page_renders(rendered, demo_report, tmp_path):
    info = subprocess.run(["pdfinfo", str(rendered["pdf"])], check=True, capture_output=True, text=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))
    assert pages == len(paginate(demo_report.blocks)) >= 3
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(rendered["pdf"]), str(tmp_path / "page")], check=True)
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == pages
    assert all(image.stat().st_size > 2000 for image in images)


def test_fonts_are_truetype(rendered):
    fonts = subprocess.run(["pdffonts", str(rendered["pdf"])], check=True, capture_output=True, text=True).stdout
    assert "TrueType" in fonts and "Type 3" not in fonts


def test_sample_report_kept_for_humans(rendered):
    """Copies the demo report and its page images to tests/artifacts (gitignored)."""
    ARTIFACTS.mkdir(exist_ok=True)
    for kind, path in rendered.items():
        shutil.copy(path, ARTIFACTS / f"sample_session_report.{kind}")
    for old in ARTIFACTS.glob("sample_session_report-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "80", "-png", str(rendered["pdf"]),
                    str(ARTIFACTS / "sample_session_report")], check=True)
    assert Path(ARTIFACTS / "sample_session_report.pdf").stat().st_size > 10_000
