"""``jazari report``: the class gradebook, read from nbgrader's database.

Works on any nbgrader course: the units are the gradebook's assignments, the learners
its students (plus anyone with a folder in ``submitted/``). A submission that is in
``submitted/`` but has no autograded copy is shown as not graded, so a trainer sees it.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from traitlets.config import Config

from autograder.config import JazariReport
from autograder.course import Course, open_course

__all__ = ["ClassReport", "LearnerRow", "class_report", "format_table", "write_chart",
           "write_csv"]

MISSING = "missing"  #: nothing submitted
UNGRADED = "not graded"  #: submitted, but no autograded copy (broken, failed, or not yet)
GRADED = "graded"


@dataclass
class LearnerRow:
    """One learner's line of the gradebook."""

    student: str
    name: str
    scores: dict[str, float | None] = field(default_factory=dict)  #: None unless graded
    status: dict[str, str] = field(default_factory=dict)  #: graded, missing or not graded


@dataclass
class ClassReport:
    """The class gradebook: learners × units."""

    course: Path
    assignments: list[str]
    max_scores: dict[str, float]
    rows: list[LearnerRow]
    needs_help_below: float = 50.0

    def total(self, row: LearnerRow) -> tuple[float, float]:
        """Points and possible points over every unit (nothing submitted counts as 0)."""
        score = sum(row.scores.get(a) or 0.0 for a in self.assignments)
        return score, sum(self.max_scores[a] for a in self.assignments)

    def percent(self, row: LearnerRow) -> float:
        score, possible = self.total(row)
        return 100.0 * score / possible if possible else 0.0

    def graded_scores(self, assignment: str) -> list[float]:
        return [row.scores[assignment] for row in self.rows
                if row.status.get(assignment) == GRADED]

    def average(self, assignment: str) -> float | None:
        """The class average of one unit, over the learners who were graded."""
        scores = self.graded_scores(assignment)
        return sum(scores) / len(scores) if scores else None

    def needs_help(self) -> list[LearnerRow]:
        return [row for row in self.rows if self.percent(row) < self.needs_help_below]


def class_report(*, course: str | Path = ".", needs_help_below: float | None = None) -> ClassReport:
    """Read the gradebook of the nbgrader course at ``course``."""
    opened = open_course(course)
    config = Config(opened.config)
    if needs_help_below is not None:
        config.JazariReport.needs_help_below = needs_help_below
    settings = JazariReport(config=config)
    rows: dict[str, LearnerRow] = {}
    with opened.gradebook() as gb:
        assignments = sorted(gb.assignments, key=lambda a: (a.duedate is None, a.duedate, a.name))
        names = [a.name for a in assignments]
        max_scores = {a.name: float(a.max_score) for a in assignments}
        for student in gb.students:
            name = " ".join(part for part in (student.first_name, student.last_name) if part)
            rows[student.id] = LearnerRow(student.id, name or student.id)
        for assignment in assignments:
            for submission in assignment.submissions:
                row = rows.setdefault(submission.student.id,
                                      LearnerRow(submission.student.id, submission.student.id))
                if _autograded(opened, assignment.name, submission.student.id):
                    row.scores[assignment.name] = float(submission.score)
                    row.status[assignment.name] = GRADED
    for assignment in names:
        for student in opened.submitted_students(assignment):
            row = rows.setdefault(student, LearnerRow(student, student))
            if row.status.get(assignment) != GRADED:
                row.status[assignment] = UNGRADED
    for row in rows.values():
        for assignment in names:
            row.status.setdefault(assignment, MISSING)
            row.scores.setdefault(assignment, None)
    return ClassReport(course=opened.root, assignments=names, max_scores=max_scores,
                       rows=sorted(rows.values(), key=lambda r: r.student),
                       needs_help_below=settings.needs_help_below)


def _autograded(course: Course, assignment: str, student: str) -> bool:
    return any((course.root / "autograded" / student / assignment).glob("*.ipynb"))


