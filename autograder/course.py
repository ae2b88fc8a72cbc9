"""An nbgrader course folder, opened with its own ``nbgrader_config.py``.

Everything Jazari does to a course goes through nbgrader's documented API
(:class:`nbgrader.apps.NbGraderAPI`) and its gradebook, so the course stays a standard
nbgrader course: the formgrader and every ``nbgrader`` command keep working on it.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from traitlets.config import Config

from autograder.config import load_course_config, path_with_bin
from autograder.errors import JazariError

__all__ = ["Course", "api_error", "ensure_bin_on_path", "open_course"]


def ensure_bin_on_path() -> None:
    """Put this Python's ``bin/`` first on PATH (nbgrader's gradebook runs ``alembic``)."""
    os.environ["PATH"] = path_with_bin(os.environ.get("PATH", ""))


def api_error(result: dict) -> str:
    """The most telling line of a failed nbgrader API call (its result dict)."""
    for text in (result.get("error") or "", result.get("log") or ""):
        lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
        errors = [line for line in lines if "ERROR" in line or "Error" in line]
        if errors:
            return errors[-1]
        if lines:
            return lines[-1]
    return "unknown error"


@dataclass
class Course:
    """A course folder and its configuration."""

    root: Path
    config: Config

    def coursedir(self, **traits):
        """nbgrader's ``CourseDirectory`` for this course (``traits`` override the config)."""
        from nbgrader.coursedir import CourseDirectory

        coursedir = CourseDirectory(config=self.config)
        coursedir.root = str(self.root)
        for name, value in traits.items():
            setattr(coursedir, name, value)
        return coursedir

    def api(self, extra: Config | None = None):
        """nbgrader's ``NbGraderAPI`` on this course."""
        from nbgrader.apps import NbGraderAPI

        config = Config(self.config)
        if extra is not None:
            config.merge(extra)
        coursedir = self.coursedir()
        if extra is not None:
            coursedir.update_config(extra)
        coursedir.root = str(self.root)
        return NbGraderAPI(coursedir=coursedir, config=config)

    @property
    def course_id(self) -> str:
        return self.coursedir().course_id

    @property
    def db_url(self) -> str:
        return self.coursedir().db_url

    def source_assignments(self) -> list[str]:
        """Assignments that have a folder in ``source/``."""
        source = self.root / "source"
        if not source.is_dir():
            return []
        return sorted(p.name for p in source.iterdir() if p.is_dir() and not p.name.startswith("."))

    def has_gradebook(self) -> bool:
        """Does the gradebook exist? (Opening a missing SQLite gradebook would create it.)"""
        url = self.db_url
        if not url.startswith("sqlite:///"):
            return True
        return Path(url[len("sqlite:///"):].split("?")[0]).exists()

    def known_assignments(self) -> list[str]:
        """Assignments in ``source/`` or in the gradebook."""
        known = set(self.source_assignments())
        if self.has_gradebook():
            with self.gradebook() as gb:
                known.update(a.name for a in gb.assignments)
        return sorted(known)

    def require_assignment(self, assignment: str) -> None:
        """Raise :class:`JazariError` unless the course knows ``assignment``."""
        known = self.known_assignments()
        if assignment not in known and not self.submitted_students(assignment):
            listing = ", ".join(known) if known else "none"
            raise JazariError(f"{self.root}: unknown assignment '{assignment}' "
                              f"(this course has: {listing})")

    def submitted_students(self, assignment: str) -> list[str]:
        """Learners with a folder ``submitted/<learner>/<assignment>/``."""
        submitted = self.root / "submitted"
        if not submitted.is_dir():
            return []
        return sorted(p.name for p in submitted.iterdir() if (p / assignment).is_dir())

    @contextmanager
    def gradebook(self):
        """nbgrader's ``Gradebook`` for this course, closed afterwards."""
        from nbgrader.api import Gradebook

        ensure_bin_on_path()
        gb = Gradebook(self.db_url, course_id=self.course_id)
        try:
            yield gb
        finally:
            gb.close()


def open_course(path: str | Path) -> Course:
    """Open the nbgrader course at ``path`` or raise :class:`JazariError` saying why not."""
    ensure_bin_on_path()
    root = Path(path).expanduser().resolve()
    if not root.exists():
        raise JazariError(f"{root}: no such course folder")
    if not root.is_dir():
        raise JazariError(f"{root}: is a file, not a course folder")
    markers = ("nbgrader_config.py", "source", "submitted", "gradebook.db")
    if not any((root / marker).exists() for marker in markers):
        raise JazariError(f"{root}: not an nbgrader course (no nbgrader_config.py, source/ "
                          "or gradebook.db); make one with 'jazari build --out DIR'")
    return Course(root=root, config=load_course_config(root))
