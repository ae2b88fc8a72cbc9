"""``jazari roster``: the class list, from a CSV file into the course's gradebook.

The file has one learner a row, with the columns ``id``, ``first_name``, ``last_name``,
``group`` and ``track`` (UTF-8, with or without a byte order mark; commas or semicolons; any other column is
ignored, so the same file can carry more, such as accounts on a hub)::

    id,first_name,last_name,group,track
    amine,Amine,Benali,Saturday 10:00,explorers
    salma,سلمى,الشرايبي,Saturday 10:00,explorers

First and last names go into nbgrader's gradebook (the formgrader and every report show
them); group and track into Jazari's learner table beside it (:mod:`autograder.learners`).
Every row is checked before anything is written: a bad file changes nothing.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from autograder import learners as learner_store
from autograder.course import open_course
from autograder.errors import JazariError
from autograder.learners import Learner

__all__ = ["COLUMNS", "RosterResult", "id_problem", "load_roster", "read_roster", "roster",
           "roster_rows"]

#: The columns a roster must have.
COLUMNS = ("id", "first_name", "last_name", "group", "track")

_ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.@-]*")


def id_problem(learner_id: str) -> str | None:
    """Why ``learner_id`` cannot be a learner's id (None when it can).

    An id names the learner's folders and their submissions in nbgrader's exchange
    (``<id>+<unit>+<time>``), so it has letters, digits and ``_ . @ -`` only.
    """
    if not learner_id:
        return "the id is empty"
    if len(learner_id) > 128:
        return "the id is longer than 128 characters"
    if not _ID.fullmatch(learner_id):
        return (f"the id '{learner_id}' may only have letters a-z, digits and _ . @ - "
                "(no spaces), and starts with a letter, digit or _")
    return None


@dataclass
class RosterResult:
    """What ``jazari roster`` did."""

    added: list[str]  #: ids new to the gradebook
    updated: list[str]  #: ids already in it, names and group/track replaced


def roster_rows(path: str | Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The column names of the roster file at ``path`` (lower case, ``_`` for spaces and
    dashes) and its rows that are not empty: (line number, column -> stripped text).

    UTF-8 with or without a byte order mark; commas, or semicolons as spreadsheets set to
    French save "CSV". Raises :class:`JazariError` (one line) if it cannot be read.
    """
    path = Path(path).expanduser()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise JazariError(f"{path}: no such roster file") from None
    except IsADirectoryError:
        raise JazariError(f"{path}: is a folder, not a roster file") from None
    except UnicodeDecodeError:
        raise JazariError(f"{path}: is not UTF-8 text; save it as 'CSV UTF-8'") from None
    lines = text.splitlines()
    first = lines[0] if lines else ""
    delimiter = ";" if ";" in first and "," not in first else ","
    reader = csv.DictReader(lines, delimiter=delimiter)
    # "ID", "First name" and "first-name" all mean what the roster calls them.
    header = [re.sub(r"[\s-]+", "_", (name or "").strip().lower())
              for name in reader.fieldnames or []]
    reader.fieldnames = header
    rows = []
    for row in reader:
        values = {name: (value or "").strip() for name, value in row.items()
                  if isinstance(name, str) and isinstance(value, str)}
        if any(values.values()):  # else a line of empty cells
            rows.append((reader.line_num, values))
    return header, rows


def read_roster(path: str | Path, tracks) -> list[Learner]:
    """The learners of the roster file at ``path``, every row checked.

    ``tracks`` are the known track ids; an empty track means "not known yet". Raises
    :class:`JazariError` with one line per problem.
    """
    path = Path(path).expanduser()
    header, rows = roster_rows(path)
    if not header:
        raise JazariError(f"{path}: is empty; the first line names the columns "
                          f"{','.join(COLUMNS)}")
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        raise JazariError(f"{path}: line 1: missing column(s) {', '.join(missing)} "
                          f"(a roster has the columns {','.join(COLUMNS)})")
    tracks = {track.lower(): track for track in tracks}  # "Explorers" means explorers
    problems: list[str] = []
    learners: list[Learner] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        values = {name: row.get(name, "") for name in COLUMNS}
        learner_id = values["id"]
        problem = id_problem(learner_id)
        if problem is None and learner_id in seen:
            problem = f"the id '{learner_id}' is already on line {seen[learner_id]}"
        elif problem is None:
            seen[learner_id] = line
        track = tracks.get(values["track"].lower(), "") if values["track"] else ""
        if problem is None and values["track"] and not track:
            known = ", ".join(sorted(tracks.values())) or "none"
            problem = f"unknown track '{values['track']}' (tracks: {known})"
        if problem:
            problems.append(f"{path}: line {line}: {problem}")
            continue
        learners.append(Learner(id=learner_id, first_name=values["first_name"],
                                last_name=values["last_name"], group=values["group"],
                                track=track))
    if problems:
        raise JazariError("\n".join(problems))
    if not learners:
        raise JazariError(f"{path}: has no learners (one a line after the column names)")
    return learners


def _tracks(course, syllabus) -> set[str]:
    from curriculum import Syllabus, SyllabusError, load_syllabus

    known = set()
    if course.has_gradebook():
        known.update(learner.track for learner in learner_store.load(course.db_url).values()
                     if learner.track)
    if not isinstance(syllabus, Syllabus):
        try:
            syllabus = load_syllabus(syllabus)
        except SyllabusError as error:
            raise JazariError(str(error)) from None
    known.update(syllabus.tracks)
    return known


def load_roster(*, course: str | Path = ".", learners: list[Learner]) -> RosterResult:
    """Add or update ``learners`` in the course's gradebook and learner table."""
    opened = open_course(course)
    added, updated = [], []
    with opened.gradebook() as gb:
        known = {student.id for student in gb.students}
        for learner in learners:
            gb.update_or_create_student(learner.id, first_name=learner.first_name or None,
                                        last_name=learner.last_name or None)
            (updated if learner.id in known else added).append(learner.id)
    learner_store.save(opened.db_url, learners)
    return RosterResult(added=added, updated=updated)


def roster(*, course: str | Path = ".", path: str | Path, syllabus=None) -> RosterResult:
    """``jazari roster``: read and check the roster file, then write it into the course.

    ``syllabus`` (a :class:`curriculum.Syllabus` or a path; default this checkout's) gives
    the known tracks, with any track the course already records.
    """
    opened = open_course(course)
    learners = read_roster(path, _tracks(opened, syllabus))
    return load_roster(course=opened.root, learners=learners)
