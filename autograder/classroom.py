"""A learner's side of the exchange: fetch a released unit and submit it.

These are nbgrader's own exchange classes (the ones JupyterLab's Assignments tab uses),
driven from Python for one named learner, so a demo or a test can act as a whole class.
nbgrader's cache of a learner's submissions goes into their home's ``.jupyter/`` folder
(:mod:`autograder.homes`), where ``jazari lab --learner`` finds it too.
"""

from __future__ import annotations

from pathlib import Path

from autograder.course import Course
from autograder.errors import JazariError
from autograder.homes import LearnerHome

__all__ = ["fetch", "submit"]


def _exchange(course: Course, kind: str, assignment: str, student: str, home: Path):
    from nbgrader.auth import Authenticator
    from nbgrader.exchange import ExchangeFactory
    from traitlets.config import Config

    config = Config(course.config)
    config.Exchange.assignment_dir = str(home)
    # The learner's own cache, as in `jazari lab --learner` (never the user's own).
    config.Exchange.cache = str(LearnerHome(learner=student, folder=Path(home)).cache)
    coursedir = course.coursedir(assignment_id=assignment, student_id=student)
    factory = ExchangeFactory(config=config)
    app = getattr(factory, kind)(coursedir=coursedir, authenticator=Authenticator(config=config),
                                 config=config)
    return app


def fetch(course: Course, assignment: str, *, student: str, home: str | Path) -> Path:
    """Fetch the released ``assignment`` into ``home/<assignment>`` for ``student``."""
    from nbgrader.exchange import ExchangeError

    home = Path(home)
    home.mkdir(parents=True, exist_ok=True)
    try:
        _exchange(course, "FetchAssignment", assignment, student, home).start()
    except ExchangeError as error:
        raise JazariError(f"fetch '{assignment}' for {student}: {error}") from None
    return home / assignment


def submit(course: Course, assignment: str, *, student: str, home: str | Path) -> None:
    """Submit ``home/<assignment>`` to the exchange as ``student``."""
    from nbgrader.exchange import ExchangeError

    try:
        _exchange(course, "Submit", assignment, student, Path(home)).start()
    except ExchangeError as error:
        raise JazariError(f"submit '{assignment}' for {student}: {error}") from None
