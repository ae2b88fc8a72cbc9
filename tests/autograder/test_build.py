"""Tests for autograder/build.py: an nbgrader course made from the syllabus."""

from __future__ import annotations

import json

import pytest

from autograder.build import build_course
from autograder.config import load_course_config
from autograder.errors import JazariError
from curriculum import load_syllabus


def test_build_makes_a_standard_nbgrader_course(tmp_path):
    """Does build make nbgrader_config.py and source/<unit>/ for every unit of the syllabus,
    with the notebooks as written plus the glossary, and the teacher guides in guides/?"""
    result = build_course(out=tmp_path / "course")
    syllabus = load_syllabus()
    assert result.assignments == [unit.id for unit in syllabus.units]
    for unit in syllabus.units:
        for notebook in unit.notebooks:
            copied = tmp_path / "course" / "source" / unit.id / notebook.split("/")[-1]
            built, source = json.loads(copied.read_text()), json.loads(
                (syllabus.root / notebook).read_text())
            # the same cells, then the unit's glossary (autograder/translate.py)
            assert built["cells"][:-1] == source["cells"] and built["metadata"] == source["metadata"]
            assert built["cells"][-1]["id"] == "jazari-glossary"
        assert not (tmp_path / "course" / "source" / unit.id / "mistakes.yaml").exists()
        assert (tmp_path / "course" / "guides" / f"{unit.id}.md").is_file()
    config = load_course_config(tmp_path / "course")
    assert config.CourseDirectory.course_id == "jazari"
    assert config.Exchange.root == str(tmp_path / "course" / "exchange")
    assert config.Execute.timeout == 15 and config.JazariGrade.workers == 0


def test_rebuild_keeps_config_and_replaces_sources(tmp_path, toy_repo):
    """Does a second build keep the trainer's nbgrader_config.py and refresh source/?"""
    course = tmp_path / "course"
    build_course(out=course, syllabus=toy_repo, course_id="first")
    (course / "nbgrader_config.py").write_text("c = get_config()\nc.CourseDirectory.course_id = 'mine'\n")
    (course / "source" / "t01_toy" / "stale.txt").write_text("old")
    result = build_course(out=course, syllabus=toy_repo, course_id="second")
    assert not result.config_written
    assert load_course_config(course).CourseDirectory.course_id == "mine"
    assert not (course / "source" / "t01_toy" / "stale.txt").exists()
    assert (course / "source" / "t01_toy" / "toy.ipynb").exists()


def test_unknown_language_and_unit(tmp_path, toy_repo):
    """Are an unknown language and an unknown unit refused, naming what exists?"""
    with pytest.raises(JazariError,
                       match=r"--lang xx: no notebooks in that language yet \(available: en, fr, ar\)"):
        build_course(out=tmp_path / "c", lang="xx", syllabus=toy_repo)
    with pytest.raises(JazariError, match=r"unknown unit\(s\) nope \(units: t01_toy\)"):
        build_course(out=tmp_path / "c", syllabus=toy_repo, units=["nope"])
    assert not (tmp_path / "c").exists()


def test_a_broken_notebook_stops_the_build_before_anything_is_written(tmp_path, toy_repo):
    """Does a notebook that is not JSON stop the build with one line, leaving no course?"""
    notebook = toy_repo.parent.parent / "age_8_12" / "t01_toy" / "toy.ipynb"
    notebook.write_text("{oops")
    with pytest.raises(JazariError) as caught:
        build_course(out=tmp_path / "c", syllabus=toy_repo)
    assert str(caught.value).startswith(f"{notebook}: is not valid JSON")
    assert not (tmp_path / "c").exists()


def test_a_malformed_syllabus_is_reported(tmp_path, toy_repo):
    """Is a malformed syllabus reported as one line per problem, naming the file?"""
    toy_repo.write_text(toy_repo.read_text().replace("toy.ipynb", "lost.ipynb"))
    with pytest.raises(JazariError, match=f"{toy_repo}: unit 't01_toy': notebook"):
        build_course(out=tmp_path / "c", syllabus=toy_repo)
