"""Load and validate ``curriculum/syllabus.yaml``.

The syllabus is the single list of tracks and units. :func:`load_syllabus` reads it and
checks every unit; each problem found becomes one line of a :class:`SyllabusError`, so an
author sees all of them at once, each naming the file and the unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

__all__ = [
    "BIG_IDEAS",
    "DEFAULT_SYLLABUS",
    "REPO_ROOT",
    "Syllabus",
    "SyllabusError",
    "Track",
    "Unit",
    "load_syllabus",
]

#: The folder holding ``curriculum/``, ``widgets/``, ``age_8_12/`` and ``age_13_18/``: the
#: checkout, or the ``site-packages`` folder of an installed wheel, which carries them all.
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SYLLABUS = Path(__file__).resolve().parent / "syllabus.yaml"

#: AI4K12's five big ideas, by number.
BIG_IDEAS = {
    1: "Perception",
    2: "Representation and reasoning",
    3: "Learning",
    4: "Natural interaction",
    5: "Societal impact",
}

# nbgrader uses assignment ids as folder names and splits exchange names on '+'.
_UNIT_ID = re.compile(r"^[a-z][a-z0-9_]*$")


class SyllabusError(ValueError):
    """A syllabus that cannot be used. ``problems`` holds one line per problem."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Track:
    """One age track, e.g. the Explorers (8–12) in ``age_8_12/``."""

    id: str
    title: str
    ages: str
    folder: str


@dataclass(frozen=True)
class Unit:
    """One unit: one nbgrader assignment, one folder, one or two notebooks."""

    id: str
    title: str
    track: str
    ages: str
    big_ideas: tuple[int, ...]
    objectives: tuple[str, ...]
    minutes: int
    notebooks: tuple[str, ...]
    guide: str
    files: tuple[str, ...] = ()
    #: which objective each graded cell checks: (grade id, objective number from 1), in order
    cells: tuple[tuple[str, int], ...] = ()

    @property
    def cell_objectives(self) -> dict[str, int]:
        """Grade id -> the number (from 1) of the objective that graded cell checks."""
        return dict(self.cells)

    @property
    def folder(self) -> str:
        """The unit's folder, relative to the repository root."""
        return str(Path(self.notebooks[0]).parent)


@dataclass
class Syllabus:
    """The whole programme: tracks, then units in teaching order."""

    path: Path
    root: Path
    tracks: dict[str, Track] = field(default_factory=dict)
    units: list[Unit] = field(default_factory=list)

    def unit(self, unit_id: str) -> Unit:
        """Return the unit called ``unit_id`` or raise :class:`KeyError`."""
        for unit in self.units:
            if unit.id == unit_id:
                return unit
        raise KeyError(unit_id)

    def units_of(self, track_id: str) -> list[Unit]:
        return [unit for unit in self.units if unit.track == track_id]


_UNIT_FIELDS = ("id", "title", "track", "ages", "big_ideas", "objectives", "minutes",
                "notebooks", "guide")


