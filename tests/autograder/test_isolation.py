"""Nothing leaks into the user's own Jupyter folders: autograder/homes.py at work in the
tests, the classroom exchange and the demo."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.classroom import fetch, submit
from autograder.course import open_course
from autograder.homes import JUPYTER_VARIABLES, learner_home, private_jupyter
from autograder.lab import lab_command

#: What Jupyter, IPython and nbgrader would write in a home of their own accord.
USER_JUPYTER = (".jupyter", ".local/share/jupyter", ".ipython")


def _no_jupyter_env(monkeypatch, home: Path) -> None:
    """As a user's shell: HOME is ``home``, no Jupyter folder set by a variable."""
    monkeypatch.setenv("HOME", str(home))
    for name in JUPYTER_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def test_the_test_run_has_jupyter_folders_of_its_own(own_jupyter_folders):
    """Do the tests' Jupyter data, settings, runtime and nbgrader cache live in the test
    run's folder, not in the user's home?"""
    from jupyter_core.paths import jupyter_config_dir, jupyter_data_dir, jupyter_runtime_dir
    from nbgrader.exchange.default import Exchange

    folder = own_jupyter_folders.resolve()
    for path in (jupyter_config_dir(), jupyter_data_dir(), jupyter_runtime_dir(),
                 Exchange().cache, os.environ["IPYTHONDIR"]):
        assert folder in Path(path).parents, path


def test_private_jupyter_sets_and_puts_back(tmp_path, monkeypatch):
    """Does private_jupyter point every Jupyter variable under its folder, and put the
    environment back as it was afterwards (unset stays unset)?"""
    monkeypatch.setenv("JUPYTER_DATA_DIR", "/somewhere")
    monkeypatch.delenv("JUPYTER_RUNTIME_DIR", raising=False)
    with private_jupyter(tmp_path / "j"):
        for name in JUPYTER_VARIABLES:
            assert os.environ[name].startswith(str(tmp_path / "j"))
    assert os.environ["JUPYTER_DATA_DIR"] == "/somewhere"
    assert "JUPYTER_RUNTIME_DIR" not in os.environ


def test_fetch_and_submit_write_nothing_in_the_users_home(tmp_path, toy_course, monkeypatch):
    """With a user's plain environment, do fetch and submit keep nbgrader's cache in the
    learner's own home and write nothing into the user's home?"""
    user_home = tmp_path / "user"
    user_home.mkdir()
    _no_jupyter_env(monkeypatch, user_home)
    course = open_course(toy_course)
    home = learner_home(toy_course, "amine")
    fetch(course, "t01_toy", student="amine", home=home.folder)
    submit(course, "t01_toy", student="amine", home=home.folder)
    assert list(user_home.iterdir()) == []
    cached = list((home.cache / "jazari").iterdir())
    assert len(cached) == 1 and cached[0].name.startswith("amine+t01_toy+")
    assert home.folder.parent == toy_course.parent / "course-learners"


@pytest.mark.slow
def test_the_demo_writes_nothing_in_the_users_home(tmp_path):
    """Does `jazari demo` (two learners) leave no Jupyter, IPython or nbgrader files in
    the user's home, keeping every learner's cache beside its course where `jazari lab
    --learner` finds it, and give the gradebook its learners' names from its roster?"""
    user_home = tmp_path / "user"
    user_home.mkdir()
    env = {key: value for key, value in os.environ.items() if key not in JUPYTER_VARIABLES}
    env["HOME"] = str(user_home)
    out = tmp_path / "demo"
    code = ("from autograder.demo import demo\n"
            f"result = demo(out={str(out)!r}, learners=2, say=lambda line: None)\n"
            "raise SystemExit(1 if result.mismatches else 0)\n")
    finished = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                              text=True, timeout=900, cwd=tmp_path)
    assert finished.returncode == 0, finished.stderr[-2000:]
    for name in USER_JUPYTER:
        assert not (user_home / name).exists(), name
    # The demo splits its class between the tracks: each learner hands in their track's unit.
    units = open_course(out / "course").source_assignments()
    handed_in = {}
    for student in ("yasmine_alaoui", "amine_benali"):
        cache = learner_home(out / "course", student).cache / "jazari"
        handed_in[student] = sorted(p.name.split("+")[1] for p in cache.iterdir())
    assert handed_in == {"yasmine_alaoui": [units[0]], "amine_benali": [units[1]]}
    # `jazari lab --learner` after the demo opens on that learner's own work only.
    started = lab_command(course=str(out / "course"), learner="amine_benali")
    assert sorted(p.name for p in Path(started.folder).iterdir() if p.name[0] != ".") == [
        units[1]]
    assert started.home.cache == learner_home(out / "course", "amine_benali").cache
    assert (out / "roster.csv").read_text(encoding="utf-8").startswith(
        "id,first_name,last_name,group,track")
    with open_course(out / "course").gradebook() as gb:
        names = {s.id: (s.first_name, s.last_name) for s in gb.students}
    assert names == {"yasmine_alaoui": ("Yasmine", "Alaoui"), "amine_benali": ("Amine", "Benali")}
