"""Does the single-user image's configuration (deploy/Dockerfile, deploy/image/) do what the
deployment relies on: learners without the formgrader, trainers with it, no news, the class's
language, the nbexchange service, and a course whose gradebook is the class's PostgreSQL?

Each Jupyter file is read by the code that reads it on a server (jupyter_server's and
JupyterLab's config managers, a traitlets config loader, Jazari's own course loader), from
copies laid out as the Dockerfile lays them out, under tmp_path.
"""

from __future__ import annotations

import json
import os
import re
import runpy
import shutil

import pytest
from traitlets.config import Config

from autograder.config import load_course_config
from autograder.course import open_course
from autograder.errors import JazariError
from tests.deploy.test_manifests import DEPLOY

IMAGE = DEPLOY / "image"
FORMGRADER = "nbgrader.server_extensions.formgrader"


def _run(path, env, monkeypatch):
    for name in ("JAZARI_ROLE", "JAZARI_COURSE_ID", "JAZARI_LANG", "JUPYTERHUB_API_TOKEN",
                 "NAAS_JWT", "JUPYTERLAB_SETTINGS_DIR"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    config = Config()
    runpy.run_path(str(path), init_globals={"get_config": lambda: config})
    return config


def test_every_file_the_dockerfile_copies_is_in_the_repository():
    """Does each COPY of the Dockerfile name files that exist (a renamed file would break the
    image's build)?"""
    from curriculum import REPO_ROOT

    copies = re.findall(r"^COPY\s+(.+)$", (DEPLOY / "Dockerfile").read_text(), flags=re.M)
    assert len(copies) >= 6
    for line in copies:
        *sources, _ = line.split()
        for source in sources:
            if source != "dist/":  # the wheel, built before the image
                assert (REPO_ROOT / source).exists(), source


@pytest.fixture
def layout(tmp_path):
    """The image's Jupyter config folder (with nbgrader's own switch, as pip installs it) and
    the trainer's folder, as the Dockerfile lays them out."""
    system = tmp_path / "usr-local-etc-jupyter"
    shutil.copytree(IMAGE / "jupyter_server_config.d", system / "jupyter_server_config.d")
    shutil.copytree(IMAGE / "labconfig", system / "labconfig")
    (system / "jupyter_server_config.d" / "nbgrader.json").write_text(json.dumps(
        {"ServerApp": {"jpserver_extensions": {FORMGRADER: True,
                                               "nbgrader.server_extensions.assignment_list": True}}}))
    trainer = tmp_path / "etc-jazari-trainer"
    shutil.copytree(IMAGE / "trainer", trainer)
    return system, trainer


def test_only_trainers_get_the_formgrader_server_extension(layout):
    """With jupyter_server's own reading of the config folders, is the formgrader off for a
    learner (the image's folder only) and on for a trainer (the trainer's folder first), while
    the Assignments tab stays on for both?"""
    from jupyter_server.extension.config import ExtensionConfigManager

    system, trainer = layout
    learner = ExtensionConfigManager(read_config_path=[str(system)]).get_jpserver_extensions()
    teacher = ExtensionConfigManager(read_config_path=[str(trainer), str(system)]).get_jpserver_extensions()
    assert learner[FORMGRADER] is False and teacher[FORMGRADER] is True
    assert learner["nbgrader.server_extensions.assignment_list"] is True
    assert teacher["nbgrader.server_extensions.assignment_list"] is True


def test_only_trainers_see_the_formgrader_panels_and_nobody_the_news(layout, monkeypatch):
    """With JupyterLab's own page config reading, are the formgrader, course list and
    create-assignment panels and the news announcements off for a learner, and the course list
    and create-assignment back for a trainer? The formgrader panel stays off for both: under
    JupyterHub its frame is refused (frame-ancestors 'none'), so trainers open the formgrader
    in a tab of its own."""
    from jupyterlab_server.config import get_static_page_config

    system, trainer = layout
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(system.parent / "empty"))

    def disabled(*paths):
        monkeypatch.setenv("JUPYTER_CONFIG_PATH", os.pathsep.join(map(str, paths)))
        page = get_static_page_config(level="all")
        return {name for name, off in page.get("disabledExtensions", {}).items() if off}

    panels = {"@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:course-list",
              "@jupyter/nbgrader:create-assignment"}
    news = "@jupyterlab/apputils-extension:announcements"
    assert panels | {news} <= disabled(system)
    assert disabled(trainer, system) & (panels | {news}) == {"@jupyter/nbgrader:formgrader", news}


def test_jupyterlab_never_fetches_news_nor_checks_for_updates(monkeypatch, tmp_path):
    """Does the server config turn off JupyterLab's news feed and update check, give the
    terminal to trainers only, and hand the hub token to nbexchange's plugin?"""
    learner = _run(IMAGE / "jupyter_server_config.py",
                   {"JAZARI_ROLE": "learner", "JUPYTERHUB_API_TOKEN": "abc"}, monkeypatch)
    assert learner.LabApp.news_url is None
    assert learner.LabApp.check_for_updates_class.endswith("NeverCheckForUpdate")
    assert learner.ServerApp.terminals_enabled is False
    assert os.environ["NAAS_JWT"] == "abc"
    trainer = _run(IMAGE / "jupyter_server_config.py", {"JAZARI_ROLE": "trainer"}, monkeypatch)
    assert trainer.ServerApp.terminals_enabled is True
    overrides = json.loads((IMAGE / "lab-settings" / "overrides.json").read_text())
    assert overrides["@jupyterlab/apputils-extension:notification"] == {
        "fetchNews": "false", "checkForUpdates": False}


