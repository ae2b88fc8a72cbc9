"""Hostile notebooks: tricks in a learner's own cell must not turn a wrong answer into points.

Each submission below answers ``add_one`` wrongly (it returns ``n``) and adds one trick in the
same cell. The unit's test cells use a plain ``assert`` (with a hidden test) and a check
from ``widgets.checks``. Every trick must score 0 and, where the grader can see the trick,
be flagged for the trainer with the reason stored beside the gradebook.
"""

from __future__ import annotations

import textwrap

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from autograder import outcomes
from autograder.course import open_course
from autograder.grade import grade
from tests.conftest import TOY_SYLLABUS, _meta, submit_notebook

pytestmark = pytest.mark.slow

WRONG = "def add_one(n):\n    return n\n"
RIGHT = "def add_one(n):\n    return n + 1\n"


def assert_notebook():
    """A unit whose first test cell uses bare asserts and the second a widgets check."""
    answer = new_code_cell("def add_one(n):\n    ### BEGIN SOLUTION\n    return n + 1\n"
                           "    ### END SOLUTION", metadata=_meta("add_one_answer", solution=True))
    asserts = new_code_cell(textwrap.dedent("""\
        assert add_one(1) == 2
        ### BEGIN HIDDEN TESTS
        assert add_one(41) == 42
        ### END HIDDEN TESTS"""), metadata=_meta("asserts", grade=True, locked=True, points=2))
    checks = new_code_cell(textwrap.dedent("""\
        from widgets.checks import expect_equal
        expect_equal(add_one(2), 3, "add_one(2)")"""),
        metadata=_meta("checks", grade=True, locked=True, points=1))
    notebook = new_notebook(cells=[new_markdown_cell("# Add one"), answer, asserts, checks])
    notebook.metadata.kernelspec = {"name": "python3", "display_name": "Python 3",
                                    "language": "python"}
    return notebook


@pytest.fixture(scope="module")
def hostile_course(tmp_path_factory):
    """A released course of the assert unit (built once for this module's tests)."""
    from autograder.build import build_course
    from autograder.release import release

    root = tmp_path_factory.mktemp("hostile")
    repo = root / "repo"
    (repo / "curriculum" / "guides").mkdir(parents=True)
    (repo / "age_8_12" / "t01_toy").mkdir(parents=True)
    (repo / "age_13_18").mkdir()
    (repo / "curriculum" / "guides" / "t01_toy.md").write_text("# Add one\n")
    nbformat.write(assert_notebook(), repo / "age_8_12" / "t01_toy" / "toy.ipynb")
    (repo / "curriculum" / "syllabus.yaml").write_text(TOY_SYLLABUS)
    course = root / "course"
    build_course(out=course, syllabus=repo / "curriculum" / "syllabus.yaml")
    config = course / "nbgrader_config.py"
    config.write_text(config.read_text() + "\nc.Execute.timeout = 5\n"
                      "c.JazariGrade.submission_timeout = 20\n")
    release(course=course, assignment="t01_toy")
    return course


TRICKS = {
    "ast_transformer": """
import ast
class DropAsserts(ast.NodeTransformer):
    def visit_Assert(self, node):
        return ast.Pass()
get_ipython().ast_transformers.append(DropAsserts())
""",
    "input_transformer": """
get_ipython().input_transformers_post.append(lambda lines: ["pass\\n"])
get_ipython().input_transformers_cleanup.append(lambda lines: ["pass\\n"])
""",
    "always_equal": """
class Anything(int):
    def __eq__(self, other):
        return True
    def __ne__(self, other):
        return False
    __hash__ = int.__hash__
class Whatever:
    def __eq__(self, other):
        return True
def add_one(n):
    return Whatever() if n != 2 else Anything(0)
""",
    "patched_helpers": """
import builtins
import sys
import widgets.checks
vars(sys.modules["widgets.checks"])["expect_equal"] = lambda *args, **kwargs: None
builtins.AssertionError = type("AssertionError", (Exception,), {})
""",
    "hidden_traceback": """
get_ipython().showtraceback = lambda *args, **kwargs: None
get_ipython()._showtraceback = lambda *args, **kwargs: None
""",
    "custom_exception_handler": """
get_ipython().set_custom_exc((BaseException,), lambda shell, etype, value, tb, tb_offset=None: [])
""",
    "trace_hook": """
import sys
def skip(frame, event, arg):
    return None
sys.settrace(skip)
""",
    "early_exit": """
import os
os._exit(0)
""",
    "sys_exit": """
import sys
sys.exit(0)
""",
    "rewrites_later_cells": """
ip = get_ipython()
real = ip.run_cell
def run_cell(raw_cell, *args, **kwargs):
    return real("pass", *args, **kwargs)
ip.run_cell = run_cell
type(ip).run_cell = run_cell
""",
}


