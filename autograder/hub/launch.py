"""``jazari hub``: check everything, make the accounts, write the settings, run JupyterHub.

:func:`plan_hub` checks the course, the roster, the port, the exchange and the tools and
changes nothing: a problem is one :class:`JazariError` line before any user is made.
:func:`start_hub` then

1. makes a system user per child and trainer (:mod:`autograder.hub.accounts`);
2. closes the course folder to children: it belongs to the trainers' group (mode 770 at
   the top), so only trainers and the grading service reach the sources, the solutions
   and the gradebook;
3. opens nbgrader's exchange to every account (world-writable with the sticky bit, as
   nbgrader documents for a shared exchange), the course's folders in it to the trainers'
   group too (they release from the formgrader with nbgrader's ``groupshared``);
4. puts the roster's children in the gradebook (as ``jazari roster`` does);
5. writes the hub's settings (:mod:`autograder.hub.config`);

and :func:`run_hub` runs JupyterHub until Ctrl-C, its log in the state folder.
"""

from __future__ import annotations

import grp
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from traitlets.config import Config

from autograder.course import Course, open_course
from autograder.errors import JazariError
from autograder.hub.accounts import HubRoster, check_accounts, create_accounts, read_accounts
from autograder.hub.config import HubFiles, JazariHub, find_proxy, write_hub_files

__all__ = ["HubPlan", "hub", "plan_hub", "run_hub", "start_hub"]


@dataclass
class HubPlan:
    """Everything checked, nothing made yet."""

    course: Course
    roster: HubRoster
    settings: JazariHub
    exchange: Path
    state: Path
    public: Path
    lang: str

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.settings.ip in ("", "0.0.0.0") else self.settings.ip
        return f"http://{host}:{self.settings.port}/"


def _port_problem(ip: str, port: int) -> str | None:
    if not 0 < port < 65536:
        return f"--port {port}: use a port between 1 and 65535"
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((ip or "0.0.0.0", port))
        except OSError as error:
            return f"--port {port}: cannot listen there ({error.strerror}); is a hub already " \
                   "running? Choose another port with --port"
    return None


def _closed_parent(path: Path) -> Path | None:
    """The first folder above ``path`` other accounts cannot pass through, if any."""
    for parent in reversed(path.parents):
        if parent.exists() and not parent.stat().st_mode & 0o001:
            return parent
    return None


def _course_lang(course: Course) -> str:
    from autograder.manifest import MANIFEST_NAME, read_manifest

    if not (course.root / MANIFEST_NAME).exists():
        return "en"
    return read_manifest(course.root).lang


def plan_hub(*, course: str | Path, roster: str | Path, port: int | None = None,
             ip: str | None = None, state: str | Path | None = None) -> HubPlan:
    """Check everything ``jazari hub`` needs; raise :class:`JazariError` on the first problem."""
    from autograder.lab_language import LAB_LOCALES
    from autograder.roster import _tracks

    opened = open_course(course)
    overrides = Config()
    if port is not None:
        overrides.JazariHub.port = port
    if ip is not None:
        overrides.JazariHub.ip = ip
    if state is not None:
        overrides.JazariHub.state_dir = str(Path(state).expanduser().resolve())
    config = Config(opened.config)
    config.merge(overrides)
    settings = JazariHub(config=config)
    accounts = read_accounts(roster, prefix=settings.user_prefix, tracks=_tracks(opened, None))
    lang = settings.lang or _course_lang(opened)
    if lang not in LAB_LOCALES:
        raise JazariError(f"c.JazariHub.lang {lang!r}: use one of {', '.join(LAB_LOCALES)}")
    problem = _port_problem(settings.ip, settings.port)
    if problem:
        raise JazariError(problem)
    exchange = Path(opened.api().exchange_root).expanduser().resolve()
    if exchange == opened.root or opened.root in exchange.parents:
        raise JazariError(f"the exchange {exchange} is inside the course folder, which the hub "
                          "closes to children; set c.Exchange.root in nbgrader_config.py to a "
                          "folder outside it, such as /srv/nbgrader/exchange")
    homes = Path(settings.homes).expanduser().resolve()
    public = Path(settings.public_dir).expanduser().resolve() if settings.public_dir \
        else homes / f".jazari-{opened.course_id}"
    for what, path in (("the exchange", exchange), ("the accounts' homes", homes / "x"),
                       ("the servers' settings", public), ("the course folder", opened.root)):
        closed = _closed_parent(path)
        if closed is not None:
            raise JazariError(f"{closed}: other accounts cannot open it, so they cannot reach "
                              f"{what} ({path}); choose a place under an open folder")
    python = Path(settings.python or sys.executable)
    for what, path in (("the servers' Python", python.resolve()),
                       ("Jazari's code", Path(__file__).resolve())):
        closed = _closed_parent(path)
        if closed is not None:
            raise JazariError(f"{closed}: other accounts cannot open it, so the children's "
                              f"servers cannot run {what} ({path}); make Jazari's venv from a "
                              "Python every account can run (Debian's /usr/bin/python3) in an "
                              "open folder, or set c.JazariHub.python")
    state_dir = Path(settings.state_dir).expanduser().resolve() if settings.state_dir \
        else opened.root / ".jazari" / "hub"
    find_proxy(settings.proxy_command)
    if os.geteuid() != 0:
        raise JazariError("jazari hub makes a system user per child: run it as root "
                          "(sudo jazari hub ...)")
    check_accounts(accounts)
    return HubPlan(course=opened, roster=accounts, settings=settings, exchange=exchange,
                   state=state_dir, public=public, lang=lang)


