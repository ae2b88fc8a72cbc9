"""Tests for curriculum/syllabus.py: the programme as data and its validator."""

from __future__ import annotations

import pytest

from curriculum import BIG_IDEAS, SyllabusError, load_syllabus
from tests.conftest import TOY_SYLLABUS


def test_the_real_syllabus_loads_with_one_unit_per_track():
    """Does the committed syllabus validate, with a unit in each track?"""
    syllabus = load_syllabus()
    assert set(syllabus.tracks) == {"explorers", "makers"}
    assert syllabus.units_of("explorers") and syllabus.units_of("makers")
    for unit in syllabus.units:
        assert set(unit.big_ideas) <= set(BIG_IDEAS)
        assert unit.notebooks[0].startswith(syllabus.tracks[unit.track].folder + "/")
        assert (syllabus.root / unit.guide).is_file()


def test_ids_are_unique_across_tracks():
    """Are unit ids (nbgrader assignment ids) unique across both tracks?"""
    ids = [unit.id for unit in load_syllabus().units]
    assert len(ids) == len(set(ids))


def _problems(toy_repo, text):
    toy_repo.write_text(text)
    with pytest.raises(SyllabusError) as caught:
        load_syllabus(toy_repo)
    return caught.value.problems


def test_missing_notebook_is_one_line_naming_file_and_unit(toy_repo):
    """Does a missing notebook give one line naming the syllabus, the unit and the path?"""
    problems = _problems(toy_repo, TOY_SYLLABUS.replace("toy.ipynb", "gone.ipynb"))
    assert problems == [f"{toy_repo}: unit 't01_toy': notebook "
                        "'age_8_12/t01_toy/gone.ipynb' does not exist"]


def test_duplicate_id(toy_repo):
    """Is a unit id used twice reported?"""
    units = TOY_SYLLABUS.split("units:\n")[1]
    problems = _problems(toy_repo, TOY_SYLLABUS + units)
    assert problems == [f"{toy_repo}: unit 't01_toy': the id is used by another unit"]


def test_unknown_big_idea(toy_repo):
    """Is a big idea outside AI4K12's 1–5 reported?"""
    problems = _problems(toy_repo, TOY_SYLLABUS.replace("big_ideas: [2]", "big_ideas: [2, 7]"))
    assert problems == [f"{toy_repo}: unit 't01_toy': unknown big idea 7 "
                        "(AI4K12 big ideas are 1 to 5)"]


def test_unit_in_the_wrong_track_folder(toy_repo):
    """Is an Explorers unit whose notebook sits in the Makers folder reported?"""
    text = TOY_SYLLABUS.replace("track: explorers", "track: makers").replace(
        'ages: "8-12"\n    big', 'ages: "13-18"\n    big')
    problems = _problems(toy_repo, text)
    assert problems == [f"{toy_repo}: unit 't01_toy': notebook 'age_8_12/t01_toy/toy.ipynb' "
                        "is not in the 'age_13_18/' folder of track 'makers'"]


def test_every_problem_is_reported_at_once(toy_repo):
    """Does the author see all problems in one go, one line each?"""
    text = (TOY_SYLLABUS.replace("big_ideas: [2]", "big_ideas: [0]")
            .replace("t01_toy.md", "missing.md").replace("minutes: 45", "minutes: soon"))
    problems = _problems(toy_repo, text)
    assert len(problems) == 1 and "'minutes' must be a positive whole number" in problems[0]
    problems = _problems(toy_repo, TOY_SYLLABUS.replace("big_ideas: [2]", "big_ideas: [0]")
                         .replace("t01_toy.md", "missing.md"))
    assert len(problems) == 2
    assert "unknown big idea 0" in problems[0]
    assert "teacher guide 'curriculum/guides/missing.md' does not exist" in problems[1]


@pytest.mark.parametrize("text, expected", [
    ("tracks: [\n", "not valid YAML at line 2"),
    ("- just\n- a list\n", "must be a mapping with 'tracks' and 'units'"),
    ("tracks: []\nunits: []\n", "'tracks' must be a non-empty list"),
])
def test_malformed_file(toy_repo, text, expected):
    """Is a malformed syllabus file named, with what is wrong?"""
    problems = _problems(toy_repo, text)
    assert problems[0].startswith(f"{toy_repo}: ")
    assert expected in problems[0]


def test_missing_fields_and_unknown_track(toy_repo):
    """Are a unit without a title and a unit of an unknown track reported?"""
    problems = _problems(toy_repo, TOY_SYLLABUS.replace("    title: Add one\n", ""))
    assert problems == [f"{toy_repo}: unit 't01_toy': missing title"]
    problems = _problems(toy_repo, TOY_SYLLABUS.replace("track: explorers", "track: pirates"))
    assert problems == [f"{toy_repo}: unit 't01_toy': unknown track 'pirates' "
                        "(tracks: explorers, makers)"]


def test_syllabus_file_missing(tmp_path):
    """Does a syllabus path that does not exist give one clear line?"""
    with pytest.raises(SyllabusError, match="the syllabus file does not exist"):
        load_syllabus(tmp_path / "nope.yaml")
