"""``jazari grade``: collect, check, autograde and give feedback for one unit.

The pipeline is data: :data:`autograder.config.GRADE_STEPS` names the steps and
``c.JazariGrade.steps`` chooses which run. Autograding is nbgrader's own (its API, in
worker processes that each grade many submissions), so scores are exactly nbgrader's.
One submission never stops the others: a broken notebook is reported and skipped, a
grader that hangs past ``c.JazariGrade.submission_timeout`` is stopped and replaced.
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil
from nbgrader.utils import capture_log
from traitlets.config import Config

from autograder.config import JazariGrade, child_env
from autograder.course import Course, api_error, open_course
from autograder.errors import JazariError
from autograder.notebooks import read_notebook

__all__ = ["GradeRun", "SubmissionResult", "grade"]


@dataclass
class SubmissionResult:
    """How one learner's submission of one unit went."""

    student: str  #: the learner's id
    status: str  #: "graded", "invalid" (unreadable notebook), "failed" or "timed out"
    score: float | None = None  #: points, when graded
    max_score: float | None = None  #: the unit's points, when graded
    problem: str = ""  #: one line saying what went wrong, when not graded

    @property
    def graded(self) -> bool:
        return self.status == "graded"


@dataclass
class GradeRun:
    """The outcome of grading one unit for the whole class."""

    assignment: str
    results: list[SubmissionResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  #: lines about collect and feedback
    seconds: float = 0.0

    @property
    def problems(self) -> list[SubmissionResult]:
        return [result for result in self.results if not result.graded]


class _Worker:
    """One ``autograder.worker`` process and the thread reading its answers."""

    def __init__(self, course: Course, assignment: str):
        self.log = tempfile.TemporaryFile(mode="w+")  # the worker's stderr, for its last words
        self.process = subprocess.Popen(
            [sys.executable, "-m", "autograder.worker", str(course.root), assignment],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log,
            text=True, env=child_env(), cwd=course.root, start_new_session=True,
        )
        self.answers: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.answers.put(line)
        self.answers.put(None)

    def _stopped(self) -> dict:
        self.process.wait()
        self.log.seek(0)
        lines = [line.strip() for line in self.log.read().splitlines() if line.strip()]
        self.log.close()
        last = f": {lines[-1]}" if lines else ""
        return {"success": False, "error": f"the grader stopped unexpectedly{last}"}

    def grade(self, student: str, timeout: float) -> dict:
        try:
            self.process.stdin.write(json.dumps(student) + "\n")
            self.process.stdin.flush()
        except (BrokenPipeError, OSError):
            return self._stopped()
        try:
            line = self.answers.get(timeout=timeout)
        except queue.Empty:
            self.kill()
            return {"success": False, "timed_out": True,
                    "error": f"grading took longer than {timeout:g} s and was stopped"}
        if line is None:
            return self._stopped()
        return json.loads(line)

    def kill(self) -> None:
        """Stop the worker and every process it started (kernels run in their own session)."""
        try:
            family = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            family = []
        for process in [*family]:
            try:
                process.kill()
            except psutil.NoSuchProcess:
                pass
        self.process.kill()
        self.process.wait()
        self.log.close()

    def close(self) -> None:
        try:
            self.process.stdin.close()
            self.process.wait(timeout=30)
            self.log.close()
        except (OSError, subprocess.TimeoutExpired):
            self.kill()


def _check(course: Course, assignment: str, student: str) -> str:
    """'' when every notebook of the submission can be read, else one line saying why not."""
    folder = course.root / "submitted" / student / assignment
    notebooks = sorted(folder.glob("*.ipynb"))
    if not notebooks:
        return f"{folder}: no notebook was submitted"
    for notebook in notebooks:
        try:
            read_notebook(notebook)
        except JazariError as error:
            return str(error)
    return ""


def _exchange_folder(api, course: Course, name: str) -> Path | None:
    """The course's ``inbound`` or ``feedback`` folder in the exchange, if there is one."""
    if not api.exchange_root:
        return None
    folder = Path(api.exchange_root) / course.course_id / name
    return folder if folder.parent.is_dir() else None


def _collect(course: Course, assignment: str, run: GradeRun) -> None:
    api = course.api()
    inbound = _exchange_folder(api, course, "inbound")
    if inbound is None or not inbound.is_dir():
        run.notes.append("collect: no exchange inbound folder; grading what is in submitted/")
        return
    result = api.collect(assignment, update=True)
    if not result["success"]:
        run.notes.append(f"collect: {api_error(result)}; grading what is in submitted/")


def _return_feedback(course: Course, assignment: str, students: list[str],
                     run: GradeRun) -> None:
    """Put feedback in the exchange for learners who submitted through it."""
    api = course.api()
    if _exchange_folder(api, course, "feedback") is None:
        return
    returned = 0
    for student in students:
        folder = course.root / "feedback" / student / assignment
        if not (folder / "submission_secret.txt").is_file():
            continue  # not submitted through the exchange: nowhere to return it
        # NbGraderAPI.release_feedback misspells 'authenticator'; call the exchange directly.
        app = api.exchange.ReleaseFeedback(
            coursedir=course.coursedir(assignment_id=assignment, student_id=student),
            authenticator=api.authenticator, parent=api)
        result = capture_log(app)
        if result["success"]:
            returned += 1
        else:
            run.notes.append(f"return_feedback: {student}: {api_error(result)}")
    if returned:
        run.notes.append(f"feedback returned to {returned} learner(s) through the exchange")


def _autograde(course: Course, assignment: str, students: list[str], settings: JazariGrade,
               run: GradeRun, progress) -> None:
    pending: queue.Queue = queue.Queue()
    for student in students:
        pending.put(student)
    answers: dict[str, dict] = {}
    lock = threading.Lock()

    def work() -> None:
        worker = None
        try:
            while True:
                try:
                    student = pending.get_nowait()
                except queue.Empty:
                    return
                if worker is None:
                    worker = _Worker(course, assignment)
                answer = worker.grade(student, settings.submission_timeout)
                if not answer.get("success") and worker.process.poll() is not None:
                    worker = None  # it was stopped or died: the next learner gets a new one
                with lock:
                    answers[student] = answer
                if progress is not None:
                    progress(student, answer)
        finally:
            if worker is not None:
                worker.close()

    threads = [threading.Thread(target=work, daemon=True)
               for _ in range(min(settings.worker_count(), len(students)))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    with course.gradebook() as gb:
        for student in students:
            answer = answers.get(student, {"success": False, "error": "not graded"})
            if answer.get("success"):
                submission = gb.find_submission(assignment, student)
                run.results.append(SubmissionResult(student, "graded", submission.score,
                                                    submission.max_score))
            else:
                status = "timed out" if answer.get("timed_out") else "failed"
                run.results.append(SubmissionResult(student, status,
                                                    problem=answer.get("error", "")))


def grade(
    *,
    course: str | Path = ".",
    assignment: str,
    workers: int | None = None,
    steps: list[str] | None = None,
    progress=None,
) -> GradeRun:
    """Grade every submission of ``assignment`` in the nbgrader course at ``course``.

    Parameters
    ----------
    workers:
        Submissions graded at once (default ``c.JazariGrade.workers``; 0 = one per core).
    steps:
        Which of collect, check, autograde, feedback to run (default
        ``c.JazariGrade.steps``).
    progress:
        Called as ``progress(student, answer)`` after each submission is autograded.

    Returns a :class:`GradeRun` with one :class:`SubmissionResult` per learner. Broken
    submissions are in it with their problem; they never stop the others.
    """
    started = time.monotonic()
    opened = open_course(course)
    overrides = Config()
    if workers is not None:
        overrides.JazariGrade.workers = workers
    if steps is not None:
        overrides.JazariGrade.steps = list(steps)
    config = Config(opened.config)
    config.merge(overrides)
    settings = JazariGrade(config=config)
    run = GradeRun(assignment=assignment)

    if "collect" in settings.steps:
        _collect(opened, assignment, run)
    opened.require_assignment(assignment)
    students = opened.submitted_students(assignment)
    if not students:
        run.notes.append(f"no submissions of '{assignment}' to grade")
        run.seconds = time.monotonic() - started
        return run
    if assignment not in opened.known_assignments():
        raise JazariError(f"{opened.root}: '{assignment}' has submissions but is not in "
                          "source/ or the gradebook; release it first")

    valid = students
    if "check" in settings.steps:
        valid = []
        for student in students:
            problem = _check(opened, assignment, student)
            if problem:
                run.results.append(SubmissionResult(student, "invalid", problem=problem))
            else:
                valid.append(student)

    if "autograde" in settings.steps and valid:
        with opened.gradebook():
            pass  # create the database (and its alembic stamp) before workers share it
        _autograde(opened, assignment, valid, settings, run, progress)

    graded = [r.student for r in run.results if r.graded]
    if "feedback" in settings.steps and graded:
        result = opened.api().generate_feedback(assignment, force=True)
        if not result["success"]:
            run.notes.append(f"feedback: {api_error(result)}")
    if "return_feedback" in settings.steps and graded:
        _return_feedback(opened, assignment, graded, run)
    run.results.sort(key=lambda result: result.student)
    run.seconds = time.monotonic() - started
    return run
