"""Tests for autograder/reports/certificates.py: a completion certificate per learner."""

from __future__ import annotations

import pytest

from autograder.cli import main
from autograder.reports import class_report
from autograder.reports.certificates import CHROMIUM, write_certificates
from tests.autograder.report_helpers import make_course

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")]


@pytest.fixture
def course(tmp_path):
    return make_course(tmp_path / "class", {
        "yasmine": {"e_robot": {"e1": 2, "e2": 2, "e3": 3}},
        "amine": {"m_knn": {"m1": 4, "m2": 0}}},
        names={"yasmine": ("Yasmine", "Alaoui"), "salma": ("Salma", "Chraibi")},
        tracks={"yasmine": "explorers", "amine": "makers", "salma": "makers"}, lang="ar")


def test_one_pdf_per_learner_with_a_scored_unit_in_the_class_language(course, tmp_path):
    """Does each learner with a scored unit get an Arabic (right-to-left) page and a real PDF?"""
    made = write_certificates(class_report(course=course), tmp_path / "certificates",
                              browser=CHROMIUM)
    assert sorted(p.name for p in made.pdfs) == ["amine.pdf", "yasmine.pdf"]  # Salma: nothing yet
    assert all(p.read_bytes()[:5] == b"%PDF-" and p.stat().st_size > 1000 for p in made.pdfs)
    page = (tmp_path / "certificates" / "yasmine.html").read_text()
    assert '<html lang="ar" dir="rtl">' in page
    assert "Yasmine Alaoui" in page and "Command the robot" in page and "Explorers" in page
    assert "Nearest neighbours" not in page  # only the units of her track


def test_cli_certificates_say_where_they_are(course, tmp_path, capsys):
    """Does `jazari report --certificates DIR --quiet` write them and say how many?"""
    out = tmp_path / "certs"
    assert main(["report", "--course", str(course), "--certificates", str(out), "--quiet"]) == 0
    assert f"Certificates: 2 PDF and 2 HTML in {out}" in capsys.readouterr().out
