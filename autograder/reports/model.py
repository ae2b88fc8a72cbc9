"""The class report as data: learners × units per track, statuses, mastery, who needs help.

:func:`class_report` reads one or several courses (their gradebooks and manifests) and
returns a :class:`ClassReport`. Each learner is counted in one track only, on the units of
that track that were released: a learner's stored track (``jazari roster``), else the track
of the units they submitted, else "unknown track". Tracks are never mixed in one table.

A track keeps its results by unit, as columns (:class:`Column`: one list per field, one
entry per learner of the track, in the order of its rows), so a class of 10,000 learners
x 22 units is 22 columns, not 220,000 objects. The tables and the CSV read the columns;
a learner's :attr:`LearnerRow.marks` (one :class:`Mark` per unit) are made from them
only when something asks for them (the HTML page, certificates, the dashboard).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from itertools import groupby
from operator import itemgetter
from pathlib import Path

from traitlets.config import Config

from autograder.config import JazariReport
from autograder.course import open_course
from autograder.errors import JazariError
from autograder.manifest import Manifest, course_manifest
from autograder.reports.gradebook import CellInfo, ObjectivePoints, StoredOutcome, read_gradebook

__all__ = [
    "NOT_SUBMITTED",
    "NOT_GRADED",
    "SCORED",
    "UNKNOWN_TRACK",
    "ClassReport",
    "Column",
    "LearnerRow",
    "Mark",
    "Objective",
    "TrackReport",
    "UnitInfo",
    "class_report",
]

NOT_SUBMITTED = "not submitted"
NOT_GRADED = "not graded"  #: in submitted/ or the gradebook, but no outcome and no graded copy
SCORED = ("graded", "late", "flagged")  #: statuses that come with a score
_SCORED = frozenset(SCORED)
UNKNOWN_TRACK = "unknown"
_NO_TRACK = ""  #: units that are not in the syllabus (a plain nbgrader course)


@dataclass(slots=True)
class Mark:
    """One learner's result in one unit."""

    status: str  #: not submitted, not graded, or an outcome status (graded, late, ...)
    score: float | None = None  #: points after any late penalty, when scored
    reason: str = ""
    flags: tuple[str, ...] = ()
    cells: dict[str, float] = field(default_factory=dict)  #: grade id -> points, when scored
    #: points and full marks per objective (summed by the database), when scored
    objectives: ObjectivePoints | None = None


@dataclass(slots=True)
class Column:
    """One unit's results for a list of learners: field -> one value per learner, in order.

    ``cells`` is None when the cells' points were not read (then every mark's are empty).
    """

    status: list[str]
    score: list[float | None]
    reason: list[str]
    flags: list[tuple[str, ...]]
    objectives: list[ObjectivePoints | None]
    cells: list[dict[str, float]] | None = None

    def mark(self, index: int) -> Mark:
        """The :class:`Mark` of the ``index``-th learner."""
        return Mark(self.status[index], self.score[index], self.reason[index],
                    self.flags[index], self.cells[index] if self.cells is not None else {},
                    self.objectives[index])

    def take(self, indices: list[int]) -> Column:
        """The column of the learners at ``indices`` (in that order)."""
        if indices == list(range(len(self.status))):
            return self  # all of them, in the same order: nothing to copy
        return Column(*([values[i] for i in indices] for values in (
            self.status, self.score, self.reason, self.flags, self.objectives)),
            [self.cells[i] for i in indices] if self.cells is not None else None)

    @staticmethod
    def empty(count: int, status: str, cells: bool) -> Column:
        """``count`` learners with ``status`` and no score."""
        return Column([status] * count, [None] * count, [""] * count, [()] * count,
                      [None] * count, [{} for _ in range(count)] if cells else None)


class _Marks(Mapping):
    """A learner's marks (unit -> :class:`Mark`), made from their track's columns when read."""

    __slots__ = ("_columns", "_index", "_made")

    def __init__(self, columns: dict[str, Column], index: int):
        self._columns, self._index, self._made = columns, index, None

    def _marks(self) -> dict[str, Mark]:
        if self._made is None:
            self._made = {unit: column.mark(self._index)
                          for unit, column in self._columns.items()}
        return self._made

    def __getitem__(self, unit: str) -> Mark:
        return self._marks()[unit]

    def __iter__(self) -> Iterator[str]:
        return iter(self._columns)

    def __len__(self) -> int:
        return len(self._columns)

    def __contains__(self, unit) -> bool:
        return unit in self._columns

    def __repr__(self) -> str:
        return repr(self._marks())


