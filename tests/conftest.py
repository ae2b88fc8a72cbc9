"""Shared fixtures: a small stand-alone curriculum to build courses from in ``tmp_path``."""

from __future__ import annotations

import textwrap
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from autograder.course import ensure_bin_on_path

ensure_bin_on_path()


def _meta(grade_id, *, grade=False, solution=False, locked=False, points=None):
    meta = {"grade": grade, "solution": solution, "locked": locked, "grade_id": grade_id,
            "schema_version": 3, "task": False}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def toy_notebook():
    """A one-exercise nbgrader source notebook: write ``add_one(n)``."""
    answer = new_code_cell("def add_one(n):\n    ### BEGIN SOLUTION\n    return n + 1\n"
                           "    ### END SOLUTION", metadata=_meta("add_one_answer", solution=True))
    tests = new_code_cell(textwrap.dedent("""\
        from widgets.checks import expect_equal, well_done
        expect_equal(add_one(1), 2, "add_one(1)")
        ### BEGIN HIDDEN TESTS
        expect_equal(add_one(41), 42, "add_one(41)")
        ### END HIDDEN TESTS
        well_done()"""), metadata=_meta("add_one_tests", grade=True, locked=True, points=2))
    notebook = new_notebook(cells=[new_markdown_cell("# Add one"), answer, tests])
    notebook.metadata.kernelspec = {"name": "python3", "display_name": "Python 3",
                                    "language": "python"}
    return notebook


TOY_SYLLABUS = """\
tracks:
  - {id: explorers, title: Explorers, ages: "8-12", folder: age_8_12}
  - {id: makers, title: Makers, ages: "13-18", folder: age_13_18}
units:
  - id: t01_toy
    title: Add one
    track: explorers
    ages: "8-12"
    big_ideas: [2]
    objectives: [Write a function.]
    minutes: 45
    notebooks: [age_8_12/t01_toy/toy.ipynb]
    guide: curriculum/guides/t01_toy.md
"""


@pytest.fixture
def toy_repo(tmp_path) -> Path:
    """A repository-shaped folder with a one-unit syllabus; returns the syllabus path."""
    root = tmp_path / "repo"
    (root / "curriculum" / "guides").mkdir(parents=True)
    (root / "age_8_12" / "t01_toy").mkdir(parents=True)
    (root / "age_13_18").mkdir()
    (root / "curriculum" / "guides" / "t01_toy.md").write_text("# Add one\n")
    nbformat.write(toy_notebook(), root / "age_8_12" / "t01_toy" / "toy.ipynb")
    syllabus = root / "curriculum" / "syllabus.yaml"
    syllabus.write_text(TOY_SYLLABUS)
    return syllabus


@pytest.fixture
def toy_course(tmp_path, toy_repo) -> Path:
    """A built and released course of the toy unit; returns the course folder."""
    from autograder.build import build_course
    from autograder.release import release

    course = tmp_path / "course"
    build_course(out=course, syllabus=toy_repo)
    config = course / "nbgrader_config.py"
    config.write_text(config.read_text() + "\nc.Execute.timeout = 5\n")  # quick loop tests
    release(course=course, assignment="t01_toy")
    return course


def submit_notebook(course: Path, student: str, notebook_text: str,
                    assignment: str = "t01_toy", name: str = "toy.ipynb") -> Path:
    """Put a submission straight into ``submitted/`` (as ``nbgrader collect`` would)."""
    folder = course / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(notebook_text, encoding="utf-8")
    return folder / name


def toy_answer(course: Path, code: str | None) -> str:
    """The released toy notebook with its answer cell set to ``code`` (None: untouched)."""
    notebook = nbformat.read(course / "release" / "t01_toy" / "toy.ipynb", as_version=4)
    if code is not None:
        notebook.cells[1].source = code
    return nbformat.writes(notebook)
