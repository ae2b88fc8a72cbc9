"""The feedback step's pages: :mod:`autograder.feedback`, which keeps hidden tests hidden.

nbgrader's ``generate_feedback`` shows the code of every test cell (nbgrader #917, #1363),
so it is never used here. :func:`autograder.feedback.write_feedback` shows, for each graded
cell, passed or not, the score and the check's message, never a test cell's code, and
withholds a message that says something only the hidden tests know (their input or answer).
"""

from __future__ import annotations

from autograder.course import Course
from autograder.errors import JazariError
from autograder.feedback import write_feedback as write_pages

__all__ = ["write_feedback"]


def write_feedback(*, course: Course, assignment: str, students: list[str]) -> list[str]:
    """Write ``feedback/<student>/<assignment>/*.html``; returns lines about problems."""
    try:
        write_pages(course=course, assignment=assignment, students=students)
    except (JazariError, OSError) as error:
        return [f"feedback: {error}"]
    return []