@dataclass
class LearnerRow:
    """One learner's line: who they are and their marks in their track's units."""

    student: str
    name: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    group: str = ""
    track: str = UNKNOWN_TRACK
    track_source: str = "stored"  #: stored, inferred or unknown
    course: str = ""  #: the course (class or centre) label, when several are merged
    #: unit -> mark; in a report, made from the track's columns when first read
    marks: Mapping[str, Mark] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.course}/{self.student}" if self.course else self.student

    @property
    def scores(self) -> dict[str, float | None]:
        return {unit: mark.score for unit, mark in self.marks.items()}

    @property
    def status(self) -> dict[str, str]:
        return {unit: mark.status for unit, mark in self.marks.items()}


@dataclass
class Objective:
    """One learning objective of a unit and the graded cells that check it."""

    unit: str
    number: int  #: from 1, as in the syllabus
    text: str
    cells: list[str]
    maxima: dict[str, float] = field(default_factory=dict)  #: cell -> its points

    @cached_property
    def possible(self) -> float:
        return sum(self.maxima.get(c, 0.0) for c in self.cells)

    @property
    def label(self) -> str:
        return f"{self.unit} #{self.number}"


@dataclass
class UnitInfo:
    """One unit as the report knows it."""

    id: str
    title: str
    track: str
    max_score: float
    cells: list[CellInfo]
    big_ideas: tuple[int, ...] = ()
    objectives: list[Objective] = field(default_factory=list)


