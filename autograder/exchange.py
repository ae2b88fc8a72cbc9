"""nbgrader's exchange, with a quieter log and tidy submissions.

Small subclasses of nbgrader's default exchange, chosen in an nbgrader config file::

    c.ExchangeFactory.list = "autograder.exchange.QuietExchangeList"
    c.ExchangeFactory.fetch_feedback = "autograder.exchange.QuietExchangeFetchFeedback"
    c.ExchangeFactory.submit = "autograder.exchange.TidyExchangeSubmit"

- nbgrader logs one INFO line per cached submission each time JupyterLab's Assignments
  tab refreshes its list ("... (no feedback available)"): :class:`QuietExchangeList` logs
  those at DEBUG.
- Fetching feedback warns once per earlier submission that has none (only the last one
  handed in is graded): :class:`QuietExchangeFetchFeedback` logs those at DEBUG.
- nbgrader's submit copies a unit without ``.ipynb_checkpoints`` (``CourseDirectory.ignore``)
  but still warns that the checkpoint notebook is "EXTRA": :class:`TidyExchangeSubmit`
  compares only the notebooks that are really handed in.

:data:`EXCHANGE_CONFIG` holds those two lines for config files Jazari writes.
"""

from __future__ import annotations

import fnmatch
import logging
import os

from nbgrader.exchange.default import ExchangeFetchFeedback, ExchangeList, ExchangeSubmit
from nbgrader.utils import find_all_notebooks

__all__ = ["EXCHANGE_CONFIG", "QuietExchangeFetchFeedback", "QuietExchangeList",
           "TidyExchangeSubmit"]

EXCHANGE_CONFIG = (
    "# A quiet log (no line per cached submission) and no .ipynb_checkpoints warnings.\n"
    "c.ExchangeFactory.list = 'autograder.exchange.QuietExchangeList'\n"
    "c.ExchangeFactory.fetch_feedback = 'autograder.exchange.QuietExchangeFetchFeedback'\n"
    "c.ExchangeFactory.submit = 'autograder.exchange.TidyExchangeSubmit'\n"
)


class QuietExchangeList(ExchangeList):
    """nbgrader's list, with its line per assignment and submission at DEBUG level."""

    def list_files(self):
        assignments = self.parse_assignments()
        for assignment in assignments:
            for info in assignment.get("submissions", [assignment]):
                if self.inbound or self.cached:
                    self.log.debug(self.format_inbound_assignment(info))
                else:
                    self.log.debug(self.format_outbound_assignment(info))
        return assignments


class _NoFeedbackAtDebug(logging.LoggerAdapter):
    """A logger that turns nbgrader's "Could not find feedback" warnings into DEBUG lines."""

    def warning(self, msg, *args, **kwargs):
        if str(msg).startswith("Could not find feedback"):
            self.debug(msg, *args, **kwargs)
        else:
            super().warning(msg, *args, **kwargs)


class QuietExchangeFetchFeedback(ExchangeFetchFeedback):
    """nbgrader's fetch feedback, without a warning per submission that has no feedback."""

    def init_src(self):
        log = self.log
        self.log = _NoFeedbackAtDebug(log, {})
        try:
            super().init_src()
        finally:
            self.log = log


class TidyExchangeSubmit(ExchangeSubmit):
    """nbgrader's submit, comparing only notebooks outside ignored folders."""

    def _handed_in(self, notebook: str) -> bool:
        parts = notebook.split(os.sep)
        return not any(fnmatch.fnmatch(part, pattern)
                       for part in parts for pattern in self.coursedir.ignore)

    def check_filename_diff(self):
        released = [nb for nb in find_all_notebooks(self.release_path) if self._handed_in(nb)]
        submitted = [nb for nb in find_all_notebooks(self.src_path) if self._handed_in(nb)]
        missing = [nb for nb in released if nb not in submitted]
        extra = [nb for nb in submitted if nb not in released]
        if not (missing or extra):
            return
        message = (f"Possible missing notebooks and/or extra notebooks submitted for assignment "
                   f"{self.coursedir.assignment_id}: missing {', '.join(missing) or 'none'}; "
                   f"extra {', '.join(extra) or 'none'}")
        if missing and self.strict:
            self.fail(f"Assignment {self.coursedir.assignment_id} not submitted. {message}")
        self.log.warning(message)
