"""Read nbgrader's gradebook with a few SQL queries (SQLAlchemy core on nbgrader's tables).

nbgrader's ORM builds one object per grade cell, which takes minutes for a large class;
reports only need the numbers, so this module reads them in bulk: the learners, the units,
their graded cells, the per-submission totals and (when asked) the per-cell scores.
The totals and the points per learning objective are summed by the database (one
``GROUP BY`` over nbgrader's grade table, the objectives as ``CASE`` columns built from
the manifest's cell -> objective mapping), so a class of 10,000 learners sends back one row
per submitted notebook, not one per grade. Grading adds indexes of Jazari's own to the
gradebook (see :data:`autograder.outcomes.INDEXES`): with them the sums are one pass of an
index, and the submissions and outcomes are read in the report's order from indexes alone.
On SQLite, for a large class, the sums run in a forked process of its own (two connections
in threads of one process slow each other down, each step waiting for the other's lock),
which sends them back as columns of machine numbers, while this one reads the submissions,
their notebooks and the stored outcomes; on a server database they run in a thread, since
the server does the work. Submissions and notebooks are joined here by id, and each
notebook's sums put in its place by id (both cheaper than 220,000 lookups by text key in
the database); each unit comes out as columns (:class:`UnitResults`, one entry per
learner, sorted), which the report takes whole instead of looking up 220,000 (learner,
unit) keys. Jazari's own tables beside nbgrader's (outcomes and learners) are read here too.
"""

from __future__ import annotations

import os
import pickle
import threading
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import NamedTuple

import sqlalchemy as sa

from autograder import learners as learner_store
from autograder import outcomes as outcome_store
from autograder.errors import JazariError

__all__ = ["CellInfo", "GradebookData", "ObjectivePoints", "StoredOutcome", "UnitResults",
           "read_cell_scores", "read_gradebook"]


@dataclass(frozen=True)
class CellInfo:
    """One graded cell of a unit."""

    notebook: str
    grade_id: str
    max_score: float


@dataclass
class GradebookData:
    """What one gradebook holds, in plain Python values."""

    db_url: str
    students: dict[str, tuple[str, str, str]] = field(default_factory=dict)  #: id -> first, last, email
    assignments: list[str] = field(default_factory=list)  #: by due date, then name
    duedates: dict[str, datetime | None] = field(default_factory=dict)
    cells: dict[str, list[CellInfo]] = field(default_factory=dict)  #: unit -> graded cells
    #: unit -> its submissions and stored outcomes, one column entry per learner
    results: dict[str, UnitResults] = field(default_factory=dict)
    learners: dict[str, learner_store.Learner] = field(default_factory=dict)
    #: (student, unit) -> {grade id: points}, when read ``with_cells``
    cell_scores: dict[tuple[str, str], dict[str, float]] = field(default_factory=dict)

    def max_score(self, unit: str) -> float:
        return sum(cell.max_score for cell in self.cells.get(unit, []))


#: How much of a SQLite gradebook is read through a memory map (read only; 10,000 learners
#: x 22 units take about 400 MB).
MMAP_BYTES = 1 << 30


def _tables(metadata: sa.MetaData, engine: sa.Engine) -> dict[str, sa.Table]:
    names = ["student", "assignment", "notebook", "base_cell", "grade_cells", "task_cells",
             "submitted_assignment", "submitted_notebook", "grade"]
    metadata.reflect(engine, only=names)
    return {name: metadata.tables[name] for name in names}


def _score(grade: sa.Table):
    """nbgrader's score of one grade: the manual score if any, else the auto score, + extra."""
    return (sa.func.coalesce(grade.c.manual_score, grade.c.auto_score, 0.0)
            + sa.func.coalesce(grade.c.extra_credit, 0.0))


class ObjectivePoints(NamedTuple):
    """One submission's points on each objective of its unit, summed by the database.

    ``points[k]`` is the sum over the cells of objective ``k + 1``; bit ``j`` of ``full[k]``
    is set when the objective's ``j``-th cell has a grade with all its points.
    """

    points: tuple[float, ...]
    full: tuple[int, ...]


class StoredOutcome(NamedTuple):
    """What a report needs of a stored :class:`~autograder.outcomes.Outcome` (light: 10,000s)."""

    status: str
    reason: str
    flags: tuple[str, ...]


def _fetch(connection: sa.Connection, query) -> list[tuple]:
    """All rows of ``query`` as plain tuples, straight from the driver's cursor (fast)."""
    result = connection.execute(query)
    try:
        return result.cursor.fetchall()
    finally:
        result.close()


