"""Tests for autograder/release.py: student versions released through the exchange."""

from __future__ import annotations

import pytest

from autograder.errors import JazariError
from autograder.release import release
from tests.conftest import toy_notebook

pytestmark = pytest.mark.slow


def test_release_makes_a_student_version_without_solutions_or_hidden_tests(toy_course):
    """Is the released notebook free of solutions and hidden tests, and in the exchange?"""
    released = (toy_course / "release" / "t01_toy" / "toy.ipynb").read_text()
    assert "return n + 1" not in released and "add_one(41)" not in released
    assert "NotImplementedError" in released
    outbound = toy_course / "exchange" / "jazari" / "outbound" / "t01_toy" / "toy.ipynb"
    assert outbound.read_text() == released


def test_releasing_twice_needs_force(toy_course):
    """Does a second release say it is already released, and --force release again?"""
    with pytest.raises(JazariError, match="already released; use --force"):
        release(course=toy_course, assignment="t01_toy")
    release(course=toy_course, assignment="t01_toy", force=True)


def test_unknown_assignment_and_missing_course(tmp_path, toy_course):
    """Are an unknown unit and a folder that is not a course refused in one line?"""
    with pytest.raises(JazariError, match=r"unknown assignment 'nope' \(source/ has: t01_toy\)"):
        release(course=toy_course, assignment="nope")
    with pytest.raises(JazariError, match="no such course folder"):
        release(course=tmp_path / "nowhere", assignment="t01_toy")
    (tmp_path / "empty").mkdir()
    with pytest.raises(JazariError, match="not an nbgrader course"):
        release(course=tmp_path / "empty", assignment="t01_toy")


def test_a_broken_source_notebook_is_refused(toy_course):
    """Does a source notebook with too-new nbgrader metadata stop the release with one line?"""
    import nbformat

    notebook = toy_notebook()
    notebook.cells[2].metadata.nbgrader["schema_version"] = 99
    path = toy_course / "source" / "t01_toy" / "toy.ipynb"
    nbformat.write(notebook, path)
    with pytest.raises(JazariError, match="cannot be graded"):
        release(course=toy_course, assignment="t01_toy", force=True)
