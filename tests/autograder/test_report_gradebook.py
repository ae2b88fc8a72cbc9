"""Tests for autograder/reports/gradebook.py: sums done by the database agree with Python's."""

from __future__ import annotations

import random
import threading

import pytest

from autograder.reports import class_report
from autograder.reports.gradebook import read_cell_scores, read_gradebook
from tests.autograder.report_helpers import CELLS, make_course

pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """Twelve learners with random points (some full, some partial, some zero) on one of the
    units, two of them timed out."""
    numbers = random.Random(11)
    results, tracks = {}, {}
    for index in range(12):
        sid = f"learner{index:02d}"
        unit = "e_robot" if index % 2 else "m_knn"
        cells = CELLS[unit][1]
        results[sid] = {unit: {cell: numbers.choice([0, most / 2, most, most])
                               for cell, most in cells.items() if numbers.random() < 0.9}}
        tracks[sid] = "explorers" if unit == "e_robot" else "makers"
    status = {("learner03", "e_robot"): ("timed out", "took too long"),
              ("learner04", "m_knn"): ("timed out", "took too long")}
    course = make_course(tmp_path_factory.mktemp("fast") / "class", results, tracks=tracks,
                         outcome_status=status)
    return course


def test_database_sums_match_the_straightforward_computation(synthetic):
    """Do totals, mastery per objective and big idea, and the missed exercises, summed in
    SQL, equal the same figures computed in Python from every grade cell's points?"""
    fast = class_report(course=synthetic, cells=False, mastery=True)
    scores = read_cell_scores(f"sqlite:///{synthetic / 'gradebook.db'}")
    checked = 0
    for track in fast.tracks:
        for row in track.rows:
            for unit in track.units:
                mark = row.marks[unit.id]
                assert mark.cells == {}  # the fast path never read the cells
                cells = scores.get((row.student, unit.id), {}) if mark.score is not None else {}
                if mark.score is not None:
                    assert mark.score == pytest.approx(sum(cells.values()))
                for objective in unit.objectives:
                    expected = None
                    if mark.score is not None and objective.possible:
                        expected = 100.0 * sum(cells.get(c, 0.0) for c in objective.cells) \
                            / objective.possible
                    value = track.objective_mastery(row, objective)
                    assert value == pytest.approx(expected) if expected is not None \
                        else value is None
                    missed = [c for c in objective.cells
                              if cells.get(c, 0.0) < objective.maxima.get(c, 0.0)]
                    assert track.missed(row, objective) == missed
                    checked += 1
    assert checked == 12 * 2  # every learner, both objectives of their unit
    # Some learners missed something and some got everything, so both ways were tried.
    missed = [track.missed(row, o) for track in fast.tracks for row in track.rows
              for o in track.objectives()]
    assert any(missed) and not all(missed)


def test_reading_every_cell_gives_the_same_report(synthetic):
    """Does the report read with every cell's points (for the long CSV) give the same
    scores, mastery and help lists as the one summed in the database?"""
    slow, fast = class_report(course=synthetic, cells=True), class_report(course=synthetic,
                                                                          cells=False)
    for slow_track, fast_track in zip(slow.tracks, fast.tracks, strict=True):
        assert [r.scores for r in slow_track.rows] == [r.scores for r in fast_track.rows]
        for objective in slow_track.objectives():
            assert slow_track.mastery_of(objective) == fast_track.mastery_of(objective)
        assert [[(r.student, v, m) for r, v, m in below]
                for _o, below in slow_track.help_by_objective()] == \
            [[(r.student, v, m) for r, v, m in below]
             for _o, below in fast_track.help_by_objective()]
    assert any(mark.cells for row in slow.rows for mark in row.marks.values())


@pytest.fixture(scope="module")
def uneven(tmp_path_factory):
    """A unit of two notebooks (k1: c1 worth 2, k2: c2 worth 3); ana has points in both,
    ben only zeros, cleo's outcome is stored without a submission, dan's submission is late
    and his outcome is missing. Unit "bare" has no notebooks; ben handed it in."""
    from nbgrader.api import Gradebook

    from autograder import outcomes

    root = tmp_path_factory.mktemp("uneven")
    db_url = f"sqlite:///{root / 'gradebook.db'}"
    gb = Gradebook(db_url, course_id="jazari")
    try:
        gb.add_assignment("two")
        for notebook, cell, points in (("k1", "c1", 2), ("k2", "c2", 3)):
            gb.add_notebook(notebook, "two")
            gb.add_grade_cell(cell, notebook, "two", max_score=points, cell_type="code")
        for student, scores in (("ana", {"k1": 1.5, "k2": 3}), ("ben", {"k1": 0, "k2": 0}),
                                ("dan", {"k1": 2, "k2": 1})):
            gb.update_or_create_student(student)
            gb.add_submission("two", student)
            for notebook, points in scores.items():
                cell = "c1" if notebook == "k1" else "c2"
                gb.find_grade(cell, notebook, "two", student).auto_score = points
            gb.db.commit()
        gb.find_submission_notebook("k2", "two", "dan").late_submission_penalty = 0.5
        gb.db.commit()
        gb.add_assignment("bare")
        gb.add_submission("bare", "ben")
    finally:
        gb.close()
    outcomes.record(db_url, [outcomes.Outcome("two", "ana", "graded"),
                             outcomes.Outcome("two", "ben", "graded"),
                             outcomes.Outcome("two", "cleo", "crashed", "the kernel died")])
    return db_url