def load_syllabus(path: str | Path | None = None, *, root: str | Path | None = None) -> Syllabus:
    """Read and validate a syllabus file.

    Parameters
    ----------
    path:
        The YAML file; by default ``curriculum/syllabus.yaml`` of this checkout (or of the
        installed package).
    root:
        The folder that notebook and guide paths are relative to; by default the parent
        of the folder holding the syllabus (the repository root).

    Raises
    ------
    SyllabusError
        With one line per problem, each naming the file (and the unit where there is one).
    """
    path = Path(path) if path is not None else DEFAULT_SYLLABUS
    root = Path(root) if root is not None else path.resolve().parent.parent
    where = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SyllabusError([f"{where}: the syllabus file does not exist"]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise SyllabusError([f"{where}: cannot be read ({error})"]) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(error, "problem", None) or "invalid YAML"
        raise SyllabusError([f"{where}: not valid YAML{line}: {problem}"]) from None

    problems: list[str] = []
    syllabus = Syllabus(path=path, root=root)
    if not isinstance(data, dict):
        raise SyllabusError([f"{where}: must be a mapping with 'tracks' and 'units'"])
    for key in ("tracks", "units"):
        if not isinstance(data.get(key), list) or not data.get(key):
            problems.append(f"{where}: '{key}' must be a non-empty list")
    if problems:
        raise SyllabusError(problems)

    for index, raw in enumerate(data["tracks"], start=1):
        track = _read_track(raw, index, where, problems)
        if track is None:
            continue
        if track.id in syllabus.tracks:
            problems.append(f"{where}: track '{track.id}' is listed twice")
        syllabus.tracks[track.id] = track

    seen: set[str] = set()
    for index, raw in enumerate(data["units"], start=1):
        unit = _read_unit(raw, index, where, problems)
        if unit is None:
            continue
        if unit.id in seen:
            problems.append(f"{where}: unit '{unit.id}': the id is used by another unit")
            continue
        seen.add(unit.id)
        _check_unit(unit, syllabus, where, problems)
        syllabus.units.append(unit)

    if problems:
        raise SyllabusError(problems)
    return syllabus


def _read_track(raw, index, where, problems) -> Track | None:
    if not isinstance(raw, dict):
        problems.append(f"{where}: track #{index} must be a mapping")
        return None
    missing = [key for key in ("id", "title", "ages", "folder") if not raw.get(key)]
    if missing:
        name = raw.get("id", f"#{index}")
        problems.append(f"{where}: track '{name}': missing {', '.join(missing)}")
        return None
    return Track(id=str(raw["id"]), title=str(raw["title"]), ages=str(raw["ages"]),
                 folder=str(raw["folder"]).rstrip("/"))


def _read_unit(raw, index, where, problems) -> Unit | None:
    if not isinstance(raw, dict):
        problems.append(f"{where}: unit #{index} must be a mapping")
        return None
    name = raw.get("id", f"#{index}")
    missing = [key for key in _UNIT_FIELDS if raw.get(key) in (None, "", [])]
    if missing:
        problems.append(f"{where}: unit '{name}': missing {', '.join(missing)}")
        return None
    unknown = sorted(set(raw) - set(_UNIT_FIELDS) - {"files", "cells"})
    if unknown:
        problems.append(f"{where}: unit '{name}': unknown field(s) {', '.join(unknown)}")
        return None
    unit_id = str(raw["id"])
    if not _UNIT_ID.match(unit_id):
        problems.append(f"{where}: unit '{unit_id}': the id must be lower-case letters, digits "
                        "and '_', starting with a letter")
        return None
    ok = True
    for key in ("big_ideas", "objectives", "notebooks"):
        if not isinstance(raw[key], list):
            problems.append(f"{where}: unit '{unit_id}': '{key}' must be a list")
            ok = False
    if "files" in raw and not isinstance(raw["files"], list):
        problems.append(f"{where}: unit '{unit_id}': 'files' must be a list")
        ok = False
    cells = raw.get("cells", {})
    if not isinstance(cells, dict):
        problems.append(f"{where}: unit '{unit_id}': 'cells' must map grade ids to objective "
                        "numbers")
        ok = False
    else:
        for grade_id, number in cells.items():
            if (isinstance(number, bool) or not isinstance(number, int)
                    or not 1 <= number <= len(raw["objectives"] or [])):
                problems.append(f"{where}: unit '{unit_id}': cell '{grade_id}' maps to "
                                f"{number!r}, not an objective number (1 to "
                                f"{len(raw['objectives'] or [])})")
                ok = False
    minutes = raw["minutes"]
    if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes <= 0:
        problems.append(f"{where}: unit '{unit_id}': 'minutes' must be a positive whole number")
        ok = False
    if not ok:
        return None
    big_ideas = []
    for idea in raw["big_ideas"]:
        if isinstance(idea, bool) or idea not in BIG_IDEAS:
            problems.append(f"{where}: unit '{unit_id}': unknown big idea {idea!r} "
                            "(AI4K12 big ideas are 1 to 5)")
        else:
            big_ideas.append(idea)
    return Unit(id=unit_id, title=str(raw["title"]), track=str(raw["track"]),
                ages=str(raw["ages"]), big_ideas=tuple(big_ideas),
                objectives=tuple(str(o) for o in raw["objectives"]), minutes=minutes,
                notebooks=tuple(str(n) for n in raw["notebooks"]), guide=str(raw["guide"]),
                files=tuple(str(f) for f in raw.get("files", [])),
                cells=tuple((str(k), int(v)) for k, v in cells.items()))


def _check_unit(unit: Unit, syllabus: Syllabus, where: str, problems: list[str]) -> None:
    prefix = f"{where}: unit '{unit.id}'"
    track = syllabus.tracks.get(unit.track)
    if track is None:
        problems.append(f"{prefix}: unknown track '{unit.track}' "
                        f"(tracks: {', '.join(sorted(syllabus.tracks))})")
    elif unit.ages != track.ages:
        problems.append(f"{prefix}: ages '{unit.ages}' differ from track '{track.id}' "
                        f"({track.ages})")
    folders = {str(Path(nb).parent) for nb in unit.notebooks}
    if len(folders) > 1:
        problems.append(f"{prefix}: all notebooks must be in one folder, not {sorted(folders)}")
    for notebook in unit.notebooks:
        relative = Path(notebook)
        if relative.is_absolute() or ".." in relative.parts:
            problems.append(f"{prefix}: notebook path '{notebook}' must be relative, inside the "
                            "repository")
            continue
        if relative.suffix != ".ipynb":
            problems.append(f"{prefix}: notebook '{notebook}' is not an .ipynb file")
        if track is not None and relative.parts[0] != track.folder:
            problems.append(f"{prefix}: notebook '{notebook}' is not in the '{track.folder}/' "
                            f"folder of track '{track.id}'")
        if len(relative.parts) != 3:
            problems.append(f"{prefix}: notebook '{notebook}' must be at "
                            f"<track folder>/<unit folder>/<name>.ipynb")
        if not (syllabus.root / relative).is_file():
            problems.append(f"{prefix}: notebook '{notebook}' does not exist")
    for extra in unit.files:
        if Path(extra).is_absolute() or ".." in Path(extra).parts:
            problems.append(f"{prefix}: file '{extra}' must be a path inside the unit folder")
        elif not (syllabus.root / unit.folder / extra).is_file():
            problems.append(f"{prefix}: file '{unit.folder}/{extra}' does not exist")
    if unit.cells:
        graded = _graded_cells(syllabus.root, unit.notebooks)
        for grade_id, _number in unit.cells:
            if graded is not None and grade_id not in graded:
                problems.append(f"{prefix}: cell '{grade_id}' is not a graded cell of its "
                                f"notebooks (graded: {', '.join(sorted(graded)) or 'none'})")
    guide = Path(unit.guide)
    if guide.is_absolute() or ".." in guide.parts:
        problems.append(f"{prefix}: guide path '{unit.guide}' must be inside the repository")
    elif not (syllabus.root / guide).is_file():
        problems.append(f"{prefix}: teacher guide '{unit.guide}' does not exist")


def _graded_cells(root: Path, notebooks) -> set[str] | None:
    """The grade ids of the graded cells of ``notebooks`` (None if one cannot be read)."""
    import json

    graded: set[str] = set()
    for notebook in notebooks:
        try:
            data = json.loads((root / notebook).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None  # reported as a missing or unreadable notebook elsewhere
        for cell in data.get("cells", []):
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if meta.get("grade") and meta.get("grade_id"):
                graded.add(str(meta["grade_id"]))
    return graded
