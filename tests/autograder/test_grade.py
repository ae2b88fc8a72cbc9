"""Tests for autograder/grade.py: a whole class graded, whatever some learners hand in."""

from __future__ import annotations

import json

import pytest

from autograder.grade import grade
from tests.conftest import submit_notebook, toy_answer

pytestmark = pytest.mark.slow

RIGHT = "def add_one(n):\n    return n + 1"


def _by_student(run):
    return {result.student: result for result in run.results}


def test_scores_follow_the_work_and_broken_notebooks_do_not_stop_the_class(toy_course):
    """Do right, wrong, blank, raising and looping work get the right scores, while a
    notebook that is not JSON is reported in one line and the others are still graded?"""
    submit_notebook(toy_course, "right", toy_answer(toy_course, RIGHT))
    submit_notebook(toy_course, "hardcoded", toy_answer(toy_course, "def add_one(n):\n    return 2"))
    submit_notebook(toy_course, "blank", toy_answer(toy_course, None))
    submit_notebook(toy_course, "raises", toy_answer(toy_course, "def add_one(n):\n    return m + 1"))
    submit_notebook(toy_course, "loops", toy_answer(toy_course, "def add_one(n):\n    while n:\n        pass"))
    submit_notebook(toy_course, "notjson", "{this is not json")
    run = grade(course=toy_course, assignment="t01_toy")
    results = _by_student(run)
    assert results["right"].status == "graded" and results["right"].score == 2
    assert results["right"].max_score == 2
    for student in ("hardcoded", "blank", "raises", "loops"):
        assert (results[student].status, results[student].score) == ("graded", 0), student
    broken = results["notjson"]
    assert broken.status == "invalid" and broken.score is None
    assert broken.problem == (f"{toy_course}/submitted/notjson/t01_toy/toy.ipynb: is not valid "
                              "JSON (line 1, column 2: Expecting property name enclosed in "
                              "double quotes)")
    assert [r.student for r in run.problems] == ["notjson"]
    feedback = toy_course / "feedback" / "right" / "t01_toy" / "toy.html"
    assert feedback.is_file() and "Well done" in feedback.read_text()


def test_agrees_with_nbgrader_autograde(toy_course, tmp_path):
    """Are Jazari's scores exactly those that `nbgrader autograde` gives the same work?"""
    import shutil
    import subprocess
    import sys

    from autograder.config import child_env
    from autograder.course import open_course

    works = {"a": RIGHT, "b": "def add_one(n):\n    return n", "c": None}
    for student, code in works.items():
        submit_notebook(toy_course, student, toy_answer(toy_course, code))
    twin = tmp_path / "twin"
    shutil.copytree(toy_course, twin)
    (twin / "gradebook.db").unlink()
    (twin / "nbgrader_config.py").write_text(
        (toy_course / "nbgrader_config.py").read_text() + f"\nc.CourseDirectory.root = {str(twin)!r}\n")
    run = grade(course=toy_course, assignment="t01_toy", steps=["autograde"])
    nbgrader = [sys.executable, "-m", "nbgrader"]
    subprocess.run([*nbgrader, "generate_assignment", "t01_toy", "--force"], cwd=twin,
                   env=child_env(), check=True, capture_output=True)
    subprocess.run([*nbgrader, "autograde", "t01_toy"], cwd=twin, env=child_env(), check=True,
                   capture_output=True)
    with open_course(twin).gradebook() as gb:
        theirs = {s: gb.find_submission("t01_toy", s).score for s in works}
    ours = {r.student: r.score for r in run.results}
    assert ours == theirs == {"a": 2, "b": 0, "c": 0}


def test_a_grader_that_hangs_is_stopped_and_the_rest_graded(toy_course):
    """When one submission outlasts the time allowed, is it stopped and the others graded?"""
    config = toy_course / "nbgrader_config.py"
    config.write_text(config.read_text() + "\nc.Execute.timeout = 120\n"
                      "c.JazariGrade.submission_timeout = 30\n")
    submit_notebook(toy_course, "a_stuck", toy_answer(toy_course, "import time\ntime.sleep(600)"))
    submit_notebook(toy_course, "b_fine", toy_answer(toy_course, RIGHT))
    run = grade(course=toy_course, assignment="t01_toy", workers=1, steps=["check", "autograde"])
    results = _by_student(run)
    assert results["a_stuck"].status == "timed out"
    assert "longer than 30 s" in results["a_stuck"].problem
    assert (results["b_fine"].status, results["b_fine"].score) == ("graded", 2)


def test_collects_from_the_exchange(toy_course):
    """Are submissions waiting in the exchange collected before grading?"""
    from autograder.classroom import fetch, submit
    from autograder.course import open_course

    course = open_course(toy_course)
    home = toy_course.parent / "home" / "salma"
    folder = fetch(course, "t01_toy", student="salma", home=home)
    notebook = json.loads((folder / "toy.ipynb").read_text())
    notebook["cells"][1]["source"] = RIGHT
    (folder / "toy.ipynb").write_text(json.dumps(notebook))
    submit(course, "t01_toy", student="salma", home=home)
    run = grade(course=toy_course, assignment="t01_toy")
    assert [(r.student, r.status, r.score) for r in run.results] == [("salma", "graded", 2)]
    assert "feedback returned to 1 learner(s) through the exchange" in run.notes
    returned = list((toy_course / "exchange" / "jazari" / "feedback").glob("*.html"))
    assert len(returned) == 1 and "Well done" in returned[0].read_text()


def test_no_submissions_and_unknown_assignment(toy_course):
    """Is a unit with no submissions a note, and an unknown unit one clear error?"""
    from autograder.errors import JazariError

    run = grade(course=toy_course, assignment="t01_toy")
    assert run.results == [] and "no submissions of 't01_toy' to grade" in run.notes
    with pytest.raises(JazariError, match=r"unknown assignment 'nope' \(this course has: t01_toy\)"):
        grade(course=toy_course, assignment="nope")
