"""Jazari's options, kept in nbgrader's config system.

Every option is a traitlets trait with ``help=`` and ``.tag(config=True)``, so the course's
``nbgrader_config.py`` sets Jazari's options next to nbgrader's, e.g.::

    c.JazariGrade.workers = 2
    c.JazariReport.needs_help_below = 50

:func:`load_course_config` reads that file the way nbgrader does.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from traitlets import Float, Integer, List, Unicode, validate
from traitlets.config import Config, Configurable
from traitlets.config.loader import ConfigFileNotFound, PyFileConfigLoader

from autograder.errors import JazariError

__all__ = [
    "GRADE_STEPS",
    "JazariGrade",
    "JazariReport",
    "child_env",
    "load_course_config",
    "path_with_bin",
]

#: The grading pipeline's steps, in their usual order.
GRADE_STEPS = ("collect", "check", "autograde", "feedback", "return_feedback")


class JazariGrade(Configurable):
    """How ``jazari grade`` works through a class's submissions."""

    steps = List(
        Unicode(), default_value=list(GRADE_STEPS),
        help="The grading steps to run, in order: collect (from the exchange), check "
             "(every submitted notebook is readable), autograde, feedback (HTML in "
             "feedback/), return_feedback (to the exchange, where learners fetch it). "
             "Leave one out to skip it.",
    ).tag(config=True)

    workers = Integer(
        0, help="How many submissions to grade at once; 0 means one per CPU core.",
    ).tag(config=True)

    submission_timeout = Float(
        300.0,
        help="Seconds one submission may take to grade in all before its grader is stopped "
             "and the submission is marked as not graded. Each cell also has nbgrader's own "
             "limit, c.Execute.timeout.",
    ).tag(config=True)

    @validate("steps")
    def _known_steps(self, proposal):
        unknown = [step for step in proposal["value"] if step not in GRADE_STEPS]
        if unknown:
            raise JazariError(f"JazariGrade.steps: unknown step(s) {', '.join(unknown)} "
                              f"(known: {', '.join(GRADE_STEPS)})")
        return proposal["value"]

    @validate("workers")
    def _workers(self, proposal):
        if proposal["value"] < 0:
            raise JazariError("JazariGrade.workers must be 0 (one per core) or more")
        return proposal["value"]

    def worker_count(self) -> int:
        return self.workers or os.cpu_count() or 1


class JazariReport(Configurable):
    """What ``jazari report`` shows."""

    needs_help_below = Float(
        50.0, help="A learner whose total is below this percentage is listed as needing help.",
    ).tag(config=True)


def load_course_config(course: str | Path) -> Config:
    """Read ``nbgrader_config.py`` from the course folder (an empty config if it has none)."""
    course = Path(course)
    loader = PyFileConfigLoader("nbgrader_config.py", path=str(course))
    try:
        return loader.load_config()
    except ConfigFileNotFound:
        return Config()
    except Exception as error:  # a config file is Python: anything can go wrong in it
        raise JazariError(f"{course / 'nbgrader_config.py'}: cannot be read "
                          f"({type(error).__name__}: {error})") from None


def child_env() -> dict[str, str]:
    """The environment for child processes, with this Python's ``bin/`` first on PATH.

    nbgrader's gradebook runs the ``alembic`` executable from PATH, and kernels are found
    through ``jupyter``; both live beside this interpreter.
    """
    env = dict(os.environ)
    env["PATH"] = path_with_bin(env.get("PATH", ""))
    return env


def path_with_bin(path: str) -> str:
    """``path`` with this Python's ``bin/`` first (once)."""
    bindir = str(Path(sys.executable).parent)
    parts = [part for part in path.split(os.pathsep) if part]
    return os.pathsep.join([bindir, *(part for part in parts if part != bindir)])
