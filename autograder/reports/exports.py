"""Exports of the class report: CSV wide and long, Moodle's grade import, pseudonyms.

Every file is written whole or not at all (a temporary file beside it, then a rename), and
an output folder that cannot be written gives one :class:`JazariError` line.

Learners are minors: ``pseudonymise=True`` replaces each id by a stable keyed hash
(HMAC-SHA256 with a secret kept in the course folder, ``.jazari_pseudonym_key``) and leaves
names and e-mail addresses out. The same learner gets the same pseudonym in every export
of that course, and nobody without the key can go back from a pseudonym to the id.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import os
import secrets
import tempfile
from pathlib import Path

from autograder.errors import JazariError
from autograder.reports.model import ClassReport, LearnerRow
from autograder.reports.terminal import points

__all__ = ["KEY_NAME", "Pseudonyms", "atomic_write", "write_csv", "write_long_csv",
           "write_moodle_csv"]

#: The secret behind the pseudonyms, in each course folder.
KEY_NAME = ".jazari_pseudonym_key"


def atomic_write(path: str | Path, data: bytes) -> Path:
    """Write ``path`` whole or not at all: a temporary file beside it, then a rename."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    except OSError as error:
        raise JazariError(f"{path}: cannot write there ({error.strerror or error})") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o644 & ~umask)  # mkstemp makes it private; a report is not
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise JazariError(f"{path}: cannot write there ({error.strerror or error})") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


class Pseudonyms:
    """Stable keyed pseudonyms for the learners of one or several courses."""

    def __init__(self, report: ClassReport):
        self._keys = {}
        for root in report.courses:
            label = root.name if len(report.courses) > 1 else ""
            self._keys[label] = self._key(root)

    @staticmethod
    def _key(root: Path) -> bytes:
        path = root / KEY_NAME
        if not path.exists():
            key = secrets.token_hex(32).encode()
            try:
                descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass  # made at the same moment by another export
            except OSError as error:
                raise JazariError(f"{path}: cannot keep the pseudonym key there "
                                  f"({error.strerror})") from None
            else:
                with os.fdopen(descriptor, "wb") as stream:
                    stream.write(key)
        try:
            key = path.read_bytes().strip()
        except OSError as error:
            raise JazariError(f"{path}: cannot read the pseudonym key ({error.strerror})") from None
        if len(key) < 32:
            raise JazariError(f"{path}: the pseudonym key is too short; delete it to make a "
                              "new one (earlier pseudonyms will change)")
        return key

    def of(self, row: LearnerRow) -> str:
        key = self._keys.get(row.course) or next(iter(self._keys.values()))
        digest = hmac.new(key, row.student.encode("utf-8"), hashlib.sha256).hexdigest()
        return f"L-{digest[:12]}"


def _who(report: ClassReport, row: LearnerRow, pseudonyms: Pseudonyms | None) -> list[str]:
    course = [row.course] if len(report.courses) > 1 else []
    if pseudonyms is not None:
        return [*course, pseudonyms.of(row), row.group, row.track]
    return [*course, row.student, row.name, row.group, row.track]


def _who_header(report: ClassReport, pseudonymise: bool) -> list[str]:
    course = ["course"] if len(report.courses) > 1 else []
    if pseudonymise:
        return [*course, "pseudonym", "group", "track"]
    return [*course, "student_id", "name", "group", "track"]


def _csv(rows) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


def write_csv(report: ClassReport, path: str | Path, *, pseudonymise: bool = False) -> Path:
    """The wide CSV: one row per learner; score, max, status and reason per unit.

    A unit outside the learner's track has the status "not in track" and no score.
    """
    pseudonyms = Pseudonyms(report) if pseudonymise else None
    units = list(report.units.values())
    header = _who_header(report, pseudonymise)
    for unit in units:
        header += [f"{unit.id}_score", f"{unit.id}_max", f"{unit.id}_status", f"{unit.id}_reason"]
    lines = [header + ["total_score", "total_max", "percent"]]
    for track in report.tracks:
        # Column by column: four per unit (each unit's results are a column of the track).
        count = len(track.rows)
        columns = []
        for unit in units:
            column = track.columns.get(unit.id)
            if column is None:
                columns += [[""] * count, [""] * count, ["not in track"] * count, [""] * count]
            else:
                columns += [["" if score is None else points(score) for score in column.score],
                            [points(unit.max_score)] * count, column.status, column.reason]
        possible = points(track.possible)
        columns += [[points(score) for score in track.totals()], [possible] * count,
                    [f"{percent:.1f}" for percent in track.percents()]]
        lines += [_who(report, row, pseudonyms) + list(cells)
                  for row, cells in zip(track.rows, zip(*columns, strict=True), strict=True)]
    lines[1:] = sorted(lines[1:], key=lambda line: line[:2])
    return atomic_write(path, _csv(lines))


def write_long_csv(report: ClassReport, path: str | Path, *, pseudonymise: bool = False) -> Path:
    """The long CSV: one row per learner and graded cell of their track's units.

    Columns: who, unit, notebook, cell (grade id), objective number and text, big ideas,
    score, max score and the submission's status (score empty when not scored).
    """
    pseudonyms = Pseudonyms(report) if pseudonymise else None
    lines = [_who_header(report, pseudonymise) + [
        "unit", "notebook", "cell", "objective", "objective_text", "big_ideas", "score",
        "max_score", "status"]]
    for track in report.tracks:
        for row in track.rows:
            who = _who(report, row, pseudonyms)
            for unit in track.units:
                mark = row.marks[unit.id]
                objective_of = {c: o for o in unit.objectives for c in o.cells}
                for cell in unit.cells:
                    objective = objective_of.get(cell.grade_id)
                    score = "" if mark.score is None else points(mark.cells.get(cell.grade_id, 0.0))
                    lines.append(who + [
                        unit.id, cell.notebook, cell.grade_id,
                        "" if objective is None else objective.number,
                        "" if objective is None else objective.text,
                        " ".join(str(i) for i in unit.big_ideas), score,
                        points(cell.max_score), mark.status])
    return atomic_write(path, _csv(lines))


def write_moodle_csv(report: ClassReport, path: str | Path) -> Path:
    """A CSV for Moodle's gradebook import (Grades > Import > CSV file).

    One row per learner: ``ID number`` (the nbgrader id; map it to Moodle's "ID number"
    user field), ``Email address``, then one column per unit with the points (empty when
    there is no score, which Moodle leaves unchanged) and one ``<unit> feedback`` column
    with the status and reason, to map onto the grade item's feedback. Units of other
    tracks are left empty.
    """
    units = list(report.units.values())
    header = ["ID number", "Email address", "First name", "Last name"]
    for unit in units:
        header += [unit.id, f"{unit.id} feedback"]
    lines = [header]
    for row in report.rows:
        line = [row.student, row.email, row.first_name, row.last_name]
        for unit in units:
            mark = row.marks.get(unit.id)
            if mark is None:
                line += ["", ""]
            else:
                feedback = mark.status + (f": {mark.reason}" if mark.reason else "")
                line += ["" if mark.score is None else points(mark.score), feedback]
        lines.append(line)
    return atomic_write(path, _csv(lines))
