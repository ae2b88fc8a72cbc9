"""Tests for autograder/report.py: the class gradebook from nbgrader's database."""

from __future__ import annotations

import csv

import pytest

from autograder.course import open_course
from autograder.grade import grade
from autograder.report import class_report, format_table, write_chart, write_csv
from tests.conftest import submit_notebook, toy_answer

pytestmark = pytest.mark.slow


@pytest.fixture
def graded_course(toy_course):
    """The toy course with Yasmine right, Amine blank, Omar broken and Salma absent."""
    with open_course(toy_course).gradebook() as gb:
        gb.update_or_create_student("yasmine", first_name="Yasmine", last_name="Alaoui")
        gb.update_or_create_student("salma", first_name="Salma", last_name="Chraibi")
    submit_notebook(toy_course, "yasmine", toy_answer(toy_course, "def add_one(n):\n    return n + 1"))
    submit_notebook(toy_course, "amine", toy_answer(toy_course, None))
    submit_notebook(toy_course, "omar", "not a notebook")
    grade(course=toy_course, assignment="t01_toy", steps=["check", "autograde"])
    return toy_course


def test_report_shows_every_learner_and_what_happened(graded_course):
    """Does the report list graded, blank, broken and absent learners, with averages?"""
    report = class_report(course=graded_course)
    rows = {row.student: row for row in report.rows}
    assert report.assignments == ["t01_toy"] and report.max_scores == {"t01_toy": 2.0}
    assert (rows["yasmine"].name, rows["yasmine"].scores["t01_toy"]) == ("Yasmine Alaoui", 2.0)
    assert rows["amine"].scores["t01_toy"] == 0.0
    assert rows["omar"].status["t01_toy"] == "not graded"
    assert rows["salma"].status["t01_toy"] == "missing"
    assert report.average("t01_toy") == 1.0
    assert [row.student for row in report.needs_help()] == ["amine", "omar", "salma"]
    table = format_table(report)
    lines = table.splitlines()
    assert any(line.startswith("Yasmine Alaoui") and line.split()[-3:] == ["2/2", "2/2", "100"]
               for line in lines)
    assert any(line.startswith("omar") and line.split()[1] == "!" for line in lines)
    assert any(line.startswith("Salma Chraibi") and line.split()[2] == "-" for line in lines)
    assert any(line.startswith("class average") and "1.0/2" in line for line in lines)
    assert "Needs help (below 50%): amine, omar, Salma Chraibi" in table


def test_csv_and_chart(graded_course, tmp_path):
    """Are the CSV rows and the PNG chart written whole?"""
    report = class_report(course=graded_course)
    exports = tmp_path / "exports"
    path = write_csv(report, exports / "out" / "grades.csv")
    rows = list(csv.DictReader(path.open()))
    assert [row["student_id"] for row in rows] == ["amine", "omar", "salma", "yasmine"]
    yasmine = rows[-1]
    assert (yasmine["t01_toy_score"], yasmine["t01_toy_max"], yasmine["percent"]) == ("2", "2", "100.0")
    assert rows[1]["t01_toy_status"] == "not graded" and rows[1]["t01_toy_score"] == ""
    chart = write_chart(report, exports / "scores.png")
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert sorted(p.name for p in exports.rglob("*")) == ["grades.csv", "out", "scores.png"]


def test_works_on_a_plain_nbgrader_course(tmp_path):
    """Does the report read a course made by nbgrader alone (no Jazari config)?"""
    import subprocess
    import sys

    import nbformat

    from autograder.config import child_env
    from tests.conftest import toy_notebook

    course = tmp_path / "plain"
    (course / "source" / "hw1").mkdir(parents=True)
    (course / "nbgrader_config.py").write_text("c = get_config()\nc.CourseDirectory.course_id = 'plain'\n")
    nbformat.write(toy_notebook(), course / "source" / "hw1" / "toy.ipynb")
    subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", "hw1"], cwd=course,
                   env=child_env(), check=True, capture_output=True)
    submit_notebook(course, "imane", (course / "source" / "hw1" / "toy.ipynb").read_text(),
                    assignment="hw1")
    run = grade(course=course, assignment="hw1", steps=["check", "autograde"])
    assert [(r.student, r.score) for r in run.results] == [("imane", 2.0)]
    report = class_report(course=course)
    assert [(row.student, row.scores) for row in report.rows] == [("imane", {"hw1": 2.0})]
