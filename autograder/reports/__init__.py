"""The class gradebook's reports: data from nbgrader's gradebook, then text, HTML, CSV, PDF.

- :mod:`~autograder.reports.gradebook` reads the gradebook with a few SQL queries;
- :mod:`~autograder.reports.model` builds the report per track (statuses, mastery);
- :mod:`~autograder.reports.terminal`, :mod:`~autograder.reports.html`,
  :mod:`~autograder.reports.charts` and :mod:`~autograder.reports.exports` show and export it.
"""

from importlib import import_module

__all__ = ["ClassReport", "LearnerRow", "Mark", "TrackReport", "class_report", "format_table",
           "render_html", "write_csv", "write_html", "write_long_csv", "write_moodle_csv"]

#: Where each name lives: imported when first used, so a CSV report loads no HTML templates.
_HOMES = {"ClassReport": "model", "LearnerRow": "model", "Mark": "model", "TrackReport": "model",
          "class_report": "model", "format_table": "terminal", "render_html": "html",
          "write_csv": "exports", "write_html": "html", "write_long_csv": "exports",
          "write_moodle_csv": "exports"}


def __getattr__(name: str):
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_HOMES[name]}"), name)


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])
