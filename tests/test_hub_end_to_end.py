"""The classroom on a real JupyterHub: children log in, fetch, submit and get feedback.

``jazari hub`` runs on loopback with three children and a trainer, each a system user of
their own. Every step goes through HTTP as a browser would: the hub's login page (PAM
checks the PIN), the hub's REST API (a token, the server started), the child's server
(nbgrader's Assignments-tab handlers, the contents API, a kernel). Every system user,
group, file and process the test made is removed afterwards, even when it fails.
"""

from __future__ import annotations

import asyncio
import grp
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import nbformat
import pytest

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(os.geteuid() != 0, reason="the hub makes system users: root "
                                 "only")]

requests = pytest.importorskip("requests")

UNIT = "e01_hello_robot"
CHILDREN = {"amine": ("complete", "2468"), "salma": ("wrong", "1357"), "omar": ("empty", "8642")}
TRAINER = ("fatima", "trainer-password")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _xsrf(session) -> str:
    """The hub's anti-forgery cookie, as a browser's page would send it back."""
    values = [cookie.value for cookie in session.cookies if cookie.name == "_xsrf"]
    return values[-1] if values else ""


class Hub:
    """A running `jazari hub` and what it made."""

    def __init__(self, base: Path, course: Path, prefix: str, group: str, port: int):
        self.base, self.course, self.prefix, self.group, self.port = base, course, prefix, group, port
        self.url = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen | None = None
        self.tokens: dict[str, str] = {}

    def login(self, name: str) -> str:
        return self.prefix + name

    def log(self) -> str:
        logs = list(self.course.glob(".jazari/hub/hub.log"))
        return logs[0].read_text(errors="replace")[-4000:] if logs else "(no hub log)"

    def sign_in(self, name: str, pin: str) -> requests.Session:
        """Log in through the hub's login page, as a browser does."""
        session = requests.Session()
        session.get(f"{self.url}/hub/login", timeout=30).raise_for_status()
        answer = session.post(f"{self.url}/hub/login", timeout=60, allow_redirects=False,
                              data={"username": name, "password": pin,
                                    "_xsrf": _xsrf(session)})
        session.signed_in = answer.status_code == 302
        return session

    def token(self, name: str, pin: str) -> str:
        """A token for ``name``: logged in with their PIN, asked of the hub's REST API."""
        if name in self.tokens:
            return self.tokens[name]
        session = self.sign_in(name, pin)
        assert session.signed_in, self.log()
        login = self.login(name)
        answer = session.post(f"{self.url}/hub/api/users/{login}/tokens", timeout=30,
                              headers={"X-XSRFToken": _xsrf(session)},
                              json={"note": "end-to-end test", "expires_in": 3600})
        assert answer.status_code == 201, answer.text
        self.tokens[name] = answer.json()["token"]
        return self.tokens[name]

    def api(self, name: str, method: str, path: str, **kwargs):
        headers = {"Authorization": f"token {self.tokens[name]}"}
        return requests.request(method, f"{self.url}{path}", headers=headers, timeout=120,
                                allow_redirects=False, **kwargs)

    def start_server(self, name: str) -> str:
        """Start ``name``'s JupyterLab through the hub's REST API (if not running yet)."""
        login = self.login(name)
        user = self.api(name, "GET", f"/hub/api/users/{login}").json()
        if user.get("servers", {}).get("", {}).get("ready"):
            return f"/user/{login}"
        answer = self.api(name, "POST", f"/hub/api/users/{login}/server")
        assert answer.status_code in (201, 202), answer.text + self.log()
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            user = self.api(name, "GET", f"/hub/api/users/{login}").json()
            if user.get("servers", {}).get("", {}).get("ready"):
                return f"/user/{login}"
            time.sleep(1)
        raise AssertionError(f"the server of {login} did not start:\n{self.log()}")


def _cleanup(hub: Hub) -> None:
    from autograder.hub.accounts import remove_accounts

    if hub.process is not None and hub.process.poll() is None:
        hub.process.send_signal(signal.SIGTERM)
        try:
            hub.process.wait(90)
        except subprocess.TimeoutExpired:
            os.killpg(hub.process.pid, signal.SIGKILL)
            hub.process.wait()
    names = [*CHILDREN, TRAINER[0]]
    remove_accounts([hub.login(name) for name in names])
    try:
        grp.getgrnam(hub.group)
        subprocess.run(["groupdel", hub.group], check=False, capture_output=True)
    except KeyError:
        pass
    shutil.rmtree(hub.base, ignore_errors=True)
    _close_passages()


