"""``jazari demo``: the whole classroom cycle with a simulated class.

Builds the course from the syllabus, loads the class list (``roster.csv``) into the
gradebook, releases the chosen units (by default the first unit of each track), splits 30
learners between the tracks of those units (Explorers on Saturday morning, Makers in the
afternoon), lets each learner fetch and submit their track's units through nbgrader's
exchange (complete, partial, wrong, empty work, one that raises, one that loops forever),
grades them into nbgrader's SQLite gradebook, prints the class gradebook and writes a CSV,
a PNG chart and the HTML report. At the end it checks that every score fits the kind of work
that was submitted. ``units`` runs it on any units of the syllabus.

Everything stays in the demo's folder: the learners' homes (``course-learners/<id>/``, as
``jazari lab --learner`` uses them) with their nbgrader caches, and the Jupyter folders
of every process the demo starts (``.jupyter/``); the user's own are never touched.
"""

from __future__ import annotations

import csv
import math
import re
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from autograder.build import build_course
from autograder.classroom import fetch, submit
from autograder.course import open_course
from autograder.errors import JazariError
from autograder.grade import GradeRun, grade
from autograder.homes import learner_home, private_jupyter
from autograder.mistakes import load_mistakes
from autograder.notebooks import (
    answer_cells,
    fill_answers,
    nbgrader_meta,
    read_notebook,
    solution_code,
)
from autograder.release import release
from autograder.report import (
    ClassReport,
    class_report,
    format_table,
    write_chart,
    write_csv,
    write_html,
)
from autograder.roster import COLUMNS, roster
from curriculum import load_syllabus

__all__ = ["CLASS", "GROUPS", "DemoResult", "KIND_MIX", "default_units", "demo", "kinds_for",
           "make_submission", "tracks_for", "write_roster"]

_NAMES = [
    ("Yasmine", "Alaoui"), ("Amine", "Benali"), ("Salma", "Chraibi"), ("Youssef", "Idrissi"),
    ("Fatima-Zahra", "El Fassi"), ("Omar", "Tazi"), ("Imane", "Bennani"), ("Hamza", "Berrada"),
    ("Khadija", "Amrani"), ("Mehdi", "Ouazzani"), ("Sara", "Lahlou"), ("Ayoub", "Kettani"),
    ("Meryem", "Sebti"), ("Anas", "Filali"), ("Hiba", "Benjelloun"), ("Ilyas", "Naciri"),
    ("Nour", "Skalli"), ("Adam", "Zniber"), ("Aya", "Cherkaoui"), ("Zakaria", "Hajji"),
    ("Rania", "Bouzidi"), ("Othmane", "Mansouri"), ("Douae", "Essaidi"), ("Bilal", "Rami"),
    ("Chaimae", "Tahiri"), ("Reda", "Lamrani"), ("Malak", "Ziani"), ("Ismail", "Bakkali"),
    ("Ghita", "Sqalli"), ("Karim", "Jabri"),
]


def _learner_id(first: str, last: str) -> str:
    return "_".join(re.sub(r"[^a-z]", "", name.lower()) for name in (first, last))


#: The simulated class: (id, first name, last name).
CLASS = [(_learner_id(first, last), first, last) for first, last in _NAMES]

#: The groups of a youth centre's Saturday, one per track in the demo.
GROUPS = ("Saturday 10:00", "Saturday 14:00", "Saturday 16:00")

#: How many learners hand in each kind of work, per unit, for every 15 learners.
KIND_MIX = {"complete": 6, "partial": 3, "wrong": 3, "empty": 1, "raises": 1, "loops": 1}


def kinds_for(unit_index: int, learners: int = 15) -> list[str]:
    """The kind of work each learner hands in for one unit.

    The list is rotated per unit, so a learner's work differs from unit to unit.
    """
    kinds = [kind for kind, count in KIND_MIX.items() for _ in range(count)]
    kinds = (kinds * math.ceil(learners / len(kinds)))[:learners]
    shift = (7 * unit_index) % learners
    return kinds[shift:] + kinds[:shift]