def _engine(db_url: str, where: str) -> sa.Engine:
    if db_url.startswith("sqlite:///"):
        path = Path(db_url[len("sqlite:///"):].split("?")[0])
        if not path.is_file():
            raise JazariError(f"{where}: no gradebook at {path} (grade a unit first with "
                              "'jazari grade')")
    try:
        return sa.create_engine(db_url)
    except (sa.exc.ArgumentError, ImportError, ValueError) as error:
        raise JazariError(f"{where}: cannot open the gradebook {db_url!r} ({error})") from None


def _objective_columns(grade: sa.Table, score, objectives: dict[str, list[list[str]]],
                       cell_ids: dict[tuple[str, str], list[str]],
                       maxima: dict[tuple[str, str], float]) -> list:
    """The aggregate columns that sum each objective's points in the database.

    Objectives are numbered within their unit, so the ``k``-th objective of every unit
    shares a pair of columns (a cell belongs to one unit only): the points of its cells,
    then its full marks as bits, bit ``j`` for its ``j``-th cell (a submitted notebook has
    one grade per cell, so the sum of those bits is their union).
    """
    columns = []
    slots = max((len(objs) for objs in objectives.values()), default=0)
    for k in range(slots):
        ids = [i for unit, objs in objectives.items() if k < len(objs)
               for name in objs[k] for i in cell_ids.get((unit, name), ())]
        columns.append(sa.func.sum(sa.case((grade.c.cell_id.in_(ids), score), else_=0.0))
                       if ids else sa.cast(sa.literal(0.0), sa.Float))
        width = max((len(objs[k]) for objs in objectives.values() if k < len(objs)), default=0)
        bits = []
        for j in range(width):
            by_max: dict[float, list[str]] = {}
            for unit, objs in objectives.items():
                if k < len(objs) and j < len(objs[k]):
                    most = maxima.get((unit, objs[k][j]), 0.0)
                    if most > 0:  # a cell worth nothing is never missed
                        by_max.setdefault(most, []).extend(cell_ids.get((unit, objs[k][j]), ()))
            tests = [sa.and_(grade.c.cell_id.in_(ids), score >= most)
                     for most, ids in by_max.items() if ids]
            if tests:
                bits.append(sa.case((sa.or_(*tests), 1 << j), else_=0))
        columns.append(sa.func.sum(sum(bits[1:], bits[0])) if bits else sa.literal(0))
    return columns


def _sqlite_sums(connection: sa.Connection, objectives: dict[str, list[list[str]]],
                 cell_ids: dict[tuple[str, str], list[str]],
                 maxima: dict[tuple[str, str], float], half: int | None = None):
    """On SQLite: the same sums as :func:`_objective_columns`, with one lookup per grade.

    Each objective cell's slot, full marks and bit go into a temporary table (in the
    connection's own temporary database, never in the gradebook file), which the scan of
    the grade table joins by primary key. None if a cell checks two objectives (the
    portable columns then do it).
    """
    rows, seen = [], set()
    slots = max((len(objs) for objs in objectives.values()), default=0)
    for unit, objs in objectives.items():
        for k, names in enumerate(objs):
            for j, name in enumerate(names):
                most = maxima.get((unit, name), 0.0)
                for cell_id in cell_ids.get((unit, name), ()):
                    if cell_id in seen:
                        return None
                    seen.add(cell_id)
                    rows.append({"cell": cell_id, "slot": k, "most": most,
                                 "bit": (1 << j) if most > 0 else 0})
    # A pooled connection may hold the table of an earlier half: made anew each time.
    connection.execute(sa.text("DROP TABLE IF EXISTS temp.jazari_report_cells"))
    connection.execute(sa.text(
        "CREATE TEMPORARY TABLE jazari_report_cells (cell_id VARCHAR PRIMARY KEY, "
        "slot INTEGER NOT NULL, most FLOAT NOT NULL, bit INTEGER NOT NULL) WITHOUT ROWID"))
    if rows:
        connection.execute(sa.text("INSERT INTO jazari_report_cells VALUES "
                                   "(:cell, :slot, :most, :bit)"), rows)
    score = "coalesce(g.manual_score, g.auto_score, 0.0) + coalesce(g.extra_credit, 0.0)"
    columns = []
    for k in range(slots):
        columns += [f"sum(CASE WHEN m.slot = {k} THEN {score} ELSE 0.0 END) AS o{2 * k}",
                    f"sum(CASE WHEN m.slot = {k} AND {score} >= m.most THEN m.bit ELSE 0 END)"
                    f" AS o{2 * k + 1}"]
    # Jazari's index on the grade table holds each notebook's grades in a row, with their
    # scores: summed in one pass of it. Without it (a gradebook only nbgrader wrote), read
    # the table straight through (its (cell, notebook) index would cost one more lookup per
    # grade for the scores), and the grouping sorts the grades: grades worth nothing are
    # left out before (see _notebook_sums). With the index every graded notebook comes
    # back, so each finds its sums without a gap.
    indexed = connection.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?",
        (outcome_store.GRADE_INDEX,)).first() is not None
    source = f"INDEXED BY {outcome_store.GRADE_INDEX}" if indexed else "NOT INDEXED"
    query = sa.text(
        f"SELECT g.notebook_id AS nb, sum({score}) AS total{''.join(', ' + c for c in columns)} "
        f"FROM grade AS g {source} LEFT JOIN jazari_report_cells AS m "
        f"ON m.cell_id = g.cell_id WHERE {'1' if indexed else f'({score}) <> 0'}"
        f"{_HALVES[half]} GROUP BY g.notebook_id")
    return query.columns(sa.column("nb"), sa.column("total"),
                         *(sa.column(f"o{i}") for i in range(2 * slots))).subquery("sums")


