"""The grading pipeline's steps: objects with one signature, ``step(context) -> None``.

:data:`STEPS` maps each name in ``c.JazariGrade.steps`` to its step; :func:`run_steps` runs
the chosen ones in order on one :class:`GradingContext`. A step reads what earlier steps
left in the context and adds its own results to ``context.run``, so a step can be added,
skipped or replaced by configuration.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from nbgrader.utils import capture_log

from autograder.config import JazariGrade
from autograder.course import Course, api_error
from autograder.errors import JazariError
from autograder.grading.autograde import RemoteExecute, SandboxedAutograde, StudentLog
from autograder.grading.feedback import write_feedback
from autograder.grading.gradebooks import shared_gradebook
from autograder.grading.pool import RunnerPool, RunnerSettings
from autograder.grading.preload import Preload, choose_preload
from autograder.grading.records import GradeRun, SubmissionResult
from autograder.grading.sandbox import sandbox_command
from autograder.grading.speedups import install as install_speedups
from autograder.grading.warmups import choose_warm_ups, font_lists
from autograder.notebooks import nbgrader_meta, read_notebook

__all__ = ["STEPS", "GradingContext", "run_steps"]


@dataclass
class GradingContext:
    """Everything the steps share for one grading run of one unit."""

    course: Course
    assignment: str
    settings: JazariGrade
    run: GradeRun
    students: list[str] = field(default_factory=list)  #: whose submissions to grade
    #: what earlier steps noticed about a learner's notebooks (they become flags)
    notices: dict[str, list[str]] = field(default_factory=dict)
    #: called after each submission as progress(result, done, total)
    progress: Callable[[SubmissionResult, int, int], None] | None = None
    #: the released notebooks, read once per run (None: not released or unreadable)
    released: dict[str, object] = field(default_factory=dict)
    #: runners started before the first step, for the autograde step to use
    pool: RunnerPool | None = None

    def result(self, student: str) -> SubmissionResult | None:
        for result in self.run.results:
            if result.student == student:
                return result
        return None


def _exchange_folder(api, course: Course, name: str):
    from pathlib import Path

    if not api.exchange_root:
        return None
    folder = Path(api.exchange_root) / course.course_id / name
    return folder if folder.parent.is_dir() else None


class Collect:
    """Collect submissions waiting in the exchange into ``submitted/``."""

    name = "collect"

    def __call__(self, context: GradingContext) -> None:
        api = context.course.api()
        inbound = _exchange_folder(api, context.course, "inbound")
        if inbound is None or not inbound.is_dir():
            context.run.notes.append(
                "collect: no exchange inbound folder; grading what is in submitted/")
            return
        result = api.collect(context.assignment, update=True)
        if not result["success"]:
            context.run.notes.append(f"collect: {api_error(result)}; grading what is in "
                                     "submitted/")


class Check:
    """Set aside submissions whose notebooks cannot be read (status 'invalid')."""

    name = "check"

    def __call__(self, context: GradingContext) -> None:
        keep = []
        for student in context.students:
            problem = self.problem(context, student)
            if problem:
                context.run.results.append(SubmissionResult(student, "invalid", problem=problem))
            else:
                keep.append(student)
        context.students = keep

    @staticmethod
    def problem(context: GradingContext, student: str) -> str:
        folder = context.course.root / "submitted" / student / context.assignment
        notebooks = sorted(folder.glob("*.ipynb"))
        if not notebooks:
            return f"{folder}: no notebook was submitted"
        for notebook in notebooks:
            try:
                handed_in = read_notebook(notebook)
            except JazariError as error:
                return str(error)
            Check.notice(context, student, notebook.name, handed_in)
        return ""

    @staticmethod
    def notice(context: GradingContext, student: str, name: str, handed_in) -> None:
        """Note locked cells deleted or edited, and a changed kernel, against the release
        (nbgrader puts them back; the trainer should know)."""
        if name not in context.released:
            released_path = context.course.root / "release" / context.assignment / name
            try:
                context.released[name] = (read_notebook(released_path)
                                          if released_path.is_file() else None)
            except JazariError:
                context.released[name] = None
        released = context.released[name]
        if released is None:
            return
        notices = context.notices.setdefault(student, [])
        cells = {nbgrader_meta(c).get("grade_id"): c for c in handed_in.cells}
        for cell in released.cells:
            meta = nbgrader_meta(cell)
            if not meta.get("locked") or meta.get("solution"):
                continue
            found = cells.get(meta.get("grade_id"))
            if found is None:
                notice = f"{name}: deleted a locked cell (it scores 0)"
            elif found.source != cell.source or found.cell_type != cell.cell_type:
                notice = f"{name}: edited a locked cell (put back as released)"
            else:
                continue
            if notice not in notices:
                notices.append(notice)
        kernel = handed_in.metadata.get("kernelspec", {}).get("name")
        if kernel and kernel != released.metadata.get("kernelspec", {}).get("name"):
            notices.append(f"{name}: changed the notebook's kernel to {kernel!r} (put back)")


def _cell_timeout(context: GradingContext) -> float:
    if context.settings.cell_timeout is not None:
        return float(context.settings.cell_timeout)
    timeout = context.course.config.get("Execute", {}).get("timeout", 30)
    return float(timeout) if timeout else float(context.settings.submission_timeout)


def _importable(name: str) -> bool:
    """Can this (the coordinator's) Python import the top package of ``name``?"""
    import importlib.util

    return importlib.util.find_spec(name.split(".")[0]) is not None


def _logger(student: str) -> tuple[logging.Logger, StudentLog]:
    logger = logging.getLogger(f"jazari.grade.{student}")
    logger.propagate = False
    logger.setLevel(logging.WARNING)
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
    handler = StudentLog()
    logger.addHandler(handler)
    return logger, handler


class Autograde:
    """Run every submission in the sandbox and score it with nbgrader's own code."""

    name = "autograde"

    def start(self, context: GradingContext, expected: int) -> RunnerPool:
        """Start the runners for ``expected`` submissions; they warm up while the other
        steps work (see :func:`autograder.grade.grade`)."""
        settings = context.settings
        plan = sandbox_command(mode=settings.sandbox, course=context.course.root,
                               exchange=self._exchange(context),
                               tmp_bytes=settings.file_limit + (64 << 20),
                               extra_hidden=list(settings.hidden_paths))
        if plan.warning:
            context.run.notes.append(f"sandbox: {plan.warning}")
        limits = {"memory": settings.memory_limit, "processes": settings.process_limit,
                  "file_size": settings.file_limit,
                  "submission_seconds": settings.submission_timeout,
                  "cell_seconds": _cell_timeout(context),
                  "cell_output": settings.cell_output_limit,
                  "notebook_output": settings.notebook_output_limit}
        workers = max(1, min(settings.worker_count(), expected))
        preload = self._preload(context)
        warm_ups = (choose_warm_ups([*preload.modules, *preload.optional])
                    if settings.warm_up else [])
        loaded = [*preload.modules, *preload.optional]
        fonts = font_lists() if any(m.split(".")[0] == "matplotlib" for m in loaded) else {}
        runners = RunnerSettings(preload=preload.modules, optional=preload.optional,
                                 warm_ups=warm_ups, threads=settings.runner_threads(workers),
                                 font_lists=fonts,
                                 trusted_modules=list(settings.trusted_modules), limits=limits)
        return RunnerPool(size=workers, plan=plan, settings=runners,
                          shared_warm_up=settings.shared_warm_up)

    def __call__(self, context: GradingContext) -> None:
        students = list(context.students)
        if not students:
            return
        with context.course.gradebook():
            pass  # create the database (and its alembic stamp) before grading
        pool, context.pool = context.pool or self.start(context, len(students)), None
        lock = threading.Lock()
        pending = list(reversed(students))
        done = [0]
        with pool, shared_gradebook(context.course.db_url, context.course.course_id) as gb:

            def work() -> None:
                with lock:
                    while pending:
                        student = pending.pop()
                        result = self.grade_one(context, student, pool, lock, gb)
                        context.run.results.append(result)
                        done[0] += 1
                        if context.progress is not None:
                            context.progress(result, done[0], len(students))

            # More submissions in flight than runners: the coordinator prepares them
            # while the runners warm up and run, and each waits for a free runner
            # (waiting counts against no time limit: a limit starts when a runner takes
            # the notebook).
            threads = [threading.Thread(target=work, daemon=True)
                       for _ in range(min(context.settings.in_flight(pool.size), len(students)))]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        context.run.runner_cpu_seconds += pool.cpu_seconds
        missing = [f"{name} ({why})" for name, why in sorted(pool.missing.items())
                   if _importable(name)]
        if missing:
            context.run.notes.append("sandbox: the graders could not import "
                                     + "; ".join(missing) + ": learners' code that uses "
                                     "them fails")

    @staticmethod
    def _preload(context: GradingContext) -> Preload:
        """What the runners import first: what the unit's source notebooks use (its
        released notebooks when the source is not here)."""
        root, assignment = context.course.root, context.assignment
        for kind in ("source", "release"):
            folder = root / kind / assignment
            notebooks = sorted(folder.glob("*.ipynb"))
            if notebooks:
                return choose_preload(configured=list(context.settings.preload),
                                      notebooks=notebooks, folder=folder,
                                      preload_all=context.settings.preload_all)
        return Preload(modules=list(context.settings.preload))

    @staticmethod
    def _exchange(context: GradingContext):
        from pathlib import Path

        root = context.course.config.get("Exchange", {}).get("root")
        return Path(root) if root else None

    def grade_one(self, context: GradingContext, student: str, pool: RunnerPool,
                  lock: threading.Lock, gb) -> SubmissionResult:
        """Autograde one submission (called with ``lock`` held; the run releases it)."""
        runs = []
        remote = RemoteExecute(pool=pool, lock=lock,
                               timeout=context.settings.submission_timeout + 60,
                               file_budget=context.settings.file_limit, runs=runs)
        coursedir = context.course.coursedir(assignment_id=context.assignment,
                                             student_id=student)
        logger, log = _logger(student)
        app = SandboxedAutograde(remote=remote, coursedir=coursedir,
                                 config=context.course.config, log=logger)
        app.force = True
        app.create_student = True
        failure = ""
        try:
            app.start()
        except Exception as error:  # nbgrader raises for a notebook it cannot grade
            failure = (log.lines[-1] if log.lines else str(error)).strip().splitlines()[0]
        finally:
            logger.removeHandler(log)
        flags = list(context.notices.get(student, []))
        flags += [f for run in runs for f in run.flags if f not in flags]
        seconds = sum(run.seconds for run in runs)
        if failure:
            status = "crashed" if runs else "invalid"
            return SubmissionResult(student, status, problem=failure, flags=flags,
                                    seconds=seconds)
        try:
            submission = gb.find_submission(context.assignment, student)
            score, max_score = submission.score, submission.max_score
            late = submission.total_seconds_late > 0
        finally:
            gb.db.rollback()
        stopped = [run for run in runs if run.status != "finished"]
        if stopped:
            status = stopped[0].status
            problem = f"{stopped[0].notebook}: {stopped[0].reason}"
        elif flags:
            status, problem = "flagged", "; ".join(flags)
        else:
            status, problem = ("late" if late else "graded"), ""
        return SubmissionResult(student, status, score, max_score, problem=problem,
                                flags=flags, seconds=seconds)


class Feedback:
    """Feedback pages for the scored submissions, hidden tests kept hidden."""

    name = "feedback"

    def __call__(self, context: GradingContext) -> None:
        scored = [r.student for r in context.run.results if r.score is not None]
        if scored:
            context.run.notes.extend(write_feedback(course=context.course,
                                                    assignment=context.assignment,
                                                    students=scored))


class ReturnFeedback:
    """Put feedback in the exchange for learners who submitted through it."""

    name = "return_feedback"

    def __call__(self, context: GradingContext) -> None:
        course, assignment = context.course, context.assignment
        students = [r.student for r in context.run.results if r.score is not None]
        api = course.api()
        if not students or _exchange_folder(api, course, "feedback") is None:
            return
        returned = 0
        for student in students:
            folder = course.root / "feedback" / student / assignment
            if not (folder / "submission_secret.txt").is_file():
                continue  # not submitted through the exchange: nowhere to return it
            # NbGraderAPI.release_feedback misspells 'authenticator'; call the exchange.
            app = api.exchange.ReleaseFeedback(
                coursedir=course.coursedir(assignment_id=assignment, student_id=student),
                authenticator=api.authenticator, parent=api)
            result = capture_log(app)
            if result["success"]:
                returned += 1
            else:
                context.run.notes.append(f"return_feedback: {student}: {api_error(result)}")
        if returned:
            context.run.notes.append(
                f"feedback returned to {returned} learner(s) through the exchange")


#: Every step by its name in ``c.JazariGrade.steps``.
STEPS = {step.name: step for step in (Collect(), Check(), Autograde(), Feedback(),
                                      ReturnFeedback())}


def run_steps(context: GradingContext, names: list[str]) -> None:
    """Run the named steps, in order, on ``context``."""
    install_speedups()
    for name in names:
        started = time.monotonic()
        STEPS[name](context)
        logging.getLogger("jazari.grade").debug("%s took %.2f s", name,
                                                time.monotonic() - started)