@dataclass
class TrackReport:
    """The table of one track: its learners × its released units.

    ``columns`` holds each unit's results (unit id -> :class:`Column`, one entry per row).
    """

    id: str
    title: str
    units: list[UnitInfo]
    rows: list[LearnerRow]
    needs_help_below: float
    big_ideas: dict[int, str]
    columns: dict[str, Column] = field(default_factory=dict)

    def __post_init__(self):
        if not self.columns:  # made from marks (by hand): the same results as columns
            cells = any(row.marks[u.id].cells for row in self.rows for u in self.units)
            for unit in self.units:
                marks = [row.marks[unit.id] for row in self.rows]
                self.columns[unit.id] = Column(
                    [m.status for m in marks], [m.score for m in marks],
                    [m.reason for m in marks], [m.flags for m in marks],
                    [m.objectives for m in marks], [m.cells for m in marks] if cells else None)

    @property
    def unit_ids(self) -> list[str]:
        return [unit.id for unit in self.units]

    def _cached(self, name: str) -> dict:
        return self.__dict__.setdefault(name, {})

    def index(self, row: LearnerRow) -> int:
        """The row's place in :attr:`rows` (and in every column)."""
        places = self.__dict__.get("_places")
        if places is None:
            places = self.__dict__["_places"] = {r.key: i for i, r in enumerate(self.rows)}
        return places[row.key]

    def totals(self) -> list[float]:
        """Every learner's points over the track's units (not submitted counts as 0), once."""
        found = self.__dict__.get("_totals")
        if found is None:
            # Added in the units' order, as a learner's own sum would: the same float.
            columns = [self.columns[unit.id].score for unit in self.units]
            found = self.__dict__["_totals"] = (
                [sum(filter(None, scores), 0.0) for scores in zip(*columns, strict=True)]
                if columns else [0.0] * len(self.rows))
        return found

    @cached_property
    def possible(self) -> float:
        """The points of all the track's units."""
        return sum(u.max_score for u in self.units)

    def percents(self) -> list[float]:
        """Every learner's percent of the track's points (in the order of :attr:`rows`), once."""
        found = self.__dict__.get("_percents")
        if found is None:
            possible = self.possible
            found = self.__dict__["_percents"] = (
                [100.0 * score / possible for score in self.totals()] if possible
                else [0.0] * len(self.rows))
        return found

    def total(self, row: LearnerRow) -> tuple[float, float]:
        """Points and possible points over the track's units (not submitted counts as 0)."""
        return self.totals()[self.index(row)], self.possible

    def percent(self, row: LearnerRow) -> float:
        return self.percents()[self.index(row)]

    def scored(self, unit: str) -> list[float]:
        """The scores of the learners scored in ``unit`` (in the order of :attr:`rows`)."""
        cache = self._cached("_scored")
        found = cache.get(unit)
        if found is None:
            found = cache[unit] = [s for s in self.columns[unit].score if s is not None]
        return found

    def average(self, unit: str) -> float | None:
        scores = self.scored(unit)
        return sum(scores) / len(scores) if scores else None

    def needs_help(self) -> list[LearnerRow]:
        threshold = self.needs_help_below
        return [row for row, percent in zip(self.rows, self.percents(), strict=True)
                if percent < threshold]

    # Mastery ---------------------------------------------------------------------------
    def objective_mastery(self, row: LearnerRow, objective: Objective) -> float | None:
        """Percent of the objective's points, over the learner's scored submissions."""
        return self.mastery_of(objective)[self.index(row)]

    def idea_mastery(self, row: LearnerRow, idea: int) -> float | None:
        """Percent of the points of every unit on big idea ``idea`` the learner was scored in."""
        index = self.index(row)
        got = possible = 0.0
        for unit in self.units:
            score = self.columns[unit.id].score[index]
            if idea in unit.big_ideas and score is not None:
                got += score
                possible += unit.max_score
        return 100.0 * got / possible if possible else None

    def ideas(self) -> list[int]:
        return sorted({idea for unit in self.units for idea in unit.big_ideas})

    def objectives(self) -> list[Objective]:
        return [objective for unit in self.units for objective in unit.objectives]

    @staticmethod
    def _mean(values) -> float | None:
        values = [v for v in values if v is not None]
        return sum(values) / len(values) if values else None

    def mastery_of(self, objective: Objective) -> list[float | None]:
        """Every learner's mastery of ``objective`` (in the order of :attr:`rows`), computed once."""
        cache = self._cached("_mastery")
        key = (objective.unit, objective.number)
        if key not in cache:
            possible, index = objective.possible, objective.number - 1
            if not possible:
                cache[key] = [None] * len(self.rows)
                return cache[key]
            cache[key] = [None if points is None
                          else 100.0 * (points[index] if index < len(points) else 0.0) / possible
                          for points in self._objective_points(objective.unit)]
        return cache[key]

    def _objective_points(self, unit: str) -> list[tuple[float, ...] | None]:
        """Each learner's points per objective of ``unit`` (None when not scored), once."""
        cache = self._cached("_points")
        found = cache.get(unit)
        if found is None:
            column = self.columns[unit]
            found = cache[unit] = [
                None if score is None else (points.points if points is not None else ())
                for score, points in zip(column.score, column.objectives, strict=True)]
        return found

    def class_objective(self, objective: Objective) -> tuple[float | None, int]:
        values = self.mastery_of(objective)
        return self._mean(values), len(values) - values.count(None)

    def class_idea(self, idea: int) -> tuple[float | None, int]:
        on_idea = [(self.columns[unit.id].score, unit.max_score) for unit in self.units
                   if idea in unit.big_ideas]
        values = []
        if on_idea:
            mosts = [most for _scores, most in on_idea]
            for scores in zip(*(scores for scores, _most in on_idea), strict=True):
                got = possible = 0.0  # idea_mastery, for every learner at once
                for score, most in zip(scores, mosts, strict=True):
                    if score is not None:
                        got += score
                        possible += most
                if possible:
                    values.append(100.0 * got / possible)
        return (sum(values) / len(values) if values else None), len(values)

    def missed(self, row: LearnerRow, objective: Objective) -> list[str]:
        """The objective's exercises (grade ids) the learner did not get full points on."""
        found = self.columns[objective.unit].objectives[self.index(row)]
        index = objective.number - 1
        full = found.full[index] if found is not None and index < len(found.full) else 0
        return [c for j, c in enumerate(objective.cells)
                if objective.maxima.get(c, 0.0) > 0 and not (full >> j) & 1]

    def below_by_objective(self) -> list[tuple[Objective, list[tuple[LearnerRow, float]]]]:
        """For each objective: the learners below the threshold and their mastery."""
        out = []
        threshold = self.needs_help_below
        for objective in self.objectives():
            below = [(row, value) for row, value in zip(self.rows, self.mastery_of(objective),
                                                        strict=True)
                     if value is not None and value < threshold]
            if below:
                out.append((objective, below))
        return out

    def help_by_objective(self) -> list[tuple[Objective, list[tuple[LearnerRow, float, list[str]]]]]:
        """For each objective: learners below the threshold, their mastery and missed cells."""
        return [(objective, [(row, value, self.missed(row, objective)) for row, value in below])
                for objective, below in self.below_by_objective()]

    def _unit(self, unit_id: str) -> UnitInfo:
        return next(unit for unit in self.units if unit.id == unit_id)


