"""Tests for autograder/grading/gradebooks.py: one connection per run, one transaction per
notebook's scores."""

from __future__ import annotations

import pytest
from nbgrader.api import Gradebook
from nbgrader.preprocessors import saveautogrades

from autograder.course import ensure_bin_on_path
from autograder.grading.gradebooks import shared_gradebook


@pytest.fixture
def gradebook_url(tmp_path) -> str:
    """A gradebook with one submission of a notebook holding a grade cell, a solution cell
    and a task cell (each with its grade or comment rows, as nbgrader makes them)."""
    ensure_bin_on_path()
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with Gradebook(url) as gb:
        gb.add_assignment("a1")
        gb.add_notebook("nb", "a1")
        gb.add_grade_cell("tests", "nb", "a1", max_score=2, cell_type="code")
        gb.add_solution_cell("answer", "nb", "a1")
        gb.add_grade_cell("answer", "nb", "a1", max_score=1, cell_type="code")
        gb.add_task_cell("task", "nb", "a1", max_score=3, cell_type="markdown")
        gb.add_student("amine")
        gb.add_submission("a1", "amine")
    return url


def _scores(url: str) -> dict:
    with Gradebook(url) as gb:
        notebook = gb.find_submission_notebook("nb", "a1", "amine")
        return ({grade.name: grade.auto_score for grade in notebook.grades},
                {comment.name: comment.auto_comment for comment in notebook.comments})


def test_scoring_finds_what_nbgrader_finds_and_saves_it_once(gradebook_url):
    """While a notebook is scored, do its grades and comments come back as the very rows
    nbgrader's own lookups find (grade cells before task cells), and are the changes saved
    when the scoring ends, not before?"""
    with shared_gradebook(gradebook_url, "default_course"):
        view = saveautogrades.Gradebook(gradebook_url)
        with view:
            expected = {name: Gradebook.find_grade(view, name, "nb", "a1", "amine")
                        for name in ("tests", "answer", "task")}
            comments = {name: Gradebook.find_comment(view, name, "nb", "a1", "amine")
                        for name in ("answer", "task")}
            with view.scoring("nb", "a1", "amine"):
                for name, row in expected.items():
                    assert view.find_grade(name, "nb", "a1", "amine") is row
                for name, row in comments.items():
                    assert view.find_comment(name, "nb", "a1", "amine") is row
                view.find_grade("tests", "nb", "a1", "amine").auto_score = 2
                view.db.commit()  # nbgrader's per-cell commit waits for the end
                view.find_comment("answer", "nb", "a1", "amine").auto_comment = "No response."
                view.db.commit()
                assert _scores(gradebook_url)[0]["tests"] is None
            assert _scores(gradebook_url) == ({"tests": 2, "answer": None, "task": None},
                                              {"answer": "No response.", "task": None})


def test_a_scoring_that_fails_saves_nothing(gradebook_url):
    """If scoring a notebook stops with an error half-way, is none of its new scores saved
    (so grading it again starts from a clean state)?"""
    with shared_gradebook(gradebook_url, "default_course"):
        view = saveautogrades.Gradebook(gradebook_url)
        with pytest.raises(RuntimeError), view, view.scoring("nb", "a1", "amine"):
            view.find_grade("tests", "nb", "a1", "amine").auto_score = 2
            view.db.commit()
            raise RuntimeError("stopped half-way")
    assert _scores(gradebook_url) == ({"tests": None, "answer": None, "task": None},
                                      {"answer": None, "task": None})
