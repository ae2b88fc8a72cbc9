"""Reading notebooks safely, and the parts of an nbgrader source notebook.

:func:`read_notebook` turns every way a notebook file can be broken into one
:class:`JazariError` line naming the file. The other helpers find answer and test cells
and make filled-in copies of a student notebook (used by ``jazari demo`` and the tests).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat

from autograder.errors import JazariError

__all__ = [
    "answer_cells",
    "fill_answers",
    "nbgrader_meta",
    "read_notebook",
    "solution_code",
    "graded_cells",
]

_BEGIN = re.compile(r"^\s*### BEGIN SOLUTION\s*$")
_END = re.compile(r"^\s*### END SOLUTION\s*$")


def read_notebook(path: str | Path, *, nbgrader: bool = True) -> nbformat.NotebookNode:
    """Read and validate a notebook file.

    Checks, in order: the file can be read, it is JSON, it is a Jupyter notebook
    (nbformat 4), and (``nbgrader=True``) its nbgrader cell metadata is valid for the
    nbgrader installed here. Any failure raises :class:`JazariError` with one line that
    names the file and the problem.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise JazariError(f"{path}: the notebook does not exist") from None
    except UnicodeDecodeError:
        raise JazariError(f"{path}: is not a text file (not UTF-8), so not a notebook") from None
    except OSError as error:
        raise JazariError(f"{path}: cannot be read ({error.strerror})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise JazariError(f"{path}: is not valid JSON (line {error.lineno}, column "
                          f"{error.colno}: {error.msg})") from None
    if not isinstance(data, dict) or "cells" not in data or "nbformat" not in data:
        raise JazariError(f"{path}: is JSON but not a Jupyter notebook (no 'cells' or "
                          "'nbformat')")
    if data.get("nbformat") != 4:
        raise JazariError(f"{path}: is a version {data.get('nbformat')!r} notebook; "
                          "only version 4 is supported")
    try:
        notebook = nbformat.reads(text, as_version=4)
        nbformat.validate(notebook)
    except Exception as error:  # nbformat raises several kinds for a bad notebook
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise JazariError(f"{path}: is not a valid notebook ({first})") from None
    if nbgrader:
        from nbgrader.nbgraderformat import MetadataValidator

        try:
            MetadataValidator().validate_nb(notebook)
        except Exception as error:
            first = str(error).strip().splitlines()[0] if str(error).strip() else ""
            raise JazariError(f"{path}: has nbgrader cell metadata that cannot be graded "
                              f"({type(error).__name__}: {first})") from None
    return notebook


def nbgrader_meta(cell) -> dict:
    """The cell's ``nbgrader`` metadata, or an empty dict."""
    return dict(cell.get("metadata", {}).get("nbgrader", {}))


def answer_cells(notebook) -> list:
    """Cells the learner writes in (nbgrader ``solution`` cells that are not graded)."""
    return [cell for cell in notebook.cells
            if nbgrader_meta(cell).get("solution") and not nbgrader_meta(cell).get("grade")]


def graded_cells(notebook) -> list:
    """Autograded test cells (``grade`` without ``solution``), in notebook order."""
    return [cell for cell in notebook.cells
            if cell.cell_type == "code" and nbgrader_meta(cell).get("grade")
            and not nbgrader_meta(cell).get("solution")]


def solution_code(source: str) -> str:
    """The source with its solution markers taken out (the code between them kept)."""
    return "\n".join(line for line in source.splitlines()
                     if not (_BEGIN.match(line) or _END.match(line)))


def fill_answers(student, answers: dict[str, str]):
    """A copy of ``student`` with the answer cells named in ``answers`` replaced.

    ``answers`` maps an answer cell's ``grade_id`` to its new full source. Raises
    :class:`KeyError` for a grade id the notebook does not have.
    """
    filled = nbformat.from_dict(json.loads(json.dumps(student)))
    cells = {nbgrader_meta(cell).get("grade_id"): cell for cell in answer_cells(filled)}
    for grade_id, code in answers.items():
        cells[grade_id].source = code
    return filled