def _close_course(root: Path, group: str, *, private: Path) -> None:
    """Give the course folder to the trainers' group and close it to everyone else.

    ``private`` (the hub's state folder, with its secrets) stays its owner's only.
    """
    gid = grp.getgrnam(group).gr_gid
    for folder, dirs, files in os.walk(root):
        dirs[:] = [name for name in dirs if Path(folder) / name != private]
        for name in [None, *files]:
            path = Path(folder) if name is None else Path(folder) / name
            if path.is_symlink():
                continue
            os.chown(path, -1, gid)
            mode = path.stat().st_mode
            extra = 0o2070 if name is None else 0o060
            path.chmod((mode | extra) & 0o7777)
    root.chmod((root.stat().st_mode & 0o7770) | 0o2070)  # nothing for others


def _open_exchange(exchange: Path, course_id: str, group: str) -> None:
    """The exchange open to every account (1777); the course's released units, feedback
    and the course folder in it also writable by the trainers (releasing from the
    formgrader runs as the trainer's account)."""
    exchange.mkdir(parents=True, exist_ok=True)
    exchange.chmod(0o1777)
    gid = grp.getgrnam(group).gr_gid
    for folder in (exchange / course_id, exchange / course_id / "outbound",
                   exchange / course_id / "feedback"):
        if not folder.is_dir():
            continue
        for path in [folder, *(folder.rglob("*") if folder.name == "outbound" else [])]:
            if path.is_symlink():
                continue
            os.chown(path, -1, gid)
            extra = 0o2070 if path.is_dir() else 0o060
            path.chmod((path.stat().st_mode | extra) & 0o7777)
    inbound = exchange / course_id / "inbound"
    if inbound.is_dir():  # trainers read it (nbgrader's groupshared), children still may not
        os.chown(inbound, -1, gid)
        inbound.chmod((inbound.stat().st_mode | 0o2040) & 0o7777)


def start_hub(plan: HubPlan) -> HubFiles:
    """Make the accounts and settings of ``plan``; returns the files written."""
    from autograder.roster import load_roster

    create_accounts(plan.roster, course_id=plan.course.course_id, homes=plan.settings.homes,
                    trainer_group=plan.settings.trainer_group)
    load_roster(course=plan.course.root, learners=[a.learner for a in plan.roster.learners])
    _open_exchange(plan.exchange, plan.course.course_id, plan.settings.trainer_group)
    files = write_hub_files(settings=plan.settings, course=plan.course, roster=plan.roster,
                            exchange=plan.exchange, lang=plan.lang, state=plan.state,
                            public=plan.public)
    _close_course(plan.course.root, plan.settings.trainer_group, private=plan.state)
    return files


def _wait_until_up(url: str, process: subprocess.Popen, seconds: float = 90.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url + "hub/api/", timeout=2) as answer:
                if answer.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.5)
    return False


def run_hub(plan: HubPlan, files: HubFiles, *, say=print) -> int:
    """Run JupyterHub until Ctrl-C (or SIGTERM); returns its exit status."""
    from autograder.config import child_env

    log = files.state / "hub.log"
    env = child_env()
    with log.open("ab") as out:
        process = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(files.config)],
                                   cwd=files.state, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL)

    def stop(*_):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        if not _wait_until_up(plan.url, process):
            tail = log.read_text(errors="replace").strip().splitlines()[-3:]
            process.terminate()
            process.wait(30)
            raise JazariError("the hub did not start: " + (" / ".join(tail) or "no log")
                              + f" (whole log: {log})")
        trainers = ", ".join(f"{plan.url}user/{a.login}/formgrader" for a in plan.roster.trainers)
        say(f"The class's hub is open at {plan.url} ({len(plan.roster.learners)} children, "
            f"{len(plan.roster.trainers)} trainers; log: {log}).", flush=True)
        say("Children log in with their id and PIN. Trainers grade in the formgrader, in a tab "
            f"of its own: {trainers}. Ctrl-C stops the hub.", flush=True)
        return process.wait()
    except KeyboardInterrupt:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        say("The hub is stopped.", flush=True)
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)


def hub(*, course: str | Path, roster: str | Path, port: int | None = None,
        ip: str | None = None, state: str | Path | None = None, say=print) -> int:
    """``jazari hub``: check, make the accounts and settings, run JupyterHub."""
    plan = plan_hub(course=course, roster=roster, port=port, ip=ip, state=state)
    files = start_hub(plan)
    return run_hub(plan, files, say=say)