#: The grades of the notebooks whose id sorts before or after "8" (nbgrader's ids are
#: random hexadecimal, so about half each), summed by two connections at once.
PIVOT = "8"
_HALVES = {None: "", 0: f" AND g.notebook_id < '{PIVOT}'", 1: f" AND g.notebook_id >= '{PIVOT}'"}


def _map(connection: sa.Connection) -> None:
    """On SQLite, read the file through a memory map: the scans of the submissions and
    outcomes then cost no read() call per page. Only this thread's connection does: the
    sums' connections each scan the whole grade table, and a map each would count it
    twice in the resident memory."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql(f"PRAGMA mmap_size={MMAP_BYTES}")


def _notebook_sums(engine: sa.Engine, grade: sa.Table,
                   objectives: dict[str, list[list[str]]] | None,
                   cell_ids: dict[tuple[str, str], list[str]],
                   maxima: dict[tuple[str, str], float],
                   half: int | None = None) -> _Sums:
    """Each submitted notebook's points, in all and per objective (``objectives`` not None).

    Summed by the database in one scan of nbgrader's grade table (or of Jazari's index on
    it), on a connection of its own; ``half`` 0 or 1: only the notebooks whose id sorts
    before :data:`PIVOT`, or the others.

    Grades of 0 points are left out before the grouping: they add nothing to a sum and
    never give full marks (a cell worth nothing has no bit), so a notebook missing here
    simply has 0 points everywhere.
    """
    # Read through SQLite's page cache, not a memory map: each half scans the whole grade
    # table, and a map of it per connection would count it twice in the resident memory
    # (about 500 MB more at 10,000 learners) for no measurable gain.
    with engine.connect() as connection:
        sums = _sqlite_sums(connection, objectives, cell_ids, maxima, half) \
            if objectives is not None and engine.dialect.name == "sqlite" else None
        if sums is not None:
            slots = (len(sums.c) - 2) // 2
        else:
            score = _score(grade)
            columns = _objective_columns(grade, score, objectives, cell_ids, maxima) \
                if objectives is not None else []
            slots = len(columns) // 2
            sums = sa.select(grade.c.notebook_id.label("nb"), sa.func.sum(score).label("total"),
                             *(column.label(f"o{i}") for i, column in enumerate(columns)))
            sums = sums.where(score != 0)
            if half is not None:
                sums = sums.where(grade.c.notebook_id < PIVOT if half == 0
                                  else grade.c.notebook_id >= PIVOT)
            sums = sums.group_by(grade.c.notebook_id).subquery("sums")
        return _Sums.of(slots, _fetch(connection, sa.select(
            sums.c.nb, sums.c.total, *(sums.c[f"o{2 * k}"] for k in range(slots)),
            *(sums.c[f"o{2 * k + 1}"] for k in range(slots)))))


class _Sums(NamedTuple):
    """Graded notebooks' sums as columns (quick to send from a forked process: the figures
    go as arrays of machine numbers, not as 220,000 rows of Python objects)."""

    slots: int  #: how many objectives (the most any unit has)
    ids: list[str]  #: the submitted notebooks' ids
    totals: array  #: their points in all
    points: tuple[array, ...]  #: per objective: their points on it
    full: tuple[array | list, ...]  #: per objective: the bits of its cells with full marks

    @staticmethod
    def of(slots: int, rows: list[tuple]) -> _Sums:
        """From rows: notebook id, total, the points of each slot, then its full-marks bits."""
        columns = list(zip(*rows, strict=True)) if rows else [()] * (2 + 2 * slots)
        full: list[array | list] = []
        for values in columns[2 + slots:]:
            try:
                full.append(array("q", values))
            except OverflowError:  # an objective of more than 62 cells: plain ints
                full.append(list(values))
        return _Sums(slots, list(columns[0]), array("d", columns[1]),
                     tuple(array("d", values) for values in columns[2:2 + slots]), tuple(full))

    @staticmethod
    def joined(parts: list[_Sums]) -> _Sums:
        """The sums of several parts (halves of the notebooks) as one."""
        if len(parts) == 1:
            return parts[0]
        return _Sums(parts[0].slots, [i for part in parts for i in part.ids],
                     [value for part in parts for value in part.totals],
                     *(tuple([value for part in parts for value in part_column(part)[k]]
                             for k in range(parts[0].slots))
                       for part_column in (attrgetter("points"), attrgetter("full"))))

    def placed(self, notebooks: list[str]) -> tuple[list[float], list]:
        """The totals and the points per objective (None without objectives) of
        ``notebooks`` (their ids), in that order; 0 everywhere for a notebook without sums.

        Each notebook's place in these columns is looked up once; the values are then
        taken whole (no Python loop writing 220,000 places one by one).
        """
        count = len(self.ids)
        at = list(map(dict(zip(self.ids, range(count), strict=True)).get, notebooks))
        totals = list(self.totals)
        totals.append(0.0)  # at ``count``: a notebook without sums
        if self.slots:
            points = list(map(partial(tuple.__new__, ObjectivePoints), zip(
                zip(*self.points, strict=True), zip(*self.full, strict=True), strict=True)))
            points.append(ObjectivePoints((0.0,) * self.slots, (0,) * self.slots))
        else:
            points = [None] * (count + 1)
        if None in at:
            at = [count if index is None else index for index in at]
        return list(map(totals.__getitem__, at)), list(map(points.__getitem__, at))


#: From how many submitted notebooks a SQLite gradebook's sums are made in a forked process
#: (below that, forking costs more than it saves).
FORK_FROM = 20_000


class _Forked:
    """``work()`` done in a forked child process. :meth:`result` waits for it: its result
    (or the first line of its error, raised as a :class:`JazariError`) comes back pickled
    through a pipe, which holds the child's answer until it is read."""

    def __init__(self, work: Callable[[], object]) -> None:
        read, write = os.pipe()
        self._pid = os.fork()
        if self._pid == 0:  # the child: work, send, leave without the parent's exit code
            status = 1
            try:
                os.close(read)
                try:
                    answer = ("done", work())
                except Exception as error:  # noqa: BLE001 - sent to the parent, raised there
                    origin = getattr(error, "orig", None) or error
                    answer = ("failed", (str(origin).splitlines() or [type(origin).__name__])[0])
                with os.fdopen(write, "wb") as sink:
                    pickle.dump(answer, sink, protocol=pickle.HIGHEST_PROTOCOL)
                status = 0
            finally:
                os._exit(status)
        os.close(write)
        self._source = os.fdopen(read, "rb")

    def result(self):
        try:
            with self._source:
                kind, value = pickle.load(self._source)
        except (EOFError, pickle.UnpicklingError):
            kind, value = "failed", "the process summing the grades ended early"
        finally:
            os.waitpid(self._pid, 0)
        if kind != "done":
            raise JazariError(value)
        return value


