"""Tests for autograder/roster.py: `jazari roster` puts the class list into the gradebook."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from autograder import learners
from autograder.cli import main
from autograder.config import child_env
from autograder.course import open_course
from autograder.errors import JazariError
from autograder.roster import id_problem, read_roster, roster

GOOD = (
    "id,first_name,last_name,group,track\n"
    "amine,Amine,Benali,Samedi 10h,explorers\n"
    "salma,سلمى,الشرايبي,Samedi 10h,explorers\n"
    "zoe,Zoé,Lefèvre-Hamdaoui,Mercredi,makers\n"
)
TRACKS = {"explorers", "makers"}


@pytest.fixture
def built(tmp_path, toy_repo):
    """A built toy course (not released: no gradebook yet)."""
    from autograder.build import build_course

    build_course(out=tmp_path / "course", syllabus=toy_repo)
    return tmp_path / "course"


def _names(course):
    with open_course(course).gradebook() as gb:
        return {s.id: (s.first_name, s.last_name) for s in gb.students}


def test_a_good_roster_puts_names_group_and_track_in_the_course(tmp_path, built, toy_repo):
    """Does a UTF-8 roster with Arabic and French names (and a BOM) give the gradebook the
    names, and the learner table the group and track?"""
    path = tmp_path / "roster.csv"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.encode("utf-8"))
    result = roster(course=built, path=path, syllabus=toy_repo)
    assert sorted(result.added) == ["amine", "salma", "zoe"] and result.updated == []
    assert _names(built) == {"amine": ("Amine", "Benali"), "salma": ("سلمى", "الشرايبي"),
                             "zoe": ("Zoé", "Lefèvre-Hamdaoui")}
    stored = learners.load(open_course(built).db_url)
    assert stored["salma"].group == "Samedi 10h" and stored["salma"].track == "explorers"
    assert stored["zoe"].track == "makers"


def test_a_second_roster_updates_and_adds(tmp_path, built, toy_repo):
    """Does loading a new roster update known learners and add new ones, leaving others?"""
    first = tmp_path / "first.csv"
    first.write_text(GOOD, encoding="utf-8")
    roster(course=built, path=first, syllabus=toy_repo)
    second = tmp_path / "second.csv"
    second.write_text("track,id,last_name,first_name,group,pin\n"
                      "makers,amine,Benali,Amine,Mercredi,1234\n"
                      ",youssef,Idrissi,Youssef,,9876\n", encoding="utf-8")
    result = roster(course=built, path=second, syllabus=toy_repo)
    assert result.updated == ["amine"] and result.added == ["youssef"]
    stored = learners.load(open_course(built).db_url)
    assert (stored["amine"].group, stored["amine"].track) == ("Mercredi", "makers")
    assert stored["youssef"].track == "" and stored["salma"].track == "explorers"
    assert _names(built)["youssef"] == ("Youssef", "Idrissi")


def test_a_semicolon_roster_from_a_french_spreadsheet(tmp_path):
    """Does a roster saved with semicolons (French spreadsheets), with column names typed
    as people type them ("ID", "First name"), read the same?"""
    path = tmp_path / "roster.csv"
    text = GOOD.replace(",", ";").replace("id;first_name;last_name;group;track",
                                          "ID;First name;Last-Name;Group;Track")
    text = text.replace(";explorers", ";Explorers")
    path.write_text(text, encoding="utf-8")
    read = read_roster(path, TRACKS)
    assert [learner.id for learner in read] == ["amine", "salma", "zoe"]
    assert (read[1].first_name, read[1].last_name, read[1].track) == ("سلمى", "الشرايبي",
                                                                        "explorers")


def test_bad_rows_give_one_line_each_and_nothing_is_written(tmp_path, built, toy_repo, capsys):
    """Do an empty id, a duplicate id (even of a bad row), a bad id and an unknown track each
    get one line with their line number, status 2, and leave the gradebook without any
    learner?"""
    path = tmp_path / "roster.csv"
    path.write_text(GOOD + ",Nour,Skalli,Samedi,explorers\n"
                    "amine,Amine,Bis,Samedi,explorers\n"
                    "omar tazi,Omar,Tazi,Samedi,explorers\n"
                    "hiba,Hiba,Benjelloun,Samedi,pilots\n"
                    "hiba,Hiba,Benjelloun,Samedi,explorers\n", encoding="utf-8")
    status = main(["roster", str(path), "--course", str(built), "--syllabus", str(toy_repo)])
    assert status == 2
    assert capsys.readouterr().err.splitlines() == [
        f"jazari: {path}: line 5: the id is empty",
        f"jazari: {path}: line 6: the id 'amine' is already on line 2",
        f"jazari: {path}: line 7: the id 'omar tazi' may only have letters a-z, digits and "
        "_ . @ - (no spaces), and starts with a letter, digit or _",
        f"jazari: {path}: line 8: unknown track 'pilots' (tracks: explorers, makers)",
        f"jazari: {path}: line 9: the id 'hiba' is already on line 8",
    ]
    assert _names(built) == {}
    assert learners.load(open_course(built).db_url) == {}


@pytest.mark.parametrize("text, expected", [
    ("id,first_name,last_name\namine,Amine,Benali\n",
     "line 1: missing column(s) group, track"),
    ("", "is empty; the first line names the columns"),
    ("id,first_name,last_name,group,track\n", "has no learners"),
])
def test_a_roster_without_its_columns_or_rows_is_refused(tmp_path, text, expected):
    """Does a roster missing columns, empty, or with no learners say so in one line?"""
    path = tmp_path / "roster.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(JazariError) as caught:
        read_roster(path, TRACKS)
    assert expected in str(caught.value) and len(str(caught.value).splitlines()) == 1


def test_a_roster_that_is_not_utf8_or_missing(tmp_path):
    """Does a file in another encoding, or no file, give one clear line?"""
    path = tmp_path / "roster.csv"
    path.write_bytes("id,first_name,last_name,group,track\nzoe,Zoé,Lefèvre,G,\n".encode("latin-1"))
    with pytest.raises(JazariError, match="is not UTF-8 text"):
        read_roster(path, TRACKS)
    with pytest.raises(JazariError, match="no such roster file"):
        read_roster(tmp_path / "none.csv", TRACKS)


def test_a_track_the_course_already_records_is_known(tmp_path, built, toy_repo):
    """Is a track stored in the course (from an earlier syllabus) accepted as known?"""
    learners.save(open_course(built).db_url, [learners.Learner(id="old", track="pioneers")])
    path = tmp_path / "roster.csv"
    path.write_text("id,first_name,last_name,group,track\nnew,N,E,G,pioneers\n", encoding="utf-8")
    assert roster(course=built, path=path, syllabus=toy_repo).added == ["new"]


@pytest.mark.parametrize("learner_id, ok", [
    ("amine_benali", True), ("a.b-c@centre", True), ("2024_07", True),
    ("", False), ("a+b", False), ("a*b", False), ("../x", False), ("a b", False),
    (".hidden", False), ("amine/x", False),
])
def test_which_ids_are_allowed(learner_id, ok):
    """Are ids that would break nbgrader's exchange names or folders refused?"""
    assert (id_problem(learner_id) is None) == ok


@pytest.mark.slow
def test_the_formgrader_shows_the_rosters_names(tmp_path, built, toy_repo):
    """In the trainer's `jazari lab`, does nbgrader's formgrader list the roster's learners
    with their first and last names (not "None, None")?"""
    path = tmp_path / "roster.csv"
    path.write_text(GOOD, encoding="utf-8")
    roster(course=built, path=path, syllabus=toy_repo)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "jazari"), "lab", "--course", str(built),
         "--no-browser", f"--port={port}", "--IdentityProvider.token=t",
         "--ServerApp.ip=127.0.0.1", *(["--allow-root"] if os.geteuid() == 0 else [])],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=child_env())
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token=t", timeout=5):
                    break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline
                time.sleep(1)
        with urllib.request.urlopen(f"{base}/formgrader/api/students?token=t",
                                    timeout=60) as answer:
            students = json.loads(answer.read())
    finally:
        server.terminate()
        server.wait(timeout=30)
    names = {s["id"]: (s["first_name"], s["last_name"]) for s in students}
    assert names == {"amine": ("Amine", "Benali"), "salma": ("سلمى", "الشرايبي"),
                     "zoe": ("Zoé", "Lefèvre-Hamdaoui")}
