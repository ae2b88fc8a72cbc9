"""``jazari lab``: JupyterLab on a course, with nbgrader's extensions.

nbgrader's server and lab extensions are installed and enabled with the ``nbgrader``
package; they read ``nbgrader_config.py`` from the folder JupyterLab starts in, so the
only thing to get right is to start it in the course folder.
"""

from __future__ import annotations

import os
import sys

from autograder.config import child_env
from autograder.course import open_course

__all__ = ["lab_command", "lab"]


def lab_command(*, course: str = ".", extra: list[str] | None = None) -> tuple[list[str], str]:
    """The command line that starts JupyterLab on ``course``, and the folder to start it in."""
    opened = open_course(course)
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={opened.root}",
               *(extra or [])]
    return command, str(opened.root)


def lab(*, course: str = ".", extra: list[str] | None = None) -> None:
    """Replace this process with JupyterLab running on ``course``."""
    command, folder = lab_command(course=course, extra=extra)
    os.chdir(folder)
    os.execve(command[0], command, child_env())