def _forked_sums(db_url: str, *args) -> _Sums:
    """:func:`_notebook_sums` on an engine of the forked process's own."""
    engine = sa.create_engine(db_url)
    try:
        return _notebook_sums(engine, *args)
    finally:
        engine.dispose()


@dataclass
class UnitResults:
    """One unit's submissions and stored outcomes, as columns.

    One entry per learner of :attr:`students` (sorted, as Python sorts them), so a report
    takes whole columns instead of looking up 220,000 (learner, unit) keys.
    """

    students: list[str]
    status: list[str | None]  #: the stored outcome's status; None without (a known) one
    reason: list[str]
    flags: list[tuple[str, ...]]
    raw: list[float | None]  #: points before any late penalty; None: no submission
    penalty: list[float]
    flagged: list[bool]
    objectives: list[ObjectivePoints | None]  #: None when not summed

    @staticmethod
    def empty(students: list[str]) -> UnitResults:
        """``students`` with no submission and no outcome (yet)."""
        count = len(students)
        return UnitResults(students, [None] * count, [""] * count, [()] * count,
                           [None] * count, [0.0] * count, [False] * count, [None] * count)


#: The columns of a :class:`UnitResults` besides its learners.
_FIELDS = ("status", "reason", "flags", "raw", "penalty", "flagged", "objectives")


