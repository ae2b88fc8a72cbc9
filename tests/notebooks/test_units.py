"""Every unit of the syllabus, graded for real by nbgrader.

For every graded cell: the released blank version scores 0, the solution scores full
marks, each committed plausible mistake or tampering attempt (``<unit>/mistakes.yaml``)
loses points in the cells it names, and each other right way scores full marks there.
The notebooks are executed by nbgrader, in a course built in a temporary folder.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from autograder.build import build_course
from autograder.course import open_course
from autograder.grade import grade
from autograder.mistakes import load_mistakes
from autograder.notebooks import (
    answer_cells,
    fill_answers,
    graded_cells,
    nbgrader_meta,
    read_notebook,
)
from curriculum import REPO_ROOT, load_syllabus

SYLLABUS = load_syllabus()
UNITS = [unit.id for unit in SYLLABUS.units]


def _mistakes(unit):
    return load_mistakes(SYLLABUS.root / unit.folder / "mistakes.yaml")


def _sources(unit):
    return {Path(nb).stem: read_notebook(SYLLABUS.root / nb) for nb in unit.notebooks}


@pytest.fixture(scope="session")
def graded(tmp_path_factory):
    """Build the course, hand in blank, solution and mistake versions, grade them all.

    Returns ``{unit: {student: {(notebook, grade_id): (score, max_score)}}}``.
    """
    course = tmp_path_factory.mktemp("units") / "course"
    build_course(out=course, syllabus=SYLLABUS)
    config = course / "nbgrader_config.py"
    config.write_text(config.read_text() + "\nc.Execute.timeout = 10\n")
    opened = open_course(course)
    api = opened.api()
    students = {}
    for unit in SYLLABUS.units:
        result = api.generate_assignment(unit.id, force=True, create=True)
        assert result["success"], result.get("error")
        sources = _sources(unit)
        versions = {"blank": {}, "solution": None}
        on_solution = set()  # another right way is graded with the solution's other answers
        for number, mistake in enumerate(_mistakes(unit)):
            versions[f"mistake{number}"] = {mistake.answer: mistake.code}
            if mistake.kind == "correct":
                on_solution.add(f"mistake{number}")
        for student, answers in versions.items():
            folder = course / "submitted" / student / unit.id
            folder.mkdir(parents=True)
            for name, source in sources.items():
                release = read_notebook(course / "release" / unit.id / f"{name}.ipynb")
                if answers is None:
                    handed_in = source
                else:
                    owned = {gid for gid in answers
                             if gid in {nbgrader_meta(c)["grade_id"] for c in answer_cells(release)}}
                    base = source if student in on_solution else release
                    handed_in = fill_answers(base, {gid: answers[gid] for gid in owned})
                nbformat.write(handed_in, folder / f"{name}.ipynb")
        students[unit.id] = list(versions)
    scores = {}
    for unit in SYLLABUS.units:
        run = grade(course=course, assignment=unit.id, steps=["check", "autograde"])
        assert not run.problems, [f"{r.student}: {r.problem}" for r in run.problems]
        with opened.gradebook() as gb:
            scores[unit.id] = {}
            for student in students[unit.id]:
                cells = {}
                for name, source in _sources(unit).items():
                    for cell in graded_cells(source):
                        grade_id = nbgrader_meta(cell)["grade_id"]
                        found = gb.find_grade(grade_id, name, unit.id, student)
                        cells[(name, grade_id)] = (found.score, found.max_score)
                scores[unit.id][student] = cells
    return scores


def _graded_ids(unit_id):
    unit = SYLLABUS.unit(unit_id)
    return [(name, nbgrader_meta(cell)["grade_id"])
            for name, source in _sources(unit).items() for cell in graded_cells(source)]


@pytest.mark.slow
@pytest.mark.parametrize("unit_id", UNITS)
def test_blank_version_scores_zero_on_every_graded_cell(graded, unit_id):
    """Does the released blank notebook score 0 on each graded cell?"""
    cells = graded[unit_id]["blank"]
    assert cells and {key: score for key, (score, _max) in cells.items()} == {
        key: 0 for key in cells}


@pytest.mark.slow
@pytest.mark.parametrize("unit_id", UNITS)
def test_solution_scores_full_marks_on_every_graded_cell(graded, unit_id):
    """Does the solution score full marks on each graded cell?"""
    cells = graded[unit_id]["solution"]
    assert {key: score for key, (score, _max) in cells.items()} == {
        key: maximum for key, (_score, maximum) in cells.items()}
    assert all(maximum > 0 for _score, maximum in cells.values())


@pytest.mark.slow
@pytest.mark.parametrize("unit_id", UNITS)
def test_every_other_right_way_scores_full_marks_where_it_says(graded, unit_id):
    """Does each answer of kind `correct` (right, but written differently from the solution)
    score full marks in every cell it names?"""
    unit = SYLLABUS.unit(unit_id)
    names = {grade_id: name for name, grade_id in _graded_ids(unit_id)}
    right = [(n, m) for n, m in enumerate(_mistakes(unit)) if m.kind == "correct"]
    assert right
    for number, mistake in right:
        cells = graded[unit_id][f"mistake{number}"]
        for grade_id in mistake.passes:
            score, maximum = cells[(names[grade_id], grade_id)]
            assert score == maximum > 0, f"{mistake.why!r} scored {score}/{maximum} in {grade_id}"


@pytest.mark.slow
@pytest.mark.parametrize("unit_id", UNITS)
def test_every_mistake_loses_points_where_it_says(graded, unit_id):
    """Does each plausible mistake or tampering attempt lose points in every cell it names,
    and in total?"""
    unit = SYLLABUS.unit(unit_id)
    names = {grade_id: name for name, grade_id in _graded_ids(unit_id)}
    for number, mistake in enumerate(_mistakes(unit)):
        if mistake.kind == "correct":
            continue
        cells = graded[unit_id][f"mistake{number}"]
        for grade_id in mistake.fails:
            score, maximum = cells[(names[grade_id], grade_id)]
            assert score < maximum, f"{mistake.why!r} did not lose points in {grade_id}"
        assert sum(s for s, _ in cells.values()) < sum(m for _, m in cells.values())


@pytest.mark.parametrize("unit_id", UNITS)
def test_every_graded_cell_has_a_wrong_answer_that_fails_it(unit_id):
    """Is every graded cell named by at least one committed plausible wrong answer?"""
    unit = SYLLABUS.unit(unit_id)
    mistakes = _mistakes(unit)
    caught = {grade_id for m in mistakes if m.kind == "wrong" for grade_id in m.fails}
    graded_ids = {grade_id for _name, grade_id in _graded_ids(unit_id)}
    assert graded_ids <= caught, f"no wrong answer for {sorted(graded_ids - caught)}"
    answers = {nbgrader_meta(c)["grade_id"] for s in _sources(unit).values()
               for c in answer_cells(s)}
    assert {m.answer for m in mistakes} <= answers
    assert [m.kind for m in mistakes].count("raises") == 1
    assert [m.kind for m in mistakes].count("loops") == 1


@pytest.mark.parametrize("unit_id", UNITS)
def test_every_graded_cell_has_another_right_way_and_a_tampering_attempt(unit_id):
    """Is every graded cell named by an answer of kind `correct` (which must pass it) and by
    one of kind `tamper` (which must not)?"""
    unit = SYLLABUS.unit(unit_id)
    mistakes = _mistakes(unit)
    graded_ids = {grade_id for _name, grade_id in _graded_ids(unit_id)}
    passed = {grade_id for m in mistakes if m.kind == "correct" for grade_id in m.passes}
    tampered = {grade_id for m in mistakes if m.kind == "tamper" for grade_id in m.fails}
    assert graded_ids <= passed, f"no other right way for {sorted(graded_ids - passed)}"
    assert graded_ids <= tampered, f"no tampering attempt for {sorted(graded_ids - tampered)}"


@pytest.mark.parametrize("unit_id", UNITS)
def test_unit_shape(unit_id):
    """Does the unit have four or more graded exercises, each with points and hidden tests,
    a widget from widgets/, and a teacher guide?"""
    unit = SYLLABUS.unit(unit_id)
    sources = _sources(unit)
    cells = [cell for source in sources.values() for cell in graded_cells(source)]
    assert len(cells) >= 4
    for cell in cells:
        assert nbgrader_meta(cell).get("points", 0) > 0
        assert "### BEGIN HIDDEN TESTS" in cell.source and "### END HIDDEN TESTS" in cell.source
        assert nbgrader_meta(cell).get("locked")
    code = "\n".join(c.source for s in sources.values() for c in s.cells if c.cell_type == "code")
    assert "from widgets import" in code
    guide = (SYLLABUS.root / unit.guide).read_text(encoding="utf-8")
    for heading in ("objective", "minute", "warm-up", "mistake", "answer"):
        assert heading in guide.lower(), f"the guide has no {heading!r} section"


def test_every_committed_notebook_has_no_outputs():
    """Is every notebook in the repository committed without outputs?"""
    folders = [REPO_ROOT / track.folder for track in SYLLABUS.tracks.values()]
    folders += [REPO_ROOT / name for name in ("curriculum", "tests", "benchmarks", "deploy")]
    notebooks = [p for folder in folders for p in folder.rglob("*.ipynb")
                 if ".ipynb_checkpoints" not in p.parts]
    assert len(notebooks) >= len(SYLLABUS.units)
    for path in notebooks:
        notebook = nbformat.read(path, as_version=4)
        for cell in notebook.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, path
