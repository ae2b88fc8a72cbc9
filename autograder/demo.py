"""``jazari demo``: the whole classroom cycle with a simulated class.

Builds the course from the syllabus, loads the class list (``roster.csv``) into the
gradebook, releases every unit, lets 30 learners fetch and submit through nbgrader's
exchange (complete, partial, wrong, empty work, one that
raises, one that loops forever), grades them into nbgrader's SQLite gradebook, prints
the class gradebook and writes a CSV and a PNG chart. At the end it checks that every
score fits the kind of work that was submitted.

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

__all__ = ["CLASS", "GROUPS", "DemoResult", "KIND_MIX", "demo", "make_submission", "write_roster"]

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

#: The class's two groups, as a youth centre would split 30 children.
GROUPS = ("Saturday 10:00", "Saturday 14:00")

#: How many learners hand in each kind of work, per unit (30 in all).
KIND_MIX = {"complete": 12, "partial": 7, "wrong": 5, "empty": 4, "raises": 1, "loops": 1}


def kinds_for(unit_index: int, learners: int = 30) -> list[str]:
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


def write_roster(path: Path, learners) -> Path:
    """Write the demo's class list as a roster file for ``jazari roster``."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for number, (student, first, last) in enumerate(learners):
            # Both units are handed in by everyone, so no track is set.
            writer.writerow([student, first, last, GROUPS[number * len(GROUPS) // len(learners)],
                             ""])
    return path


def demo(*, out: str | Path | None = None, learners: int = 30, say=print) -> DemoResult:
    """Run the classroom cycle end to end in ``out`` (default: a new temporary folder)."""
    out = Path(out) if out is not None else Path(tempfile.mkdtemp(prefix="jazari-demo-"))
    out = out.expanduser().resolve()
    out.mkdir(parents=True, exist_ok=True)
    with private_jupyter(out / ".jupyter"):
        return _demo(out, learners, say)


def _demo(out: Path, learners: int, say) -> DemoResult:
    started = time.monotonic()
    course_dir = out / "course"
    syllabus = load_syllabus()
    say(f"Building the course in {course_dir}")
    built = build_course(out=course_dir, syllabus=syllabus)
    course = open_course(course_dir)
    class_list = CLASS[:learners]
    roster_path = write_roster(out / "roster.csv", class_list)
    roster(course=course_dir, path=roster_path, syllabus=syllabus)
    say(f"Loaded the class list {roster_path} ({len(class_list)} learners)")

    kinds: dict[str, dict[str, str]] = {}
    for index, unit_id in enumerate(built.assignments):
        release(course=course_dir, assignment=unit_id, force=True)
        unit = syllabus.unit(unit_id)
        mistakes = load_mistakes(syllabus.root / unit.folder / "mistakes.yaml")
        sources = {Path(nb).name: read_notebook(syllabus.root / nb) for nb in unit.notebooks}
        kinds[unit_id] = {}
        say(f"Released {unit_id}; {len(class_list)} learners fetch it, work, and submit")
        for number, (kind, (student, _first, _last)) in enumerate(
                zip(kinds_for(index, len(class_list)), class_list, strict=True)):
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
        say(f"Every score fits the work handed in ({counts} per unit): complete work has "
            "full marks, empty work zero, the rest in between.")
    say(f"Gradebook (nbgrader SQLite): {course_dir / 'gradebook.db'}")
    say(f"CSV: {csv_path}")
    say(f"Chart: {chart_path}")
    say(f"HTML report (opens offline): {html_path}")
    say(f"Feedback for each learner: {course_dir / 'feedback'}")
    say(f"Done in {result.seconds:.0f} s. Look around with: jazari lab --course {course_dir}")
    say(f"See one learner's side: jazari lab --learner {class_list[0][0]} --course {course_dir}")
    return result
