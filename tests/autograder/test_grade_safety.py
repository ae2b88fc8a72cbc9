"""Nothing lost: kill and resume, two graders at once, manual grades, backups, --watch."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time

import pytest

from autograder.config import child_env
from autograder.course import open_course
from autograder.errors import JazariError
from autograder.grade import grade, watch
from autograder.grading.safety import course_lock
from tests.conftest import submit_notebook, toy_answer

pytestmark = pytest.mark.slow

RIGHT = "def add_one(n):\n    return n + 1\n"
SLOW_RIGHT = "import time\ntime.sleep(1.5)\n" + RIGHT
WORKS = {"amina": SLOW_RIGHT, "badr": "def add_one(n):\n    return n", "chama": SLOW_RIGHT,
         "driss": None, "eya": SLOW_RIGHT, "farid": "def add_one(n):\n    return m",
         "ghita": SLOW_RIGHT}


def _scores(course):
    scores = {}
    with open_course(course).gradebook() as gb:
        for submission in gb.assignment_submissions("t01_toy"):
            for notebook in submission.notebooks:
                for found in notebook.grades:
                    scores[(submission.student_id, found.name)] = (found.auto_score,
                                                                   found.manual_score)
    return scores


def _jazari(*args, cwd):
    return subprocess.Popen([sys.executable, "-m", "autograder.cli", *args], cwd=cwd,
                            env=child_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)


def test_killed_grading_run_again_gives_the_same_gradebook(toy_course, tmp_path):
    """If grading is killed partway and run again, is the gradebook that of an uninterrupted
    run, with a trainer's manual grade kept and a backup made before each run?"""
    for student, code in WORKS.items():
        submit_notebook(toy_course, student, toy_answer(toy_course, code))
    twin = tmp_path / "twin"
    shutil.copytree(toy_course, twin)
    config = twin / "nbgrader_config.py"
    config.write_text(config.read_text() + f"\nc.CourseDirectory.root = {str(twin)!r}\n")
    grade(course=twin, assignment="t01_toy", steps=["check", "autograde"])

    grade(course=toy_course, assignment="t01_toy", steps=["check", "autograde"],
          students=["badr"])
    with open_course(toy_course).gradebook() as gb:
        gb.find_grade("add_one_tests", "toy", "t01_toy", "badr").manual_score = 1.5
        gb.db.commit()
    with open_course(twin).gradebook() as gb:
        gb.find_grade("add_one_tests", "toy", "t01_toy", "badr").manual_score = 1.5
        gb.db.commit()

    first = _jazari("grade", "t01_toy", "--jobs", "1", cwd=toy_course)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        done = [p for p in (toy_course / "autograded").glob("*/t01_toy/toy.ipynb")]
        if len(done) >= 3:  # badr (graded before) and at least two more
            break
        time.sleep(0.1)
    os.killpg(first.pid, signal.SIGKILL)
    first.wait()
    assert first.returncode == -signal.SIGKILL
    again = _jazari("grade", "t01_toy", cwd=toy_course)
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    assert _scores(toy_course) == _scores(twin)
    assert _scores(toy_course)[("badr", "add_one_tests")] == (0.0, 1.5)
    assert len(list((toy_course / "gradebook-backups").glob("gradebook-*.db"))) == 3


def test_two_graders_at_once_do_not_both_write(toy_course):
    """When two `jazari grade` start at once on one course, does one grade everyone once and
    the other stop with one clear line, writing nothing?"""
    for student in ("amina", "badr", "chama"):
        submit_notebook(toy_course, student, toy_answer(toy_course, SLOW_RIGHT))
    graders = [_jazari("grade", "t01_toy", cwd=toy_course) for _ in range(2)]
    answers = [grader.communicate(timeout=300) for grader in graders]
    codes = sorted(grader.returncode for grader in graders)
    assert codes == [0, 2], answers
    refused = answers[[g.returncode for g in graders].index(2)][1]
    assert refused.strip() == (f"jazari: {toy_course}: another 'jazari grade' is grading "
                               "this course; wait for it to finish (nothing was changed)")
    scores = _scores(toy_course)
    assert sorted(scores) == [(s, "add_one_tests") for s in ("amina", "badr", "chama")]
    assert {auto for auto, _manual in scores.values()} == {2.0}


def test_a_second_grader_can_wait_its_turn(toy_course):
    """With c.JazariGrade.wait_for_other_grader, does a second grader wait and then grade,
    and without it stop at once?"""
    submit_notebook(toy_course, "amina", toy_answer(toy_course, RIGHT))
    with course_lock(toy_course, wait=0):
        with pytest.raises(JazariError, match="another 'jazari grade' is grading"):
            grade(course=toy_course, assignment="t01_toy", steps=["autograde"])
    config = toy_course / "nbgrader_config.py"
    config.write_text(config.read_text() + "\nc.JazariGrade.wait_for_other_grader = 60\n")
    holder_done = threading.Event()

    def hold():
        with course_lock(toy_course, wait=0):
            time.sleep(2)
        holder_done.set()

    holder = threading.Thread(target=hold)
    holder.start()
    time.sleep(0.3)
    run = grade(course=toy_course, assignment="t01_toy", steps=["autograde"])
    holder.join()
    assert holder_done.is_set()
    assert [(r.student, r.score) for r in run.results] == [("amina", 2)]


def test_watch_grades_new_submissions_as_they_arrive(toy_course):
    """Does `jazari grade --watch` grade what is there, then only what arrives later?"""
    submit_notebook(toy_course, "amina", toy_answer(toy_course, RIGHT))
    rounds = []

    def on_run(run):
        rounds.append([(r.student, r.score) for r in run.results])
        if len(rounds) == 1:
            submit_notebook(toy_course, "badr", toy_answer(toy_course, RIGHT))

    graded = watch(course=toy_course, assignment="t01_toy", interval=0, rounds=3,
                   on_run=on_run)
    assert rounds == [[("amina", 2)], [("badr", 2)]] and graded == 2
