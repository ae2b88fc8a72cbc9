"""The hub's settings (``c.JazariHub``) and the files ``jazari hub`` writes from them.

Options are traitlets traits read from the course's ``nbgrader_config.py``, like every
Jazari option::

    c.JazariHub.port = 8000
    c.JazariHub.ip = "0.0.0.0"        # the room's network, not only this machine
    c.JazariHub.mem_limit = 1 << 30   # bytes per process of a child's server

From them :func:`write_hub_files` writes, each time the hub starts:

- ``<state>/jupyterhub_config.py``: JupyterHub's own settings, readable, in traitlets
  form (the trainer can read what the hub does); the state folder (default
  ``<course>/.jazari/hub``, closed to everyone but its owner) also holds JupyterHub's
  database, cookie secret and log;
- ``<public>/learner`` and ``<public>/trainers/<login>``: the Jupyter config folders the
  single-user servers read through ``JUPYTER_CONFIG_PATH`` (nbgrader's course, exchange
  and quiet exchange classes; the formgrader and terminal off for children; JupyterLab's
  language, no news and no update checks; for a trainer, a "Formgrader" menu that opens
  the formgrader in a tab of its own). They are readable by every account and hold no
  secret.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import sys
from dataclasses import dataclass
from pathlib import Path

from traitlets import Integer, Unicode
from traitlets.config import Configurable

from autograder.errors import JazariError
from autograder.exchange import EXCHANGE_CONFIG

__all__ = ["LAB_PLUGINS_OFF", "HubFiles", "JazariHub", "find_proxy", "free_port",
           "write_hub_files"]

#: JupyterLab plugins no one on the hub needs: news, update checks, the extension manager
#: (it asks PyPI), and nbgrader's formgrader panel and course list, whose links open it
#: (blank inside JupyterLab under JupyterHub, whose servers forbid framing: trainers open
#: the formgrader in a tab of its own, from the "Formgrader" menu).
LAB_PLUGINS_OFF = ("@jupyterlab/apputils-extension:announcements",
                   "@jupyterlab/extensionmanager-extension:plugin",
                   "@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:course-list")
#: What children do not get besides: nbgrader's "create assignment" panel.
LEARNER_PLUGINS_OFF = ("@jupyter/nbgrader:create-assignment",)


class JazariHub(Configurable):
    """How ``jazari hub`` runs a classroom's JupyterHub."""

    ip = Unicode("127.0.0.1", help="The address the hub listens on: 127.0.0.1 for this "
                 "machine only, 0.0.0.0 for the room's network.").tag(config=True)
    port = Integer(8000, help="The port children and trainers open in the browser.").tag(
        config=True)
    state_dir = Unicode("", help="The hub's private folder (database, cookie secret, "
                        "generated jupyterhub_config.py, log). Default: "
                        "<course>/.jazari/hub.").tag(config=True)
    public_dir = Unicode("", help="A folder every account can read, for the Jupyter "
                         "settings of the children's and trainers' servers (no secrets). "
                         "Default: <homes>/.jazari-<course id>.").tag(config=True)
    homes = Unicode("/home", help="Where the accounts' home folders are made.").tag(
        config=True)
    user_prefix = Unicode("jz-", help="The start of every system user name the hub makes "
                          "(jz-amine for the id amine), so they never clash with others."
                          ).tag(config=True)
    trainer_group = Unicode("jazari-trainers", help="The system group of trainers: it owns "
                            "the course folder, which is closed to children.").tag(config=True)
    mem_limit = Integer(
        1 << 30, help="Bytes of address space each process of one person's server may use "
        "(the server and each notebook's kernel, an RLIMIT_AS); beyond it, allocations fail "
        "with MemoryError. Address space is more than resident memory (mapped libraries, "
        "thread stacks): the heaviest unit's kernel peaks at 194 MB resident and the server "
        "at 133 MB (deploy/README.md, benchmarks/hub_memory.py); a kernel with NumPy, "
        "matplotlib and scikit-learn loaded maps about 460 MB with one numeric thread, and "
        "that unit (m09) runs whole under 1 GiB.").tag(config=True)
    proxy_command = Unicode("", help="configurable-http-proxy's command (default: the one "
                            "`make` installs in node_modules/, else the one on PATH)."
                            ).tag(config=True)
    python = Unicode("", help="The Python every person's server runs, with Jazari's "
                     "packages (default: the one running jazari). Every account must be able "
                     "to run it: a venv made from Debian's /usr/bin/python3, not one inside "
                     "a home folder.").tag(config=True)
    lang = Unicode("", help="The language of JupyterLab's menus (en, fr or ar). Default: "
                   "the language the course was built in.").tag(config=True)



