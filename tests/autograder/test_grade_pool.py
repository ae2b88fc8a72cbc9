"""The runner pool: one warm-up shared by the runners, and nothing left behind between runs."""

from __future__ import annotations

import os
import threading

import pytest

from autograder.grade import grade
from autograder.grading.pool import RunnerPool, RunnerSettings, _Zygote
from autograder.grading.runner import _children_of
from autograder.grading.sandbox import sandbox_command
from tests.conftest import submit_notebook

LIMITS = {"memory": 1 << 30, "processes": 64, "file_size": 50 << 20, "submission_seconds": 20,
          "cell_seconds": 20, "cell_output": 1 << 20, "notebook_output": 5 << 20}

#: prints the runner's process id and the runner's parent's
FAMILY = ("import os, time\ntime.sleep(1)\nrunner = os.getppid()\n"
          "with open(f'/proc/{runner}/stat') as stat:\n"
          "    print(runner, stat.read().rsplit(')', 1)[1].split()[1])\n")

#: leaves a process behind that has left the cell's process group and session, and that
#: keeps writing a heartbeat into the sandbox's /tmp
DAEMON = ("import os, time\n"
          "if os.fork() == 0:\n"
          "    os.setsid()\n"
          "    if os.fork() == 0:\n"
          "        beat = 0\n"
          "        while True:\n"
          "            beat += 1\n"
          "            with open('/tmp/heartbeat', 'w') as f:\n"
          "                f.write(str(beat))\n"
          "            time.sleep(0.05)\n"
          "    os._exit(0)\n"
          "time.sleep(0.5)\n"
          "print('left one behind')\n")

#: is a heartbeat still going?
LISTEN = ("import os, time\ntime.sleep({wait})\n"
          "def beat():\n"
          "    try:\n"
          "        with open('/tmp/heartbeat') as f:\n"
          "            return f.read()\n"
          "    except OSError:\n"
          "        return None\n"
          "first = beat()\ntime.sleep(0.5)\n"
          "print('alive' if beat() not in (None, first) else 'gone')\n")


def _request(source: str) -> dict:
    return {"cells": [{"cell_type": "code", "source": source, "test": False}], "files": {}}


def _printed(answer) -> str:
    return "".join(o.get("text", "") for o in answer.cells[0].outputs
                   if o["output_type"] == "stream")


@pytest.fixture
def plan(tmp_path):
    return sandbox_command(mode="auto", course=tmp_path, exchange=None, tmp_bytes=64 << 20,
                           extra_hidden=[])


def _settings() -> RunnerSettings:
    return RunnerSettings(preload=[], trusted_modules=[], limits=dict(LIMITS))


def _in_parallel(pool: RunnerPool, sources: list[str], timeout: float = 30) -> list:
    answers = [None] * len(sources)

    def run(index: int) -> None:
        answers[index] = pool.run(_request(sources[index]), timeout=timeout)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(sources))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def test_two_runners_are_forked_from_one_warm_process(plan):
    """With two workers, do two notebooks run at once in two different runners that are
    both children of one process (the zygote that imported and warmed up once)?"""
    with RunnerPool(size=2, plan=plan, settings=_settings()) as pool:
        assert isinstance(pool.zygote, _Zygote)
        answers = _in_parallel(pool, [FAMILY, FAMILY])
    assert [a.status for a in answers] == ["finished", "finished"]
    pairs = [_printed(a).split() for a in answers]
    runners, parents = {p[0] for p in pairs}, {p[1] for p in pairs}
    assert len(runners) == 2, pairs
    assert len(parents) == 1, pairs
    assert pool.cpu_seconds > 0  # the zygote's warm-up is counted too


def test_a_process_left_behind_is_ended_without_stopping_the_other_runner(plan):
    """When one learner's notebook leaves a process behind (forked twice, in a session of
    its own) while another learner's notebook runs in the other runner, does the other run
    finish untouched, and is the left-behind process gone before the next notebook runs?"""
    with RunnerPool(size=2, plan=plan, settings=_settings()) as pool:
        busy = LISTEN.format(wait=2)  # runs on while the first one ends
        left, other = _in_parallel(pool, [DAEMON, busy])
        assert left.status == "finished" and "left one behind" in _printed(left)
        assert other.status == "finished", other.reason
        assert _printed(other).strip() == "gone"
        after = _in_parallel(pool, [LISTEN.format(wait=0), LISTEN.format(wait=0)])
    assert [_printed(a).strip() for a in after] == ["gone", "gone"]


