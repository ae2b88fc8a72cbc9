"""What a course was built from: its language and a full copy of the syllabus.

``jazari build`` writes ``<course>/jazari_course.yaml`` with the class's language and the
syllabus data the course was made from (tracks, units, objectives, big ideas, which graded
cell checks which objective). Reports and feedback read it back, so results are tied to the
objectives the course really had, even after the repository's syllabus changes.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import yaml

from autograder.errors import JazariError
from curriculum import BIG_IDEAS, Syllabus, SyllabusError, Track, Unit, load_syllabus

__all__ = ["MANIFEST_NAME", "Manifest", "course_manifest", "read_manifest", "write_manifest"]

#: The manifest's file name inside a course folder.
MANIFEST_NAME = "jazari_course.yaml"
_VERSION = 1


@dataclass
class Manifest:
    """The language and syllabus of one course."""

    lang: str
    tracks: dict[str, Track] = field(default_factory=dict)
    units: list[Unit] = field(default_factory=list)
    big_ideas: dict[int, str] = field(default_factory=lambda: dict(BIG_IDEAS))
    built_at: str = ""
    source: str = ""  #: where the syllabus data came from
    note: str = ""  #: set when the course had no manifest and the repo's syllabus was used

    def unit(self, unit_id: str) -> Unit | None:
        return next((unit for unit in self.units if unit.id == unit_id), None)


def _unit_data(unit: Unit) -> dict:
    return {"id": unit.id, "title": unit.title, "track": unit.track, "ages": unit.ages,
            "big_ideas": list(unit.big_ideas), "objectives": list(unit.objectives),
            "cells": dict(unit.cells), "minutes": unit.minutes,
            "notebooks": list(unit.notebooks), "guide": unit.guide, "files": list(unit.files)}


def write_manifest(course_root: str | Path, syllabus: Syllabus, lang: str) -> Path:
    """Write ``<course_root>/jazari_course.yaml`` (whole or not at all); returns its path."""
    root = Path(course_root)
    data = {
        "jazari_course": _VERSION,
        "lang": lang,
        "built_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "source": str(syllabus.path),
        "big_ideas": dict(BIG_IDEAS),
        "tracks": [{"id": t.id, "title": t.title, "ages": t.ages, "folder": t.folder}
                   for t in syllabus.tracks.values()],
        "units": [_unit_data(unit) for unit in syllabus.units],
    }
    text = ("# What this course was built from (made by `jazari build`; reports read it).\n"
            + yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    path = root / MANIFEST_NAME
    handle, temporary = tempfile.mkstemp(dir=root, prefix=f".{MANIFEST_NAME}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def read_manifest(course_root: str | Path) -> Manifest | None:
    """The course's manifest, or None if it has none; :class:`JazariError` if it is broken."""
    path = Path(course_root) / MANIFEST_NAME
    if not path.is_file():
        return None
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or "units" not in data or "lang" not in data:
            raise ValueError("not a Jazari course manifest")
        tracks = {str(t["id"]): Track(id=str(t["id"]), title=str(t["title"]), ages=str(t["ages"]),
                                      folder=str(t["folder"])) for t in data.get("tracks") or []}
        units = [Unit(id=str(u["id"]), title=str(u["title"]), track=str(u["track"]),
                      ages=str(u.get("ages", "")), big_ideas=tuple(int(i) for i in u["big_ideas"]),
                      objectives=tuple(str(o) for o in u["objectives"]),
                      minutes=int(u.get("minutes", 0)),
                      notebooks=tuple(str(n) for n in u.get("notebooks", [])),
                      guide=str(u.get("guide", "")), files=tuple(u.get("files", [])),
                      cells=tuple((str(k), int(v)) for k, v in (u.get("cells") or {}).items()))
                 for u in data["units"]]
        big_ideas = {int(k): str(v) for k, v in (data.get("big_ideas") or BIG_IDEAS).items()}
    except (OSError, ValueError, TypeError, KeyError, yaml.YAMLError) as error:
        raise JazariError(f"{path}: cannot be read ({type(error).__name__}: {error}); "
                          "rebuild the course with 'jazari build'") from None
    return Manifest(lang=str(data["lang"]), tracks=tracks, units=units, big_ideas=big_ideas,
                    built_at=str(data.get("built_at", "")), source=str(data.get("source", "")))


def course_manifest(course_root: str | Path) -> Manifest:
    """The course's manifest, or (for a course built before manifests) this checkout's syllabus.

    The fallback says so in :attr:`Manifest.note` and assumes English.
    """
    manifest = read_manifest(course_root)
    if manifest is not None:
        return manifest
    try:
        syllabus = load_syllabus()
    except SyllabusError:
        syllabus = None
    if syllabus is None:
        return Manifest(lang="en", note="this course has no jazari_course.yaml and the "
                        "syllabus could not be read: no objectives or tracks are known")
    return Manifest(lang="en", tracks=dict(syllabus.tracks), units=list(syllabus.units),
                    source=str(syllabus.path),
                    note=f"this course has no {MANIFEST_NAME} (built before Jazari recorded "
                         f"it): objectives and tracks come from {syllabus.path}")
