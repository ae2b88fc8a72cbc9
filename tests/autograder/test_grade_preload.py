"""Tests for autograder/grading/preload.py: runners import what the unit's notebooks use."""

from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from autograder.grade import grade
from autograder.grading.preload import choose_preload, notebook_imports
from tests.conftest import submit_notebook, toy_answer

CONFIGURED = ["numpy", "matplotlib.pyplot", "matplotlib_inline.backend_inline", "sklearn",
              "sklearn.neighbors", "sklearn.tree", "ipywidgets", "widgets"]


def _notebook(folder, name, *sources):
    folder.mkdir(parents=True, exist_ok=True)
    cells = [new_markdown_cell("import pandas  # words, not code")]
    cells += [new_code_cell(source) for source in sources]
    nbformat.write(new_notebook(cells=cells), folder / name)
    return folder / name


def test_imports_are_read_from_code_cells_only_even_with_magics(tmp_path):
    """Are the modules a notebook imports found in its code cells (also in a cell with IPython
    magics, inside functions, and from ``from … import``), but not in markdown, and never a
    relative import?"""
    path = _notebook(tmp_path, "a.ipynb",
                     "%matplotlib inline\nimport numpy as np\n!echo hi",
                     "def f():\n    from sklearn.neighbors import KNeighborsClassifier\n",
                     "from . import local\nimport os, json")
    assert notebook_imports([path]) == ["numpy", "sklearn.neighbors", "os", "json"]


def test_only_what_the_notebooks_use_is_preloaded(tmp_path):
    """Does a unit that imports only the standard library preload nothing, while one using
    scikit-learn's neighbours and pyplot preloads those, their packages and pyplot's inline
    backend, but not scikit-learn's trees, and ``preload_all`` keeps the old whole list?"""
    plain = _notebook(tmp_path / "plain", "p.ipynb", "import math\nimport random")
    assert choose_preload(configured=CONFIGURED, notebooks=[plain], folder=plain.parent) \
        .modules == []
    knn = _notebook(tmp_path / "knn", "k.ipynb",
                    "from sklearn.neighbors import KNeighborsClassifier\n"
                    "import matplotlib.pyplot as plt")
    chosen = choose_preload(configured=CONFIGURED, notebooks=[knn], folder=knn.parent)
    assert chosen.modules == ["matplotlib.pyplot", "matplotlib_inline.backend_inline",
                              "sklearn", "sklearn.neighbors"]
    assert choose_preload(configured=CONFIGURED, notebooks=[plain], folder=plain.parent,
                          preload_all=True).modules == CONFIGURED


def test_the_notebooks_own_imports_are_added_but_never_the_units_own_modules(tmp_path):
    """Are the notebooks' other imports added (to be imported if they can be), except the
    standard library's and a module the unit ships itself (a site package of that name
    preloaded first would hide the unit's own file from its notebooks)?"""
    folder = tmp_path / "unit"
    path = _notebook(folder, "u.ipynb", "import scipy.stats\nimport helpers\nimport json")
    (folder / "helpers.py").write_text("X = 1\n")
    chosen = choose_preload(configured=CONFIGURED, notebooks=[path], folder=folder)
    assert chosen.modules == []
    assert chosen.optional == ["scipy.stats"]


@pytest.mark.slow
def test_a_preload_the_runners_cannot_import_is_noted(toy_course, tmp_path, monkeypatch):
    """When a module to preload is importable by the grading process but not inside the
    sandbox, is the class still graded, with a note that names the module?"""
    package = tmp_path / "outside" / "jazari_probe_only_here"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(package.parent))
    config = toy_course / "nbgrader_config.py"
    config.write_text(config.read_text() + "\nc.JazariGrade.preload = "
                      "['jazari_probe_only_here']\nc.JazariGrade.preload_all = True\n")
    submit_notebook(toy_course, "right", toy_answer(toy_course,
                                                    "def add_one(n):\n    return n + 1"))
    run = grade(course=toy_course, assignment="t01_toy", steps=["check", "autograde"])
    assert [(r.student, r.status, r.score) for r in run.results] == [("right", "graded", 2)]
    assert any("could not import jazari_probe_only_here" in note for note in run.notes), \
        run.notes
