"""The hub's accounts: one system user per child and per trainer, from the roster file.

The roster ``jazari roster`` reads (``id, first_name, last_name, group, track``) takes two
more columns for a hub:

- ``role``: ``learner`` (the default when empty or missing) or ``trainer``;
- ``pin`` (or ``password``): what that person types to log in, set by the trainer; at
  least 4 characters for a child, 8 for a trainer.

Every account is a system user named ``<prefix><id>`` (``jz-amine``): the hub's PAM
authenticator checks the PIN against ``/etc/shadow``, where ``chpasswd`` stores it hashed,
and each child's JupyterLab runs as their own user, so file permissions keep children
out of each other's folders and out of the course. The roster file with plain PINs stays
the trainer's: no PIN is copied anywhere else. Every row is checked, and every system
name too, before any user is made.
"""

from __future__ import annotations

import grp
import os
import pwd
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from autograder.errors import JazariError
from autograder.learners import Learner
from autograder.roster import roster_rows

__all__ = ["ROLES", "Account", "HubRoster", "check_accounts", "create_accounts", "gecos", "login_name",
           "read_accounts", "remove_accounts"]

#: The roles a roster row may have.
ROLES = ("learner", "trainer")
#: The shortest PIN (children) and password (trainers) the hub accepts.
MIN_PIN = {"learner": 4, "trainer": 8}
_COLUMNS = ("id", "first_name")
_LOGIN = re.compile(r"[a-z_][a-z0-9_-]*")
_GECOS_MARK = "Jazari hub"


@dataclass(frozen=True)
class Account:
    """One person of the class on the hub."""

    id: str  #: the roster id: nbgrader's student id, and what the person types to log in
    login: str  #: the system user
    role: str  #: learner or trainer
    first_name: str
    last_name: str = ""
    group: str = ""
    track: str = ""
    pin: str = field(default="", repr=False, compare=False)

    @property
    def learner(self) -> Learner:
        return Learner(id=self.id, first_name=self.first_name, last_name=self.last_name,
                       group=self.group, track=self.track)


@dataclass
class HubRoster:
    """The accounts of a roster file, split by role."""

    learners: list[Account]
    trainers: list[Account]

    @property
    def accounts(self) -> list[Account]:
        return [*self.trainers, *self.learners]


def login_name(learner_id: str, prefix: str = "jz-") -> str | None:
    """The system user for a roster id (None when no safe name can be made of it)."""
    name = prefix + re.sub(r"[^a-z0-9_-]", "-", learner_id.lower())
    if len(name) > 32 or not _LOGIN.fullmatch(name):
        return None
    return name


def gecos(course_id: str, role: str) -> str:
    """The comment every Jazari account carries: how it is told from other users."""
    return f"{_GECOS_MARK} {course_id} {role}"


def read_accounts(path: str | Path, *, prefix: str = "jz-", tracks=None) -> HubRoster:
    """The accounts of the roster file at ``path``, every row checked first.

    ``tracks`` are the known track ids (None: any). Raises :class:`JazariError` with one
    line per problem: a missing column, id, first name or PIN, a PIN too short, an id
    twice, two ids that give the same system user, an unknown role or track.
    """
    from autograder.roster import id_problem

    path = Path(path).expanduser()
    header, rows = roster_rows(path)
    if not header:
        raise JazariError(f"{path}: is empty; the first line names the columns "
                          "id,first_name,last_name,group,track,role,pin")
    missing = [name for name in _COLUMNS if name not in header]
    pin_column = "pin" if "pin" in header else "password" if "password" in header else None
    if pin_column is None:
        missing.append("pin")
    if missing:
        raise JazariError(f"{path}: line 1: missing column(s) {', '.join(missing)} (a hub "
                          "roster has the columns id,first_name,last_name,group,track,role,pin)")
    known_tracks = None if tracks is None else {track.lower(): track for track in tracks}
    problems: list[str] = []
    accounts: list[Account] = []
    ids: dict[str, int] = {}
    logins: dict[str, int] = {}
    for line, row in rows:
        learner_id = row.get("id", "")
        role = row.get("role", "").lower() or "learner"
        pin = row.get(pin_column, "")
        track = row.get("track", "")
        problem = id_problem(learner_id)
        login = login_name(learner_id, prefix) if problem is None else None
        if problem is None and learner_id.lower() in ids:
            problem = f"the id '{learner_id}' is already on line {ids[learner_id.lower()]}"
        elif problem is None and login is None:
            problem = (f"the id '{learner_id}' makes no system user name (at most "
                       f"{32 - len(prefix)} characters, starting with a letter or _)")
        elif problem is None and login in logins:
            problem = (f"the id '{learner_id}' gives the same account {login} as the id on "
                       f"line {logins[login]}; change one of them")
        elif not row.get("first_name"):
            problem = f"'{learner_id}' has no first name"
        elif role not in ROLES:
            problem = f"unknown role '{row.get('role')}' (use learner or trainer)"
        elif not pin:
            problem = f"'{learner_id}' has no {pin_column}; the trainer sets one per person"
        elif len(pin) < MIN_PIN[role]:
            problem = (f"the {pin_column} of '{learner_id}' is too short (at least "
                       f"{MIN_PIN[role]} characters for a {role})")
        elif any(char in pin for char in ":\n\r"):
            problem = f"the {pin_column} of '{learner_id}' may not contain ':'"
        elif role == "learner" and track and known_tracks is not None \
                and track.lower() not in known_tracks:
            known = ", ".join(sorted(known_tracks.values())) or "none"
            problem = f"unknown track '{track}' (tracks: {known})"
        if problem:
            problems.append(f"{path}: line {line}: {problem}")
            continue
        ids[learner_id.lower()] = line
        logins[login] = line
        if known_tracks is not None and track:
            track = known_tracks[track.lower()]
        accounts.append(Account(id=learner_id, login=login, role=role,
                                first_name=row["first_name"], last_name=row.get("last_name", ""),
                                group=row.get("group", ""), track=track, pin=pin))
    if problems:
        raise JazariError("\n".join(problems))
    roster = HubRoster(learners=[a for a in accounts if a.role == "learner"],
                       trainers=[a for a in accounts if a.role == "trainer"])
    if not roster.learners:
        raise JazariError(f"{path}: has no learners (one a line after the column names)")
    if not roster.trainers:
        raise JazariError(f"{path}: has no trainer (a row with role 'trainer')")
    return roster