def _outcome_table() -> sa.TableClause:
    return sa.table("jazari_outcome", sa.column("assignment"), sa.column("student"),
                    sa.column("status"), sa.column("reason"), sa.column("flags"))


class _Flags(dict):
    """Stored flags (one per line) as tuples: each different text split once."""

    def __missing__(self, text):
        found = self[text] = tuple(f for f in text.split("\n") if f) if text else ()
        return found


def _runs(values) -> list[tuple[str, int, int]]:
    """The runs of equal values in ``values`` (sorted): (value, start, end). Each run's end
    is found by bisection: a unit of 10,000 learners costs a few comparisons."""
    runs, start, count = [], 0, len(values)
    while start < count:
        value = values[start]
        end = bisect_right(values, value, start)
        runs.append((value, start, end))
        start = end
    return runs


def _join_submissions(handed: list[tuple], notebooks: list[tuple]) -> tuple[
        list[str], list[str], list[str], list[tuple[str, str]], bool]:
    """Each submitted notebook with its unit and learner, sorted by unit, learner and
    notebook id, as three columns; the submissions without a notebook (learner, unit); and
    whether a submission has several notebooks.

    ``handed``: every submission (unit, learner, its id), sorted by unit and learner;
    ``notebooks``: every submitted notebook (its submission's id, its own id).
    """
    notebook_of = dict(notebooks)
    if handed and len(notebook_of) == len(notebooks):  # one notebook per submission: usual
        units, sids, keys = zip(*handed, strict=True)
        found = list(map(notebook_of.get, keys))
        if None not in found:
            return list(units), list(sids), found, [], False
        mine_of = {key: [value] for key, value in notebook_of.items()}
    else:
        mine_of = {}
        for key, value in notebooks:
            mine_of.setdefault(key, []).append(value)
    units, sids, ids, lone = [], [], [], []
    for unit, sid, key in handed:
        mine = mine_of.get(key)
        if mine is None:
            lone.append((sid, unit))
            continue
        for notebook in sorted(mine):
            units.append(unit)
            sids.append(sid)
            ids.append(notebook)
    return units, sids, ids, lone, len(ids) > len(handed) - len(lone)


def _submission_columns(units: list[str], sids: list[str], raw: list[float],
                        points: list, *, several: bool) -> dict[str, UnitResults]:
    """Each unit's submissions as columns (without outcomes), from the submitted notebooks'
    units and learners (sorted, as :func:`_join_submissions` gives them), their points
    and their points per objective (the same places). With ``several`` notebooks to a
    submission, a learner's notebooks' points are added up."""
    results: dict[str, UnitResults] = {}
    for unit, start, end in _runs(units):
        students, totals, objectives = sids[start:end], raw[start:end], points[start:end]
        if several and len(set(students)) < len(students):
            students, totals, objectives = _add_notebooks(students, totals, objectives)
        column = results[unit] = UnitResults.empty(students)
        column.raw, column.objectives = totals, objectives
    return results


def _add_notebooks(students: list[str], raw: list[float], objectives: list) -> tuple:
    """One entry per learner: their notebooks' points added up in the order of the
    notebooks' ids, and their full-marks bits joined."""
    merged: tuple[list, list, list] = ([], [], [])
    for sid, total, points in zip(students, raw, objectives, strict=True):
        if not merged[0] or merged[0][-1] != sid:
            for values, value in zip(merged, (sid, total, points), strict=True):
                values.append(value)
            continue
        merged[1][-1] += total
        before = merged[2][-1]
        if points is not None:
            merged[2][-1] = points if before is None else ObjectivePoints(
                tuple(a + b for a, b in zip(before.points, points.points, strict=True)),
                tuple(a | b for a, b in zip(before.full, points.full, strict=True)))
    return merged