@pytest.fixture(scope="module")
def hub():
    """A course with one released unit, served by `jazari hub` for three children and a
    trainer, all removed afterwards."""
    from autograder.homes import private_jupyter

    base = Path(tempfile.mkdtemp(prefix="jazari-hub-", dir="/tmp"))
    base.chmod(0o755)
    tag = uuid.uuid4().hex[:5]
    prefix, group = f"jzt{tag}-", f"jzt{tag}-trainers"
    made = Hub(base, base / "course", prefix, group, _free_port())
    try:
        with private_jupyter(base / "jupyter"):  # the test's own Jupyter folders
            yield from _serve(made)
    finally:
        _cleanup(made)


#: Folders given passage (o+x) for this test run, and their modes before.
_PASSAGES: dict[Path, int] = {}


def _close_passages() -> None:
    for folder, mode in _PASSAGES.items():
        try:
            folder.chmod(mode)
        except OSError:
            pass
    _PASSAGES.clear()


def _let_through(*paths: Path) -> None:
    """Let every account pass through (not list) the folders above ``paths``, until the
    test run ends. A checkout or venv inside root's home (mode 700) would otherwise be out
    of the children's servers' reach, and the hub would rightly refuse to start."""
    import atexit

    for path in paths:
        for folder in path.resolve().parents:
            mode = folder.stat().st_mode
            if not mode & 0o001 and folder not in _PASSAGES:
                if not _PASSAGES:
                    atexit.register(_close_passages)
                _PASSAGES[folder] = mode & 0o7777
                folder.chmod((mode & 0o7777) | 0o001)


def _open_python(folder: Path) -> Path:
    """A Python every account can run, with this one's packages.

    The servers run as the children's system users; a Python inside root's home (as a
    pyenv one is) is out of their reach, so the test gives them a venv of Debian's
    /usr/bin/python3 (the same 3.11) that reads this venv's packages. The folders above
    those packages and Jazari's code are opened for passage if they are closed.
    """
    import sysconfig

    from curriculum import REPO_ROOT

    _let_through(Path(sysconfig.get_paths()["purelib"]) / "x", Path(REPO_ROOT) / "x")
    here = Path(sys.executable).resolve()
    if not any(not p.stat().st_mode & 0o001 for p in here.parents if p.exists()):
        return Path(sys.executable)
    system = Path(f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}")
    if not system.exists():
        pytest.skip(f"this Python is closed to other accounts and {system} is missing")
    subprocess.run([str(system), "-m", "venv", "--without-pip", str(folder)], check=True)
    packages = sysconfig.get_paths()["purelib"]
    [target] = (folder / "lib").glob("python3*/site-packages")
    (target / "jazari_test_packages.pth").write_text(
        f"import site; site.addsitedir({packages!r})\n")
    return folder / "bin" / "python"


def launch(made: Hub, *, lang: str, learners: dict[str, str], unit: str = UNIT) -> None:
    """Build a course in ``lang`` with ``unit`` released, and start ``jazari hub`` on it for
    ``learners`` (id -> PIN) and the trainer; returns once the hub answers (its output in
    ``jazari-hub.out`` of the test's folder)."""
    from autograder.build import build_course
    from autograder.config import child_env
    from autograder.release import release

    python = _open_python(made.base / "python")  # one the children's accounts can run
    build_course(out=made.course, lang=lang, exchange=made.base / "exchange", units=[unit])
    with (made.course / "nbgrader_config.py").open("a", encoding="utf-8") as config:
        config.write(f"\nc.JazariHub.user_prefix = {made.prefix!r}\n"
                     f"c.JazariHub.trainer_group = {made.group!r}\n"
                     f"c.JazariHub.homes = {str(made.base / 'homes')!r}\n"
                     f"c.JazariHub.python = {str(python)!r}\n"
                     "c.JazariGrade.watch_interval = 2.0\n")
    release(course=made.course, assignment=unit)
    roster = made.base / "class.csv"
    rows = ["id,first_name,last_name,group,track,role,pin"]
    rows += [f"{name},{name.title()},X,Saturday,explorers,learner,{pin}"
             for name, pin in learners.items()]
    rows.append(f"{TRAINER[0]},Fatima,Z,,,trainer,{TRAINER[1]}")
    roster.write_text("\n".join(rows) + "\n", encoding="utf-8")
    told = made.base / "jazari-hub.out"
    with told.open("w") as out:  # a file: a pipe nobody reads would stop the hub when full
        made.process = subprocess.Popen(
            [sys.executable, "-m", "autograder.cli", "hub", "--course", str(made.course),
             "--roster", str(roster), "--port", str(made.port), "--ip", "127.0.0.1"],
            env=child_env(), stdout=out, stderr=subprocess.STDOUT, text=True,
            start_new_session=True)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{made.url}/hub/api/", timeout=2).ok:
                return
        except requests.ConnectionError:
            pass
        assert made.process.poll() is None, told.read_text()
        time.sleep(0.5)
    raise AssertionError(f"the hub did not start:\n{told.read_text()}\n{made.log()}")


