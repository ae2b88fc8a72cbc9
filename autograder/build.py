"""``jazari build``: an nbgrader course folder made from the syllabus."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder.errors import JazariError
from autograder.notebooks import read_notebook
from autograder.translate import Translator, code_stub, translate_unit
from curriculum import Syllabus, SyllabusError, load_syllabus

__all__ = ["LANGUAGES", "BuildResult", "build_course", "render_config"]

#: Languages the build can make. Notebooks are written in English; French and Arabic come
#: from the translation catalogs of curriculum/locales/ (see autograder/catalogs.py).
LANGUAGES = ("en", "fr", "ar")

_CONFIG = '''\
# nbgrader and Jazari options for this course: one file configures both.
# Made by `jazari build`; edit it freely, a later build leaves it as it is.
c = get_config()  # noqa: F821

c.CourseDirectory.course_id = {course_id!r}
# Where units are released and submissions arrive. On a JupyterHub, use a folder every
# user can reach, such as /srv/nbgrader/exchange.
c.Exchange.root = {exchange!r}

# Seconds one cell of a learner's notebook may run while grading (a loop that never ends
# is stopped after this and its tests get no points).
c.Execute.timeout = {cell_timeout!r}
# Keep at most this many lines of any one cell's output in a graded notebook.
c.LimitOutput.max_lines = 200

# Jazari's options (see `jazari grade --help`).
c.JazariGrade.workers = 0
c.JazariGrade.submission_timeout = 300.0
c.JazariReport.needs_help_below = 50.0
'''


@dataclass
class BuildResult:
    """What a build made."""

    course: Path  #: the course folder
    assignments: list[str]  #: assignment ids, in syllabus order
    config_written: bool  #: False when an existing nbgrader_config.py was kept


def render_config(*, course_id: str, exchange: Path, cell_timeout: int = 15,
                  stubs: dict[str, str] | None = None) -> str:
    """The text of a new course's ``nbgrader_config.py``.

    ``stubs`` (``{"code": ..., "text": ...}``) are the placeholders nbgrader writes into
    answer cells, in the class's language (default: nbgrader's English ones).
    """
    text = _CONFIG.format(course_id=course_id, exchange=str(exchange), cell_timeout=cell_timeout)
    if stubs:
        text += ("\n# What an answer cell holds before the learner writes in it, in the class's "
                 "language.\n"
                 f"c.ClearSolutions.code_stub = {{'python': {stubs['code']!r}}}\n"
                 f"c.ClearSolutions.text_stub = {stubs['text']!r}\n")
    return text


def build_course(
    *,
    out: str | Path,
    lang: str = "en",
    syllabus: str | Path | Syllabus | None = None,
    course_id: str = "jazari",
    exchange: str | Path | None = None,
    units: list[str] | None = None,
) -> BuildResult:
    """Make (or refresh) an nbgrader course folder from the syllabus.

    Parameters
    ----------
    out:
        The course folder. It is created if missing. An existing course keeps its
        gradebook, releases, submissions and ``nbgrader_config.py``; its ``source/``
        folders for the syllabus's units are replaced.
    lang:
        The language of the notebooks and teacher guides (one of :data:`LANGUAGES`). Every
        text must be translated in the catalogs, or nothing is written.
    syllabus:
        A loaded :class:`Syllabus` or the path of a syllabus file (default: this checkout's).
    course_id:
        nbgrader's course id, written into a new ``nbgrader_config.py``.
    exchange:
        The exchange folder for a new ``nbgrader_config.py``; default ``<out>/exchange``.
    units:
        Only these unit ids (default: every unit).
    """
    if lang not in LANGUAGES:
        raise JazariError(f"--lang {lang}: no notebooks in that language yet "
                          f"(available: {', '.join(LANGUAGES)})")
    if not isinstance(syllabus, Syllabus):
        try:
            syllabus = load_syllabus(syllabus)
        except SyllabusError as error:
            raise JazariError(str(error)) from None
    chosen = syllabus.units
    if units:
        known = {unit.id for unit in syllabus.units}
        unknown = [u for u in units if u not in known]
        if unknown:
            raise JazariError(f"{syllabus.path}: unknown unit(s) {', '.join(unknown)} "
                              f"(units: {', '.join(sorted(known))})")
        chosen = [unit for unit in syllabus.units if unit.id in units]

    # Read every notebook before writing anything, so a broken one leaves no half course.
    for unit in chosen:
        for notebook in unit.notebooks:
            read_notebook(syllabus.root / notebook)
    translator = Translator(root=syllabus.root, lang=lang)
    translated = {unit.id: translate_unit(root=syllabus.root, unit=unit, lang=lang,
                                          translator=translator) for unit in chosen}
    stubs = code_stub(translator) if lang != "en" else None
    if translator.problem():
        raise JazariError(translator.problem())

    out = Path(out).expanduser().resolve()
    if out.exists() and not out.is_dir():
        raise JazariError(f"{out}: is a file; --out needs a folder")
    out.mkdir(parents=True, exist_ok=True)
    config = out / "nbgrader_config.py"
    config_written = not config.exists()
    if config_written:
        exchange_path = Path(exchange).expanduser().resolve() if exchange else out / "exchange"
        config.write_text(render_config(course_id=course_id, exchange=exchange_path,
                                        stubs=stubs), encoding="utf-8")

    for unit in chosen:
        target = out / "source" / unit.id
        staging = out / "source" / f".{unit.id}.new"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        for name, notebook in translated[unit.id].notebooks.items():
            nbformat.write(notebook, staging / name)
        for extra in unit.files:
            destination = staging / extra
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(syllabus.root / unit.folder / extra, destination)
        shutil.rmtree(target, ignore_errors=True)
        staging.rename(target)
        guide = out / "guides" / f"{unit.id}.md"  # the teacher guide, in the class's language
        guide.parent.mkdir(exist_ok=True)
        guide.write_text(translated[unit.id].guide, encoding="utf-8")
    from autograder.manifest import write_manifest

    write_manifest(out, syllabus, lang)  # what the course was built from, for the reports
    return BuildResult(course=out, assignments=[unit.id for unit in chosen],
                       config_written=config_written)