@dataclass
class ClassReport:
    """The whole report: one :class:`TrackReport` per track with learners in it."""

    courses: list[Path]
    lang: str
    tracks: list[TrackReport]
    units: dict[str, UnitInfo]
    needs_help_below: float
    notes: list[str] = field(default_factory=list)

    @property
    def course(self) -> Path:
        return self.courses[0]

    @property
    def rows(self) -> list[LearnerRow]:
        return sorted((row for track in self.tracks for row in track.rows), key=lambda r: r.key)

    @property
    def assignments(self) -> list[str]:
        return list(self.units)

    @property
    def max_scores(self) -> dict[str, float]:
        return {unit.id: unit.max_score for unit in self.units.values()}

    def track_of(self, row: LearnerRow) -> TrackReport:
        return next(track for track in self.tracks if row in track.rows)


def _released(course_root: Path, gradebook_units: list[str]) -> list[str]:
    release = course_root / "release"
    released = set(gradebook_units)
    if release.is_dir():
        released.update(p.name for p in release.iterdir() if p.is_dir())
    return [u for u in gradebook_units if u in released] + sorted(released - set(gradebook_units))


def _autograded(course_root: Path) -> set[tuple[str, str]]:
    folder = course_root / "autograded"
    if not folder.is_dir():
        return set()
    return {(student.name, unit.name) for student in folder.iterdir() if student.is_dir()
            for unit in student.iterdir() if any(unit.glob("*.ipynb"))}


def _submitted(course_root: Path) -> set[tuple[str, str]]:
    folder = course_root / "submitted"
    if not folder.is_dir():
        return set()
    return {(student.name, unit.name) for student in folder.iterdir() if student.is_dir()
            for unit in student.iterdir() if unit.is_dir()}


def _unit_column(unit_id: str, sids: list[str], place: dict[str, int], data,
                 autograded: set, submitted: set, scores: dict | None) -> Column:
    """One unit's results for the learners ``sids`` of one course (their marks, as a column).

    The gradebook's columns for the unit are taken whole when they hold every learner in
    order (the usual case), else spread to their places (``place``: learner -> index).
    A stored outcome with a score is the usual mark; the few others (no outcome, no score,
    no submission) are made one by one in :func:`_other_mark`.
    """
    found = data.results.get(unit_id)
    count = len(sids)
    if found is not None and found.students == sids:
        status, reason, flags, raw, penalty, flagged, points = (list(values) for values in (
            found.status, found.reason, found.flags, found.raw, found.penalty, found.flagged,
            found.objectives))
    else:
        status, reason, flags, raw, penalty, flagged, points = (
            [None] * count, [""] * count, [()] * count, [None] * count, [0.0] * count,
            [False] * count, [None] * count)
        if found is not None:
            at = [place[sid] for sid in found.students]
            for target, values in ((status, found.status), (reason, found.reason),
                                   (flags, found.flags), (raw, found.raw),
                                   (penalty, found.penalty), (flagged, found.flagged),
                                   (points, found.objectives)):
                for index, value in zip(at, values, strict=True):
                    target[index] = value
    # max(0.0, points - late), without a call per learner.
    score = [None if value is None else (left if (left := value - late) > 0.0 else 0.0)
             for value, late in zip(raw, penalty, strict=True)]
    for index in [index for index, (value, got) in enumerate(zip(status, raw, strict=True))
                  if got is None or value not in _SCORED]:
        outcome = None if status[index] is None else StoredOutcome(
            status[index], reason[index], flags[index])
        submission = None if raw[index] is None else (raw[index], penalty[index],
                                                      flagged[index])
        status[index], score[index], reason[index], flags[index], points[index] = _other_mark(
            (sids[index], unit_id), outcome, submission, points[index], autograded, submitted)
    cells = None
    if scores is not None:
        cells_of = scores.get
        cells = [{} if value is None or not scores else cells_of((sid, unit_id), {})
                 for sid, value in zip(sids, score, strict=True)]
    return Column(status, score, reason, flags, points, cells)


def _other_mark(key, outcome, submission, points, autograded: set, submitted: set) -> tuple:
    """A mark that is not a stored outcome with a score, as in :func:`_unit_column`."""
    if outcome is not None:
        return outcome.status, None, outcome.reason, outcome.flags, None
    if submission is not None and key in autograded:
        raw, penalty, flagged = submission
        status = "flagged" if flagged else ("late" if penalty > 0 else "graded")
        return status, max(0.0, raw - penalty), "", (), points
    status = NOT_GRADED if submission is not None or key in submitted else NOT_SUBMITTED
    return status, None, "", (), None


