"""The hub's roster: accounts checked before any system user is made."""

from __future__ import annotations

import pwd

import pytest

from autograder.errors import JazariError
from autograder.hub.accounts import check_accounts, login_name, read_accounts

HEADER = "id,first_name,last_name,group,track,role,pin\n"


def _roster(tmp_path, rows: str, header: str = HEADER):
    path = tmp_path / "class.csv"
    path.write_text(header + rows, encoding="utf-8")
    return path


def test_learners_and_trainers_are_split_and_named_safely(tmp_path):
    """Does each row become an account of its role, with a prefixed system user made of
    its id, and does a row without a role count as a child's?"""
    roster = read_accounts(_roster(tmp_path, "Amine,Amine,B,Sat,,,1234\n"
                                             "o.k@x,Omar,K,Sat,,learner,4321\n"
                                             "fatima,Fatima,Z,,,trainer,long-password\n"))
    assert [(a.id, a.login, a.role) for a in roster.learners] == [
        ("Amine", "jz-amine", "learner"), ("o.k@x", "jz-o-k-x", "learner")]
    assert [(a.login, a.role) for a in roster.trainers] == [("jz-fatima", "trainer")]
    assert "1234" not in repr(roster.learners[0])  # a PIN never shows in a log line


def test_semicolons_and_a_password_column_are_accepted(tmp_path):
    """Does a French spreadsheet's CSV (semicolons) with 'Password' for the PINs work?"""
    path = _roster(tmp_path, "amine;Amine;B;;;;1234\nfatima;Fatima;Z;;;trainer;long-password\n",
                   header="ID;First name;Last name;Group;Track;Role;Password\n")
    roster = read_accounts(path)
    assert roster.learners[0].pin == "1234"


@pytest.mark.parametrize(("rows", "message"), [
    ("amine,Amine,B,,,,1234\namine,Amina,C,,,,9999\n", "line 3: the id 'amine' is already on line 2"),
    ("amine,Amine,B,,,,1234\nAMINE,Amina,C,,,,9999\n", "line 3: the id 'AMINE' is already on line 2"),
    ("a.b,Amine,B,,,,1234\na@b,Amina,C,,,,9999\n", "gives the same account jz-a-b"),
    ("amine,,B,,,,1234\n", "line 2: 'amine' has no first name"),
    (",Amine,B,,,,1234\n", "line 2: the id is empty"),
    ("amine,Amine,B,,,,\n", "line 2: 'amine' has no pin"),
    ("amine,Amine,B,,,,12\n", "too short (at least 4 characters for a learner)"),
    ("amine,Amine,B,,,teacher,1234\n", "unknown role 'teacher'"),
    ("amine,Amine,B,,,,12:34\n", "may not contain ':'"),
    ("amine,Amine,B,,nowhere,,1234\n", "unknown track 'nowhere'"),
])
def test_bad_rows_are_refused_with_their_line(tmp_path, rows, message):
    """Is each kind of bad row (a duplicate, a missing name or PIN, a short PIN, an
    unknown role or track) refused with its line number?"""
    rows += "fatima,Fatima,Z,,,trainer,long-password\n"
    with pytest.raises(JazariError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_accounts(_roster(tmp_path, rows), tracks=["explorers"])


def test_every_problem_is_listed_at_once(tmp_path):
    """Does the trainer see all the bad rows in one go, one line each?"""
    rows = "amine,,B,,,,1234\nomar,Omar,K,,,,\nfatima,Fatima,Z,,,trainer,short\n"
    with pytest.raises(JazariError) as raised:
        read_accounts(_roster(tmp_path, rows))
    assert len(str(raised.value).splitlines()) == 3


@pytest.mark.parametrize(("text", "message"), [
    ("id,first_name,last_name\namine,Amine,B\n", "missing column(s) pin"),
    (HEADER + "fatima,Fatima,Z,,,trainer,long-password\n", "has no learners"),
    (HEADER + "amine,Amine,B,,,,1234\n", "has no trainer"),
    ("", "is empty"),
])
def test_a_roster_without_what_a_hub_needs_is_refused(tmp_path, text, message):
    """Is a roster without PINs, without children or without a trainer refused?"""
    path = tmp_path / "class.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(JazariError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_accounts(path)


def test_login_names_stay_valid_system_names():
    """Are ids too long or starting with a digit after the prefix refused as system names?"""
    assert login_name("amine") == "jz-amine"
    assert login_name("a" * 40) is None
    assert login_name("7up", prefix="") is None


def test_a_system_user_not_made_by_jazari_is_never_taken_over(tmp_path):
    """Does an id that names an existing system user (without the prefix) stop the hub?"""
    existing = pwd.getpwuid(0).pw_name
    roster = read_accounts(_roster(tmp_path, f"{existing},Root,X,,,,1234\n"
                                             "fatima,Fatima,Z,,,trainer,long-password\n"),
                           prefix="")
    with pytest.raises(JazariError, match=f"{existing} \\(for '{existing}'\\)"):
        check_accounts(roster)


@pytest.mark.skipif(__import__("os").geteuid() != 0, reason="makes system users: root only")
def test_accounts_are_made_closed_and_updated_then_removed(tmp_path):
    """Does each person get a system user with a home closed to others, the PIN stored
    hashed and checked by PAM, trainers in the trainers' group; does a second start keep
    the users and take the roster's new PIN; and are they all removed afterwards?"""
    import grp
    import os
    import subprocess
    import uuid

    import pamela

    from autograder.hub.accounts import create_accounts, remove_accounts

    prefix = f"jzu{uuid.uuid4().hex[:5]}-"
    group = f"{prefix}trainers"
    homes = tmp_path / "homes"
    rows = "amine,Amine,B,,,,1234\nfatima,Fatima,Z,,,trainer,long-password\n"
    roster = read_accounts(_roster(tmp_path, rows), prefix=prefix)
    logins = [account.login for account in roster.accounts]
    try:
        made = create_accounts(roster, course_id="hubtest", homes=homes, trainer_group=group)
        assert sorted(made) == sorted(logins)
        child = pwd.getpwnam(f"{prefix}amine")
        assert oct(os.stat(child.pw_dir).st_mode & 0o777) == "0o700"
        assert os.stat(child.pw_dir).st_uid == child.pw_uid
        assert child.pw_shell == "/usr/sbin/nologin"
        assert grp.getgrnam(group).gr_mem == [f"{prefix}fatima"]
        pamela.authenticate(f"{prefix}amine", "1234", service="login")
        again = read_accounts(_roster(tmp_path, rows.replace("1234", "9876")), prefix=prefix)
        assert create_accounts(again, course_id="hubtest", homes=homes,
                               trainer_group=group) == []
        pamela.authenticate(f"{prefix}amine", "9876", service="login")
        shadow = [line for line in open("/etc/shadow") if line.startswith(f"{prefix}amine:")]
        assert shadow[0].split(":")[1].startswith("$") and "9876" not in shadow[0]
    finally:
        removed = remove_accounts(logins)
        subprocess.run(["groupdel", group], check=False, capture_output=True)
    assert sorted(removed) == sorted(logins)
    for login in logins:
        with pytest.raises(KeyError):
            pwd.getpwnam(login)
