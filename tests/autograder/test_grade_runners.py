"""What the runners are given: the packages they import, and what they say they lack."""

from __future__ import annotations

import os
import sys

import pytest

from autograder.errors import JazariError
from autograder.grade import grade
from autograder.grading import sandbox
from curriculum import REPO_ROOT
from tests.conftest import submit_notebook, toy_answer

RIGHT = "def add_one(n):\n    return n + 1\n"


def test_a_same_named_module_beside_the_script_does_not_hide_a_package(tmp_path, monkeypatch):
    """Does the sandbox expose the real ``widgets`` package even when the grading process was
    started from a folder holding a ``widgets.py`` (as ``python benchmarks/grading.py`` is),
    which the runner, started with ``python -P`` in ``/``, never sees?"""
    (tmp_path / "widgets.py").write_text("NOT_THE_PACKAGE = True\n")
    monkeypatch.setattr(sys, "path", [str(tmp_path), *sys.path])
    monkeypatch.delitem(sys.modules, "widgets", raising=False)
    assert sandbox._package_dir("widgets") == (REPO_ROOT / "widgets").resolve()


def test_without_bubblewrap_root_refuses_if_nobody_cannot_run_python(monkeypatch, tmp_path):
    """Without bubblewrap, does root refuse with one line (rather than run learners' code
    as root) when the user 'nobody' cannot start this Python?"""
    monkeypatch.setenv("JAZARI_BWRAP", "no-such-bubblewrap")
    monkeypatch.setattr(sandbox.os, "geteuid", lambda: 0)
    monkeypatch.setattr(sandbox, "_can_run_python", lambda user: False)
    with pytest.raises(JazariError, match="'nobody' cannot run this Python"):
        sandbox.sandbox_command(mode="auto", course=tmp_path, exchange=None,
                                tmp_bytes=1 << 20, extra_hidden=[])


def test_without_bubblewrap_the_class_is_graded_with_a_warning(toy_course, monkeypatch):
    """When bubblewrap is missing (JAZARI_BWRAP names no program), is the class still graded
    right, under resource limits, with a warning that says so, while 'bubblewrap' mode
    refuses?"""
    monkeypatch.setenv("JAZARI_BWRAP", "no-such-bubblewrap")
    assert not sandbox.bubblewrap_works()
    with pytest.raises(JazariError, match="bubblewrap cannot run here"):
        sandbox.sandbox_command(mode="bubblewrap", course=toy_course, exchange=None,
                                tmp_bytes=1 << 20, extra_hidden=[])
    if os.geteuid() == 0 and not sandbox._can_run_python(sandbox._nobody()):
        # This machine's Python is out of nobody's reach (the test above covers the
        # refusal): grade as an unprivileged trainer would, as oneself under the limits.
        monkeypatch.setattr(sandbox, "_fallback_user", lambda: None)
    submit_notebook(toy_course, "right", toy_answer(toy_course, RIGHT))
    submit_notebook(toy_course, "wrong", toy_answer(toy_course, "def add_one(n):\n    return n"))
    submit_notebook(toy_course, "loops", toy_answer(toy_course, "while True:\n    pass"))
    run = grade(course=toy_course, assignment="t01_toy", steps=["check", "autograde"])
    assert any("bubblewrap cannot run here: grading with resource limits" in note
               for note in run.notes), run.notes
    assert {r.student: (r.status, r.score) for r in run.results} == {
        "right": ("graded", 2), "wrong": ("graded", 0), "loops": ("graded", 0)}


def test_waiting_for_a_free_runner_counts_against_no_time_limit(toy_course):
    """With one runner and three submissions of 3 s each (9 s in all) under a 5 s limit per
    submission, is every one graded? Two are in flight for the one runner, so one waits a
    whole run (3 s) and then runs 3 s: its clock must start only when a runner takes it."""
    config = toy_course / "nbgrader_config.py"
    config.write_text(config.read_text() + "\nc.JazariGrade.submission_timeout = 5\n")
    slow = "import time\ntime.sleep(3)\n" + RIGHT
    for student in ("first", "second", "third"):
        submit_notebook(toy_course, student, toy_answer(toy_course, slow))
    run = grade(course=toy_course, assignment="t01_toy", workers=1,
                steps=["check", "autograde"])
    assert {r.student: (r.status, r.score) for r in run.results} == {
        "first": ("graded", 2), "second": ("graded", 2), "third": ("graded", 2)}
    assert all(r.seconds >= 3 for r in run.results)
