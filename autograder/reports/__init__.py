"""The class gradebook's reports: data from nbgrader's gradebook, then text, HTML, CSV, PDF.

- :mod:`~autograder.reports.gradebook` reads the gradebook with a few SQL queries;
- :mod:`~autograder.reports.model` builds the report per track (statuses, mastery);
- :mod:`~autograder.reports.terminal`, :mod:`~autograder.reports.html`,
  :mod:`~autograder.reports.charts` and :mod:`~autograder.reports.exports` show and export it.
"""

from autograder.reports.exports import write_csv, write_long_csv, write_moodle_csv
from autograder.reports.html import render_html, write_html
from autograder.reports.model import ClassReport, LearnerRow, Mark, TrackReport, class_report
from autograder.reports.terminal import format_table

__all__ = ["ClassReport", "LearnerRow", "Mark", "TrackReport", "class_report", "format_table",
           "render_html", "write_csv", "write_html", "write_long_csv", "write_moodle_csv"]