def _serve(made: Hub):
    launch(made, lang="en", learners={name: pin for name, (_, pin) in CHILDREN.items()})
    yield made


async def _run_code(url: str, token: str, code: str) -> str:
    """Run ``code`` in a new kernel of the server at ``url``; returns what it printed."""
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    headers = {"Authorization": f"token {token}"}
    kernel = requests.post(f"{url}/api/kernels", headers=headers, json={"name": "python3"},
                           timeout=60)
    kernel.raise_for_status()
    kernel_id = kernel.json()["id"]
    try:
        socket_url = url.replace("http://", "ws://") + f"/api/kernels/{kernel_id}/channels"
        connection = await websocket_connect(HTTPRequest(socket_url, headers=headers))
        msg_id = uuid.uuid4().hex
        connection.write_message(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": "test",
                       "session": uuid.uuid4().hex, "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell",
            "content": {"code": code, "silent": False, "store_history": False,
                        "user_expressions": {}, "allow_stdin": False}}))
        printed = []
        while True:
            message = json.loads(await asyncio.wait_for(connection.read_message(), 120))
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = message["header"]["msg_type"]
            if kind == "stream":
                printed.append(message["content"]["text"])
            elif kind == "error":
                printed.append("ERROR " + message["content"]["ename"])
            elif kind == "status" and message["content"]["execution_state"] == "idle":
                break
        connection.close()
        return "".join(printed)
    finally:
        requests.delete(f"{url}/api/kernels/{kernel_id}", headers=headers, timeout=60)


def _hand_in(hub: Hub, name: str, server: str, kind: str) -> None:
    """Fetch the unit, fill it in as a child of ``kind`` would, save it, submit it."""
    from autograder.course import open_course
    from autograder.demo import make_submission
    from autograder.mistakes import load_mistakes
    from curriculum import load_syllabus

    course_id = open_course(hub.course).course_id
    listed = hub.api(name, "GET", f"{server}/assignments", params={"course_id": course_id})
    assert listed.ok, listed.text
    released = [a for a in listed.json()["value"] if a["assignment_id"] == UNIT]
    assert released and released[0]["status"] == "released"
    fetched = hub.api(name, "POST", f"{server}/assignments/fetch",
                      data={"course_id": course_id, "assignment_id": UNIT})
    assert fetched.ok and fetched.json()["success"], fetched.text
    syllabus = load_syllabus()
    unit = syllabus.unit(UNIT)
    mistakes = load_mistakes(syllabus.root / unit.folder / "mistakes.yaml")
    for notebook in unit.notebooks:
        path = f"{UNIT}/{notebook.split('/')[-1]}"
        stored = hub.api(name, "GET", f"{server}/api/contents/{path}")
        assert stored.ok, stored.text
        student_nb = nbformat.from_dict(stored.json()["content"])
        source_nb = nbformat.read(syllabus.root / notebook, as_version=4)
        handed_in = make_submission(kind, student_nb, source_nb, mistakes)
        saved = hub.api(name, "PUT", f"{server}/api/contents/{path}",
                        json={"type": "notebook", "format": "json", "content": handed_in})
        assert saved.ok, saved.text
    submitted = hub.api(name, "POST", f"{server}/assignments/submit",
                        data={"course_id": course_id, "assignment_id": UNIT})
    assert submitted.ok and submitted.json()["success"], submitted.text


