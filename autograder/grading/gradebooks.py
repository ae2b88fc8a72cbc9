"""One gradebook connection for a whole grading run, used by nbgrader's own code.

nbgrader's autograde opens its ``Gradebook`` about ten times per submission (the converter
five times, ``OverwriteKernelspec``, ``OverwriteCells``, ``SaveAutoGrades`` and
``AssignLatePenalties`` once each per notebook),
and every opening checks the tables exist, reads the table names and looks up the course:
more time than the scoring itself. :func:`shared_gradebook` opens nbgrader's ``Gradebook``
once and, for the duration of the run, makes the ``Gradebook`` name in those nbgrader
modules hand back a light view of it.

Each view behaves like a freshly opened gradebook: its ``close()`` (also at the end of a
``with`` block) rolls back whatever was not committed and releases the connection, as
nbgrader's ``close()`` does, so every opening starts from what the database holds and no
transaction (and no SQLite lock) outlives it. Only the checks that the tables exist and
the course row is there are done once, at the start, instead of at every opening. All
writes and the learners' rows are still read by nbgrader's own methods, on one session
shared by the coordinator's threads, which take turns (the coordinator holds a lock while
it scores). The source's cells (what ``OverwriteCells`` compares each submitted cell with:
type, locked, checksum, source, points) do not change while grading, so they are read
once per run and handed out as read-only copies of their columns.

While nbgrader's ``SaveAutoGrades`` scores one notebook (see :meth:`_View.scoring`), its
grades and comments are read with four queries instead of two per cell, and written in one
transaction instead of one commit per cell: a notebook's scores are saved whole or not at
all.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from types import MappingProxyType

from nbgrader.api import (
    Assignment,
    Comment,
    Grade,
    Gradebook,
    GradeCell,
    Notebook,
    SolutionCell,
    Student,
    SubmittedAssignment,
    SubmittedNotebook,
    TaskCell,
)
from sqlalchemy.orm import scoped_session, sessionmaker

__all__ = ["MODULES", "shared_gradebook"]

#: The nbgrader modules of the autograde path that open a ``Gradebook`` by that name.
MODULES = (
    "nbgrader.converters.autograde",
    "nbgrader.preprocessors.overwritecells",
    "nbgrader.preprocessors.saveautogrades",
    "nbgrader.preprocessors.latesubmissions",
    "nbgrader.preprocessors.overwritekernelspec",
)


class _View(Gradebook):
    """A ``Gradebook`` on the run's open connection (made by :func:`shared_gradebook`)."""

    def __init__(self, shared: Gradebook, course_id: str, cells: dict):  # noqa: D107
        self.engine = shared.engine
        self.db = shared.db
        self.course_id = course_id
        self.authenticator = None
        self._cells = cells  # the run's copies of the source's cells
        self._scored: dict | None = None  # one notebook's grades and comments, by kind and name

    def _copy(self, kind: str, find, name: str, notebook: str, assignment: str):
        key = (kind, name, notebook, assignment)
        if key not in self._cells:
            row = find(self, name, notebook, assignment)  # MissingEntry is not kept
            self._cells[key] = _Row({column.key: getattr(row, column.key)
                                     for column in row.__mapper__.column_attrs})
        return self._cells[key]

    def find_source_cell(self, name: str, notebook: str, assignment: str):
        """nbgrader's source cell, as a read-only copy of its columns, read once per run."""
        return self._copy("source", Gradebook.find_source_cell, name, notebook, assignment)

    def find_graded_cell(self, name: str, notebook: str, assignment: str):
        """nbgrader's grade or task cell, as a read-only copy of its columns."""
        return self._copy("graded", Gradebook.find_graded_cell, name, notebook, assignment)

    def find_grade(self, grade_cell: str, notebook: str, assignment: str, student: str):
        """nbgrader's ``find_grade``; while :meth:`scoring`, from the notebook's grades."""
        found = self._scored_row("grade", grade_cell, notebook, assignment, student)
        if found is not None:
            return found
        return Gradebook.find_grade(self, grade_cell, notebook, assignment, student)

    def find_comment(self, solution_cell: str, notebook: str, assignment: str, student: str):
        """nbgrader's ``find_comment``; while :meth:`scoring`, from the notebook's comments."""
        found = self._scored_row("comment", solution_cell, notebook, assignment, student)
        if found is not None:
            return found
        return Gradebook.find_comment(self, solution_cell, notebook, assignment, student)

    def _scored_row(self, kind: str, name: str, notebook: str, assignment: str, student: str):
        if self._scored is None or self._scored["key"] != (notebook, assignment, student):
            return None
        return self._scored[kind].get(name)

    @contextmanager
    def scoring(self, notebook: str, assignment: str, student: str) -> Iterator[None]:
        """Score one submitted notebook in one transaction.

        The notebook's grades and comments are read at once, by the joins nbgrader's
        ``find_grade`` and ``find_comment`` use (a grade cell's name before a task cell's,
        as there); nbgrader's commits inside the block wait (the session still flushes
        before any query reads), and the block commits once at its end, writing all the
        changes together (nothing is committed if it raises)."""
        key = (notebook, assignment, student)
        self._scored = {"key": key,
                        "grade": self._rows(Grade, Grade.cell_id, Grade.notebook_id,
                                            (GradeCell, TaskCell), key),
                        "comment": self._rows(Comment, Comment.cell_id, Comment.notebook_id,
                                              (SolutionCell, TaskCell), key)}
        session = self.db
        self.db = _CommitAtEnd(session)
        try:
            yield
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            self.db = session
            self._scored = None

    def _rows(self, table, cell_id, notebook_id, cell_kinds, key) -> dict:
        notebook, assignment, student = key
        rows: dict = {}
        seen: set = set()  # names an earlier kind of cell had: nbgrader stops there
        for cell in cell_kinds:
            query = (self.db.query(table, cell.name)
                     .join(cell, cell.id == cell_id)
                     .join(SubmittedNotebook, SubmittedNotebook.id == notebook_id)
                     .join(Notebook, Notebook.id == SubmittedNotebook.notebook_id)
                     .join(SubmittedAssignment,
                           SubmittedAssignment.id == SubmittedNotebook.assignment_id)
                     .join(Assignment, Assignment.id == SubmittedAssignment.assignment_id)
                     .join(Student, Student.id == SubmittedAssignment.student_id)
                     .filter(Notebook.name == notebook, Assignment.name == assignment,
                             Student.id == student))
            found: dict = {}
            for row, name in query:
                found.setdefault(name, []).append(row)
            for name, matches in found.items():
                if name not in seen and len(matches) == 1:  # nbgrader's .one(): exactly one
                    rows[name] = matches[0]
            seen.update(found)
        return rows

    def close(self) -> None:
        """End this opening as nbgrader's ``close()`` would: nothing uncommitted survives."""
        self.db.rollback()


