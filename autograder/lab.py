"""``jazari lab``: JupyterLab for the trainer, or for one learner.

The trainer's view (no ``--learner``) starts JupyterLab in the course folder with
nbgrader's extensions, which read ``nbgrader_config.py`` from there: the formgrader, the
course list, the Assignments tab. Jazari's quiet exchange log (:mod:`autograder.exchange`)
comes from :data:`TRAINER_CONFIG`, read before the course's own file.

The learner's view (``--learner ID``) starts JupyterLab as that child would see it on a
hub, on one machine: its file browser opens on the learner's own folder (by default
``<course>-learners/<ID>/`` beside the course folder, see :mod:`autograder.homes`), which
holds only the units they fetched. Their private Jupyter folders hold an nbgrader config
that names them as the student, sets the course and its exchange (fetch, submit and fetch
feedback work from the Assignments tab) and turns off the formgrader, the course list,
the "create assignment" panel and the terminal. The course folder, its solutions and its
gradebook are out of the file browser's reach.

On one machine the learner's kernel still runs as the same system user as the trainer,
so code typed in a notebook could read any file that user can; for a class that must not
see the solutions at all, give each learner a system account (a JupyterHub).
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from autograder.config import child_env
from autograder.course import open_course
from autograder.errors import JazariError
from autograder.exchange import EXCHANGE_CONFIG
from autograder.homes import LearnerHome, learner_home

__all__ = ["LEARNER_LAB_PLUGINS_OFF", "LEARNER_SERVER_EXTENSIONS_OFF", "TRAINER_CONFIG",
           "LabCommand", "lab", "lab_command", "prepare_learner", "roster_note"]

#: A folder with the nbgrader settings the trainer's JupyterLab adds (a quiet exchange log).
TRAINER_CONFIG = Path(__file__).parent / "lab_config"

#: nbgrader's server extensions a learner's JupyterLab does not load.
LEARNER_SERVER_EXTENSIONS_OFF = ("nbgrader.server_extensions.formgrader",
                                 "nbgrader.server_extensions.course_list")

#: nbgrader's JupyterLab plugins a learner does not see.
LEARNER_LAB_PLUGINS_OFF = ("@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:course-list",
                           "@jupyter/nbgrader:create-assignment")

_LEARNER_CONFIG = """\
# nbgrader settings for one learner's JupyterLab, written by `jazari lab --learner`.
# They are written again each time it starts.
c = get_config()  # noqa: F821

