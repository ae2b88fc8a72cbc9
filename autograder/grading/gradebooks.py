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
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from types import MappingProxyType

from nbgrader.api import Gradebook
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

    def close(self) -> None:
        """End this opening as nbgrader's ``close()`` would: nothing uncommitted survives."""
        self.db.rollback()


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
