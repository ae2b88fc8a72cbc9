"""Tests for autograder.outcomes: statuses stored beside nbgrader's gradebook."""

from __future__ import annotations

import pytest

from autograder.outcomes import Outcome, load, record


def test_outcomes_replace_and_read_back(tmp_path):
    """Does a second outcome for the same learner and unit replace the first, others kept?"""
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    record(url, [Outcome("e01", "amine", "graded"),
                 Outcome("e01", "salma", "crashed", "the notebook stopped at cell 4", ("x",))])
    record(url, [Outcome("e01", "amine", "timed out", "longer than 120 s")])
    got = {(o.student, o.status, o.reason, o.flags) for o in load(url, "e01")}
    assert got == {("amine", "timed out", "longer than 120 s", ()),
                   ("salma", "crashed", "the notebook stopped at cell 4", ("x",))}
    assert load(url, "m01") == []


def _indexes(path) -> set[str]:
    import sqlite3

    with sqlite3.connect(path) as connection:
        return {name for name, in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'jazari%'")}


def test_recording_adds_jazari_indexes_and_goes_on_without_one_it_cannot_add(tmp_path):
    """Does storing outcomes add Jazari's indexes to nbgrader's gradebook, and still store
    them (with the other indexes) when one index cannot be made?"""
    from nbgrader.api import Gradebook

    from autograder.outcomes import INDEXES

    made, blocked = tmp_path / "made.db", tmp_path / "blocked.db"
    for path in (made, blocked):
        Gradebook(f"sqlite:///{path}", course_id="jazari").close()
    import sqlite3

    with sqlite3.connect(blocked) as connection:  # its name taken: that index cannot be made
        connection.execute("CREATE TABLE jazari_submission_by_unit (x)")
    for path in (made, blocked):
        record(f"sqlite:///{path}", [Outcome("e01", "amine", "graded")])
        assert [o.student for o in load(f"sqlite:///{path}")] == ["amine"]
    assert _indexes(made) == set(INDEXES)
    assert _indexes(blocked) == set(INDEXES) - {"jazari_submission_by_unit"}


def test_unknown_status_is_refused():
    """Is a status outside the known list refused at once?"""
    with pytest.raises(ValueError, match="unknown status"):
        Outcome("e01", "amine", "exploded")


def test_learners_groups_and_tracks_are_kept(tmp_path):
    """Does saving a learner twice keep the latest group and track, and others untouched?"""
    from autograder.learners import Learner
    from autograder.learners import load as load_learners
    from autograder.learners import save as save_learners

    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    save_learners(url, [Learner("yasmine", group="A", track="explorers"),
                        Learner("omar", group="B", track="makers")])
    save_learners(url, [Learner("yasmine", group="C", track="explorers")])
    got = load_learners(url)
    assert (got["yasmine"].group, got["yasmine"].track) == ("C", "explorers")
    assert (got["omar"].group, got["omar"].track) == ("B", "makers")