def test_the_listener_hears_a_heartbeat_that_is_still_going(plan):
    """Can the heartbeat check above say 'alive' at all (so its 'gone' means something)?"""
    with RunnerPool(size=1, plan=plan, settings=_settings(), shared_warm_up=False) as pool:
        both = DAEMON.replace("os._exit(0)\n", "os._exit(0)\n" + LISTEN.format(wait=0), 1)
        answer = pool.run(_request(both.replace("print('left one behind')\n", "")), timeout=30)
    assert answer.status == "finished", answer.reason
    assert _printed(answer).strip() == "alive"


def test_a_runner_that_does_not_answer_is_replaced(plan):
    """When the pool gives up on a forked runner (its own limit is shorter than the
    notebook's), is that run 'timed out' and does the next notebook still run?"""
    with RunnerPool(size=2, plan=plan, settings=_settings()) as pool:
        slow = pool.run(_request("import time\ntime.sleep(15)"), timeout=1)
        assert slow.status == "timed out"
        answers = _in_parallel(pool, ["print('next')", "print('next')"])
    assert [_printed(a).strip() for a in answers] == ["next", "next"]


#: leaves notes where a later learner could find them
LEAVE_NOTES = ("import os\n"
               "beside = os.path.join(os.getcwd(), '..', 'note')\n"
               "for where in ('/tmp/note', '/dev/shm/note', beside):\n"
               "    with open(where, 'w') as f:\n"
               "        f.write('answer: 42')\n"
               "os.makedirs('/tmp/submission-fake', exist_ok=True)\n"
               "print('written')\n")

#: looks for notes left behind, and keeps a file of its own across the other's end
LOOK = ("import glob, os, time\n"
        "with open('mine', 'w') as f:\n"
        "    f.write('kept')\n"
        "time.sleep({wait})\n"
        "found = [p for p in glob.glob('/tmp/**', recursive=True) + glob.glob('/dev/shm/*')\n"
        "         if os.path.basename(p) in ('note', 'submission-fake')]\n"
        "print(sorted(found), open('mine').read())\n")


def test_files_written_outside_the_own_folder_do_not_reach_the_next_learner(plan):
    """When a learner's code writes into the sandbox's /tmp, /dev/shm and beside its own
    folder, does a learner whose run overlaps it keep its own files, and does no later
    learner, in either runner, find those notes?"""
    if plan.kind != "bubblewrap":
        pytest.skip("only a bubblewrap sandbox has a /tmp of its own to clear")
    with RunnerPool(size=2, plan=plan, settings=_settings()) as pool:
        writer, overlapping = _in_parallel(pool, [LEAVE_NOTES, LOOK.format(wait=2)])
        assert "written" in _printed(writer)
        assert _printed(overlapping).strip().endswith("kept")
        later = _in_parallel(pool, [LOOK.format(wait=0), LOOK.format(wait=0)])
    assert [_printed(a).strip() for a in later] == ["[] kept", "[] kept"]


def _runner_processes() -> list[str]:
    """Command lines of this process's children that are runners or their sandbox."""
    found = []
    for pid in _children_of(os.getpid()):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as handle:
                command = handle.read().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if "autograder.grading.runner" in command:
            found.append(command)
    return found


def test_runners_started_early_end_when_every_submission_is_set_aside(toy_course):
    """The runners start warming up before the submissions are checked: when the check
    sets every submission aside (an unreadable notebook), are they still ended, so no
    sandbox is left running?"""
    submit_notebook(toy_course, "broken", "{not json")
    run = grade(course=toy_course, assignment="t01_toy", steps=["check", "autograde"])
    assert [(r.student, r.status) for r in run.results] == [("broken", "invalid")]
    assert _runner_processes() == []
