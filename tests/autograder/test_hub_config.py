"""The hub's generated settings, its login mapping and its memory limit."""

from __future__ import annotations

import json
import subprocess
import sys

from traitlets.config import PyFileConfigLoader

from autograder.hub.accounts import read_accounts
from autograder.hub.auth import JazariAuthenticator
from autograder.hub.config import JazariHub, write_hub_files

ROSTER = ("id,first_name,last_name,group,track,role,pin\n"
          "Amine,Amine,B,,,,1234\n"
          "omar,Omar,K,,,,987654\n"
          "fatima,Fatima,Z,,,trainer,secret-password\n")


class _Course:
    def __init__(self, root):
        self.root = root
        self.course_id = "hubtest"


def _written(tmp_path, lang="fr"):
    roster_file = tmp_path / "class.csv"
    roster_file.write_text(ROSTER, encoding="utf-8")
    roster = read_accounts(roster_file)
    settings = JazariHub(proxy_command="/bin/true", port=8123)
    files = write_hub_files(settings=settings, course=_Course(tmp_path / "course"),
                            roster=roster, exchange=tmp_path / "exchange", lang=lang,
                            state=tmp_path / "state", public=tmp_path / "public")
    return files


def test_the_hub_config_is_traitlets_config_with_the_roster(tmp_path):
    """Is the generated jupyterhub_config.py a config file traitlets reads, naming trainers
    as admins, every account as allowed, the PAM login mapping and the grading service?"""
    files = _written(tmp_path)
    config = PyFileConfigLoader(files.config.name, path=str(files.config.parent)).load_config()
    assert config.JupyterHub.port == 8123
    assert config.Authenticator.admin_users == ["jz-fatima"]
    assert config.Authenticator.allowed_users == ["jz-amine", "jz-fatima", "jz-omar"]
    assert config.JazariAuthenticator.logins["amine"] == "jz-amine"
    assert config.JazariSpawner.learner_ids == {"jz-amine": "Amine", "jz-omar": "omar"}
    assert config.JupyterHub.db_url.startswith(f"sqlite:///{files.state}")
    [service] = config.JupyterHub.services
    assert service["command"][1:3] == ["-m", "autograder.hub.service"]
    assert oct(files.state.stat().st_mode & 0o777) == "0o700"


def test_no_pin_is_written_anywhere(tmp_path):
    """Do the PINs of the roster stay out of every file the hub writes?"""
    _written(tmp_path)
    for path in [*(tmp_path / "state").rglob("*"), *(tmp_path / "public").rglob("*")]:
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert "987654" not in text and "secret-password" not in text, path


def test_children_get_a_quiet_lab_in_the_class_language_without_the_formgrader(tmp_path):
    """Do the children's servers get nbgrader's course and exchange, their roster id as
    student id, no formgrader, course list, terminal, news or extension manager, and
    JupyterLab's interface in the class's language?"""
    files = _written(tmp_path, lang="ar")
    folder = files.learner_config
    nbgrader = (folder / "nbgrader_config.py").read_text()
    assert "c.CourseDirectory.course_id = 'hubtest'" in nbgrader
    assert 'os.environ.get("JAZARI_LEARNER")' in nbgrader
    assert "QuietExchangeList" in nbgrader
    server = json.loads((folder / "jupyter_server_config.json").read_text())
    assert server["ServerApp"]["terminals_enabled"] is False
    assert server["ServerApp"]["jpserver_extensions"][
        "nbgrader.server_extensions.formgrader"] is False
    off = json.loads((folder / "labconfig" / "page_config.json").read_text())["disabledExtensions"]
    assert {"@jupyterlab/apputils-extension:announcements", "@jupyter/nbgrader:formgrader",
            "@jupyter/nbgrader:create-assignment",
            "@jupyterlab/extensionmanager-extension:plugin"} <= set(off)
    overrides = json.loads((folder / "lab-settings" / "overrides.json").read_text())
    assert overrides["@jupyterlab/translation-extension:plugin"]["locale"] == "ar_SA"
    assert overrides["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"
    assert server["LabApp"]["app_settings_dir"] == str(folder / "lab-settings")
    assert server["LabApp"]["news_url"] is None
    assert server["LabApp"]["extension_manager"] == "readonly"


def test_trainers_keep_the_formgrader_server_and_the_course(tmp_path):
    """Do trainers' servers keep nbgrader's formgrader server and course list, point at
    the course folder, and get a menu that opens their own formgrader in a new tab?"""
    files = _written(tmp_path)
    folder = files.trainer_config / "jz-fatima"
    server = json.loads((folder / "jupyter_server_config.json").read_text())
    assert server["ServerApp"] == {}
    nbgrader = (folder / "nbgrader_config.py").read_text()
    assert f"c.CourseDirectory.root = {str(tmp_path / 'course')!r}" in nbgrader
    assert "JAZARI_LEARNER" not in nbgrader
    overrides = json.loads((folder / "lab-settings" / "overrides.json").read_text())
    [menu] = overrides["@jupyterlab/mainmenu-extension:plugin"]["menus"]
    assert menu["items"][0]["args"] == {"url": "/user/jz-fatima/formgrader",
                                        "text": "Formgrader", "newBrowserTab": True}
    assert not (files.trainer_config / "jz-amine").exists()


def test_the_login_page_takes_the_roster_id_in_any_case():
    """Does the name a child types (their id, any case, or the system user) map to their
    system user, and any other name to none?"""
    auth = JazariAuthenticator(logins={"amine": "jz-amine"})
    assert auth.system_user(" Amine ") == "jz-amine"
    assert auth.system_user("jz-amine") == "jz-amine"
    assert auth.system_user("root") is None


def test_the_memory_limit_bites():
    """Does a process under the spawner's memory limit (as a child's kernel is) get a
    MemoryError when it asks for more, and its neighbour under the limit not?"""
    code = ("from autograder.hub.spawner import limit_memory\n"
            "limit_memory(600 * 2**20)\n"
            "small = bytearray(50 * 2**20)\n"
            "try:\n    bytearray(800 * 2**20)\nexcept MemoryError:\n    print('refused')\n"
            "else:\n    print('allowed')\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=True)
    assert done.stdout.strip() == "refused"
