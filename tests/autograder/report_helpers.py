"""A small class gradebook made directly with nbgrader's Gradebook (no grading run), for tests.

Two tracks: the Explorers' unit ``e_robot`` (8 points: cells e1 (2), e2 (2), e3 (4)) and
the Makers' unit ``m_knn`` (10 points: m1 (5), m2 (5)), with objectives mapped to cells.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from autograder import learners, outcomes
from autograder.manifest import write_manifest
from curriculum import Syllabus, Track, Unit

__all__ = ["SYLLABUS", "make_course"]

SYLLABUS = Syllabus(
    path=Path("syllabus.yaml"), root=Path("."),
    tracks={"explorers": Track("explorers", "Explorers", "8-12", "age_8_12"),
            "makers": Track("makers", "Makers", "13-18", "age_13_18")},
    units=[
        Unit("e_robot", "Command the robot", "explorers", "8-12", (2,),
             ("Give exact instructions.", "Repeat with a loop."), 60,
             ("age_8_12/e_robot/robot.ipynb",), "g.md",
             cells=(("e1", 1), ("e2", 2), ("e3", 2))),
        Unit("m_knn", "Nearest neighbours", "makers", "13-18", (3, 2),
             ("Measure distance.", "Vote with k neighbours."), 60,
             ("age_13_18/m_knn/knn.ipynb",), "g.md", cells=(("m1", 1), ("m2", 2))),
    ])

CELLS = {"e_robot": ("robot", {"e1": 2, "e2": 2, "e3": 4}),
         "m_knn": ("knn", {"m1": 5, "m2": 5})}


def make_course(root: Path, results: dict, *, names=None, tracks=None, lang="en",
                manifest=True, outcome_status=None, db_url=None) -> Path:
    """A course at ``root`` whose gradebook holds ``results``.

    ``results``: {student: {unit: {cell: points}}}; every result is recorded as graded
    (or ``outcome_status[(student, unit)] = (status, reason)``). ``names``: {student:
    (first, last)}; ``db_url``: the gradebook (default SQLite in ``root``); ``tracks``:
    {student: track} stored with :mod:`autograder.learners`.
    """
    from nbgrader.api import Gradebook

    root.mkdir(parents=True, exist_ok=True)
    config = "c = get_config()\nc.CourseDirectory.course_id = 'jazari'\n"
    if db_url is not None:  # e.g. PostgreSQL
        config += f"c.CourseDirectory.db_url = {db_url!r}\n"
    (root / "nbgrader_config.py").write_text(config)
    db_url = db_url or f"sqlite:///{root / 'gradebook.db'}"
    gb = Gradebook(db_url, course_id="jazari")
    try:
        for index, (unit, (notebook, cells)) in enumerate(CELLS.items()):
            gb.add_assignment(unit, duedate=datetime(2026, 1, 1 + index))
            gb.add_notebook(notebook, unit)
            for cell, points in cells.items():
                gb.add_grade_cell(cell, notebook, unit, max_score=points, cell_type="code")
        for student, (first, last) in (names or {}).items():
            gb.update_or_create_student(student, first_name=first, last_name=last)
        for student, units in results.items():
            gb.update_or_create_student(student)
            for unit, cells in units.items():
                gb.add_submission(unit, student)
                notebook = CELLS[unit][0]
                for cell, points in cells.items():
                    grade = gb.find_grade(cell, notebook, unit, student)
                    grade.auto_score = points
                gb.db.commit()
    finally:
        gb.close()
    status = outcome_status or {}
    outcomes.record(db_url, [
        outcomes.Outcome(unit, student, *status.get((student, unit), ("graded", "")))
        for student, units in results.items() for unit in units])
    if tracks:
        learners.save(db_url, [learners.Learner(id=s, track=t) for s, t in tracks.items()])
    if manifest:
        write_manifest(root, SYLLABUS, lang)
    return root