def _runs_of(members: list[tuple[LearnerRow, dict[str, Column], int]],
             ) -> list[tuple[dict[str, Column], list[int]]]:
    """A track's ``members`` (row, their course's columns, their place there) as runs of
    one course each: its columns and the members' places in them, in order."""
    return [(run[0][1], [index for _row, _columns, index in run])
            for run in (list(run) for _course, run in groupby(
                members, key=lambda member: id(member[1])))]


def _gather(unit_id: str, runs: list[tuple[dict[str, Column], list[int]]],
            cells: bool) -> Column:
    """The column of ``unit_id`` for a track's members (as :func:`_runs_of` gives them);
    a unit their course did not release is "not submitted"."""
    parts = []
    for columns, indices in runs:
        column = columns.get(unit_id)
        parts.append(column.take(indices) if column is not None
                     else Column.empty(len(indices), NOT_SUBMITTED, cells))
    if len(parts) == 1:
        return parts[0]
    return Column(*([value for part in parts for value in getattr(part, name)]
                    for name in ("status", "score", "reason", "flags", "objectives")),
                  [value for part in parts for value in part.cells] if cells else None)


def _unit_info(unit_id: str, data, manifest: Manifest) -> UnitInfo:
    unit = manifest.unit(unit_id)
    cells = data.cells.get(unit_id, [])
    if unit is None:
        return UnitInfo(unit_id, unit_id, _NO_TRACK, data.max_score(unit_id), cells)
    graded = {cell.grade_id for cell in cells}
    objectives = []
    for number, text in enumerate(unit.objectives, start=1):
        mapped = [c for c, n in unit.cells if n == number and c in graded]
        objectives.append(Objective(unit_id, number, text, mapped,
                                    {cell.grade_id: cell.max_score for cell in cells}))
    return UnitInfo(unit_id, unit.title, unit.track, data.max_score(unit_id), cells,
                    tuple(unit.big_ideas), objectives)


def _db_url(course) -> str:
    """The course's gradebook URL, as nbgrader's ``CourseDirectory.db_url`` gives it.

    Read from the config directly: importing nbgrader takes seconds, reading a report must not.
    """
    section = course.config.get("CourseDirectory") or {}
    url = section.get("db_url", "")
    return str(url) if url else f"sqlite:///{course.root / 'gradebook.db'}"


def _label(course_root: Path, taken: set[str]) -> str:
    label = course_root.name
    number = 2
    while label in taken:
        label, number = f"{course_root.name}-{number}", number + 1
    return label


def _objective_cells(manifest: Manifest) -> dict[str, list[list[str]]]:
    """Each unit's objectives as the grade ids that check them, from the manifest."""
    return {unit.id: [[c for c, n in unit.cells if n == number]
                      for number in range(1, len(unit.objectives) + 1)]
            for unit in manifest.units if unit.objectives}


