"""Tests for autograder/manifest.py: what a course records about how it was built."""

from __future__ import annotations

import pytest

from autograder.build import build_course
from autograder.errors import JazariError
from autograder.manifest import MANIFEST_NAME, course_manifest, read_manifest, write_manifest
from curriculum import SyllabusError, load_syllabus
from tests.conftest import TOY_SYLLABUS


def test_build_records_the_language_and_the_whole_syllabus(tmp_path):
    """Does `jazari build` leave a manifest with the language, tracks, objectives and cells?"""
    course = tmp_path / "course"
    build_course(out=course, units=["e01_hello_robot"])
    manifest = read_manifest(course)
    syllabus = load_syllabus()
    assert manifest.lang == "en" and set(manifest.tracks) == set(syllabus.tracks)
    assert [u.id for u in manifest.units] == [u.id for u in syllabus.units]  # all, not only built
    robot = manifest.unit("e01_hello_robot")
    assert robot.objectives == syllabus.unit("e01_hello_robot").objectives
    assert robot.cell_objectives["star_program_tests"] == 2 and robot.big_ideas == (2,)
    assert manifest.big_ideas[3] == "Learning" and not manifest.note


def test_round_trip_and_no_temporary_file(tmp_path):
    """Is a written manifest read back equal, with nothing else left in the folder?"""
    syllabus = load_syllabus()
    path = write_manifest(tmp_path, syllabus, "ar")
    assert path == tmp_path / MANIFEST_NAME and [p.name for p in tmp_path.iterdir()] == [MANIFEST_NAME]
    manifest = read_manifest(tmp_path)
    assert manifest.lang == "ar" and manifest.units == syllabus.units


def test_missing_manifest_falls_back_to_the_syllabus_with_a_note(tmp_path):
    """Does a course without a manifest use this checkout's syllabus, and say so?"""
    assert read_manifest(tmp_path) is None
    manifest = course_manifest(tmp_path)
    assert manifest.units == load_syllabus().units and "no jazari_course.yaml" in manifest.note


def test_a_broken_manifest_is_one_clear_error(tmp_path):
    """Is a corrupt manifest one JazariError naming the file?"""
    (tmp_path / MANIFEST_NAME).write_text("units: [ {id: x\n")
    with pytest.raises(JazariError, match=f"{MANIFEST_NAME}: cannot be read"):
        read_manifest(tmp_path)


def test_syllabus_cells_must_be_graded_cells_and_objective_numbers(toy_repo):
    """Does the syllabus refuse a cell that is not graded and an objective number out of range?"""
    text = TOY_SYLLABUS.replace("    minutes: 45\n", "    cells: {add_one_tests: 1}\n    minutes: 45\n")
    toy_repo.write_text(text)
    assert load_syllabus(toy_repo).unit("t01_toy").cell_objectives == {"add_one_tests": 1}
    toy_repo.write_text(text.replace("add_one_tests: 1", "add_one_answer: 1, add_one_tests: 2"))
    with pytest.raises(SyllabusError) as caught:
        load_syllabus(toy_repo)
    assert caught.value.problems == [
        f"{toy_repo}: unit 't01_toy': cell 'add_one_tests' maps to 2, not an objective number "
        "(1 to 1)"]
    toy_repo.write_text(text.replace("add_one_tests: 1", "add_one_answer: 1"))
    with pytest.raises(SyllabusError) as caught:
        load_syllabus(toy_repo)
    assert caught.value.problems == [
        f"{toy_repo}: unit 't01_toy': cell 'add_one_answer' is not a graded cell of its "
        "notebooks (graded: add_one_tests)"]