def find_proxy(configured: str = "") -> str:
    """configurable-http-proxy: ``configured``, else node_modules/ beside Jazari, else PATH."""
    if configured:
        return configured
    local = Path(__file__).resolve().parents[2] / "node_modules" / ".bin" / "configurable-http-proxy"
    if local.exists():
        return str(local)
    found = shutil.which("configurable-http-proxy")
    if found is None:
        raise JazariError("configurable-http-proxy is missing: run 'npm ci' in the Jazari "
                          "folder (make test does it), or set c.JazariHub.proxy_command")
    return found


def free_port(ip: str = "127.0.0.1") -> int:
    """A TCP port nothing listens on at the moment."""
    with socket.socket() as sock:
        sock.bind((ip, 0))
        return sock.getsockname()[1]


@dataclass
class HubFiles:
    """What :func:`write_hub_files` wrote."""

    config: Path  #: jupyterhub_config.py
    state: Path
    learner_config: Path
    trainer_config: Path  #: one folder per trainer's system user inside


_NBGRADER = """\
# nbgrader settings for every {role}'s server on the hub, written by `jazari hub`.
import os

c = get_config()  # noqa: F821

c.CourseDirectory.course_id = {course_id!r}
c.Exchange.root = {exchange!r}
"""

_LEARNER_NBGRADER = """\
# nbgrader names submissions after the system user (jz-...) unless given the roster id.
c.CourseDirectory.student_id = os.environ.get("JAZARI_LEARNER") or "*"
"""

_TRAINER_NBGRADER = """\
c.CourseDirectory.root = {course!r}
# Several trainers share the course and the exchange through the trainers' group.
c.CourseDirectory.groupshared = True
"""


def _write(path: Path, text: str, mode: int = 0o644) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)


def _formgrader_menu(login: str) -> dict:
    """A "Formgrader" menu whose one item opens the trainer's formgrader in a new tab."""
    return {"menus": [{
        "id": "jp-mainmenu-jazari-formgrader", "label": "Formgrader", "rank": 90,
        "items": [{"command": "help:open",
                   "args": {"url": f"/user/{login}/formgrader", "text": "Formgrader",
                            "newBrowserTab": True}}],
    }]}


def _server_config(folder: Path, *, role: str, course_id: str, exchange: str, course: Path,
                   lang: str, login: str = "") -> None:
    from autograder.lab_language import LAB_LOCALES

    text = _NBGRADER.format(role=role, course_id=course_id, exchange=exchange)
    if role == "learner":
        text += _LEARNER_NBGRADER
    else:
        text += _TRAINER_NBGRADER.format(course=str(course))
    _write(folder / "nbgrader_config.py", text + EXCHANGE_CONFIG)
    quiet_lab = {"app_settings_dir": str(folder / "lab-settings"),
                 # the server side asks for no news and no versions either
                 "news_url": None,
                 "check_for_updates_class": "jupyterlab.handlers.announcements."
                                            "NeverCheckForUpdate",
                 "extension_manager": "readonly"}
    server: dict = {"LabApp": quiet_lab,
                    "LabServerApp": {"app_settings_dir": str(folder / "lab-settings")},
                    "ServerApp": {}}
    plugins_off = list(LAB_PLUGINS_OFF)
    if role == "learner":
        from autograder.lab import LEARNER_SERVER_EXTENSIONS_OFF

        server["ServerApp"] = {
            "jpserver_extensions": {name: False for name in LEARNER_SERVER_EXTENSIONS_OFF},
            "terminals_enabled": False,
        }
        plugins_off += LEARNER_PLUGINS_OFF
    _write(folder / "jupyter_server_config.json", json.dumps(server, indent=2) + "\n")
    _write(folder / "labconfig" / "page_config.json",
           json.dumps({"disabledExtensions": {name: True for name in plugins_off}},
                      indent=2) + "\n")
    overrides = {
        "@jupyterlab/apputils-extension:notification": {"fetchNews": "false",
                                                         "checkForUpdates": False},
        "@jupyterlab/translation-extension:plugin": {"locale": LAB_LOCALES[lang]},
    }
    if role == "trainer":
        overrides["@jupyterlab/mainmenu-extension:plugin"] = _formgrader_menu(login)
    _write(folder / "lab-settings" / "overrides.json", json.dumps(overrides, indent=2) + "\n")
    for path in [folder, *folder.rglob("*")]:
        if path.is_dir():
            path.chmod(0o755)