def _points(value: float) -> str:
    return f"{value:g}" if value == int(value) else f"{value:.1f}"


def _cell(row: LearnerRow, assignment: str, possible: float) -> str:
    status = row.status[assignment]
    if status == GRADED:
        return f"{_points(row.scores[assignment])}/{_points(possible)}"
    return "!" if status == UNGRADED else "-"


def format_table(report: ClassReport) -> str:
    """The gradebook as a plain-text table for the terminal."""
    headers = ["learner", *report.assignments, "total", "%"]
    lines = []
    for row in report.rows:
        score, possible = report.total(row)
        lines.append([row.name, *(_cell(row, a, report.max_scores[a]) for a in report.assignments),
                      f"{_points(score)}/{_points(possible)}", f"{report.percent(row):.0f}"])
    averages = ["class average"]
    for assignment in report.assignments:
        average = report.average(assignment)
        averages.append("-" if average is None else
                        f"{average:.1f}/{_points(report.max_scores[assignment])}")
    percents = [report.percent(row) for row in report.rows]
    averages += ["", f"{sum(percents) / len(percents):.0f}" if percents else "-"]
    submitted = ["graded"] + [f"{len(report.graded_scores(a))}/{len(report.rows)}"
                              for a in report.assignments] + ["", ""]
    widths = [max(len(str(line[i])) for line in [headers, *lines, averages, submitted])
              for i in range(len(headers))]

    def render(cells):
        first = str(cells[0]).ljust(widths[0])
        rest = [str(c).rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest]).rstrip()

    rule = "-" * len(render(headers))
    out = [f"Class gradebook: {len(report.rows)} learners x {len(report.assignments)} units "
           f"({report.course})", rule, render(headers), rule, *(render(line) for line in lines),
           rule, render(averages), render(submitted)]
    helpers = report.needs_help()
    if helpers:
        out.append(f"Needs help (below {report.needs_help_below:g}%): "
                   + ", ".join(row.name for row in helpers))
    out.append("'-' nothing submitted   '!' submitted but not graded (see 'jazari grade')")
    return "\n".join(out)


def _atomic_write(path: Path, data: bytes) -> None:
    """Write ``path`` whole or not at all: a temporary file beside it, then a rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_csv(report: ClassReport, path: str | Path) -> Path:
    """Write the gradebook as CSV: one row per learner, score and max per unit."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    header = ["student_id", "name"]
    for assignment in report.assignments:
        header += [f"{assignment}_score", f"{assignment}_max", f"{assignment}_status"]
    writer.writerow(header + ["total_score", "total_max", "percent"])
    for row in report.rows:
        line = [row.student, row.name]
        for assignment in report.assignments:
            score = row.scores[assignment]
            line += ["" if score is None else _points(score),
                     _points(report.max_scores[assignment]), row.status[assignment]]
        score, possible = report.total(row)
        writer.writerow(line + [_points(score), _points(possible), f"{report.percent(row):.1f}"])
    _atomic_write(Path(path), buffer.getvalue().encode("utf-8"))
    return Path(path)


def write_chart(report: ClassReport, path: str | Path) -> Path:
    """Write a PNG chart of the score distribution of each unit (percent of its points)."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7, 3.8), dpi=100)
    axes = figure.subplots()
    bins = list(range(0, 101, 10))
    series = []
    for assignment in report.assignments:
        possible = report.max_scores[assignment] or 1.0
        series.append([100.0 * s / possible for s in report.graded_scores(assignment)])
    axes.hist(series, bins=bins, label=report.assignments)
    axes.set_xlabel("score (% of the unit's points)")
    axes.set_ylabel("learners")
    axes.set_title(f"Score distribution, {len(report.rows)} learners")
    axes.set_xticks(bins)
    axes.legend(fontsize=8)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    _atomic_write(Path(path), buffer.getvalue())
    return Path(path)
