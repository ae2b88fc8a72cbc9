"""Tests for autograder/reports/dashboard.py: the trainer's dashboard notebook."""

from __future__ import annotations

import nbformat
import pytest

from autograder.cli import main
from autograder.reports.dashboard import DASHBOARD_NAME, Dashboard
from tests.autograder.report_helpers import make_course

pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")


@pytest.fixture
def course(tmp_path):
    return make_course(tmp_path / "class", {
        "yasmine": {"e_robot": {"e1": 2, "e2": 2, "e3": 3}},
        "omar": {"e_robot": {"e1": 0, "e2": 0, "e3": 0}},
        "amine": {"m_knn": {"m1": 4, "m2": 0}}},
        names={"yasmine": ("Yasmine", "Alaoui")},
        tracks={"yasmine": "explorers", "omar": "explorers", "amine": "makers"},
        outcome_status={("omar", "e_robot"): ("crashed", "the kernel died")})


def test_picking_a_unit_or_a_learner_shows_their_figures(course):
    """Does choosing a track, unit and learner redraw the chart and the details?"""
    board = Dashboard(course)
    assert board.track.options == (("Explorers", "explorers"), ("Makers", "makers"))
    assert board.unit.value == "e_robot"
    assert board.chart.value[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Class average: 7.0 of 8 points; 1 of 2 learners have a score." in board.details.value
    assert "omar: crashed (the kernel died)" in board.details.value
    board.learner.value = "yasmine"
    assert "<h3>Yasmine Alaoui</h3><p>88% of the track's points.</p>" in board.details.value
    assert "Repeat with a loop.: 83%" in board.details.value
    board.track.value = "makers"
    assert board.unit.value == "m_knn" and "Class average: 4.0 of 10 points" in board.details.value


def test_cli_places_the_dashboard_in_the_course(course, capsys):
    """Does `jazari report --dashboard` put a notebook that opens the dashboard in the course?"""
    assert main(["report", "--course", str(course), "--dashboard", "--quiet"]) == 0
    assert f"Dashboard notebook: {course / DASHBOARD_NAME}" in capsys.readouterr().out
    notebook = nbformat.read(course / DASHBOARD_NAME, as_version=4)
    assert f"Dashboard(course={str(course)!r})" in notebook.cells[1].source
