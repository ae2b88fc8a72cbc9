"""The class report as plain text for the terminal: one table per track."""

from __future__ import annotations

from functools import lru_cache
from itertools import repeat

from autograder.reports.model import NOT_GRADED, NOT_SUBMITTED, ClassReport, LearnerRow, TrackReport

__all__ = ["STATUS_MARKS", "format_table", "format_track", "points"]

#: Learners listed per objective under "Below ...%" on the terminal (the HTML lists all).
HELP_LINES = 12

#: How a unit's cell shows a status that has no score.
STATUS_MARKS = {NOT_SUBMITTED: "-", NOT_GRADED: "?", "timed out": "T", "crashed": "C",
                "invalid": "X"}


@lru_cache(maxsize=4096)
def points(value: float) -> str:
    """Points as a person writes them: 7, 2.5 (scores repeat, so each is formatted once)."""
    return f"{value:g}" if value == int(value) else f"{value:.1f}"


def _text(score: float | None, status: str, possible: float) -> str:
    """A unit's cell in the table: the points of a score, else a mark for its status."""
    if score is not None:
        suffix = {"late": " L", "flagged": " F"}.get(status, "")
        return f"{points(score)}/{points(possible)}{suffix}"
    return STATUS_MARKS.get(status, "!")


def _texts(track: TrackReport, unit) -> list[str]:
    """A unit's cells for every learner of the track: each text written once per score and
    status (a class has few of them), then looked up."""
    column = track.columns[unit.id]
    keys = list(zip(column.score, column.status, strict=True))
    seen = {key: _text(*key, unit.max_score) for key in set(keys)}
    return list(map(seen.__getitem__, keys))


def _name(row: LearnerRow) -> str:
    return f"{row.name} [{row.course}]" if row.course else row.name


def format_track(track: TrackReport) -> list[str]:
    """One track's table, its mastery and who needs help, as lines."""
    units = track.units
    headers = ["learner", *(u.id for u in units), "total", "%"]
    # The table column by column (each unit's results are a column of the track).
    columns = [_texts(track, unit) for unit in units]
    totals = [f"{points(score)}/{points(track.possible)}" for score in track.totals()]
    percents = track.percents()
    lines = [[_name(row), *cells, total, f"{percent:.0f}"] for row, cells, total, percent in zip(
        track.rows, zip(*columns, strict=True) if columns else repeat(()), totals, percents,
        strict=False)]
    averages = ["class average"]
    for unit in units:
        average = track.average(unit.id)
        averages.append("-" if average is None else f"{average:.1f}/{points(unit.max_score)}")
    averages += ["", f"{sum(percents) / len(percents):.0f}" if percents else "-"]
    scored = ["scored"] + [f"{len(track.scored(u.id))}/{len(track.rows)}" for u in units] + ["", ""]
    widths = [max(map(len, column)) for column in zip(headers, *lines, averages, scored,
                                                       strict=True)]
    # One format string for every line: the learner's name left, the figures right.
    template = "  ".join([f"{{:<{widths[0]}}}", *(f"{{:>{w}}}" for w in widths[1:])])

    def render(cells):
        return template.format(*cells).rstrip()

    rule = "-" * len(render(headers))
    out = [f"Track: {track.title} — {len(track.rows)} learners x {len(units)} units", rule,
           render(headers), rule, *(render(line) for line in lines), rule, render(averages),
           render(scored)]
    reasons = []
    statuses = [track.columns[unit.id].status for unit in units]
    for index, found in enumerate(zip(*(track.columns[unit.id].reason for unit in units),
                                      strict=True)):
        if any(found):
            reasons += [f"  {_name(track.rows[index])}, {unit.id}: {status[index]}: {reason}"
                        for unit, status, reason in zip(units, statuses, found, strict=True)
                        if reason]
    if reasons:
        out += ["Why some submissions have no score or a flag:", *reasons]
    ideas = [(idea, *track.class_idea(idea)) for idea in track.ideas()]
    if any(value is not None for _idea, value, _n in ideas):
        out.append("Mastery by big idea (class average of the points of the units on it):")
        for idea, value, count in ideas:
            shown = "-" if value is None else f"{value:.0f}%"
            out.append(f"  {idea} {track.big_ideas.get(idea, '')}: {shown} ({count} learners)")
    objectives = [(o, *track.class_objective(o)) for o in track.objectives() if o.cells]
    if objectives:
        out.append("Mastery by objective:")
        for objective, value, count in objectives:
            shown = "-" if value is None else f"{value:.0f}%"
            out.append(f"  {objective.label} {objective.text} {shown} ({count} learners)")
    helpers = track.needs_help()
    if helpers:
        out.append(f"Needs help (below {track.needs_help_below:g}% in all): "
                   + ", ".join(_name(row) for row in helpers))
    for objective, below in track.below_by_objective():
        out.append(f"Below {track.needs_help_below:g}% on {objective.label} ({objective.text}):")
        for row, value in below[:HELP_LINES]:
            missed = track.missed(row, objective)
            out.append(f"  {_name(row)} {value:.0f}%: missed {', '.join(missed) or '-'}")
        if len(below) > HELP_LINES:
            out.append(f"  ... and {len(below) - HELP_LINES} more (all of them: --html or --long-csv)")
    return out


def format_table(report: ClassReport) -> str:
    """The whole report as plain text: one table per track, then the legend."""
    courses = ", ".join(str(c) for c in report.courses)
    total = sum(len(track.rows) for track in report.tracks)
    out = [f"Class gradebook: {total} learners, {len(report.units)} units ({courses})"]
    out += [f"Note: {note}" for note in report.notes]
    for track in report.tracks:
        out += ["", *format_track(track)]
    helpers = [_name(row) for track in report.tracks for row in track.needs_help()]
    out.append("")
    if helpers:
        out.append(f"Needs help (below {report.needs_help_below:g}% in their track): "
                   + ", ".join(helpers))
    out += ["'-' not submitted  '?' submitted, not graded yet  'T' timed out  'C' crashed  "
            "'X' invalid  'L' late  'F' flagged: look at it"]
    return "\n".join(out)
