"""Feedback pages that keep hidden tests hidden.

When :mod:`autograder.feedback` (the gradebook's own feedback pages) is installed, the
feedback step calls its ``write_feedback``. Until then it runs nbgrader's
``generate_feedback`` with one more preprocessor, :class:`HideHiddenTests`: each test cell
loses its ``### BEGIN HIDDEN TESTS`` region, and an error in such a cell shows only its last
line (the message the check gave), never the traceback, which would quote the hidden code.
"""

from __future__ import annotations

import importlib

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import ClearHiddenTests, GetGrades
from traitlets.config import Config

from autograder.course import Course, api_error

__all__ = ["HideHiddenTests", "write_feedback"]


class HideHiddenTests(ClearHiddenTests):
    """nbgrader's ``ClearHiddenTests``, also cutting tracebacks of cells that had hidden tests."""

    def preprocess_cell(self, cell, resources, cell_index):
        had_hidden = self.begin_test_delimeter in cell.get("source", "")
        cell, resources = super().preprocess_cell(cell, resources, cell_index)
        if had_hidden and cell.cell_type == "code":
            for output in cell.outputs:
                if output.output_type == "error":
                    output.traceback = [f"{output.ename}: {output.evalue}"]
        return cell, resources


def write_feedback(*, course: Course, assignment: str, students: list[str]) -> list[str]:
    """Write ``feedback/<student>/<assignment>/*.html``; returns lines about problems."""
    try:
        pages = importlib.import_module("autograder.feedback")
    except ModuleNotFoundError:
        pages = None
    if pages is not None and hasattr(pages, "write_feedback"):
        pages.write_feedback(course=course.root, assignment=assignment, students=students)
        return []
    extra = Config()
    extra.GenerateFeedback.preprocessors = [GetGrades, HideHiddenTests,
                                            CSSHTMLHeaderPreprocessor]
    extra.ClearHiddenTests.enforce_metadata = False
    api = course.api(extra)
    result = api.generate_feedback(assignment, force=True)
    return [] if result["success"] else [f"feedback: {api_error(result)}"]
