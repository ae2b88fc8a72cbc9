"""``jazari hub``: every problem is found before anything is made."""

from __future__ import annotations

import pwd
import socket

import pytest

from autograder.cli import main
from autograder.errors import JazariError
from autograder.hub.launch import plan_hub

ROSTER = ("id,first_name,last_name,group,track,role,pin\n"
          "zz-amine,Amine,B,,,,1234\n"
          "zz-fatima,Fatima,Z,,,trainer,long-password\n")


def _course(tmp_path, exchange=None):
    course = tmp_path / "course"
    (course / "source").mkdir(parents=True)
    exchange = exchange or tmp_path / "exchange"
    (course / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        "c.CourseDirectory.course_id = 'hubtest'\n"
        f"c.Exchange.root = {str(exchange)!r}\n"
        "c.JazariHub.user_prefix = 'zzjz-'\n", encoding="utf-8")
    roster = tmp_path / "class.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    return course, roster


def _nothing_made(course):
    for login in ("zzjz-zz-amine", "zzjz-zz-fatima"):
        with pytest.raises(KeyError):
            pwd.getpwnam(login)
    assert not (course / ".jazari").exists()
    assert not any(path.name.startswith(".jazari-hubtest") for path in course.parent.iterdir())


def test_a_missing_course_is_one_line_and_exit_2(tmp_path, capsys):
    """Does `jazari hub` on a course folder that is not there say so in one line and
    exit with 2?"""
    roster = tmp_path / "class.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    status = main(["hub", "--course", str(tmp_path / "nowhere"), "--roster", str(roster)])
    err = capsys.readouterr().err
    assert status == 2
    assert err.count("\n") == 1 and "no such course folder" in err


def test_a_bad_roster_stops_before_any_account(tmp_path, capsys):
    """Does a roster with a duplicate id and a child without a PIN stop the hub with one
    line per problem, before any system user or file is made?"""
    course, roster = _course(tmp_path)
    roster.write_text(ROSTER + "zz-amine,Amina,C,,,,9999\nzz-omar,Omar,K,,,,\n",
                      encoding="utf-8")
    status = main(["hub", "--course", str(course), "--roster", str(roster)])
    err = capsys.readouterr().err.splitlines()
    assert status == 2
    assert [line.split(": line ")[1][:1] for line in err] == ["4", "5"]
    _nothing_made(course)


def test_a_port_in_use_is_refused(tmp_path):
    """Is a port another program already listens on refused before anything is made?"""
    course, roster = _course(tmp_path)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(JazariError, match=f"--port {port}: cannot listen there"):
            plan_hub(course=course, roster=roster, port=port, ip="127.0.0.1")
    _nothing_made(course)


def test_an_exchange_inside_the_course_is_refused(tmp_path):
    """Is an exchange inside the course folder (which the hub closes to children) refused?"""
    course, roster = _course(tmp_path, exchange=tmp_path / "course" / "exchange")
    with pytest.raises(JazariError, match="is inside the course folder"):
        plan_hub(course=course, roster=roster, port=_free(), ip="127.0.0.1")
    _nothing_made(course)


def test_a_folder_children_cannot_pass_is_refused(tmp_path):
    """Is an exchange under a folder closed to other accounts (as pytest's own temporary
    folder is) refused, since the children's servers could never reach it?"""
    course, roster = _course(tmp_path)
    with pytest.raises(JazariError, match="other accounts cannot open it"):
        plan_hub(course=course, roster=roster, port=_free(), ip="127.0.0.1")
    _nothing_made(course)


def _free() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