def make_submission(kind: str, student_nb, source_nb, mistakes, variant: int = 0):
    """A filled-in copy of the student notebook, as a learner of ``kind`` would hand in.

    complete: every answer right; partial: the first half right, the rest untouched;
    wrong: every answer right but one plausible mistake; empty: untouched; raises and
    loops: every answer right but the unit's mistake of that kind.
    """
    solutions = {nbgrader_meta(cell)["grade_id"]: solution_code(cell.source)
                 for cell in answer_cells(source_nb)}
    order = [nbgrader_meta(cell)["grade_id"] for cell in answer_cells(student_nb)]
    if kind == "empty":
        return fill_answers(student_nb, {})
    if kind == "partial":
        half = max(1, len(order) // 2)
        return fill_answers(student_nb, {gid: solutions[gid] for gid in order[:half]})
    answers = {gid: solutions[gid] for gid in order}
    if kind in ("wrong", "raises", "loops"):
        candidates = [m for m in mistakes if m.kind == kind]
        if not candidates:
            raise ValueError(f"the unit has no mistake of kind {kind!r}")
        mistake = candidates[variant % len(candidates)]
        answers[mistake.answer] = mistake.code
    elif kind != "complete":
        raise ValueError(f"unknown kind of submission {kind!r}")
    return fill_answers(student_nb, answers)


@dataclass
class DemoResult:
    """Where the demo's files are and how it went."""

    course: Path
    csv: Path
    chart: Path
    report: ClassReport
    runs: list[GradeRun]
    kinds: dict[str, dict[str, str]]  #: unit -> learner -> kind of work
    mismatches: list[str] = field(default_factory=list)  #: scores that do not fit the kind
    seconds: float = 0.0


def _check_kinds(report: ClassReport, kinds) -> list[str]:
    problems = []
    rows = {row.student: row for row in report.rows}
    for unit, by_learner in kinds.items():
        possible = report.max_scores[unit]
        for student, kind in by_learner.items():
            score = rows[student].scores.get(unit)
            if score is None:
                problems.append(f"{student} ({kind}) in {unit}: not graded")
            elif kind == "complete" and score != possible:
                problems.append(f"{student} (complete) in {unit}: {score:g}/{possible:g}")
            elif kind == "empty" and score != 0:
                problems.append(f"{student} (empty) in {unit}: {score:g}/{possible:g}")
            elif kind not in ("complete", "empty") and not 0 <= score < possible:
                problems.append(f"{student} ({kind}) in {unit}: {score:g}/{possible:g}")
    return problems


def tracks_for(learners, tracks) -> dict[str, str]:
    """Each learner's track: the class is split in order, one block of learners per track."""
    return {student: tracks[number * len(tracks) // len(learners)]
            for number, (student, _first, _last) in enumerate(learners)}


def write_roster(path: Path, learners, tracks: dict[str, str]) -> Path:
    """Write the demo's class list as a roster file for ``jazari roster``."""
    order = list(dict.fromkeys(tracks.values()))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for student, first, last in learners:
            track = tracks[student]
            writer.writerow([student, first, last, GROUPS[order.index(track) % len(GROUPS)],
                             track])
    return path


def default_units(syllabus) -> list[str]:
    """The demo's units when none are named: the first unit of each track."""
    first: dict[str, str] = {}
    for unit in syllabus.units:
        first.setdefault(unit.track, unit.id)
    return list(first.values())


def demo(*, out: str | Path | None = None, learners: int = 30, units: list[str] | None = None,
         say=print) -> DemoResult:
    """Run the classroom cycle end to end in ``out`` (default: a new temporary folder).

    ``units``: the unit ids to run it on (default: the first unit of each track); the
    learners are split between the tracks of those units.
    """
    syllabus = load_syllabus()
    known = {unit.id for unit in syllabus.units}
    units = list(units) if units else default_units(syllabus)
    unknown = [unit for unit in units if unit not in known]
    if unknown:
        raise JazariError(f"--units: unknown unit(s) {', '.join(unknown)} "
                          f"(units: {', '.join(sorted(known))})")
    if not 1 <= learners <= len(CLASS):
        raise JazariError(f"--learners: choose between 1 and {len(CLASS)}")
    out = Path(out) if out is not None else Path(tempfile.mkdtemp(prefix="jazari-demo-"))
    out = out.expanduser().resolve()
    out.mkdir(parents=True, exist_ok=True)
    with private_jupyter(out / ".jupyter"):
        return _demo(out, learners, syllabus, units, say)


def _demo(out: Path, learners: int, syllabus, units: list[str], say) -> DemoResult:
    started = time.monotonic()
    course_dir = out / "course"
    say(f"Building the course in {course_dir}")
    built = build_course(out=course_dir, syllabus=syllabus, units=units)
    course = open_course(course_dir)
    class_list = CLASS[:learners]
    track_of = tracks_for(class_list, list(dict.fromkeys(
        syllabus.unit(unit_id).track for unit_id in built.assignments)))
    roster_path = write_roster(out / "roster.csv", class_list, track_of)
    roster(course=course_dir, path=roster_path, syllabus=syllabus)
    say(f"Loaded the class list {roster_path} ({len(class_list)} learners)")

    kinds: dict[str, dict[str, str]] = {}
    for index, unit_id in enumerate(built.assignments):
        release(course=course_dir, assignment=unit_id, force=True)
        unit = syllabus.unit(unit_id)
        mistakes = load_mistakes(syllabus.root / unit.folder / "mistakes.yaml")
        sources = {Path(nb).name: read_notebook(syllabus.root / nb) for nb in unit.notebooks}
        kinds[unit_id] = {}
        takers = [learner for learner in class_list if track_of[learner[0]] == unit.track]
        say(f"Released {unit_id}; {len(takers)} learners of the {unit.track} fetch it, work, "
            "and submit")
        for number, (kind, (student, _first, _last)) in enumerate(
                zip(kinds_for(index, len(takers)), takers, strict=True)):
            home = learner_home(course_dir, student).folder
            folder = fetch(course, unit_id, student=student, home=home)
            for name, source_nb in sources.items():
                student_nb = read_notebook(folder / name)
                nbformat.write(make_submission(kind, student_nb, source_nb, mistakes, number),
                               folder / name)
            submit(course, unit_id, student=student, home=home)
            kinds[unit_id][student] = kind

    runs = []
    for unit_id in built.assignments:
        say(f"Grading {unit_id} ...")
        run = grade(course=course_dir, assignment=unit_id)
        runs.append(run)
        say(f"  graded {sum(r.graded for r in run.results)} of {len(run.results)} "
            f"submissions in {run.seconds:.0f} s")
        for result in run.problems:
            say(f"  {result.student}: {result.status}: {result.problem}")

    report = class_report(course=course_dir)
    csv_path = write_csv(report, out / "gradebook.csv")
    chart_path = write_chart(report, out / "scores.png")
    html_path = write_html(report, out / "report.html")
    result = DemoResult(course=course_dir, csv=csv_path, chart=chart_path, report=report,
                        runs=runs, kinds=kinds, mismatches=_check_kinds(report, kinds),
                        seconds=time.monotonic() - started)
    say("")
    say(format_table(report))
    say("")
    counts = ", ".join(f"{count} {kind}" for kind, count in KIND_MIX.items())
    if result.mismatches:
        say("These scores do not fit the work that was handed in:")
        for line in result.mismatches:
            say(f"  {line}")
    else:
        say(f"Every score fits the work handed in ({counts} per 15 learners): complete work has "
            "full marks, empty work zero, the rest in between.")
    say(f"Gradebook (nbgrader SQLite): {course_dir / 'gradebook.db'}")
    say(f"CSV: {csv_path}")
    say(f"Chart: {chart_path}")
    say(f"HTML report (opens offline): {html_path}")
    say(f"Feedback for each learner: {course_dir / 'feedback'}")
    say(f"Done in {result.seconds:.0f} s. Look around with: jazari lab --course {course_dir}")
    say(f"See one learner's side: jazari lab --learner {class_list[0][0]} --course {course_dir}")
    return result