c.CourseDirectory.course_id = {course_id!r}
# nbgrader names submissions after the system user unless a student id is given.
c.CourseDirectory.student_id = {learner!r}
c.Exchange.root = {exchange!r}
c.Exchange.assignment_dir = {folder!r}
# This learner's own cache of submissions (what "Submitted assignments" lists).
c.Exchange.cache = {cache!r}
"""


@dataclass
class LabCommand:
    """How to start JupyterLab: the command line, its folder and its environment."""

    command: list[str]
    folder: str
    env: dict[str, str] = field(default_factory=dict)
    home: LearnerHome | None = None  #: the learner's home, in the learner's view


def prepare_learner(course, learner: str, home: str | Path | None = None) -> LearnerHome:
    """Make the learner's folder and write the settings of their JupyterLab.

    ``course`` is an opened :class:`autograder.course.Course`. Raises
    :class:`JazariError` for a bad id or a home inside the course folder.
    """
    from autograder.roster import id_problem

    problem = id_problem(learner)
    if problem:
        raise JazariError(f"--learner: {problem}")
    chosen = learner_home(course.root, learner, home)
    if chosen.folder == course.root or course.root in chosen.folder.parents:
        raise JazariError(f"--home {chosen.folder}: is inside the course folder {course.root}; "
                          "a learner's folder must be outside it")
    if chosen.folder in course.root.parents:
        raise JazariError(f"--home {chosen.folder}: holds the course folder {course.root}; "
                          "a learner's folder must be outside it")
    api = course.api()
    settings = _LEARNER_CONFIG.format(course_id=course.course_id, learner=learner,
                                      exchange=str(Path(api.exchange_root).resolve()),
                                      folder=str(chosen.folder), cache=str(chosen.cache))
    config_dir = chosen.config_dir
    (config_dir / "labconfig").mkdir(parents=True, exist_ok=True)
    chosen.cache.mkdir(parents=True, exist_ok=True)
    (config_dir / "nbgrader_config.py").write_text(settings + EXCHANGE_CONFIG, encoding="utf-8")
    server = {"ServerApp": {
        "jpserver_extensions": {name: False for name in LEARNER_SERVER_EXTENSIONS_OFF},
        "terminals_enabled": False,
    }}
    (config_dir / "jupyter_server_config.json").write_text(json.dumps(server, indent=2))
    page = {"disabledExtensions": {name: True for name in LEARNER_LAB_PLUGINS_OFF}}
    (config_dir / "labconfig" / "page_config.json").write_text(json.dumps(page, indent=2))
    # No "Would you like to get notified about official Jupyter news?" for a child.
    news = config_dir / "lab" / "user-settings" / "@jupyterlab" / "apputils-extension"
    news.mkdir(parents=True, exist_ok=True)
    settings_file = news / "notification.jupyterlab-settings"
    if not settings_file.exists():
        settings_file.write_text(json.dumps({"fetchNews": "false"}))
    return chosen


def lab_command(*, course: str = ".", learner: str | None = None, home: str | None = None,
                extra: list[str] | None = None, lang: str | None = None) -> LabCommand:
    """The command that starts JupyterLab on ``course``, for the trainer or for ``learner``.

    ``extra`` are JupyterLab options passed on as they are (``--port=8890``, ``--no-browser``).
    ``lang`` (``en``, ``fr``, ``ar``) selects the interface's language pack
    (:mod:`autograder.lab_language`).
    """
    from autograder.lab_language import language_options

    opened = open_course(course)
    env = child_env()
    if learner is None:
        if home is not None:
            raise JazariError("--home goes with --learner")
        options, more_env = ([], {}) if lang is None else language_options(
            opened.root / ".jazari" / "lab" / "user-settings", lang)
        env.update(more_env)
        command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={opened.root}",
                   *options, *(extra or [])]
        env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(
            part for part in (str(TRAINER_CONFIG), env.get("JUPYTER_CONFIG_PATH", "")) if part)
        return LabCommand(command=command, folder=str(opened.root), env=env)
    chosen = prepare_learner(opened, learner, home)
    env.update(chosen.env())
    options, more_env = ([], {}) if lang is None else language_options(
        chosen.config_dir / "lab" / "user-settings", lang)
    env.update(more_env)
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={chosen.folder}",
               *options, *(extra or [])]
    return LabCommand(command=command, folder=str(chosen.folder), env=env, home=chosen)


def roster_note(course: str, learner: str) -> str | None:
    """A note when the course has learners and ``learner`` is not one of them (a typo?)."""
    opened = open_course(course)
    if not opened.has_gradebook():
        return None
    with opened.gradebook() as gb:
        known = sorted(student.id for student in gb.students)
    if not known or learner in known:
        return None
    close = [name for name in known if name.startswith(learner) or learner in name][:3]
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    return f"Note: {learner} is not among the course's {len(known)} learners{hint}"


def lab(*, course: str = ".", learner: str | None = None, home: str | None = None,
        extra: list[str] | None = None, lang: str | None = None, say=print) -> None:
    """Replace this process with JupyterLab: the trainer's, or ``learner``'s own."""
    started = lab_command(course=course, learner=learner, home=home, extra=extra, lang=lang)
    if started.home is not None:
        say(f"JupyterLab for {learner}, in {started.home.folder} "
            "(their fetched units; open the Assignments tab from the Nbgrader menu)")
        unknown = roster_note(course, learner)
        if unknown:
            say(unknown)
    os.chdir(started.folder)
    os.execve(started.command[0], started.command, started.env)
