"""The trainer's dashboard: a notebook in the course with widgets over the same figures.

``jazari report --dashboard`` writes ``<course>/jazari_dashboard.ipynb``, two cells that
import :class:`Dashboard` and show it. The dashboard reads the gradebook (again when
"Read the gradebook again" is pressed) and shows, for a chosen track, either one unit (its
score distribution, average, who has no score and why) or one learner (their marks,
progress and mastery per objective), with the same numbers as ``jazari report``.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from autograder.reports.exports import atomic_write

__all__ = ["DASHBOARD_NAME", "Dashboard", "write_dashboard"]

DASHBOARD_NAME = "jazari_dashboard.ipynb"


class Dashboard:
    """Widgets to pick a track, then a unit or a learner, and see their figures."""

    def __init__(self, course: str | Path = "."):
        import ipywidgets as ipw

        self.course = Path(course)
        self.track = ipw.Dropdown(description="Track")
        self.unit = ipw.Dropdown(description="Unit")
        self.learner = ipw.Dropdown(description="Learner")
        self.reload = ipw.Button(description="Read the gradebook again", icon="refresh")
        self.chart = ipw.Image(format="png", layout=ipw.Layout(max_width="640px"))
        self.details = ipw.HTML()
        self.track.observe(lambda _change: self._fill_choices(), names="value")
        self.unit.observe(lambda _change: self._show_unit(), names="value")
        self.learner.observe(lambda _change: self._show_learner(), names="value")
        self.reload.on_click(lambda _button: self.refresh())
        self.widget = ipw.VBox([ipw.HBox([self.track, self.reload]),
                                ipw.HBox([self.unit, self.learner]), self.chart, self.details])
        self.report = None
        self.refresh()

    def refresh(self) -> None:
        """Read the gradebook again and redraw."""
        from autograder.reports.model import class_report

        self.report = class_report(course=self.course)
        chosen = self.track.value
        self.track.options = [(t.title, t.id) for t in self.report.tracks]
        ids = [t.id for t in self.report.tracks]
        self.track.value = chosen if chosen in ids else (ids[0] if ids else None)
        self._fill_choices()

    def _track(self):
        return next((t for t in self.report.tracks if t.id == self.track.value), None)

    def _fill_choices(self) -> None:
        track = self._track()
        units = [(u.title, u.id) for u in track.units] if track else []
        learners = [("(none)", "")] + ([(r.name, r.key) for r in track.rows] if track else [])
        self.learner.options, self.learner.value = learners, ""
        self.unit.options = units
        self.unit.value = units[0][1] if units else None
        self._show_unit()

    def _show_unit(self) -> None:
        from html import escape

        from autograder.reports.charts import distribution_png

        track = self._track()
        if track is None or self.unit.value is None or self.learner.value:
            return
        unit = next((u for u in track.units if u.id == self.unit.value), None)
        if unit is None:  # the choices are being refilled
            return
        self.chart.value = distribution_png(track)
        average = track.average(unit.id)
        missing = [f"<li>{escape(row.name)}: {escape(row.marks[unit.id].status)}"
                   + (f" ({escape(row.marks[unit.id].reason)})" if row.marks[unit.id].reason else "")
                   + "</li>" for row in track.rows if row.marks[unit.id].score is None]
        self.details.value = (
            f"<h3>{escape(unit.title)}</h3><p>Class average: "
            f"{'-' if average is None else f'{average:.1f}'} of {unit.max_score:g} points; "
            f"{len(track.scored(unit.id))} of {len(track.rows)} learners have a score.</p>"
            + (f"<p>No score yet:</p><ul>{''.join(missing)}</ul>" if missing else ""))

    def _show_learner(self) -> None:
        from html import escape

        from autograder.reports.charts import progress_png

        track = self._track()
        if track is None:
            return
        if not self.learner.value:
            self._show_unit()
            return
        row = next((r for r in track.rows if r.key == self.learner.value), None)
        if row is None:
            return
        self.chart.value = progress_png(track)
        lines = []
        for unit in track.units:
            mark = row.marks[unit.id]
            shown = "-" if mark.score is None else f"{mark.score:g}/{unit.max_score:g}"
            reason = f" ({escape(mark.reason)})" if mark.reason else ""
            lines.append(f"<tr><td>{escape(unit.title)}</td><td>{shown}</td>"
                         f"<td>{escape(mark.status)}{reason}</td></tr>")
        mastery = []
        for objective in track.objectives():
            value = track.objective_mastery(row, objective)
            if value is not None:
                mastery.append(f"<li>{escape(objective.text)}: {value:.0f}%</li>")
        self.details.value = (
            f"<h3>{escape(row.name)}</h3><p>{track.percent(row):.0f}% of the track's points.</p>"
            f"<table><tr><th>unit</th><th>score</th><th>status</th></tr>{''.join(lines)}</table>"
            + (f"<p>Mastery by objective:</p><ul>{''.join(mastery)}</ul>" if mastery else ""))

    def _ipython_display_(self):  # pragma: no cover - drawn by Jupyter
        from IPython.display import display

        display(self.widget)


def write_dashboard(course: str | Path) -> Path:
    """Write the dashboard notebook into the course folder; returns its path."""
    course = Path(course).expanduser().resolve()
    notebook = new_notebook(cells=[
        new_markdown_cell("# Class dashboard\nPick a track, then a unit or a learner. Press "
                          "*Read the gradebook again* after grading. The numbers are the same "
                          "as in `jazari report`."),
        new_code_cell("from autograder.reports.dashboard import Dashboard\n\n"
                      f"Dashboard(course={str(course)!r})"),
    ])
    notebook.metadata.kernelspec = {"name": "python3", "display_name": "Python 3",
                                    "language": "python"}
    return atomic_write(course / DASHBOARD_NAME, nbformat.writes(notebook).encode("utf-8"))