def test_a_unit_of_two_notebooks_comes_out_as_one_column_per_learner(uneven):
    """Does the reader add up a submission's notebooks, count a notebook without points as
    0, keep an outcome with no submission and a submission with no outcome, and put the
    late penalty on the right learner, all in one column sorted by learner?"""
    data = read_gradebook(uneven, objectives={"two": [["c1"], ["c2"]]})
    column = data.results["two"]
    assert column.students == ["ana", "ben", "cleo", "dan"]
    assert column.status == ["graded", "graded", "crashed", None]
    assert column.reason == ["", "", "the kernel died", ""]
    assert column.raw == [4.5, 0.0, None, 3.0]
    assert column.penalty == [0.0, 0.0, 0.0, 0.5]
    assert [None if o is None else (o.points, o.full) for o in column.objectives] == [
        ((1.5, 3.0), (0, 1)), ((0.0, 0.0), (0, 0)), None, ((2.0, 1.0), (1, 0))]
    bare = data.results["bare"]  # handed in, nothing to grade: submitted, 0 points
    assert (bare.students, bare.raw, bare.status) == (["ben"], [0.0], [None])


def _figures(report):
    return [(track.id, [(r.student, r.scores) for r in track.rows],
             [track.mastery_of(o) for o in track.objectives()],
             [[(r.student, v, m) for r, v, m in below]
              for _o, below in track.help_by_objective()]) for track in report.tracks]


def test_sums_made_in_a_forked_process_give_the_same_report(synthetic, monkeypatch):
    """Does a large class's report, whose sums a forked process makes, equal the report
    whose sums are made in a thread of this process?"""
    from autograder.reports import gradebook

    in_thread = class_report(course=synthetic, cells=False, mastery=True)
    forks = []
    made = gradebook._Forked.__init__

    def counted(self, work):
        forks.append(work)
        made(self, work)

    monkeypatch.setattr(gradebook._Forked, "__init__", counted)
    monkeypatch.setattr(gradebook, "FORK_FROM", 0)
    assert threading.active_count() == 1  # else the report would not fork
    forked = class_report(course=synthetic, cells=False, mastery=True)
    assert len(forks) == 1
    assert _figures(forked) == _figures(in_thread)
    assert any(value for track in forked.tracks for o in track.objectives()
               for value in track.mastery_of(o))


def test_a_forked_process_that_fails_gives_one_line(synthetic, monkeypatch):
    """If the forked process cannot sum the grades, is the report stopped with one plain
    line, and no process left behind?"""
    import os

    import sqlalchemy as sa

    from autograder.errors import JazariError
    from autograder.reports import gradebook

    def broken(*_args, **_kwargs):
        raise sa.exc.OperationalError("SELECT", {}, Exception("database disk image is "
                                                              "malformed\nmore detail"))

    monkeypatch.setattr(gradebook, "_notebook_sums", broken)
    monkeypatch.setattr(gradebook, "FORK_FROM", 0)
    with pytest.raises(JazariError) as raised:
        class_report(course=synthetic, cells=False, mastery=True)
    assert str(raised.value).endswith("database disk image is malformed")
    assert "\n" not in str(raised.value)
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # every child was waited for


def test_a_gradebook_without_jazari_indexes_gives_the_same_report(synthetic, tmp_path):
    """Grading adds Jazari's indexes to the gradebook. Does a gradebook without them (one
    only nbgrader wrote) give the same report, read the slower way?"""
    import shutil
    import sqlite3

    from autograder import outcomes

    database = synthetic / "gradebook.db"
    with sqlite3.connect(database) as connection:
        made = {name for name, in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'jazari%'")}
    assert made == set(outcomes.INDEXES)
    plain = tmp_path / "class"
    shutil.copytree(synthetic, plain)
    with sqlite3.connect(plain / "gradebook.db") as connection:
        for name in outcomes.INDEXES:
            connection.execute(f"DROP INDEX {name}")
    with_indexes = class_report(course=synthetic, cells=False, mastery=True)
    without = class_report(course=plain, cells=False, mastery=True)
    assert _figures(without) == _figures(with_indexes)
    assert [(r.student, r.marks) for r in without.rows] == \
        [(r.student, r.marks) for r in with_indexes.rows]


def test_sums_sent_as_columns_are_put_in_their_places():
    """Are a forked process's sums, sent as columns, put at their notebooks' places (0
    everywhere for a notebook without sums), the grades of a notebook no submission holds
    left out, full-marks bits too large for a machine number kept whole, and two halves
    joined into one?"""
    from autograder.reports.gradebook import ObjectivePoints, _Sums

    huge = 1 << 70
    sums = _Sums.of(1, [("a", 3.0, 1.0, 1), ("c", 2.5, 2.5, huge), ("lost", 9.0, 9.0, 1)])
    raw, points = sums.placed(["c", "b", "a"])
    assert raw == [2.5, 0.0, 3.0]
    assert points == [ObjectivePoints((2.5,), (huge,)), ObjectivePoints((0.0,), (0,)),
                      ObjectivePoints((1.0,), (1,))]
    halves = _Sums.joined([_Sums.of(1, [("a", 3.0, 1.0, 1)]),
                           _Sums.of(1, [("c", 2.5, 2.5, huge)])])
    assert halves.placed(["c", "a"]) == ([2.5, 3.0], [points[0], points[2]])
    assert _Sums.of(0, [("a", 1.0)]).placed(["a", "b"]) == ([1.0, 0.0], [None, None])
    assert _Sums.of(2, []).placed([]) == ([], [])
