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

from traitlets import Bool, Enum, Float, Integer, List, Unicode, validate
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
        120.0,
        help="Seconds one notebook of a submission may run in all before it is stopped, with "
             "every process it started; its cells that did not run score 0 and the "
             "submission is marked 'timed out'.",
    ).tag(config=True)

    cell_timeout = Float(
        None, allow_none=True,
        help="Seconds one cell may run before it is stopped with an error (it then scores "
             "0). Unset: nbgrader's own c.Execute.timeout (30 s unless the course sets it).",
    ).tag(config=True)

    sandbox = Enum(
        ["auto", "bubblewrap", "none"], "auto",
        help="Where learners' code runs: 'bubblewrap' (required: no network, read-only "
             "system, no course folder, gradebook or other learners), 'auto' (bubblewrap when "
             "it can run here, else resource limits only, as the user 'nobody' when grading "
             "as root, with a warning), or 'none' (no isolation at all: only for trusted "
             "notebooks).",
    ).tag(config=True)

    memory_limit = Integer(
        1 << 30, help="Bytes of memory one notebook's run may use (beyond the warm runner's).",
    ).tag(config=True)

    process_limit = Integer(
        64, help="Processes one notebook's run may have at once (not enforced for root "
                 "without bubblewrap).",
    ).tag(config=True)

    file_limit = Integer(
        50 * 1000 * 1000,
        help="Bytes of files a notebook's run may write (its private folder's size, and the "
             "largest single file); the submission's own files count too.",
    ).tag(config=True)

    cell_output_limit = Integer(
        1000 * 1000, help="Bytes of output kept per cell; the rest is cut with a note.",
    ).tag(config=True)

    notebook_output_limit = Integer(
        5 * 1000 * 1000, help="Bytes of output kept per notebook; the rest is cut with a note.",
    ).tag(config=True)

    preload = List(
        Unicode(),
        default_value=["numpy", "pandas", "matplotlib.pyplot", "matplotlib_inline.backend_inline",
                       "sklearn", "sklearn.neighbors", "sklearn.datasets", "sklearn.tree",
                       "sklearn.linear_model", "sklearn.model_selection", "ipywidgets", "widgets"],
        help="Modules each warm runner may import once, before any notebook runs, so no "
             "notebook pays for importing them: those whose package the unit's source "
             "notebooks import (the notebooks' other imports are added). Missing ones are "
             "skipped, with a note.",
    ).tag(config=True)

    preload_all = Bool(
        False, help="Import every module of c.JazariGrade.preload in every runner, even "
                    "those the unit's notebooks never import.",
    ).tag(config=True)

    warm_up = Bool(
        True, help="After the imports, each warm runner uses the libraries the unit loads "
                   "once (a tiny model fitted, a picture drawn: see "
                   "autograder.grading.warmups), so no notebook pays for their first use.",
    ).tag(config=True)

    prepared_ahead = Integer(
        20, help="Submissions per runner the coordinator prepares ahead (restored, cleared "
                 "and waiting for a free runner). The coordinator prepares them while the "
                 "runners warm up and run, so it scores rather than prepares once they "
                 "are busy; each waiting one holds its notebook in memory.",
    ).tag(config=True)

    threads_per_runner = Integer(
        0, help="Threads the numeric libraries of one notebook's run may use (OpenMP, "
                "OpenBLAS, MKL): 0 shares the cores among the runners, at least one each. "
                "More threads than cores only make the runners wait for each other.",
    ).tag(config=True)

    shared_warm_up = Bool(
        True, help="Start one sandboxed process that imports and warms up once and forks "
                   "every runner from it, instead of one warm-up per runner.",
    ).tag(config=True)

    trusted_modules = List(
        Unicode(), default_value=["widgets", "numpy.testing"],
        help="Modules (and their submodules) whose functions and classes test cells rely "
             "on: put back as they were before each test cell if a learner's code changed "
             "them, and the submission flagged.",
    ).tag(config=True)

    hidden_paths = List(
        Unicode(), default_value=[],
        help="More folders the sandbox hides from learners' code (the course folder, the "
             "exchange, home folders, /root, /srv, /mnt and /media always are).",
    ).tag(config=True)

    wait_for_other_grader = Float(
        0.0,
        help="Seconds to wait when another 'jazari grade' is already grading this course; "
             "after that (0: at once) this one stops with a clear line, nothing written.",
    ).tag(config=True)

    backups = Integer(
        5, help="Copies of the gradebook kept in gradebook-backups/ (one made before each "
                "grading run); 0 makes none.",
    ).tag(config=True)

    watch_interval = Float(
        5.0, help="With 'jazari grade --watch': seconds between looks for new submissions.",
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

    def in_flight(self, runners: int) -> int:
        """Submissions handled at once (prepared, running or being scored)."""
        return max(2, self.prepared_ahead) * max(1, runners)

    def runner_threads(self, runners: int) -> int:
        """Threads per runner (see ``threads_per_runner``) when ``runners`` run at once."""
        return self.threads_per_runner or max(1, (os.cpu_count() or 1) // max(1, runners))


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
