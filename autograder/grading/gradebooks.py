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
queries and writes are still nbgrader's own methods, on one session shared by the
coordinator's threads, which take turns (the coordinator holds a lock while it scores).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager

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

    def __init__(self, shared: Gradebook, course_id: str):  # noqa: D107 - no reconnect
        self.engine = shared.engine
        self.db = shared.db
        self.course_id = course_id
        self.authenticator = None

    def close(self) -> None:
        """End this opening as nbgrader's ``close()`` would: nothing uncommitted survives."""
        self.db.rollback()


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

    def opening(url: str, course: str = "default_course", authenticator=None) -> Gradebook:
        if url != db_url or authenticator is not None:
            return Gradebook(url, course, authenticator)
        view = _View(shared, course)
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
