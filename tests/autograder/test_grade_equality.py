"""Jazari's scores against stock ``nbgrader autograde``, cell by cell, on honest work.

Two courses, each graded twice from identical copies (once by ``jazari grade``, once by
``nbgrader autograde`` run as its own command with its own Jupyter folders):

* every unit of the syllabus, handed in as the solution and as mixed work (half right, a
  committed plausible wrong answer, one that raises, the rest blank);
* nbgrader's own quickstart course (``nbgrader quickstart``), handed in blank, as the
  solution and half done.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from autograder.build import build_course
from autograder.config import child_env
from autograder.course import open_course
from autograder.grade import grade
from autograder.mistakes import load_mistakes
from autograder.notebooks import (
    answer_cells,
    fill_answers,
    nbgrader_meta,
    read_notebook,
    solution_code,
)
from curriculum import load_syllabus

pytestmark = pytest.mark.slow


def _env(folder: Path) -> dict[str, str]:
    env = child_env()
    for name in ("JUPYTER_DATA_DIR", "JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
        env[name] = str(folder / "jupyter" / name.lower())
    env["HOME"] = str(folder / "home")
    (folder / "home").mkdir(exist_ok=True)
    return env


def _nbgrader(args, cwd, env):
    result = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=cwd, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]


def _hand_in(course: Path, assignment: str, student: str, notebooks: dict) -> None:
    folder = course / "submitted" / student / assignment
    folder.mkdir(parents=True)
    for name, notebook in notebooks.items():
        nbformat.write(notebook, folder / name)


def _versions(release: dict, source: dict, mistakes=()) -> dict[str, dict]:
    """The versions handed in: {student: {notebook name: notebook}}.

    Without mistakes (nbgrader's quickstart course): blank, solution and half done. With a
    unit's mistakes, two notebooks carry the same cases so that stock nbgrader's share of this
    test stays in minutes as the curriculum grows: the solution, and a mixed one where the
    first half of the answers is right, one answer is a committed plausible wrong answer, one
    raises, and the rest is left blank. A loop is cut by each grader's own time limit, so it
    is not "honest" work.
    """
    solutions = {nbgrader_meta(c)["grade_id"]: solution_code(c.source)
                 for nb in source.values() for c in answer_cells(nb) if c.cell_type == "code"}

    def filled(answers):
        out = {}
        for name, notebook in release.items():
            own = {nbgrader_meta(c)["grade_id"] for c in answer_cells(notebook)}
            out[name] = fill_answers(notebook, {g: a for g, a in answers.items() if g in own})
        return out

    order = list(solutions)
    half = {g: solutions[g] for g in order[: max(1, len(order) // 2)]}
    if not mistakes:
        return {"blank": filled({}), "solution": filled(solutions), "half": filled(half)}
    wrong = [m for m in mistakes if m.kind == "wrong"][:1]
    raises = [m for m in mistakes if m.kind == "raises" and m.answer not in
              {w.answer for w in wrong}][:1]
    mixed = {**half, **{m.answer: m.code for m in wrong + raises}}
    return {"solution": filled(solutions), "mixed": filled(mixed)}


def _cell_scores(course: Path, assignment: str) -> dict:
    scores = {}
    with open_course(course).gradebook() as gb:
        for submission in gb.assignment_submissions(assignment):
            for notebook in submission.notebooks:
                for found in notebook.grades:
                    scores[(submission.student_id, notebook.name, found.name)] = found.score
    return scores


def _both(course: Path, assignments: list[str], env: dict) -> list[tuple]:
    """Grade with stock nbgrader (a twin copy) and with Jazari; the differing cells."""
    twin = course.with_name(course.name + "-nbgrader")
    shutil.copytree(course, twin)
    config = twin / "nbgrader_config.py"
    config.write_text(config.read_text() + f"\nc.CourseDirectory.root = {str(twin)!r}\n")
    differences = []
    for assignment in assignments:
        _nbgrader(["autograde", assignment], twin, env)
        run = grade(course=course, assignment=assignment, steps=["check", "autograde"])
        assert not run.problems, [(r.student, r.status, r.problem) for r in run.problems]
        theirs, ours = _cell_scores(twin, assignment), _cell_scores(course, assignment)
        assert theirs, f"nbgrader graded nothing in {assignment}"
        differences += [(key, theirs.get(key), ours.get(key))
                        for key in sorted(set(theirs) | set(ours))
                        if theirs.get(key) != ours.get(key)]
    return differences


def test_every_unit_scores_as_nbgrader_autograde_does(tmp_path):
    """On the solution and on mixed work (half right, one plausible wrong answer, one that
    raises, the rest blank) of every unit, does every graded cell get exactly the score
    stock `nbgrader autograde` gives it?"""
    syllabus = load_syllabus()
    env = _env(tmp_path)
    course = tmp_path / "course"
    build_course(out=course, syllabus=syllabus)
    for unit in syllabus.units:
        _nbgrader(["generate_assignment", unit.id, "--force"], course, env)
        names = [Path(nb).name for nb in unit.notebooks]
        release = {n: read_notebook(course / "release" / unit.id / n) for n in names}
        source = {Path(nb).name: read_notebook(syllabus.root / nb) for nb in unit.notebooks}
        mistakes = load_mistakes(syllabus.root / unit.folder / "mistakes.yaml")
        for student, notebooks in _versions(release, source, mistakes).items():
            _hand_in(course, unit.id, student, notebooks)
    assert _both(course, [unit.id for unit in syllabus.units], env) == []


def test_nbgraders_quickstart_course_scores_as_nbgrader_autograde_does(tmp_path):
    """On nbgrader's own quickstart course, does every graded cell get nbgrader's score?"""
    env = _env(tmp_path)
    subprocess.run([sys.executable, "-m", "nbgrader", "quickstart", "quickstart"],
                   cwd=tmp_path, env=env, check=True, capture_output=True)
    course = tmp_path / "quickstart"
    _nbgrader(["generate_assignment", "ps1", "--force"], course, env)
    names = ["problem1.ipynb", "problem2.ipynb"]
    release = {n: read_notebook(course / "release" / "ps1" / n) for n in names}
    source = {n: read_notebook(course / "source" / "ps1" / n) for n in names}
    for student, notebooks in _versions(release, source).items():
        _hand_in(course, "ps1", student, notebooks)
    assert _both(course, ["ps1"], env) == []
