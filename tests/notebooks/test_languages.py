"""Every unit, built in French and in Arabic, runs and grades like the English one.

The courses are built with `jazari build --lang` in a temporary folder. Each built source
notebook runs from top to bottom (as nbval does); the released blank version scores 0 and
the solution full marks on every graded cell, graded by nbgrader; the code, the tests and
the grade ids are the English ones, with only texts for people translated.
"""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest

from autograder.build import build_course
from autograder.course import open_course
from autograder.grade import grade
from autograder.homes import private_jupyter
from autograder.notebooks import graded_cells, nbgrader_meta, read_notebook
from curriculum import load_syllabus

SYLLABUS = load_syllabus()
UNITS = [unit.id for unit in SYLLABUS.units]
LANGS = ["fr", "ar"]
#: What the checks say when they pass, in each language (widgets' "Well done!").
WELL_DONE = {"fr": "Bravo", "ar": "أحسنت"}


@pytest.fixture(scope="module")
def courses(tmp_path_factory):
    """A course built in each language: ``{lang: course folder}``."""
    built = {}
    for lang in LANGS:
        course = tmp_path_factory.mktemp(f"course_{lang}") / "course"
        build_course(out=course, lang=lang, syllabus=SYLLABUS)
        config = course / "nbgrader_config.py"
        config.write_text(config.read_text() + "\nc.Execute.timeout = 10\n")
        built[lang] = course
    return built


def _built(course: Path, unit) -> dict[str, nbformat.NotebookNode]:
    return {Path(nb).name: read_notebook(course / "source" / unit.id / Path(nb).name)
            for nb in unit.notebooks}


class _Shape(ast.NodeTransformer):
    """The code without its texts: every string constant emptied (comments are not in the AST)."""

    def visit_Constant(self, node):
        return ast.Constant("") if isinstance(node.value, str) else node

    def visit_JoinedStr(self, node):
        return ast.Constant("")


def _shape(source: str) -> str:
    lines = ["" if line.lstrip().startswith(("%", "!")) else line for line in source.split("\n")]
    return ast.dump(_Shape().visit(ast.parse("\n".join(lines))))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("unit_id", UNITS)
def test_only_texts_change_never_code_tests_or_grade_ids(courses, unit_id, lang):
    """In the built notebook, are the cells, their metadata and grade ids the English ones,
    the code (hidden tests included) the same once its texts are set aside, the setup cell
    in the class's language, and Arabic markdown written right to left?"""
    unit = SYLLABUS.unit(unit_id)
    for name, built in _built(courses[lang], unit).items():
        source = read_notebook(SYLLABUS.root / unit.folder / name)
        assert len(built.cells) == len(source.cells) + 1  # the glossary at the end
        for before, after in zip(source.cells, built.cells, strict=False):
            assert after.cell_type == before.cell_type and after.metadata == before.metadata
            if after.cell_type == "code":
                assert _shape(after.source) == _shape(before.source), before.source[:80]
            elif lang == "ar" and after.source.strip():
                assert after.source.startswith('<div dir="rtl">') or after.source.startswith("```")
        setup = next(cell.source for cell in built.cells if cell.cell_type == "code")
        assert f'setup(lang="{lang}")' in setup
        assert [nbgrader_meta(c)["grade_id"] for c in graded_cells(built)] == [
            nbgrader_meta(c)["grade_id"] for c in graded_cells(source)]
    assert (courses[lang] / "guides" / f"{unit_id}.md").is_file()


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("unit_id", UNITS)
def test_built_notebook_runs_from_top_to_bottom(courses, unit_id, lang, tmp_path):
    """Does every cell of the built source notebook run without an error (as nbval checks),
    and do its checks praise the child in the class's language?"""
    from nbclient import NotebookClient

    unit = SYLLABUS.unit(unit_id)
    folder = courses[lang] / "source" / unit_id
    (tmp_path / "jupyter" / "ipython").mkdir(parents=True)
    for name, notebook in _built(courses[lang], unit).items():
        with private_jupyter(tmp_path / "jupyter"):
            NotebookClient(notebook, timeout=120, kernel_name="python3",
                           resources={"metadata": {"path": str(folder)}}).execute()
        errors = [output for cell in notebook.cells for output in cell.get("outputs", [])
                  if output.output_type == "error"]
        assert not errors, f"{name}: {errors[0].get('ename')}: {errors[0].get('evalue')}"
        printed = "".join(output.get("text", "") for cell in notebook.cells
                          for output in cell.get("outputs", []) if output.output_type == "stream")
        assert WELL_DONE[lang] in printed


@pytest.fixture(scope="module")
def graded(courses, tmp_path_factory):
    """Hand in the blank and the solution version of every unit in each language and grade
    them with nbgrader. Returns ``{(lang, unit): {student: {grade_id: (score, max)}}}``."""
    scores = {}
    for lang, course in courses.items():
        opened = open_course(course)
        api = opened.api()
        for unit in SYLLABUS.units:
            result = api.generate_assignment(unit.id, force=True, create=True)
            assert result["success"], result.get("error")
            for student in ("blank", "solution"):
                folder = course / "submitted" / student / unit.id
                folder.mkdir(parents=True)
                for name in _built(course, unit):
                    chosen = "release" if student == "blank" else "source"
                    nbformat.write(read_notebook(course / chosen / unit.id / name), folder / name)
            run = grade(course=course, assignment=unit.id, steps=["check", "autograde"])
            assert not run.problems, [f"{r.student}: {r.problem}" for r in run.problems]
            with opened.gradebook() as gradebook:
                for student in ("blank", "solution"):
                    cells = {}
                    for name, notebook in _built(course, unit).items():
                        for cell in graded_cells(notebook):
                            grade_id = nbgrader_meta(cell)["grade_id"]
                            found = gradebook.find_grade(grade_id, Path(name).stem, unit.id,
                                                         student)
                            cells[grade_id] = (found.score, found.max_score)
                    scores.setdefault((lang, unit.id), {})[student] = cells
    return scores


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("unit_id", UNITS)
def test_blank_scores_zero_and_solution_full_marks_in_every_language(graded, unit_id, lang):
    """Built in this language, does the blank notebook score 0 and the solution full marks
    on every graded cell?"""
    cells = graded[(lang, unit_id)]
    assert cells["blank"] and all(score == 0 for score, _max in cells["blank"].values())
    assert all(score == maximum > 0 for score, maximum in cells["solution"].values())
    assert cells["blank"].keys() == cells["solution"].keys()
