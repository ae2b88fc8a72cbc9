"""What the runners are given: the packages they import, and what they say they lack."""

from __future__ import annotations

import sys

from autograder.grading import sandbox
from curriculum import REPO_ROOT


def test_a_same_named_module_beside_the_script_does_not_hide_a_package(tmp_path, monkeypatch):
    """Does the sandbox expose the real ``widgets`` package even when the grading process was
    started from a folder holding a ``widgets.py`` (as ``python benchmarks/grading.py`` is),
    which the runner, started with ``python -P`` in ``/``, never sees?"""
    (tmp_path / "widgets.py").write_text("NOT_THE_PACKAGE = True\n")
    monkeypatch.setattr(sys, "path", [str(tmp_path), *sys.path])
    monkeypatch.delitem(sys.modules, "widgets", raising=False)
    assert sandbox._package_dir("widgets") == (REPO_ROOT / "widgets").resolve()