def _add_outcomes(results: dict[str, UnitResults], stored: list[tuple]) -> None:
    """Put the stored outcomes (unit, learner, status, reason, flags; sorted) beside the
    submissions: whole columns when a unit's learners are the same, else one by one."""
    if not stored:
        return
    flags = _Flags()
    units, sids, statuses, reasons, texts = zip(*stored, strict=True)
    for unit, start, end in _runs(units):
        students = list(sids[start:end])
        column = results.get(unit)
        if column is None:
            column = results[unit] = UnitResults.empty(students)
        elif column.students != students:
            known = set(column.students)
            if not known.issuperset(students):  # learners with an outcome, no submission
                widened = UnitResults.empty(sorted(known.union(students)))
                place = {sid: index for index, sid in enumerate(widened.students)}
                at = [place[sid] for sid in column.students]
                for name in _FIELDS:
                    target = getattr(widened, name)
                    for index, value in zip(at, getattr(column, name), strict=True):
                        target[index] = value
                column = results[unit] = widened
            place = {sid: index for index, sid in enumerate(column.students)}
            for sid, status, reason, text in zip(students, statuses[start:end],
                                                 reasons[start:end], texts[start:end],
                                                 strict=True):
                if status in outcome_store.STATUSES:
                    index = place[sid]
                    column.status[index], column.reason[index] = status, reason or ""
                    column.flags[index] = flags[text]
            continue
        _set_outcomes(column, statuses[start:end], reasons[start:end], texts[start:end], flags)


def _set_outcomes(column: UnitResults, statuses, reasons, texts, flags: _Flags) -> None:
    """Give ``column`` its outcomes: one status, reason and flags text per learner, in
    order (None when none is stored). A status written by a newer Jazari is left out
    (shown as if no outcome was stored)."""
    status = list(statuses)
    known = outcome_store.STATUSES
    if not known.keys() >= set(status) - {None}:
        status = [value if value in known else None for value in status]
    column.status = status
    column.reason = [reason or "" if value is not None else ""
                     for value, reason in zip(status, reasons, strict=True)]
    column.flags = [flags[text] if value is not None else ()
                    for value, text in zip(status, texts, strict=True)]


