"""The sandbox and the limits: what a submission can see, reach and use while it is graded."""

from __future__ import annotations

import json
import socket

import nbformat
import pytest

from autograder import outcomes
from autograder.course import open_course
from autograder.grade import grade
from autograder.grading.sandbox import bubblewrap_works
from curriculum import REPO_ROOT
from tests.conftest import submit_notebook, toy_answer

pytestmark = pytest.mark.slow

RIGHT = "def add_one(n):\n    return n + 1\n"


def _outputs(course, student, cell=1):
    path = course / "autograded" / student / "t01_toy" / "toy.ipynb"
    notebook = nbformat.read(path, as_version=4)
    return "".join(o.get("text", "") for o in notebook.cells[cell].outputs
                   if o.output_type == "stream")


def test_bubblewrap_runs_here():
    """Can bubblewrap start a sandbox on this machine (make test installs it)?"""
    assert bubblewrap_works(), "install the Debian package 'bubblewrap' (bash .ci/debian-packages sandbox)"


def test_a_submission_sees_only_its_own_files(toy_course):
    """Can a submission read its own files but not the gradebook, source/, another learner's
    work, the course folder, the checkout or home, nor write the gradebook or open a network
    connection (even to this machine)?"""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    submit_notebook(toy_course, "other", toy_answer(toy_course, RIGHT))
    paths = {
        "gradebook": str(toy_course / "gradebook.db"),
        "source": str(toy_course / "source" / "t01_toy" / "toy.ipynb"),
        "other learner": str(toy_course / "submitted" / "other" / "t01_toy" / "toy.ipynb"),
        "course folder": str(toy_course / "nbgrader_config.py"),
        "checkout": str(REPO_ROOT / "curriculum" / "syllabus.yaml"),
        "root's home": "/root/.bashrc",
    }
    probe = RIGHT + f"""
import json, os, socket
PATHS = {paths!r}
seen = {{name: os.path.exists(path) for name, path in PATHS.items()}}
seen["own file"] = open("notes.txt").read() == "mine"
try:
    socket.create_connection(("127.0.0.1", {port}), timeout=3).close()
    seen["network"] = True
except OSError:
    seen["network"] = False
try:
    open(PATHS["gradebook"], "a").close()
    seen["wrote gradebook"] = True
except OSError:
    seen["wrote gradebook"] = False
seen["cwd is course"] = os.getcwd().startswith({str(toy_course)!r})
print("SEEN", json.dumps(seen))
"""
    folder = submit_notebook(toy_course, "prober", toy_answer(toy_course, probe)).parent
    (folder / "notes.txt").write_text("mine")
    try:
        run = grade(course=toy_course, assignment="t01_toy", steps=["check", "autograde"])
    finally:
        listener.close()
    results = {r.student: r for r in run.results}
    assert (results["prober"].status, results["prober"].score) == ("graded", 2)
    line = [line for line in _outputs(toy_course, "prober").splitlines()
            if line.startswith("SEEN ")]
    seen = json.loads(line[0][len("SEEN "):])
    assert seen == {**{name: False for name in paths}, "own file": True, "network": False,
                    "wrote gradebook": False, "cwd is course": False}


def test_limits_stop_hogs_and_the_class_goes_on(toy_course):
    """Does a submission that loops past every cell limit get 'timed out', one that eats
    memory or prints 20 MB get 0 with a small notebook, one that ends its own process get
    'crashed', one with an unreadable notebook 'invalid', while the others are graded, and
    is every status stored with its reason?"""
    config = toy_course / "nbgrader_config.py"
    config.write_text(config.read_text() + "\nc.JazariGrade.submission_timeout = 8\n")
    stubborn = ("import time\nwhile True:\n    try:\n        while True:\n            pass\n"
                "    except BaseException:\n        pass\n")
    submit_notebook(toy_course, "loops", toy_answer(toy_course, stubborn))
    submit_notebook(toy_course, "memory", toy_answer(
        toy_course, "hog = bytearray(3 * 1024 ** 3)\n" + RIGHT))
    submit_notebook(toy_course, "prints", toy_answer(
        toy_course, "print('x' * 20_000_000)\ndef add_one(n):\n    return n"))
    submit_notebook(toy_course, "exits", toy_answer(toy_course, "import os\nos._exit(3)"))
    submit_notebook(toy_course, "broken", "{not json")
    submit_notebook(toy_course, "fine", toy_answer(toy_course, RIGHT))
    run = grade(course=toy_course, assignment="t01_toy", steps=["check", "autograde"])
    results = {r.student: r for r in run.results}
    assert (results["loops"].status, results["loops"].score) == ("timed out", 0)
    assert "longer than 8 s" in results["loops"].problem
    assert (results["memory"].status, results["memory"].score) == ("graded", 0)
    assert "MemoryError" in json.dumps(nbformat.read(
        toy_course / "autograded" / "memory" / "t01_toy" / "toy.ipynb", as_version=4).cells[1].outputs)
    assert (results["prints"].status, results["prints"].score) == ("graded", 0)
    size = (toy_course / "autograded" / "prints" / "t01_toy" / "toy.ipynb").stat().st_size
    assert size < 1_500_000
    assert (results["exits"].status, results["exits"].score) == ("crashed", 0)
    assert "exit status 3" in results["exits"].problem
    assert results["broken"].status == "invalid"
    assert (results["fine"].status, results["fine"].score) == ("graded", 2)
    stored = {o.student: o for o in outcomes.load(open_course(toy_course).db_url, "t01_toy")}
    assert {s: o.status for s, o in stored.items()} == {r.student: r.status for r in run.results}
    assert all(o.reason for o in stored.values() if o.status != "graded")


def test_feedback_keeps_hidden_tests_hidden(toy_course):
    """Does the feedback page never show a test's code, nor a hidden check's input or answer?"""
    tricky = "def add_one(n):\n    return 2 if n == 1 else 0"
    submit_notebook(toy_course, "right", toy_answer(toy_course, RIGHT))
    submit_notebook(toy_course, "tricky", toy_answer(toy_course, tricky))
    run = grade(course=toy_course, assignment="t01_toy", steps=["check", "autograde",
                                                                "feedback"])
    assert [r.score for r in run.results] == [2, 0]
    pages = {student: (toy_course / "feedback" / student / "t01_toy" / "toy.html").read_text()
             for student in ("right", "tricky")}
    for student, page in pages.items():
        assert "HIDDEN TESTS" not in page and "expect_equal" not in page, student
        assert "add_one(41)" not in page and "add_one(1), 2" not in page, student
    # The hidden check failed with "add_one(41) should be 42": its input and answer are
    # withheld, the child reads that a hidden check with other examples did not pass yet.
    assert "should be 42" not in pages["tricky"] and "41" not in pages["tricky"]
    assert "A hidden check, with other examples" in pages["tricky"]
    assert "A hidden check, with other examples" not in pages["right"]
