"""Tests for autograder/config.py: Jazari's options in nbgrader's config system."""

from __future__ import annotations

import pytest

from autograder.cli import main
from autograder.config import JazariGrade, load_course_config
from autograder.errors import JazariError


def test_one_file_configures_nbgrader_and_jazari(tmp_path):
    """Are nbgrader's and Jazari's options read from the same nbgrader_config.py?"""
    (tmp_path / "nbgrader_config.py").write_text(
        "c = get_config()\nc.CourseDirectory.course_id = 'atlas'\nc.JazariGrade.workers = 3\n"
        "c.JazariGrade.steps = ['check', 'autograde']\n")
    config = load_course_config(tmp_path)
    settings = JazariGrade(config=config)
    assert config.CourseDirectory.course_id == "atlas"
    assert (settings.worker_count(), settings.steps) == (3, ["check", "autograde"])
    assert JazariGrade.class_traits()["submission_timeout"].help


def test_bad_options_are_one_clear_line(tmp_path, capsys):
    """Are an unknown grading step and a broken config file reported clearly?"""
    config = tmp_path / "nbgrader_config.py"
    config.write_text("c = get_config()\nc.JazariGrade.steps = ['autograde', 'dance']\n")
    with pytest.raises(JazariError, match=r"unknown step\(s\) dance"):
        JazariGrade(config=load_course_config(tmp_path))
    config.write_text("c = get_config(\n")
    assert main(["report", "--course", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"jazari: {config}: cannot be read (SyntaxError") and err.count("\n") == 1