@pytest.fixture(scope="module")
def graded(hostile_course):
    """Every trick (plus an honest right and wrong answer) handed in and graded once."""
    for name, trick in TRICKS.items():
        submit_notebook(hostile_course, name, _answer(hostile_course, WRONG + trick))
    submit_notebook(hostile_course, "honest_right", _answer(hostile_course, RIGHT))
    submit_notebook(hostile_course, "honest_wrong", _answer(hostile_course, WRONG))
    run = grade(course=hostile_course, assignment="t01_toy", steps=["check", "autograde"])
    stored = {o.student: o for o in outcomes.load(open_course(hostile_course).db_url, "t01_toy")}
    return {r.student: r for r in run.results}, stored


def _answer(course, code):
    notebook = nbformat.read(course / "release" / "t01_toy" / "toy.ipynb", as_version=4)
    notebook.cells[1].source = code
    return nbformat.writes(notebook)


def test_honest_answers_score_as_usual(graded):
    """Does an honest right answer get full marks and an honest wrong one 0, unflagged?"""
    results, stored = graded
    assert (results["honest_right"].status, results["honest_right"].score) == ("graded", 3)
    assert (results["honest_wrong"].status, results["honest_wrong"].score) == ("graded", 0)
    assert stored["honest_right"].flags == () and stored["honest_wrong"].flags == ()


@pytest.mark.parametrize("trick", ["ast_transformer", "input_transformer", "always_equal",
                                   "patched_helpers", "hidden_traceback",
                                   "custom_exception_handler", "trace_hook",
                                   "rewrites_later_cells"])
def test_a_trick_in_the_answer_cell_scores_zero_and_is_flagged(graded, trick):
    """Does a wrong answer with this trick still score 0, flagged and stored as flagged?"""
    results, stored = graded
    result = results[trick]
    assert result.score == 0, (trick, result)
    assert result.status == "flagged" and result.flags, (trick, result)
    assert stored[trick].status == "flagged" and stored[trick].flags == tuple(result.flags)


def test_an_early_exit_scores_zero_and_says_the_run_stopped(graded):
    """Does a notebook that ends its own process early score 0, as 'crashed', with a reason?"""
    results, stored = graded
    result = results["early_exit"]
    assert (result.status, result.score) == ("crashed", 0)
    assert "after 0 of 3 code cells" in result.problem
    assert stored["early_exit"].status == "crashed" and stored["early_exit"].reason


def test_sys_exit_is_an_error_in_its_own_cell_only(graded):
    """Does sys.exit() in an answer cell just fail that cell, the tests running on (and
    failing the wrong answer)?"""
    results, _stored = graded
    assert (results["sys_exit"].status, results["sys_exit"].score) == ("graded", 0)


def test_edited_or_deleted_locked_cells_are_put_back_and_flagged(hostile_course, graded):
    """Does a notebook whose test cell was emptied get its real score (the cell put back as
    released), one whose test cell was deleted lose that cell's points (as with nbgrader),
    both flagged with what was changed?"""
    emptied = nbformat.reads(_answer(hostile_course, WRONG), as_version=4)
    emptied.cells[2].source = "pass"
    deleted = nbformat.reads(_answer(hostile_course, RIGHT), as_version=4)
    del deleted.cells[3]
    submit_notebook(hostile_course, "emptied", nbformat.writes(emptied))
    submit_notebook(hostile_course, "deleted", nbformat.writes(deleted))
    run = grade(course=hostile_course, assignment="t01_toy", steps=["check", "autograde"],
                students=["deleted", "emptied"])
    results = {r.student: r for r in run.results}
    assert (results["emptied"].status, results["emptied"].score) == ("flagged", 0)
    assert results["emptied"].flags == ["toy.ipynb: edited a locked cell (put back as released)"]
    assert (results["deleted"].status, results["deleted"].score) == ("flagged", 2)
    assert results["deleted"].flags == ["toy.ipynb: deleted a locked cell (it scores 0)"]