def read_gradebook(db_url: str, *, where: str = "gradebook", with_cells: bool = False,
                   objectives: dict[str, list[list[str]]] | None = None) -> GradebookData:
    """Read learners, units, cells and submission totals from the gradebook at ``db_url``.

    ``with_cells`` also keeps every grade cell's points (:attr:`GradebookData.cell_scores`).
    ``objectives`` (unit -> the grade ids of each of its objectives, in order) also sums
    each submission's points per objective in the database
    (:attr:`UnitResults.objectives`).

    Raises :class:`JazariError` (one line naming ``where``) if it is missing or not an
    nbgrader gradebook.
    """
    engine = _engine(db_url, where)
    data = GradebookData(db_url=db_url)
    try:
        t = _tables(sa.MetaData(), engine)
        student, assignment, notebook = t["student"], t["assignment"], t["notebook"]
        base_cell, grade_cells, task_cells = t["base_cell"], t["grade_cells"], t["task_cells"]
        sub_a, sub_nb, grade = t["submitted_assignment"], t["submitted_notebook"], t["grade"]
        sqlite = engine.dialect.name == "sqlite"
        with engine.connect() as connection, ThreadPoolExecutor(2) as worker:
            _map(connection)
            for sid, first, last, email in connection.execute(sa.select(
                    student.c.id, student.c.first_name, student.c.last_name, student.c.email)):
                data.students[sid] = (first or "", last or "", email or "")
            rows = connection.execute(sa.select(assignment.c.name, assignment.c.duedate)).all()
            rows.sort(key=lambda r: (r.duedate is None, r.duedate or datetime.min, r.name))
            data.assignments = [r.name for r in rows]
            data.duedates = {r.name: r.duedate for r in rows}
            cells = sa.select(assignment.c.name, notebook.c.name, base_cell.c.name,
                              sa.func.coalesce(grade_cells.c.max_score, task_cells.c.max_score,
                                               0.0), base_cell.c.id) \
                .select_from(base_cell.join(notebook, base_cell.c.notebook_id == notebook.c.id)
                             .join(assignment, notebook.c.assignment_id == assignment.c.id)
                             .outerjoin(grade_cells, grade_cells.c.id == base_cell.c.id)
                             .outerjoin(task_cells, task_cells.c.id == base_cell.c.id)) \
                .where(sa.or_(grade_cells.c.id.is_not(None), task_cells.c.id.is_not(None))) \
                .order_by(assignment.c.name, notebook.c.name, base_cell.c.name)
            cell_ids: dict[tuple[str, str], list[str]] = {}
            maxima: dict[tuple[str, str], float] = {}
            for unit, nb, cell, max_score, cell_id in connection.execute(cells):
                data.cells.setdefault(unit, []).append(CellInfo(nb, cell, float(max_score)))
                cell_ids.setdefault((unit, cell), []).append(cell_id)
                maxima[(unit, cell)] = float(max_score)
            # The sums (the one long query) run beside this thread's reading: in a forked
            # process for a large SQLite class, in a worker thread for a small one, in two
            # halves in worker threads on a database server.
            graded = {unit: [[name for name in names if (unit, name) in cell_ids]
                             for names in objs] for unit, objs in (objectives or {}).items()}
            sums_of = (grade, graded if objectives is not None else None, cell_ids, maxima)
            summing: list
            if sqlite and threading.active_count() == 1 and connection.execute(
                    sa.select(sa.func.count()).select_from(sub_nb)).scalar_one() >= FORK_FROM:
                # One process each: this one joins while the child sums. Waited for below,
                # after this thread's reading (the pipe holds the child's answer meanwhile).
                summing = [_Forked(partial(_forked_sums, db_url, *sums_of))]
            elif sqlite:
                summing = [worker.submit(_notebook_sums, engine, *sums_of)]
            else:
                summing = [worker.submit(_notebook_sums, engine, *sums_of, half)
                           for half in (0, 1)]
            # Every submission (unit, learner, its id), sorted by unit and learner (SQLite
            # reads them in that order from nbgrader's indexes, and sorts text as Python
            # does; others are sorted again here), and every submitted notebook (its
            # submission's id, its own id): joined here by id, which costs less than 220,000
            # lookups by text key in the database. So each unit's learners come as one run.
            handed = _fetch(connection, sa.select(
                assignment.c.name, sub_a.c.student_id, sub_a.c.id)
                .select_from(sub_a.join(assignment, sub_a.c.assignment_id == assignment.c.id))
                .order_by(assignment.c.name, sub_a.c.student_id))
            if not sqlite:
                handed.sort(key=itemgetter(0, 1))
            units, sids, notebook_ids, lone, several = _join_submissions(
                handed, _fetch(connection, sa.select(sub_nb.c.assignment_id, sub_nb.c.id)))
            del handed
            if lone:
                # Submissions without a notebook in the gradebook count only in a unit
                # without notebooks.
                with_notebooks = {name for name, in _fetch(connection, sa.select(
                    assignment.c.name).select_from(notebook.join(
                        assignment, notebook.c.assignment_id == assignment.c.id)).distinct())}
                lone = [(sid, unit) for sid, unit in lone if unit not in with_notebooks]
            # Late penalties and flags: only the few notebooks that have one.
            late = _fetch(connection, sa.select(
                sub_a.c.student_id, assignment.c.name, sub_nb.c.late_submission_penalty,
                sub_nb.c.flagged)
                .select_from(sub_nb.join(sub_a, sub_nb.c.assignment_id == sub_a.c.id)
                             .join(assignment, sub_a.c.assignment_id == assignment.c.id))
                .where(sa.or_(sub_nb.c.flagged.is_(True),
                              sub_nb.c.late_submission_penalty != 0)))
            # The stored outcomes, sorted by unit and learner.
            stored: list[tuple] = []
            if sa.inspect(connection).has_table("jazari_outcome"):
                outcome = _outcome_table()
                try:
                    stored = _fetch(connection, sa.select(
                        outcome.c.assignment, outcome.c.student, outcome.c.status,
                        outcome.c.reason, outcome.c.flags)
                        .order_by(outcome.c.assignment, outcome.c.student))
                except sa.exc.DatabaseError as error:
                    raise JazariError(f"{where}: Jazari's tables cannot be read "
                                      f"({error.orig})") from None
                if not sqlite:
                    stored.sort(key=itemgetter(0, 1))
            score = _score(grade)
            if with_cells:
                names = dict(_fetch(connection, sa.select(base_cell.c.id, base_cell.c.name)))
                scores = data.cell_scores
                for sid, unit, cell_id, value in _fetch(connection, sa.select(
                        sub_a.c.student_id, assignment.c.name, grade.c.cell_id, score)
                        .select_from(grade.join(sub_nb, grade.c.notebook_id == sub_nb.c.id)
                                     .join(sub_a, sub_nb.c.assignment_id == sub_a.c.id)
                                     .join(assignment,
                                           sub_a.c.assignment_id == assignment.c.id))):
                    per_cell = scores.get((sid, unit))
                    if per_cell is None:
                        per_cell = scores[(sid, unit)] = {}
                    per_cell[names.get(cell_id, cell_id)] = float(value)
            # Each graded notebook's sums put in its submitted notebook's place (a plain
            # lookup by id: cheaper than joining 220,000 rows by key in the database).
            raw, points = _Sums.joined([part.result() for part in summing]).placed(
                notebook_ids)
            results = data.results = _submission_columns(units, sids, raw, points,
                                                         several=several)
            del raw, points, units, sids, notebook_ids
            for sid, unit in lone:
                results[unit] = _with(results.get(unit), sid)
            # Each outcome beside its submission; an outcome with no submission in the
            # gradebook (timed out, crashed before nbgrader saw it...) in a place of its own.
            _add_outcomes(results, stored)
            del stored
            for sid, unit, penalty, flagged in late:
                column = results.get(unit)
                index = _place(column, sid) if column is not None else None
                if index is None:
                    continue  # a notebook with no submission in the gradebook
                column.penalty[index] += float(penalty or 0.0)
                column.flagged[index] = column.flagged[index] or bool(flagged)
    except (sa.exc.NoSuchTableError, sa.exc.InvalidRequestError) as error:
        missing = str(error).split(": (")[-1].rstrip(")") if "(" in str(error) else str(error)
        raise JazariError(f"{where}: not an nbgrader gradebook (missing tables: "
                          f"{missing})") from None
    except sa.exc.DatabaseError as error:
        first = str(error.orig).splitlines()[0] if error.orig else str(error).splitlines()[0]
        raise JazariError(f"{where}: the gradebook cannot be read ({first})") from None
    finally:
        engine.dispose()
    try:
        # After the sums: storing the learners' table, if missing, writes to the file.
        data.learners = learner_store.load(db_url)
    except sa.exc.DatabaseError as error:
        raise JazariError(f"{where}: Jazari's tables cannot be read ({error.orig})") from None
    return data


