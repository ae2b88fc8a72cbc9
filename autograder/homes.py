"""Where a learner's things live on one machine, and Jupyter folders of one's own.

A learner's folder holds only what they fetched (one folder per unit); JupyterLab opens
on it in ``jazari lab --learner``. Their Jupyter settings, data and nbgrader cache live in
its hidden ``.jupyter/`` folder, never in the user's own ``~/.jupyter`` or
``~/.local/share/jupyter``. By default the learners of a course folder ``.../course`` live
beside it, in ``.../course-learners/<id>/``, outside the course: the file browser cannot
reach ``source/``, ``release/`` or the gradebook from there.

:func:`private_jupyter` gives a whole run (the demo, the tests, a benchmark) Jupyter
folders of its own in the same way.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

__all__ = ["JUPYTER_VARIABLES", "LearnerHome", "default_home", "jupyter_env", "learner_home",
           "private_jupyter"]

#: The environment variables that say where Jupyter and IPython keep their files.
JUPYTER_VARIABLES = ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR",
                     "IPYTHONDIR")


def jupyter_env(state: str | Path) -> dict[str, str]:
    """The Jupyter folders under ``state``, as environment variables."""
    state = Path(state)
    return {"JUPYTER_CONFIG_DIR": str(state / "config"),
            "JUPYTER_DATA_DIR": str(state / "data"),
            "JUPYTER_RUNTIME_DIR": str(state / "data" / "runtime"),
            "IPYTHONDIR": str(state / "ipython")}


@contextmanager
def private_jupyter(state: str | Path):
    """Point Jupyter, IPython and nbgrader's cache at folders under ``state`` for a while.

    Every child process started meanwhile inherits them; the environment is put back
    afterwards. nbgrader's cache defaults to ``$JUPYTER_DATA_DIR/nbgrader_cache``.
    """
    saved = {name: os.environ.get(name) for name in JUPYTER_VARIABLES}
    os.environ.update(jupyter_env(Path(state).resolve()))
    try:
        yield Path(state)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@dataclass(frozen=True)
class LearnerHome:
    """A learner's folder and their private Jupyter folders inside it."""

    learner: str
    folder: Path  #: JupyterLab's root for the learner: their fetched units

    @property
    def state(self) -> Path:
        """The hidden folder with the learner's Jupyter settings, data and cache."""
        return self.folder / ".jupyter"

    @property
    def config_dir(self) -> Path:
        return self.state / "config"

    @property
    def cache(self) -> Path:
        """nbgrader's cache of the learner's submissions (what "Submitted" lists)."""
        return self.state / "data" / "nbgrader_cache"

    def env(self) -> dict[str, str]:
        """Environment variables that keep Jupyter's files in :attr:`state`."""
        return jupyter_env(self.state)


def default_home(course_root: str | Path, learner: str) -> Path:
    """``<parent>/<course>-learners/<learner>``: beside the course folder, not in it."""
    course_root = Path(course_root).expanduser().resolve()
    return course_root.parent / f"{course_root.name}-learners" / learner


def learner_home(course_root: str | Path, learner: str,
                 folder: str | Path | None = None) -> LearnerHome:
    """The learner's home: ``folder`` if given, else :func:`default_home`."""
    chosen = Path(folder).expanduser().resolve() if folder else default_home(course_root, learner)
    return LearnerHome(learner=learner, folder=chosen)
