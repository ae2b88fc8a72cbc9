"""nbgrader's own autograde, with the notebook run in a warm sandboxed runner.

:class:`SandboxedAutograde` is nbgrader's ``Autograde`` converter with one preprocessor
replaced: :class:`RemoteExecute` instead of ``Execute``. Everything else is nbgrader's, in
the coordinating process: the submission and its timestamp are recorded, the source's files
are copied in, locked and test cells (with their hidden tests) are restored from the
gradebook, missing cells added, outputs cleared, and after the run ``SaveAutoGrades`` (in one
transaction per notebook: :class:`SaveAutoGradesAtOnce`) and ``AssignLatePenalties`` write
the scores. So the scores are nbgrader's, cell by cell.

:class:`RemoteExecute` sends the restored notebook's cells and files to a runner and takes
back only outputs, by cell index: the sandbox cannot rewrite a cell's source. A test cell
passes only if the harness reported that it ran without an exception; a test cell that
raised without showing it, or that never ran (time limit, crash, early exit), gets an error
output, so nbgrader scores it 0.
"""

from __future__ import annotations

import base64
import logging
import os
import threading
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbconvert.preprocessors import ClearMetadataPreprocessor, Preprocessor
from nbgrader import utils
from nbgrader.converters import Autograde
from nbgrader.converters.base import BaseConverter
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    IgnorePattern,
    LimitOutput,
    SaveAutoGrades,
    saveautogrades,
)

from autograder.grading.pool import RunnerPool

__all__ = ["NotebookRun", "RemoteExecute", "SandboxedAutograde", "SaveAutoGradesAtOnce",
           "StudentLog"]


@dataclass
class NotebookRun:
    """What happened to one notebook of a submission in the sandbox."""

    notebook: str
    status: str  #: "finished", "timed out" or "crashed"
    reason: str = ""
    flags: list[str] = field(default_factory=list)
    seconds: float = 0.0


class StudentLog(logging.Handler):
    """Collects nbgrader's warnings and errors about one submission."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(record.getMessage())


def _files(folder: Path, budget: int) -> dict[str, str]:
    files, used = {}, 0
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or ".ipynb_checkpoints" in path.parts:
            continue
        size = path.stat().st_size
        if used + size > budget:
            continue
        used += size
        files[path.relative_to(folder).as_posix()] = base64.b64encode(path.read_bytes()).decode()
    return files


def _failed(ename: str, text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_output("error", ename=ename, evalue=text,
                                  traceback=[f"{ename}: {text}"])


class RemoteExecute(Preprocessor):
    """Run the notebook in a sandboxed runner; keep only its outputs, by cell index."""

    def __init__(self, *, pool: RunnerPool, lock: threading.Lock, timeout: float,
                 file_budget: int, runs: list[NotebookRun], **kwargs):
        super().__init__(**kwargs)
        self.pool = pool
        self.lock = lock  # held by the coordinator except while a runner works
        self.timeout = timeout
        self.file_budget = file_budget
        self.runs = runs
        self.enabled = True

    def preprocess(self, nb, resources):
        folder = Path(resources.get("metadata", {}).get("path") or ".")
        tests = [cell.cell_type == "code" and utils.is_grade(cell) and not utils.is_solution(cell)
                 for cell in nb.cells]
        request = {
            "cells": [{"cell_type": cell.cell_type, "source": cell.source, "test": test}
                      for cell, test in zip(nb.cells, tests, strict=True)],
            "files": _files(folder, self.file_budget),
            "env": {"NBGRADER_EXECUTION": "autograde"},
        }
        self.lock.release()
        try:
            answer = self.pool.run(request, timeout=self.timeout)
        finally:
            self.lock.acquire()
        run = NotebookRun(notebook=resources.get("nbgrader", {}).get("notebook", folder.name),
                          status=answer.status, reason=answer.reason, flags=list(answer.flags),
                          seconds=answer.seconds)
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            report = answer.cells.get(index)
            if report is None:
                cell.outputs = []
                cell.execution_count = None
                if tests[index]:
                    cell.outputs.append(_failed("NotRun", "this cell did not run: "
                                                + (answer.reason or "the run stopped")))
                continue
            cell.outputs = [nbformat.from_dict(output) for output in report.outputs]
            cell.execution_count = report.execution_count
            for flag in report.flags:
                if flag not in run.flags:
                    run.flags.append(flag)
            shown = any(o.output_type == "error" for o in cell.outputs)
            if tests[index] and report.raised and not shown:
                cell.outputs.append(_failed(report.ename or "Error",
                                            "this test failed, but its error was hidden"))
        self.runs.append(run)
        return nb, resources


class SaveAutoGradesAtOnce(SaveAutoGrades):
    """nbgrader's ``SaveAutoGrades``, saving a notebook's grades and comments in one
    transaction (see :meth:`autograder.grading.gradebooks._View.scoring`) instead of one
    commit per cell; the same scores and comments, by nbgrader's own code."""

    def preprocess(self, nb, resources):
        self.notebook_id = resources["nbgrader"]["notebook"]
        self.assignment_id = resources["nbgrader"]["assignment"]
        self.student_id = resources["nbgrader"]["student"]
        self.db_url = resources["nbgrader"]["db_url"]
        self.gradebook = saveautogrades.Gradebook(self.db_url)
        scoring = getattr(self.gradebook, "scoring", None)
        with self.gradebook, (scoring(self.notebook_id, self.assignment_id, self.student_id)
                              if scoring else nullcontext()):
            nb, resources = super(SaveAutoGrades, self).preprocess(nb, resources)
        return nb, resources


class SandboxedAutograde(Autograde):
    """nbgrader's ``Autograde`` with :class:`RemoteExecute` in place of ``Execute``."""

    def __init__(self, *, remote: RemoteExecute, **kwargs):
        super().__init__(**kwargs)
        self.remote = remote

    def _init_preprocessors(self) -> None:
        # nbconvert validates the whole notebook after every preprocessor (a third of the
        # coordinator's time); optimistic validation checks it once, after the last one.
        self.exporter.optimistic_validation = True
        self.exporter._preprocessors = []
        if self._sanitizing:
            for preprocessor in self.sanitize_preprocessors:
                self.exporter.register_preprocessor(preprocessor)
            return
        self.exporter.register_preprocessor(self.remote)
        for preprocessor in (IgnorePattern, ClearMetadataPreprocessor, LimitOutput,
                             SaveAutoGradesAtOnce, AssignLatePenalties, CheckCellMetadata):
            self.exporter.register_preprocessor(preprocessor)

    def convert_single_notebook(self, notebook_filename: str) -> None:
        """nbgrader's two passes (sanitize, then autograde), without changing this process's
        environment: several submissions are in flight at once, and the runner is told
        ``NBGRADER_EXECUTION=autograde`` in its request instead."""
        self._sanitizing = True
        self._init_preprocessors()
        BaseConverter.convert_single_notebook(self, notebook_filename)
        notebook_filename = os.path.join(self.writer.build_directory,
                                         os.path.basename(notebook_filename))
        self._sanitizing = False
        self._init_preprocessors()
        try:
            BaseConverter.convert_single_notebook(self, notebook_filename)
        finally:
            self._sanitizing = True
