"""Tests for autograder/cli.py: the `jazari` command, run as a user runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.cli import main
from tests.conftest import submit_notebook, toy_answer

JAZARI = Path(sys.executable).parent / "jazari"


def _jazari(*args, cwd=None):
    """Run the installed `jazari` with a PATH that does NOT include the venv's bin/."""
    env = {key: value for key, value in os.environ.items() if key != "PATH"}
    env["PATH"] = "/usr/bin:/bin"
    return subprocess.run([str(JAZARI), *args], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=600)


def test_help_lists_the_commands():
    """Does `jazari --help` list every command?"""
    result = _jazari("--help")
    assert result.returncode == 0
    for command in ("build", "release", "grade", "report", "lab", "demo"):
        assert command in result.stdout


@pytest.mark.parametrize("args, expected", [
    (["release"], "the following arguments are required: assignment"),
    (["fly"], "invalid choice: 'fly'"),
    (["grade", "x", "--workers", "many"], "argument --workers: invalid int value: 'many'"),
    (["report", "--bogus"], "unrecognized arguments: --bogus"),
])
def test_bad_arguments_give_one_line_and_status_2(capsys, args, expected):
    """Does a bad command line give one `jazari:` line and exit status 2?"""
    with pytest.raises(SystemExit) as caught:
        main(args)
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and err.startswith("jazari: ") and expected in err


def test_errors_the_user_can_fix_are_one_line_each(capsys, tmp_path, toy_repo):
    """Do a missing course, an unknown unit and a bad syllabus each give clear lines, status 2?"""
    assert main(["report", "--course", str(tmp_path / "none")]) == 2
    assert capsys.readouterr().err == f"jazari: {tmp_path / 'none'}: no such course folder\n"
    toy_repo.write_text(toy_repo.read_text().replace("big_ideas: [2]", "big_ideas: [9]"))
    assert main(["build", "--out", str(tmp_path / "c"), "--syllabus", str(toy_repo)]) == 2
    assert capsys.readouterr().err == (f"jazari: {toy_repo}: unit 't01_toy': unknown big idea 9 "
                                       "(AI4K12 big ideas are 1 to 5)\n")
    assert main(["build", "--out", str(tmp_path / "c"), "--lang", "xx"]) == 2
    assert "no notebooks in that language yet" in capsys.readouterr().err


@pytest.mark.slow
def test_the_trainers_cycle_from_the_command_line(tmp_path, toy_repo):
    """Does build → release → grade → report work from the installed command, without the
    venv on PATH, with a broken submission reported and the rest graded (exit 1)?"""
    course = tmp_path / "course"
    built = _jazari("build", "--out", str(course), "--syllabus", str(toy_repo))
    assert built.returncode == 0, built.stderr
    assert built.stdout.startswith(f"Built 1 units in {course}")
    released = _jazari("release", "t01_toy", "--course", str(course))
    assert released.returncode == 0, released.stderr
    unknown = _jazari("release", "nope", "--course", str(course))
    assert unknown.returncode == 2
    assert unknown.stderr == (f"jazari: {course}: unknown assignment 'nope' "
                              "(source/ has: t01_toy)\n")
    submit_notebook(course, "youssef", toy_answer(course, "def add_one(n):\n    return n + 1"))
    submit_notebook(course, "hamza", '{"cells": [')
    graded = _jazari("grade", "t01_toy", cwd=course)
    assert graded.returncode == 1
    assert "Graded 1 of 2 submissions of t01_toy" in graded.stdout
    assert graded.stderr.count("\n") == 1 and graded.stderr.startswith(
        f"jazari: hamza not graded (invalid): {course}/submitted/hamza/t01_toy/toy.ipynb: "
        "is not valid JSON")
    report = _jazari("report", "--course", str(course), "--csv", str(tmp_path / "g.csv"))
    assert report.returncode == 0, report.stderr
    assert any(line.split()[:2] == ["youssef", "2/2"] for line in report.stdout.splitlines())
    assert (tmp_path / "g.csv").read_text().startswith(
        "student_id,name,group,track,t01_toy_score,t01_toy_max,t01_toy_status")


@pytest.mark.slow
def test_lab_starts_jupyterlab_with_nbgrader_on_the_course(toy_course):
    """Does `jazari lab` start JupyterLab in the course with nbgrader's server extension?"""
    import json
    import socket
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [str(JAZARI), "lab", "--course", str(toy_course), "--no-browser", f"--port={port}",
         "--ServerApp.token=test", "--ServerApp.ip=127.0.0.1",
         *(["--allow-root"] if os.geteuid() == 0 else [])],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token=test", timeout=5) as answer:
                    assert answer.status == 200
                    break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline
                time.sleep(1)
        url = f"{base}/formgrader/api/assignments?token=test"
        with urllib.request.urlopen(url, timeout=60) as answer:
            assignments = json.loads(answer.read())
        assert [a["name"] for a in assignments] == ["t01_toy"]
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_grade_without_a_unit_says_how(capsys, monkeypatch):
    """Does `jazari grade` with no unit say in one line to name one or use --watch, and does
    `jazari grade --watch` with no unit watch every released unit?"""
    assert main(["grade"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "name the unit to grade" in err and "--watch" in err
    assert main(["grade", "--watch", "--student", "amine"]) == 2
    assert "--student needs a unit" in capsys.readouterr().err

    import autograder.grade

    asked = []
    monkeypatch.setattr(autograder.grade, "watch_released",
                        lambda **options: asked.append(options) or 0)
    assert main(["grade", "--watch", "--course", "somewhere"]) == 0
    assert [options["course"] for options in asked] == ["somewhere"]
    assert "every released unit" in capsys.readouterr().out