def _place(column: UnitResults, sid: str) -> int | None:
    """Where learner ``sid`` is in ``column`` (None if not there)."""
    index = bisect_left(column.students, sid)
    return index if index < len(column.students) and column.students[index] == sid else None


def _with(column: UnitResults | None, sid: str) -> UnitResults:
    """``column`` with learner ``sid`` added: a submission in the gradebook, no grades."""
    students = sorted({*(column.students if column is not None else ()), sid})
    widened = UnitResults.empty(students)
    if column is not None:
        at = [bisect_left(students, known) for known in column.students]
        for name in _FIELDS:
            target = getattr(widened, name)
            for index, value in zip(at, getattr(column, name), strict=True):
                target[index] = value
    widened.raw[bisect_left(students, sid)] = 0.0
    return widened


def read_cell_scores(db_url: str, assignment: str | None = None,
                     ) -> dict[tuple[str, str], dict[str, float]]:
    """Every grade's score (of one unit, or all): (student, unit) -> {grade id: score}."""
    engine = sa.create_engine(db_url)
    try:
        t = _tables(sa.MetaData(), engine)
        grade, base_cell = t["grade"], t["base_cell"]
        sub_nb, sub_a, units = t["submitted_notebook"], t["submitted_assignment"], t["assignment"]
        query = sa.select(sub_a.c.student_id, units.c.name, base_cell.c.name, _score(grade)) \
            .select_from(grade.join(base_cell, grade.c.cell_id == base_cell.c.id)
                         .join(sub_nb, grade.c.notebook_id == sub_nb.c.id)
                         .join(sub_a, sub_nb.c.assignment_id == sub_a.c.id)
                         .join(units, sub_a.c.assignment_id == units.c.id))
        if assignment is not None:
            query = query.where(units.c.name == assignment)
        scores: dict[tuple[str, str], dict[str, float]] = {}
        with engine.connect() as connection:
            for sid, unit, cell, score in _fetch(connection, query):
                scores.setdefault((sid, unit), {})[cell] = float(score)
    except sa.exc.DatabaseError as error:
        raise JazariError(f"the gradebook's grades cannot be read ({error.orig})") from None
    finally:
        engine.dispose()
    return scores
