"""Tests for autograder/notebooks.py: reading notebooks safely, answer and test cells."""

from __future__ import annotations

import json

import nbformat
import pytest

from autograder.errors import JazariError
from autograder.notebooks import (
    answer_cells,
    fill_answers,
    graded_cells,
    read_notebook,
    solution_code,
)
from tests.conftest import toy_notebook


@pytest.mark.parametrize("content, expected", [
    ("{not json", "is not valid JSON (line 1, column 2"),
    ("[1, 2]", "is JSON but not a Jupyter notebook"),
    ('{"cells": [], "nbformat": 3, "metadata": {}}', "is a version 3 notebook"),
    ('{"cells": [{"cell_type": "banana"}], "nbformat": 4, "nbformat_minor": 5, '
     '"metadata": {}}', "is not a valid notebook"),
])
def test_broken_files_give_one_line_naming_the_file(tmp_path, content, expected):
    """Does each kind of broken notebook give one line with the file and the problem?"""
    path = tmp_path / "work.ipynb"
    path.write_text(content)
    with pytest.raises(JazariError) as caught:
        read_notebook(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and expected in message and "\n" not in message


def test_binary_and_missing_files(tmp_path):
    """Are a binary file and a missing file reported clearly?"""
    path = tmp_path / "photo.ipynb"
    path.write_bytes(b"\xff\xd8\xff\xe0 jpeg")
    with pytest.raises(JazariError, match="not a text file"):
        read_notebook(path)
    with pytest.raises(JazariError, match="does not exist"):
        read_notebook(tmp_path / "nothing.ipynb")


def test_too_new_nbgrader_metadata_is_refused(tmp_path):
    """Is a notebook whose nbgrader metadata is from a newer nbgrader refused, not crashed on?"""
    notebook = toy_notebook()
    notebook.cells[1].metadata.nbgrader["schema_version"] = 99
    path = tmp_path / "new.ipynb"
    nbformat.write(notebook, path)
    with pytest.raises(JazariError, match="nbgrader cell metadata that cannot be graded"):
        read_notebook(path)


def test_answer_and_graded_cells_and_solutions():
    """Are answer and test cells found, and solution markers removed from the code?"""
    notebook = toy_notebook()
    assert [c.metadata.nbgrader["grade_id"] for c in answer_cells(notebook)] == ["add_one_answer"]
    assert [c.metadata.nbgrader["grade_id"] for c in graded_cells(notebook)] == ["add_one_tests"]
    assert solution_code(notebook.cells[1].source) == "def add_one(n):\n    return n + 1"


def test_fill_answers_copies_and_refuses_unknown_ids():
    """Does fill_answers change a copy only, and refuse an unknown grade id?"""
    notebook = toy_notebook()
    before = json.dumps(notebook)
    filled = fill_answers(notebook, {"add_one_answer": "def add_one(n):\n    return 0"})
    assert filled.cells[1].source.endswith("return 0") and json.dumps(notebook) == before
    with pytest.raises(KeyError):
        fill_answers(notebook, {"nope": ""})
