"""The class report as one self-contained HTML page (Jinja2; charts as PNG data URIs).

The page loads nothing from elsewhere: its CSS is inline and every chart is a
``data:image/png;base64`` image, so it opens offline and can be sent as one file.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

import jinja2

from autograder.reports import charts
from autograder.reports.exports import Pseudonyms, atomic_write
from autograder.reports.model import ClassReport
from autograder.reports.terminal import points

__all__ = ["TEMPLATES", "render_html", "write_html"]

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)),
                             autoescape=True, undefined=jinja2.StrictUndefined,
                             extensions=["jinja2.ext.i18n"])
    env.install_null_translations(newstyle=True)
    env.filters["pts"] = points
    env.filters["css"] = lambda status: re.sub(r"[^a-z]+", "-", status.lower()).strip("-")
    return env


def _uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _percent(value) -> str:
    return "-" if value is None else f"{value:.0f}%"


def render_html(report: ClassReport, *, pseudonymise: bool = False) -> str:
    """The report's HTML text."""
    pseudonyms = Pseudonyms(report) if pseudonymise else None

    def who(row):
        return pseudonyms.of(row) if pseudonyms else row.name

    tracks = []
    for track in report.tracks:
        rows = []
        for row in track.rows:
            score, possible = track.total(row)
            progress = []
            for unit in track.units:
                mark = row.marks[unit.id]
                progress.append("-" if mark.score is None or not unit.max_score
                                else f"{100.0 * mark.score / unit.max_score:.0f}")
            rows.append({"row": row, "who": who(row), "marks": [row.marks[u.id] for u in track.units],
                         "score": score, "possible": possible, "percent": track.percent(row),
                         "progress": progress})
        averages = []
        for unit in track.units:
            average = track.average(unit.id)
            averages.append("-" if average is None else f"{average:.1f}")
        ideas = []
        for idea in track.ideas():
            value, count = track.class_idea(idea)
            ideas.append({"number": idea, "name": track.big_ideas.get(idea, ""),
                          "value": _percent(value), "count": count})
        objectives = []
        for objective in track.objectives():
            value, count = track.class_objective(objective)
            objectives.append({"objective": objective, "value": _percent(value), "count": count})
        help_rows = [(objective, [(who(row), _percent(value), missed) for row, value, missed in below])
                     for objective, below in track.help_by_objective()]
        tracks.append({
            "track": track, "rows": rows, "averages": averages, "ideas": ideas,
            "objectives": objectives, "helpers": [who(row) for row in track.needs_help()],
            "help": help_rows,
            "charts": {"distribution": _uri(charts.distribution_png(track)),
                       "progress": _uri(charts.progress_png(track)),
                       "mastery": _uri(charts.mastery_png(track)) if ideas else ""},
        })
    template = environment().get_template("report.html.j2")
    title = ", ".join(c.name for c in report.courses)
    return template.render(report=report, tracks=tracks, title=title,
                           total=sum(len(t.rows) for t in report.tracks),
                           merged=len(report.courses) > 1)


def write_html(report: ClassReport, path: str | Path, *, pseudonymise: bool = False) -> Path:
    """Write the report as one self-contained HTML file (whole or not at all)."""
    return atomic_write(path, render_html(report, pseudonymise=pseudonymise).encode("utf-8"))