_HUB = """\
# JupyterHub settings for the course {course}, written by `jazari hub` each time it starts:
# change them through c.JazariHub in the course's nbgrader_config.py (an edit here is lost).
c = get_config()  # noqa: F821

c.JupyterHub.ip = {ip!r}
c.JupyterHub.port = {port!r}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port!r}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_api_port}"
c.ConfigurableHTTPProxy.command = [{proxy!r}]
c.JupyterHub.db_url = {db_url!r}
c.JupyterHub.cookie_secret_file = {cookie!r}
c.JupyterHub.pid_file = {pid!r}
# Nothing asks the internet for news or versions.
c.JupyterHub.template_vars = {{"announcement": ""}}

# Logins: the roster's id and PIN, checked by PAM against the system user jz-<id>.
c.JupyterHub.authenticator_class = "autograder.hub.auth.JazariAuthenticator"
c.JazariAuthenticator.logins = {logins!r}
c.Authenticator.allowed_users = {allowed!r}
c.Authenticator.admin_users = {admins!r}

# Each person's JupyterLab runs as their own system user.
c.JupyterHub.spawner_class = "autograder.hub.spawner.JazariSpawner"
c.Spawner.cmd = [{server_python!r}, "-m", "jupyterhub.singleuser"]
c.Spawner.default_url = "/lab"
c.Spawner.http_timeout = 120
c.Spawner.start_timeout = 120
c.JazariSpawner.process_memory_limit = {mem_limit!r}
c.JazariSpawner.course_root = {course!r}
c.JazariSpawner.learner_config = {learner_config!r}
c.JazariSpawner.trainer_config = {trainer_config!r}
c.JazariSpawner.learner_ids = {learner_ids!r}
c.JazariSpawner.trainers = {admins!r}
c.JazariSpawner.lang = {lang!r}
c.JazariSpawner.path = {path!r}
c.JazariSpawner.jupyter_prefix = {prefix!r}

# Feedback on submit: `jazari grade --watch` for every released unit of the course.
c.JupyterHub.services = [{{
    "name": "jazari-grader",
    "command": [{python!r}, "-m", "autograder.hub.service", "--course", {course!r},
                "--prefix", {prefix_users!r}, "--aside", {aside!r}],
    "environment": {service_env!r},
}}]
"""


def write_hub_files(*, settings: JazariHub, course, roster, exchange: Path, lang: str,
                    state: Path, public: Path) -> HubFiles:
    """Write the hub's config and the single-user config folders; returns their paths."""
    from autograder.config import path_with_bin
    from autograder.homes import jupyter_env

    state.mkdir(parents=True, exist_ok=True)
    state.chmod(0o700)
    learner_config, trainer_config = public / "learner", public / "trainers"
    public.mkdir(parents=True, exist_ok=True)
    public.chmod(0o755)
    _server_config(learner_config, role="learner", course_id=course.course_id,
                   exchange=str(exchange), course=course.root, lang=lang)
    for trainer in roster.trainers:  # one each: the formgrader's address names the trainer
        _server_config(trainer_config / trainer.login, role="trainer", login=trainer.login,
                       course_id=course.course_id, exchange=str(exchange), course=course.root,
                       lang=lang)
    trainer_config.chmod(0o755)
    server_python = settings.python or sys.executable
    logins = {account.id.lower(): account.login for account in roster.accounts}
    text = _HUB.format(
        course=str(course.root), ip=settings.ip, port=settings.port,
        hub_port=free_port(), proxy_api_port=free_port(), proxy=find_proxy(settings.proxy_command),
        db_url=f"sqlite:///{state / 'jupyterhub.sqlite'}",
        cookie=str(state / "jupyterhub_cookie_secret"), pid=str(state / "jupyterhub.pid"),
        logins=logins, allowed=sorted(a.login for a in roster.accounts),
        admins=sorted(a.login for a in roster.trainers),
        server_python=server_python, mem_limit=settings.mem_limit,
        learner_config=str(learner_config), trainer_config=str(trainer_config),
        learner_ids={a.login: a.id for a in roster.learners}, lang=lang,
        # the servers' PATH: their Python's and Jazari's bin/, then the system's (not the
        # PATH of whoever started the hub)
        path=os.pathsep.join(dict.fromkeys([str(Path(server_python).parent),
                                            str(Path(sys.executable).parent),
                                            "/usr/local/bin", "/usr/bin", "/bin"])),
        python=sys.executable, prefix=sys.prefix, prefix_users=settings.user_prefix,
        aside=str(state / "set-aside"),
        # the grader's own Jupyter and IPython folders, never root's ~/.jupyter
        service_env={"PATH": path_with_bin(os.environ.get("PATH", "/usr/bin:/bin")),
                     **jupyter_env(state / "grader")})
    config = state / "jupyterhub_config.py"
    _write(config, text, 0o600)
    return HubFiles(config=config, state=state, learner_config=learner_config,
                    trainer_config=trainer_config)
