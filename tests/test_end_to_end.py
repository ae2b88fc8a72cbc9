"""The classroom cycle with the real units: build → release → submit → grade → report."""

from __future__ import annotations

import csv

import pytest

from autograder.build import build_course
from autograder.classroom import fetch, submit
from autograder.course import open_course
from autograder.demo import make_submission
from autograder.grade import grade
from autograder.mistakes import load_mistakes
from autograder.notebooks import read_notebook
from autograder.release import release
from autograder.report import class_report, format_table, write_csv
from curriculum import load_syllabus

pytestmark = pytest.mark.slow


def test_build_release_submit_grade_report(tmp_path):
    """Do learners who fetch and submit through the exchange end up in the gradebook with
    full marks for complete work, zero for empty work and less than full for a mistake?"""
    syllabus = load_syllabus()
    course_dir = tmp_path / "course"
    built = build_course(out=course_dir, lang="en")
    course = open_course(course_dir)
    work = {"imane": "complete", "omar": "empty", "salma": "wrong"}
    for unit_id in built.assignments:
        release(course=course_dir, assignment=unit_id)
        unit = syllabus.unit(unit_id)
        mistakes = load_mistakes(syllabus.root / unit.folder / "mistakes.yaml")
        for student, kind in work.items():
            home = tmp_path / "homes" / student
            folder = fetch(course, unit_id, student=student, home=home)
            for notebook in unit.notebooks:
                name = notebook.split("/")[-1]
                handed_in = make_submission(kind, read_notebook(folder / name),
                                            read_notebook(syllabus.root / notebook), mistakes)
                (folder / name).write_text(__import__("nbformat").writes(handed_in))
            submit(course, unit_id, student=student, home=home)
    for unit_id in built.assignments:
        run = grade(course=course_dir, assignment=unit_id)
        assert [r.student for r in run.results] == sorted(work)
        assert not run.problems
        for student in work:
            assert (course_dir / "feedback" / student / unit_id).is_dir()
    report = class_report(course=course_dir)
    assert report.assignments == built.assignments
    rows = {row.student: row for row in report.rows}
    for unit_id in built.assignments:
        possible = report.max_scores[unit_id]
        assert possible >= 4
        assert rows["imane"].scores[unit_id] == possible
        assert rows["omar"].scores[unit_id] == 0
        assert 0 <= rows["salma"].scores[unit_id] < possible
    assert "omar" in format_table(report).splitlines()[-2]  # needs help
    exported = list(csv.DictReader(write_csv(report, tmp_path / "grades.csv").open()))
    assert [row["student_id"] for row in exported] == ["imane", "omar", "salma"]
    assert exported[0]["percent"] == "100.0" and exported[1]["percent"] == "0.0"