def _feedback(hub: Hub, name: str, server: str, course_id: str) -> str | None:
    """The feedback page the child fetched from their Assignments tab, if there is one yet."""
    hub.api(name, "POST", f"{server}/assignments/fetch_feedback",
            data={"course_id": course_id, "assignment_id": UNIT})
    folder = hub.api(name, "GET", f"{server}/api/contents/{UNIT}/feedback")
    if not folder.ok:
        return None
    for stamp in folder.json()["content"]:
        for page in hub.api(name, "GET", f"{server}/api/contents/{stamp['path']}").json()[
                "content"]:
            if page["name"].endswith(".html"):
                return hub.api(name, "GET", f"{server}/api/contents/{page['path']}").json()[
                    "content"]
    return None


def test_children_fetch_submit_and_get_feedback_and_the_trainer_sees_the_scores(hub):
    """Can three children log in with their PIN, fetch, fill in and submit the unit
    through their own JupyterLab, see their feedback within 60 s (graded by the hub's
    service), and does the trainer's report show a full score for the right work, 0 for
    the empty one and less than full for the mistaken one?"""
    from autograder.course import open_course
    from autograder.report import class_report

    course_id = open_course(hub.course).course_id
    wrong = hub.sign_in("amine", "0000")
    assert not wrong.signed_in
    # the PIN is kept hashed by the system, nowhere in the clear
    shadow = {line.split(":")[0]: line.split(":")[1]
              for line in Path("/etc/shadow").read_text().splitlines()}
    assert shadow[hub.login("amine")].startswith("$")
    assert CHILDREN["amine"][1] not in shadow[hub.login("amine")]
    servers = {}
    for name, (_, pin) in CHILDREN.items():
        hub.token(name, pin)
        servers[name] = hub.start_server(name)
    submitted_at = {}
    for name, (kind, _) in CHILDREN.items():
        _hand_in(hub, name, servers[name], kind)
        submitted_at[name] = time.monotonic()
    waiting = set(CHILDREN)
    pages = {}
    while waiting and time.monotonic() - min(submitted_at.values()) < 120:
        for name in sorted(waiting):
            page = _feedback(hub, name, servers[name], course_id)
            if page is not None:
                pages[name] = (page, time.monotonic() - submitted_at[name])
                waiting.discard(name)
        time.sleep(2)
    assert not waiting, f"no feedback for {sorted(waiting)}:\n{hub.log()}"
    for name, (page, seconds) in pages.items():
        assert seconds < 60, f"{name}'s feedback came after {seconds:.0f} s"
        assert "<html" in page.lower()
    report = class_report(course=hub.course)
    rows = {row.student: row for row in report.rows}
    possible = report.max_scores[UNIT]
    assert possible > 0
    assert rows["amine"].scores[UNIT] == possible
    assert rows["omar"].scores[UNIT] == 0
    assert 0 <= rows["salma"].scores[UNIT] < possible
    shown = subprocess.run([sys.executable, "-m", "autograder.cli", "report", "--course",
                            str(hub.course)], capture_output=True, text=True, timeout=300)
    assert shown.returncode == 0, shown.stderr
    assert all(f"{name.title()} X" in shown.stdout for name in CHILDREN), shown.stdout


