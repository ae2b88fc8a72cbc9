"""``jazari release``: the student version of a unit, released through the exchange."""

from __future__ import annotations

from traitlets.config import Config

from autograder.course import api_error, open_course
from autograder.errors import JazariError
from autograder.notebooks import read_notebook

__all__ = ["release"]


def release(*, course: str = ".", assignment: str, force: bool = False) -> str:
    """Make the student version of ``assignment`` and release it to the exchange.

    Runs nbgrader's ``generate_assignment`` (which also records the assignment and its
    graded cells in the gradebook) then ``release_assignment``. With ``force``, a unit
    that is already released is released again. Returns the exchange folder it went to.
    """
    opened = open_course(course)
    if assignment not in opened.source_assignments():
        known = ", ".join(opened.source_assignments()) or "none"
        raise JazariError(f"{opened.root}: unknown assignment '{assignment}' "
                          f"(source/ has: {known})")
    for notebook in sorted((opened.root / "source" / assignment).glob("*.ipynb")):
        read_notebook(notebook)
    extra = Config()
    extra.ExchangeReleaseAssignment.force = force
    api = opened.api(extra)
    generated = api.generate_assignment(assignment, force=True, create=True)
    if not generated["success"]:
        raise JazariError(f"{opened.root}: could not make the student version of "
                          f"'{assignment}': {api_error(generated)}")
    released = api.release_assignment(assignment)
    if not released["success"]:
        message = api_error(released)
        if "already exists" in message:
            message = "it is already released; use --force to release it again"
        raise JazariError(f"{opened.root}: could not release '{assignment}': {message}")
    return api.exchange_root
