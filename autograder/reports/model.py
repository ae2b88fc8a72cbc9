"""The class report as data: learners × units per track, statuses, mastery, who needs help.

:func:`class_report` reads one or several courses (their gradebooks and manifests) and
returns a :class:`ClassReport`. Each learner is counted in one track only, on the units of
that track that were released: a learner's stored track (``jazari roster``), else the track
of the units they submitted, else "unknown track". Tracks are never mixed in one table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from traitlets.config import Config

from autograder.config import JazariReport
from autograder.course import open_course
from autograder.errors import JazariError
from autograder.manifest import Manifest, course_manifest
from autograder.reports.gradebook import CellInfo, ObjectivePoints, read_gradebook

__all__ = [
    "NOT_SUBMITTED",
    "NOT_GRADED",
    "SCORED",
    "UNKNOWN_TRACK",
    "ClassReport",
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
    marks: dict[str, Mark] = field(default_factory=dict)

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
    """The table of one track: its learners × its released units."""

    id: str
    title: str
    units: list[UnitInfo]
    rows: list[LearnerRow]
    needs_help_below: float
    big_ideas: dict[int, str]

    @property
    def unit_ids(self) -> list[str]:
        return [unit.id for unit in self.units]

    def total(self, row: LearnerRow) -> tuple[float, float]:
        """Points and possible points over the track's units (not submitted counts as 0)."""
        cache = self.__dict__.setdefault("_totals", {})
        found = cache.get(row.key)
        if found is None:
            marks = row.marks
            found = cache[row.key] = (sum(marks[u.id].score or 0.0 for u in self.units),
                                      sum(u.max_score for u in self.units))
        return found

    def percent(self, row: LearnerRow) -> float:
        score, possible = self.total(row)
        return 100.0 * score / possible if possible else 0.0

    def scored(self, unit: str) -> list[float]:
        """The scores of the learners scored in ``unit`` (in the order of :attr:`rows`)."""
        cache = self.__dict__.setdefault("_scored", {})
        found = cache.get(unit)
        if found is None:
            found = cache[unit] = [score for score in (row.marks[unit].score for row in self.rows)
                                   if score is not None]
        return found

    def average(self, unit: str) -> float | None:
        scores = self.scored(unit)
        return sum(scores) / len(scores) if scores else None

    def needs_help(self) -> list[LearnerRow]:
        return [row for row in self.rows if self.percent(row) < self.needs_help_below]

    # Mastery ---------------------------------------------------------------------------
    def objective_mastery(self, row: LearnerRow, objective: Objective) -> float | None:
        """Percent of the objective's points, over the learner's scored submissions."""
        mark = row.marks[objective.unit]
        possible = objective.possible
        if mark.score is None or not possible:
            return None
        points = mark.objectives.points if mark.objectives is not None else ()
        index = objective.number - 1
        return 100.0 * (points[index] if index < len(points) else 0.0) / possible

    def idea_mastery(self, row: LearnerRow, idea: int) -> float | None:
        """Percent of the points of every unit on big idea ``idea`` the learner was scored in."""
        got = possible = 0.0
        for unit in self.units:
            if idea in unit.big_ideas and row.marks[unit.id].score is not None:
                got += row.marks[unit.id].score
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
        cache = self.__dict__.setdefault("_mastery", {})
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
        cache = self.__dict__.setdefault("_points", {})
        found = cache.get(unit)
        if found is None:
            found = cache[unit] = [
                None if mark.score is None
                else (mark.objectives.points if mark.objectives is not None else ())
                for mark in (row.marks[unit] for row in self.rows)]
        return found

    def class_objective(self, objective: Objective) -> tuple[float | None, int]:
        values = self.mastery_of(objective)
        return self._mean(values), sum(v is not None for v in values)

    def class_idea(self, idea: int) -> tuple[float | None, int]:
        on_idea = [(unit.id, unit.max_score) for unit in self.units if idea in unit.big_ideas]
        values = []
        for row in self.rows:  # idea_mastery, for every learner at once
            got = possible = 0.0
            marks = row.marks
            for unit, most in on_idea:
                score = marks[unit].score
                if score is not None:
                    got += score
                    possible += most
            if possible:
                values.append(100.0 * got / possible)
        return (sum(values) / len(values) if values else None), len(values)

    def missed(self, row: LearnerRow, objective: Objective) -> list[str]:
        """The objective's exercises (grade ids) the learner did not get full points on."""
        found = row.marks[objective.unit].objectives
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