class _CommitAtEnd:
    """The run's session, where ``commit()`` waits for the end of :meth:`_View.scoring`."""

    __slots__ = ("_session",)

    def __init__(self, session):
        self._session = session

    def commit(self) -> None:
        pass

    def __getattr__(self, name: str):
        return getattr(self._session, name)


class _Row:
    """Read-only attributes, like a row that can no longer be changed."""

    __slots__ = ("_values",)

    def __init__(self, values: dict):
        object.__setattr__(self, "_values", MappingProxyType(values))

    def __getattr__(self, name: str):
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value) -> None:
        raise AttributeError(f"{name}: the source's cells are read-only while grading")


@contextmanager
def shared_gradebook(db_url: str, course_id: str) -> Iterator[Gradebook]:
    """For the ``with`` block, nbgrader's autograde opens ``db_url`` once, not per step."""
    shared = Gradebook(db_url, course_id)
    # One session for every thread: the scoped session would give each thread its own, and
    # two SQLite connections writing in turn wait for each other's locks.
    shared.db.remove()
    shared.db = scoped_session(sessionmaker(autoflush=True, bind=shared.engine, future=True),
                               scopefunc=lambda: 0)
    checked = {course_id}
    cells: dict = {}

    def opening(url: str, course: str = "default_course", authenticator=None) -> Gradebook:
        if url != db_url or authenticator is not None:
            return Gradebook(url, course, authenticator)
        view = _View(shared, course, cells)
        if course not in checked:  # what each opening of nbgrader's Gradebook does first
            view.check_course(course_id=course)
            checked.add(course)
        return view

    modules = [importlib.import_module(name) for name in MODULES]
    saved = [module.Gradebook for module in modules]
    for module in modules:
        module.Gradebook = opening
    try:
        yield shared
    finally:
        for module, original in zip(modules, saved, strict=True):
            module.Gradebook = original
        shared.close()