def class_report(*, course: str | Path | None = ".", courses: list | None = None,
                 needs_help_below: float | None = None, units: list[str] | None = None,
                 cells: bool = True, mastery: bool = True) -> ClassReport:
    """Read the gradebook(s) and build the report.

    Parameters
    ----------
    course:
        One nbgrader course folder.
    courses:
        Several course folders (classes or centres) to merge into one report; each learner
        is labelled with their course's folder name.
    needs_help_below:
        The threshold (percent) below which a learner is listed as needing help (default
        ``c.JazariReport.needs_help_below`` of the first course).
    units:
        Only these units (each must be known to some course).
    cells:
        Read every grade cell's score too (:attr:`Mark.cells`, for the long CSV); False
        reads only the sums.
    mastery:
        Sum each submission's points per objective in the database (for mastery per
        objective and the exercises missed); False reads only the totals.
    """
    folders = list(courses) if courses else [course]
    opened = [open_course(folder) for folder in folders]
    roots = [c.root for c in opened]
    if len(set(roots)) != len(roots):
        raise JazariError("the same course is named twice")
    config = Config(opened[0].config)
    if needs_help_below is not None:
        config.JazariReport.needs_help_below = needs_help_below
    threshold = JazariReport(config=config).needs_help_below

    notes: list[str] = []
    infos: dict[str, UnitInfo] = {}
    rows: list[tuple[LearnerRow, dict[str, Column], int]] = []  #: row, columns, place
    track_titles: dict[str, str] = {}
    big_ideas: dict[int, str] = {}
    langs: list[str] = []
    labels: set[str] = set()
    for opened_course in opened:
        root = opened_course.root
        manifest = course_manifest(root)
        if manifest.note:
            notes.append(f"{root}: {manifest.note}")
        langs.append(manifest.lang)
        big_ideas.update(manifest.big_ideas)
        track_titles.update({t.id: t.title for t in manifest.tracks.values()})
        objectives = _objective_cells(manifest) if mastery else None
        data = read_gradebook(_db_url(opened_course), where=str(root), with_cells=cells,
                              objectives=objectives)
        released = _released(root, data.assignments)
        if units:
            released = [u for u in released if u in units]
        scores = data.cell_scores if cells else None
        autograded = _autograded(root)
        submitted = _submitted(root)
        for unit_id in released:
            info = _unit_info(unit_id, data, manifest)
            if unit_id in infos and infos[unit_id].max_score != info.max_score:
                notes.append(f"{root}: unit {unit_id} has {info.max_score:g} points here but "
                             f"{infos[unit_id].max_score:g} in another course; using the first")
            infos.setdefault(unit_id, info)
        label = _label(root, labels) if len(opened) > 1 else ""
        labels.add(label)
        students = dict(data.students)
        students.update(dict.fromkeys(
            {sid for column in data.results.values() for sid in column.students}.union(
                map(itemgetter(0), submitted)).difference(students), ("", "", "")))
        # In the order of the tracks' tables, so a track of the whole class takes the
        # columns as they are.
        sids = sorted(students)
        place = {sid: index for index, sid in enumerate(sids)}
        columns = {unit_id: _unit_column(unit_id, sids, place, data, autograded, submitted,
                                         scores) for unit_id in released}
        for index, sid in enumerate(sids):
            first, last, email = students[sid]
            name = " ".join(part for part in (first, last) if part) or sid
            row = LearnerRow(sid, name, first, last, email, course=label)
            stored = data.learners.get(sid)
            if stored is not None:
                row.group = stored.group
            if stored is not None and stored.track:
                row.track, row.track_source = stored.track, "stored"
            else:
                tracks = {infos[u].track for u, column in columns.items()
                          if column.status[index] != NOT_SUBMITTED}
                if len(tracks) == 1:
                    row.track, row.track_source = tracks.pop(), "inferred"
                elif not tracks and len({infos[u].track for u in released}) == 1:
                    row.track, row.track_source = infos[released[0]].track, "inferred"
                else:
                    row.track, row.track_source = UNKNOWN_TRACK, "unknown"
            rows.append((row, columns, index))
    if units:
        unknown = [u for u in units if u not in infos]
        if unknown:
            known = sorted({u for c in opened for u in read_gradebook(_db_url(c)).assignments})
            raise JazariError(f"unknown unit(s) {', '.join(unknown)} "
                              f"(the gradebook has: {', '.join(known) or 'none'})")

    order = [u for u in infos]
    tracks: list[TrackReport] = []
    track_ids = [t for t in track_titles] + sorted(
        {row.track for row, _columns, _index in rows} - set(track_titles) - {UNKNOWN_TRACK}) \
        + [UNKNOWN_TRACK]
    for track_id in track_ids:
        members = sorted((member for member in rows if member[0].track == track_id),
                         key=lambda member: member[0].key)
        if not members:
            continue
        if track_id == UNKNOWN_TRACK:
            chosen = [infos[u] for u in order]
            title = "unknown track (no stored track; units of several tracks or none)"
        else:
            chosen = [infos[u] for u in order if infos[u].track == track_id]
            title = track_titles.get(track_id) or ("units not in the syllabus" if not track_id
                                                   else track_id)
        runs = _runs_of(members)
        track_columns = {u.id: _gather(u.id, runs, cells) for u in chosen}
        track_rows = [row for row, _columns, _index in members]
        for index, row in enumerate(track_rows):
            row.marks = _Marks(track_columns, index)
        tracks.append(TrackReport(track_id, title, chosen, track_rows, threshold, big_ideas,
                                  track_columns))
    lang = langs[0] if len(set(langs)) == 1 else "en"
    if len(set(langs)) > 1:
        notes.append(f"the courses were built in different languages ({', '.join(sorted(set(langs)))})")
    return ClassReport(courses=roots, lang=lang, tracks=tracks, units=infos,
                       needs_help_below=threshold, notes=notes)
