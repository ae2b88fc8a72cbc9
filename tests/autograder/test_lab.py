"""Tests for autograder/lab.py: `jazari lab`, the trainer's view and a learner's own."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from traitlets.config.loader import PyFileConfigLoader

from autograder.cli import main
from autograder.errors import JazariError
from autograder.lab import LEARNER_LAB_PLUGINS_OFF, TRAINER_CONFIG, lab_command, roster_note


@pytest.fixture
def toy_course(tmp_path):
    """A course folder with its nbgrader_config.py only (all `jazari lab` reads)."""
    course = tmp_path / "course"
    course.mkdir()
    (course / "nbgrader_config.py").write_text(
        "c = get_config()\nc.CourseDirectory.course_id = 'jazari'\n"
        f"c.Exchange.root = {str(course / 'exchange')!r}\n")
    return course


def test_the_trainers_view_starts_in_the_course(toy_course):
    """Without --learner, does JupyterLab start in the course folder with the user's own
    Jupyter settings, passing other options on?"""
    started = lab_command(course=str(toy_course), extra=["--port=8890"])
    assert started.folder == str(toy_course) and started.home is None
    assert started.command[-2:] == [f"--ServerApp.root_dir={toy_course}", "--port=8890"]


def test_the_trainers_view_has_the_quiet_exchange(toy_course, monkeypatch):
    """Does the trainer's JupyterLab read Jazari's quiet exchange settings (before the
    course's own nbgrader_config.py), as nbgrader's Assignments tab looks for config?"""
    from jupyter_core.paths import jupyter_config_path

    monkeypatch.setenv("JUPYTER_CONFIG_PATH", "/elsewhere")
    started = lab_command(course=str(toy_course))
    assert started.env["JUPYTER_CONFIG_PATH"] == os.pathsep.join([str(TRAINER_CONFIG),
                                                                   "/elsewhere"])
    monkeypatch.setenv("JUPYTER_CONFIG_PATH", started.env["JUPYTER_CONFIG_PATH"])
    assert str(TRAINER_CONFIG) in jupyter_config_path()
    config = PyFileConfigLoader("nbgrader_config.py", path=str(TRAINER_CONFIG)).load_config()
    assert config.ExchangeFactory.list == "autograder.exchange.QuietExchangeList"
    assert config.ExchangeFactory.submit == "autograder.exchange.TidyExchangeSubmit"
    assert "c.ExchangeFactory" not in (toy_course / "nbgrader_config.py").read_text()


def test_a_learners_view_lives_in_their_own_folder_outside_the_course(toy_course):
    """With --learner, does JupyterLab open on <course>-learners/<id>, outside the course,
    with Jupyter folders of the learner's own, nbgrader set to the learner, the course and
    its exchange, and the formgrader, course list, create-assignment panel and terminal off?"""
    started = lab_command(course=str(toy_course), learner="amine", extra=["--no-browser"])
    home = toy_course.parent / "course-learners" / "amine"
    assert started.folder == str(home) and home.is_dir()
    assert toy_course not in home.parents
    assert f"--ServerApp.root_dir={home}" in started.command and "--no-browser" in started.command
    state = home / ".jupyter"
    assert started.env["JUPYTER_CONFIG_DIR"] == str(state / "config")
    assert started.env["JUPYTER_DATA_DIR"] == str(state / "data")
    assert started.env["JUPYTER_RUNTIME_DIR"].startswith(str(state))

    config = PyFileConfigLoader("nbgrader_config.py", path=str(state / "config")).load_config()
    assert config.CourseDirectory.student_id == "amine"
    assert config.CourseDirectory.course_id == "jazari"
    assert config.Exchange.root == str(toy_course / "exchange")
    assert config.Exchange.cache == str(state / "data" / "nbgrader_cache")
    assert config.Exchange.assignment_dir == str(home)
    assert config.ExchangeFactory.list == "autograder.exchange.QuietExchangeList"

    server = json.loads((state / "config" / "jupyter_server_config.json").read_text())
    extensions = server["ServerApp"]["jpserver_extensions"]
    assert extensions == {"nbgrader.server_extensions.formgrader": False,
                          "nbgrader.server_extensions.course_list": False}
    assert server["ServerApp"]["terminals_enabled"] is False
    page = json.loads((state / "config" / "labconfig" / "page_config.json").read_text())
    assert sorted(page["disabledExtensions"]) == sorted(LEARNER_LAB_PLUGINS_OFF)


def test_a_chosen_home(tmp_path, toy_course):
    """Does --home put the learner's folder where the trainer says?"""
    started = lab_command(course=str(toy_course), learner="salma", home=str(tmp_path / "s"))
    assert started.folder == str(tmp_path / "s")
    assert (tmp_path / "s" / ".jupyter" / "config" / "nbgrader_config.py").is_file()


@pytest.mark.parametrize("learner, home, expected", [
    ("amine", "course/amine", "is inside the course folder"),
    ("amine", "course", "is inside the course folder"),
    ("amine", ".", "holds the course folder"),
    ("amine b", None, "--learner: the id 'amine b' may only have"),
    ("", None, "--learner: the id is empty"),
])
def test_a_home_in_the_course_or_a_bad_id_is_refused(tmp_path, toy_course, learner, home,
                                                     expected):
    """Is a learner's folder in (or around) the course, or a bad id, refused in one line?"""
    with pytest.raises(JazariError) as caught:
        lab_command(course=str(toy_course), learner=learner,
                    home=str(tmp_path / home) if home else None)
    assert expected in str(caught.value) and len(str(caught.value).splitlines()) == 1
    assert not (toy_course / "amine").exists()


def test_home_needs_learner(toy_course):
    """Does --home without --learner say it needs --learner?"""
    with pytest.raises(JazariError, match="--home goes with --learner"):
        lab_command(course=str(toy_course), home="/tmp/x")


def test_lab_help_says_other_options_go_to_jupyterlab(capsys):
    """Does `jazari lab --help` name --learner and say other options pass through?"""
    with pytest.raises(SystemExit) as caught:
        main(["lab", "--help"])
    assert caught.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "--learner ID" in text and "--home DIR" in text
    assert "Any other option goes to JupyterLab as it is" in text


def test_the_learners_folder_is_prepared_again_each_time(toy_course):
    """Does a second start rewrite the learner's settings (e.g. after the exchange moved)?"""
    lab_command(course=str(toy_course), learner="amine")
    config = toy_course.parent / "course-learners" / "amine" / ".jupyter" / "config"
    (config / "nbgrader_config.py").write_text("c = get_config()\n")
    lab_command(course=str(toy_course), learner="amine")
    assert "student_id = 'amine'" in (config / "nbgrader_config.py").read_text()
    assert Path(config / "jupyter_server_config.json").is_file()


def test_a_learner_not_on_the_roster_gets_a_note(toy_course):
    """When the course has learners, does an id that is not one of them get a note that
    names the close ones (a typo), and a known id none?"""
    from autograder.course import open_course

    assert roster_note(str(toy_course), "amine") is None  # no gradebook yet
    with open_course(toy_course).gradebook() as gb:
        gb.update_or_create_student("amine_benali", first_name="Amine", last_name="Benali")
        gb.update_or_create_student("salma_chraibi")
    assert roster_note(str(toy_course), "amine") == (
        "Note: amine is not among the course's 2 learners (did you mean amine_benali?)")
    assert roster_note(str(toy_course), "amine_benali") is None