def _mark(key, data, autograded, cells) -> Mark | None:
    outcome = data.outcomes.get(key)
    in_gradebook = key in data.submissions
    if outcome is not None:
        mark = Mark(outcome.status, reason=outcome.reason, flags=outcome.flags)
        if outcome.status in SCORED and in_gradebook:
            raw, penalty, _flagged = data.submissions[key]
            mark.score = max(0.0, raw - penalty)
            mark.cells = cells.get(key, {}) if cells is not None else {}
            mark.objectives = data.objective_points.get(key)
        return mark
    if in_gradebook and key in autograded:
        raw, penalty, flagged = data.submissions[key]
        status = "flagged" if flagged else ("late" if penalty > 0 else "graded")
        return Mark(status, score=max(0.0, raw - penalty),
                    cells=cells.get(key, {}) if cells is not None else {},
                    objectives=data.objective_points.get(key))
    return None


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
    rows: list[LearnerRow] = []
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
        for sid, _unit in [*data.submissions, *submitted, *data.outcomes]:
            students.setdefault(sid, ("", "", ""))
        get_outcome, in_gradebook = data.outcomes.get, data.submissions
        get_objectives = data.objective_points.get
        cells_of = scores.get if scores is not None else None
        for sid, (first, last, email) in students.items():
            name = " ".join(part for part in (first, last) if part) or sid
            row = LearnerRow(sid, name, first, last, email, course=label)
            marks = row.marks
            for unit_id in released:
                key = (sid, unit_id)
                outcome = get_outcome(key)
                if outcome is not None and outcome.status in SCORED and key in in_gradebook:
                    raw, penalty, _flagged = in_gradebook[key]
                    marks[unit_id] = Mark(outcome.status, max(0.0, raw - penalty), outcome.reason,
                                          outcome.flags, cells_of(key, {}) if scores else {},
                                          get_objectives(key))
                elif outcome is not None:
                    marks[unit_id] = Mark(outcome.status, None, outcome.reason, outcome.flags)
                else:
                    marks[unit_id] = _mark(key, data, autograded, scores) or Mark(
                        NOT_GRADED if key in submitted or key in in_gradebook else NOT_SUBMITTED)
            stored = data.learners.get(sid)
            if stored is not None:
                row.group = stored.group
            if stored is not None and stored.track:
                row.track, row.track_source = stored.track, "stored"
            else:
                tracks = {infos[u].track for u, m in row.marks.items()
                          if m.status != NOT_SUBMITTED}
                if len(tracks) == 1:
                    row.track, row.track_source = tracks.pop(), "inferred"
                elif not tracks and len({infos[u].track for u in released}) == 1:
                    row.track, row.track_source = infos[released[0]].track, "inferred"
                else:
                    row.track, row.track_source = UNKNOWN_TRACK, "unknown"
            rows.append(row)
    if units:
        unknown = [u for u in units if u not in infos]
        if unknown:
            known = sorted({u for c in opened for u in read_gradebook(_db_url(c)).assignments})
            raise JazariError(f"unknown unit(s) {', '.join(unknown)} "
                              f"(the gradebook has: {', '.join(known) or 'none'})")

    order = [u for u in infos]
    tracks: list[TrackReport] = []
    track_ids = [t for t in track_titles] + sorted(
        {row.track for row in rows} - set(track_titles) - {UNKNOWN_TRACK}) + [UNKNOWN_TRACK]
    for track_id in track_ids:
        members = sorted((row for row in rows if row.track == track_id), key=lambda r: r.key)
        if not members:
            continue
        if track_id == UNKNOWN_TRACK:
            chosen = [infos[u] for u in order]
            title = "unknown track (no stored track; units of several tracks or none)"
        else:
            chosen = [infos[u] for u in order if infos[u].track == track_id]
            title = track_titles.get(track_id) or ("units not in the syllabus" if not track_id
                                                   else track_id)
        chosen_ids = [u.id for u in chosen]
        for row in members:  # keep only the marks of this track's units
            marks = row.marks
            if list(marks) != chosen_ids:
                row.marks = {u: marks[u] if u in marks else Mark(NOT_SUBMITTED)
                             for u in chosen_ids}
        tracks.append(TrackReport(track_id, title, chosen, members, threshold, big_ideas))
    lang = langs[0] if len(set(langs)) == 1 else "en"
    if len(set(langs)) > 1:
        notes.append(f"the courses were built in different languages ({', '.join(sorted(set(langs)))})")
    return ClassReport(courses=roots, lang=lang, tracks=tracks, units=infos,
                       needs_help_below=threshold, notes=notes)