def _existing(login: str) -> pwd.struct_passwd | None:
    try:
        return pwd.getpwnam(login)
    except KeyError:
        return None


def check_accounts(roster: HubRoster) -> None:
    """Raise :class:`JazariError` if a system user of ``roster`` exists and is not Jazari's."""
    clashes = [f"{account.login} (for '{account.id}')" for account in roster.accounts
               if (user := _existing(account.login)) and not user.pw_gecos.startswith(_GECOS_MARK)]
    if clashes:
        raise JazariError("these system users exist already and were not made by Jazari: "
                          + ", ".join(clashes) + "; change the ids or c.JazariHub.user_prefix")


def _run(command: list[str], stdin: str | None = None) -> None:
    done = subprocess.run(command, input=stdin, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        message = (done.stderr or done.stdout).strip().splitlines()
        raise JazariError(f"{command[0]} failed: {message[-1] if message else done.returncode}")


def create_accounts(roster: HubRoster, *, course_id: str, homes: str | Path,
                    trainer_group: str) -> list[str]:
    """Make (or update) a system user per account; returns the logins made new.

    A home of its own, closed to others (mode 700), in ``homes``; no login shell; the
    PIN set through ``chpasswd`` (stored hashed); trainers in ``trainer_group``. A user
    that exists and carries Jazari's mark keeps its home and gets the roster's PIN.
    """
    for tool in ("useradd", "chpasswd", "groupadd"):
        if shutil.which(tool) is None and not Path("/usr/sbin", tool).exists():
            raise JazariError(f"{tool} is missing: a hub makes a system user per child")
    if os.geteuid() != 0:
        raise JazariError("jazari hub makes a system user per child: run it as root")
    check_accounts(roster)
    homes = Path(homes)
    homes.mkdir(parents=True, exist_ok=True)
    try:
        grp.getgrnam(trainer_group)
    except KeyError:
        _run(["groupadd", trainer_group])
    made = []
    for account in roster.accounts:
        home = homes / account.login
        if _existing(account.login) is None:
            command = ["useradd", "--create-home", "--home-dir", str(home),
                       "--shell", "/usr/sbin/nologin",
                       "--comment", gecos(course_id, account.role), "--user-group"]
            if account.role == "trainer":
                command += ["--groups", trainer_group]
            _run([*command, account.login])
            made.append(account.login)
        elif account.role == "trainer":
            _run(["usermod", "--append", "--groups", trainer_group, account.login])
        user = pwd.getpwnam(account.login)
        Path(user.pw_dir).mkdir(parents=True, exist_ok=True)
        os.chown(user.pw_dir, user.pw_uid, user.pw_gid)
        os.chmod(user.pw_dir, 0o700)
    _run(["chpasswd"], stdin="".join(f"{a.login}:{a.pin}\n" for a in roster.accounts))
    return made


def remove_accounts(logins, *, homes: bool = True) -> list[str]:
    """Remove the Jazari system users among ``logins`` (and their homes); returns those removed.

    Users without Jazari's mark are left alone.
    """
    removed = []
    for login in logins:
        user = _existing(login)
        if user is None or not user.pw_gecos.startswith(_GECOS_MARK):
            continue
        subprocess.run(["pkill", "-KILL", "-u", str(user.pw_uid)], check=False,
                       capture_output=True)
        subprocess.run(["userdel", *(["--remove"] if homes else []), login], check=False,
                       capture_output=True)
        removed.append(login)
    return removed
