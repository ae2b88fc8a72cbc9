"""``jazari report``: the class gradebook, read from nbgrader's database.

Works on any nbgrader course: the units are the gradebook's assignments, the learners its
students (plus anyone with a folder in ``submitted/``). The work is done by the
:mod:`autograder.reports` package; this module keeps the names the rest of Jazari uses.
"""

from __future__ import annotations

from pathlib import Path

from autograder.reports import (
    ClassReport,
    LearnerRow,
    class_report,
    format_table,
    write_csv,
    write_html,
    write_long_csv,
    write_moodle_csv,
)
from autograder.reports.charts import distribution_png
from autograder.reports.exports import atomic_write

__all__ = ["ClassReport", "LearnerRow", "class_report", "format_table", "write_chart",
           "write_csv", "write_html", "write_long_csv", "write_moodle_csv"]


def write_chart(report: ClassReport, path: str | Path) -> Path:
    """Write a PNG chart of the score distribution of each unit of the first track."""
    from autograder.reports.charts import _figure, _png

    if len(report.tracks) == 1:
        return atomic_write(path, distribution_png(report.tracks[0]))
    figure, axes = _figure()  # one panel per track would be unreadable: plot every unit
    bins = list(range(0, 101, 10))
    for track in report.tracks:
        for unit in track.units:
            values = [100.0 * s / (unit.max_score or 1.0) for s in track.scored(unit.id)]
            axes.hist(values, bins=bins, alpha=0.6, label=f"{track.title[:20]}: {unit.id}")
    axes.set_xlabel("score (% of the unit's points)")
    axes.set_ylabel("learners")
    axes.legend(fontsize=7)
    return atomic_write(path, _png(figure))
