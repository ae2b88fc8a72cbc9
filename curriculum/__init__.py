"""The Jazari programme as data: the syllabus, its loader and its validator."""

from curriculum.syllabus import (
    BIG_IDEAS,
    DEFAULT_SYLLABUS,
    REPO_ROOT,
    Syllabus,
    SyllabusError,
    Track,
    Unit,
    load_syllabus,
)

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
