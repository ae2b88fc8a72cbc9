"""The whole test run, wherever pytest is pointed (tests/, a unit folder for nbval), keeps
Jupyter's files in folders of its own."""

from __future__ import annotations

import shutil
import tempfile
from contextlib import ExitStack
from pathlib import Path

import pytest

from autograder.course import ensure_bin_on_path
from autograder.homes import private_jupyter

ensure_bin_on_path()

_JUPYTER = pytest.StashKey[tuple[Path, ExitStack]]()


def pytest_configure(config):
    """For the whole run (the notebooks nbval runs included), every process keeps its
    Jupyter settings, data, runtime files, IPython profile and nbgrader cache in a folder
    of the run's own, never the user's ~/.jupyter, ~/.local/share/jupyter or ~/.ipython."""
    folder = Path(tempfile.mkdtemp(prefix="jazari-test-jupyter-"))
    stack = ExitStack()
    stack.enter_context(private_jupyter(folder))
    config.stash[_JUPYTER] = (folder, stack)


def pytest_unconfigure(config):
    folder, stack = config.stash[_JUPYTER]
    stack.close()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def own_jupyter_folders(pytestconfig) -> Path:
    """The test run's own Jupyter folder (see pytest_configure)."""
    return pytestconfig.stash[_JUPYTER][0]