def test_the_classes_language_is_set_once_and_a_childs_choice_is_kept(monkeypatch, tmp_path):
    """Does JAZARI_LANG=ar write JupyterLab's Arabic locale into the user's settings, and
    leave a setting the user already has alone?"""
    settings = tmp_path / "user-settings"
    _run(IMAGE / "jupyter_server_config.py",
         {"JAZARI_LANG": "ar", "JUPYTERLAB_SETTINGS_DIR": str(settings)}, monkeypatch)
    written = settings / "@jupyterlab" / "translation-extension" / "plugin.jupyterlab-settings"
    assert json.loads(written.read_text()) == {"locale": "ar_SA"}
    written.write_text(json.dumps({"locale": "en"}))
    _run(IMAGE / "jupyter_server_config.py",
         {"JAZARI_LANG": "fr", "JUPYTERLAB_SETTINGS_DIR": str(settings)}, monkeypatch)
    assert json.loads(written.read_text()) == {"locale": "en"}


def test_servers_use_the_nbexchange_service_for_their_class(monkeypatch):
    """Does every exchange step go to nbexchange, for the class the hub gave, with the
    trainer's course folder where the hub mounts it?"""
    learner = _run(IMAGE / "nbgrader_config.py",
                   {"JAZARI_ROLE": "learner", "JAZARI_COURSE_ID": "tanger-a"}, monkeypatch)
    assert learner.CourseDirectory.course_id == "tanger-a"
    assert "root" not in learner.CourseDirectory
    steps = ("exchange", "list", "release_assignment", "fetch_assignment", "submit", "collect",
             "release_feedback", "fetch_feedback")
    assert all(learner.ExchangeFactory[step].startswith("nbexchange.plugin.") for step in steps)
    trainer = _run(IMAGE / "nbgrader_config.py",
                   {"JAZARI_ROLE": "trainer", "JAZARI_COURSE_ID": "tanger-a"}, monkeypatch)
    assert trainer.CourseDirectory.root == "/home/jovyan/courses/tanger-a"


def _cluster_course(tmp_path, toy_repo):
    """A course built as a trainer builds it on the cluster, with the lines of
    course_cluster_lines.py added, its /etc/jazari and /srv/jazari paths moved to tmp_path."""
    from autograder.build import build_course

    course = tmp_path / "tanger-a"
    build_course(out=course, syllabus=toy_repo, course_id="tanger-a")
    etc = tmp_path / "etc-jazari"
    etc.mkdir()
    shutil.copy(IMAGE / "nbgrader_cluster.py", etc / "nbgrader_cluster.py")
    lines = (IMAGE / "course_cluster_lines.py").read_text()
    assert "/etc/jazari/" in lines and "/srv/jazari/gradebook/" in lines
    lines = lines.replace("/etc/jazari/", f"{etc}/").replace("/srv/jazari/gradebook/",
                                                             f"{tmp_path}/gradebook/")
    config = course / "nbgrader_config.py"
    config.write_text(config.read_text() + lines)
    return course


def test_a_cluster_course_reads_its_gradebook_address_from_the_classes_secret(tmp_path, toy_repo):
    """Does `jazari`'s own course loader, on a course with the cluster lines, take the
    gradebook's PostgreSQL address from the class's mounted Secret, the nbexchange exchange and
    the wait for another grader?"""
    course = _cluster_course(tmp_path, toy_repo)
    secret = tmp_path / "gradebook" / "tanger-a"
    secret.mkdir(parents=True)
    url = "postgresql+psycopg://tanger_a:s3cret@postgresql:5432/tanger_a"
    (secret / "db_url").write_text(url + "\n")
    config = load_course_config(course)
    assert config.CourseDirectory.db_url == url
    assert config.ExchangeFactory.collect == "nbexchange.plugin.ExchangeCollect"
    assert config.JazariGrade.wait_for_other_grader == 1800.0
    assert open_course(course).db_url == url


def test_jazari_grade_in_a_job_calls_no_exchange(tmp_path, toy_repo, monkeypatch):
    """With JAZARI_NO_EXCHANGE=1 (how the grading Job runs `jazari grade`), does the course keep
    its PostgreSQL gradebook but name no exchange service, so it holds and needs no token?"""
    course = _cluster_course(tmp_path, toy_repo)
    secret = tmp_path / "gradebook" / "tanger-a"
    secret.mkdir(parents=True)
    (secret / "db_url").write_text("postgresql+psycopg://tanger_a@postgresql/tanger_a")
    monkeypatch.setenv("JAZARI_NO_EXCHANGE", "1")
    config = load_course_config(course)
    assert "ExchangeFactory" not in config
    assert config.CourseDirectory.db_url == "postgresql+psycopg://tanger_a@postgresql/tanger_a"


def test_a_cluster_course_without_its_secret_is_one_clear_line(tmp_path, toy_repo):
    """Where the class's Secret is not mounted, does opening the course say so in one line
    naming the missing file, rather than grade into a SQLite file by mistake?"""
    course = _cluster_course(tmp_path, toy_repo)
    with pytest.raises(JazariError) as raised:
        open_course(course)
    message = str(raised.value)
    assert "\n" not in message and "nbgrader_config.py" in message
    assert "gradebook/tanger-a/db_url" in message