def test_a_child_cannot_reach_other_children_the_course_or_more_memory(hub):
    """Is a child's server their own system user, whose code cannot read another child's
    work or submission, the course's sources, solutions or gradebook, nor take more than
    the memory limit, and whose submission under another child's id is set aside; and can
    they not open a terminal, another child's server, or files outside their folder
    through the contents API?"""
    from autograder.course import open_course

    course = open_course(hub.course)
    hub.token("salma", CHILDREN["salma"][1])
    server = hub.start_server("salma")
    home = Path(pwd.getpwnam(hub.login("salma")).pw_dir)
    if not (home / UNIT).exists():  # when this test runs on its own
        _hand_in(hub, "salma", server, "complete")
    hub.token("amine", CHILDREN["amine"][1])
    amine = hub.start_server("amine")
    inbound = Path(course.api().exchange_root) / course.course_id / "inbound"
    forged = f"omar+{UNIT}+2026-11-29 23:59:59.000000 UTC+forged"
    targets = {
        "home": home / UNIT,
        "inbound": inbound,
        "source": hub.course / "source" / UNIT,
        "gradebook": hub.course / "gradebook.db",
        "release": hub.course / "release" / UNIT,
    }
    code = ("import os, pwd\n"
            f"print('user', pwd.getpwuid(os.getuid()).pw_name)\n"
            f"for label, path in {[(k, str(v)) for k, v in targets.items()]!r}:\n"
            "    try:\n"
            "        os.listdir(path) if os.path.isdir(path) or not os.path.exists(path) "
            "else open(path, 'rb').read(1)\n"
            "        print(label, 'READ')\n"
            "    except (PermissionError, FileNotFoundError) as error:\n"
            "        print(label, type(error).__name__)\n"
            "try:\n    bytearray(1 << 30)\n    print('memory GOT')\n"
            "except MemoryError:\n    print('memory refused')\n"
            # nbgrader's exchange lets anyone drop a submission in inbound/, under any id
            f"os.makedirs(os.path.join({str(inbound)!r}, {forged!r}))\n"
            "print('forged', 'WROTE')\n")
    printed = asyncio.run(_run_code(f"{hub.url}{amine}", hub.tokens["amine"], code))
    lines = dict(line.split(" ", 1) for line in printed.strip().splitlines())
    assert lines.pop("user") == hub.login("amine")
    assert lines.pop("memory") == "refused"
    assert lines.pop("forged") == "WROTE"
    aside = hub.course / ".jazari" / "hub" / "set-aside" / forged
    deadline = time.monotonic() + 30
    while not aside.exists() and time.monotonic() < deadline:
        time.sleep(1)
    assert aside.exists(), hub.log()  # the grading service set it aside, never graded it
    assert not (inbound / forged).exists()
    assert lines == {label: "PermissionError" for label in targets}, printed
    # the course's files exist: the refusals are permissions, not missing files
    assert all(path.exists() for path in targets.values())
    assert hub.api("amine", "GET", f"{amine}/api/terminals").status_code == 404
    assert hub.api("amine", "GET", f"{amine}/api/contents/..%2F{hub.login('salma')}"
                   ).status_code in (400, 403, 404)
    assert hub.api("amine", "GET", f"{server}/api/contents/{UNIT}").status_code in (403, 404)
    assert hub.api("salma", "GET", f"{server}/api/contents/{UNIT}").ok


def test_the_trainer_gets_the_formgrader_in_a_tab_of_its_own(hub):
    """Does the trainer, an admin of the hub, get a server on the course folder whose
    formgrader answers as a page of its own (not framed in JupyterLab, which the hub
    forbids), lists the released unit and can release it again, while a child gets no
    formgrader at all?"""
    hub.token(TRAINER[0], TRAINER[1])
    server = hub.start_server(TRAINER[0])
    page = hub.api(TRAINER[0], "GET", f"{server}/formgrader")
    assert page.ok, page.text[:500]
    assert "frame-ancestors 'none'" in page.headers.get("Content-Security-Policy", "")
    units = hub.api(TRAINER[0], "GET", f"{server}/formgrader/api/assignments")
    assert units.ok and UNIT in units.text, units.text[:500]
    # releasing from the formgrader runs as the trainer's account, in the shared exchange
    for action in ("unrelease", "release"):
        done = hub.api(TRAINER[0], "POST", f"{server}/formgrader/api/assignment/{UNIT}/{action}")
        assert done.ok and done.json()["success"], done.text[:1000]
    hub.token("omar", CHILDREN["omar"][1])
    child = hub.start_server("omar")
    assert hub.api("omar", "GET", f"{child}/formgrader").status_code == 404
    news = hub.api("omar", "GET", f"{child}/lab/api/settings/"
                   "@jupyterlab/apputils-extension:notification").json()
    # the hub's settings are JupyterLab's defaults for these servers (a child's own
    # setting would still win)
    assert _default(news, "fetchNews") == "false"
    assert _default(news, "checkForUpdates") is False
    locale = hub.api("omar", "GET", f"{child}/lab/api/settings/"
                     "@jupyterlab/translation-extension:plugin").json()
    assert _default(locale, "locale") == "en"  # the course was built in English
    menu = hub.api(TRAINER[0], "GET", f"{server}/lab/api/settings/"
                   "@jupyterlab/mainmenu-extension:plugin").json()
    [formgrader] = _default(menu, "menus")
    assert formgrader["items"][0]["args"]["url"] == f"{server}/formgrader"
    lab = hub.api("omar", "GET", f"{child}/lab")
    assert "@jupyter/nbgrader:create-assignment" in lab.text
    assert "@jupyterlab/apputils-extension:announcements" in lab.text


def _default(settings: dict, name: str):
    """The default JupyterLab gives a setting (its schema's, with the hub's overrides)."""
    return settings["schema"]["properties"][name].get("default")
