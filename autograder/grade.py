"""``jazari grade``: collect, check, autograde and give feedback for one unit.

The pipeline is data: :data:`autograder.grading.steps.STEPS` holds the steps, all with one
signature, and ``c.JazariGrade.steps`` chooses which run. Notebooks run in warm sandboxed
runners (:mod:`autograder.grading.runner`, inside bubblewrap), one per core, that fork a
fresh child per submission, so no submission pays for a kernel start or for importing
NumPy, matplotlib or scikit-learn. Scoring is nbgrader's own autograde code in this
(coordinating) process, which alone writes the gradebook: the scores are nbgrader's, cell
by cell.

One submission never stops the others: each ends with a status (graded, late, flagged,
timed out, crashed, invalid) and a reason, returned and stored beside the gradebook
(:mod:`autograder.outcomes`). Only one grader works on a course at a time, and the
gradebook is backed up before each run.
"""

from __future__ import annotations

import time
from pathlib import Path

from traitlets.config import Config

from autograder import outcomes
from autograder.config import JazariGrade
from autograder.course import open_course
from autograder.errors import JazariError
from autograder.grading.records import GradeRun, SubmissionResult
from autograder.grading.safety import backup_gradebook, course_lock
from autograder.grading.steps import STEPS, GradingContext, run_steps

__all__ = ["GradeRun", "SubmissionResult", "grade", "released_units", "watch", "watch_released"]


def _settings(opened, workers, steps) -> JazariGrade:
    overrides = Config()
    if workers is not None:
        overrides.JazariGrade.workers = workers
    if steps is not None:
        overrides.JazariGrade.steps = list(steps)
    config = Config(opened.config)
    config.merge(overrides)
    return JazariGrade(config=config)


def grade(
    *,
    course: str | Path = ".",
    assignment: str,
    workers: int | None = None,
    steps: list[str] | None = None,
    students: list[str] | None = None,
    progress=None,
) -> GradeRun:
    """Grade every submission of ``assignment`` in the nbgrader course at ``course``.

    Parameters
    ----------
    workers:
        Submissions graded at once (default ``c.JazariGrade.workers``; 0 = one per core).
    steps:
        Which of collect, check, autograde, feedback, return_feedback to run (default
        ``c.JazariGrade.steps``).
    students:
        Only these learners (default: everyone who submitted).
    progress:
        Called as ``progress(result, done, total)`` after each submission is autograded,
        with its :class:`SubmissionResult`.

    Returns a :class:`GradeRun` with one :class:`SubmissionResult` per learner. Broken
    submissions are in it with their status and problem; they never stop the others.
    Raises :class:`JazariError` (nothing written) for an unknown unit, or when another
    grader is working on the course.
    """
    started = time.monotonic()
    opened = open_course(course)
    settings = _settings(opened, workers, steps)
    run = GradeRun(assignment=assignment)
    with course_lock(opened.root, wait=settings.wait_for_other_grader):
        context = GradingContext(course=opened, assignment=assignment, settings=settings,
                                 run=run, progress=progress)
        chosen = list(settings.steps)
        if "collect" in chosen:
            run_steps(context, ["collect"])
        opened.require_assignment(assignment)
        submitted = opened.submitted_students(assignment)
        if students is not None:
            unknown = sorted(set(students) - set(submitted))
            if unknown:
                raise JazariError(f"{opened.root}: no submission of '{assignment}' from "
                                  + ", ".join(unknown))
            submitted = [s for s in submitted if s in set(students)]
        if not submitted:
            run.notes.append(f"no submissions of '{assignment}' to grade")
            run.seconds = time.monotonic() - started
            return run
        if assignment not in opened.known_assignments():
            raise JazariError(f"{opened.root}: '{assignment}' has submissions but is not in "
                              "source/ or the gradebook; release it first")
        context.students = submitted
        if "autograde" in chosen:
            # the runners warm up while the submissions are checked and the gradebook
            # backed up
            context.pool = STEPS["autograde"].start(context, len(submitted))
        try:
            if "autograde" in chosen:
                copy = backup_gradebook(opened.db_url, opened.root, keep=settings.backups)
                if copy is not None:
                    run.notes.append(f"gradebook backed up to {copy}")
            run_steps(context, [name for name in chosen if name != "collect"])
        finally:
            if context.pool is not None:  # not used: every submission was set aside
                context.pool.close()
        run.results.sort(key=lambda result: result.student)
        outcomes.record(opened.db_url, [
            outcomes.Outcome(assignment=assignment, student=r.student, status=r.status,
                             reason=r.problem, flags=tuple(r.flags))
            for r in run.results])
    run.seconds = time.monotonic() - started
    return run


def watch(*, course: str | Path = ".", assignment: str, workers: int | None = None,
          interval: float | None = None, rounds: int | None = None,
          on_run=None, seen: dict[str, float] | None = None) -> int:
    """Keep grading new or re-submitted work of ``assignment`` as it arrives.

    Every ``interval`` seconds (default ``c.JazariGrade.watch_interval``) it collects from
    the exchange and grades the learners whose ``submitted/`` folder changed since they were
    last graded. ``on_run(run)`` is called after each round that graded someone; ``rounds``
    stops after that many looks (default: until interrupted). ``seen`` (learner → time of
    their submission when last graded) carries that memory from one call to the next, for
    a caller that watches several units in turn. Returns the number graded.
    """
    opened = open_course(course)
    settings = _settings(opened, workers, None)
    interval = settings.watch_interval if interval is None else interval
    seen = {} if seen is None else seen
    graded = 0
    looked = 0
    while rounds is None or looked < rounds:
        looked += 1
        if "collect" in settings.steps:
            collected = GradeRun(assignment=assignment)
            context = GradingContext(course=opened, assignment=assignment, settings=settings,
                                     run=collected)
            with course_lock(opened.root, wait=max(settings.wait_for_other_grader, 60)):
                run_steps(context, ["collect"])
        changed = []
        for student in opened.submitted_students(assignment):
            folder = opened.root / "submitted" / student / assignment
            stamp = max((p.stat().st_mtime for p in folder.rglob("*")), default=0.0)
            stamp = max(stamp, folder.stat().st_mtime)
            if seen.get(student) != stamp:
                seen[student] = stamp
                changed.append(student)
        if changed:
            run = grade(course=opened.root, assignment=assignment, workers=workers,
                        steps=[s for s in settings.steps if s != "collect"], students=changed)
            graded += len(run.results)
            if on_run is not None:
                on_run(run)
        if rounds is None or looked < rounds:
            time.sleep(interval)
    return graded

def released_units(course) -> list[str]:
    """The units released to the course's exchange (its ``outbound/`` folders)."""
    opened = course if hasattr(course, "api") else open_course(course)
    outbound = Path(opened.api().exchange_root) / opened.course_id / "outbound"
    if not outbound.is_dir():
        return []
    return sorted(p.name for p in outbound.iterdir() if p.is_dir())


def watch_released(*, course: str | Path = ".", workers: int | None = None,
                   interval: float | None = None, rounds: int | None = None,
                   on_run=None, before_look=None, say=print) -> int:
    """:func:`watch` over every unit released to the exchange, one look each per round
    (a unit released later is watched from its release on); ``before_look(course)`` is
    called at the start of each round. A unit that cannot be graded is said in one line
    and the others go on. Returns the number graded."""
    import sys

    opened = open_course(course)
    if interval is None:
        interval = _settings(opened, workers, None).watch_interval
    seen: dict[str, dict[str, float]] = {}
    graded = looked = 0
    while rounds is None or looked < rounds:
        looked += 1
        if before_look is not None:
            before_look(opened)
        for unit in released_units(opened):
            try:
                graded += watch(course=opened.root, assignment=unit, workers=workers, rounds=1,
                                seen=seen.setdefault(unit, {}), on_run=on_run)
            except JazariError as error:
                say(f"jazari: {unit}: {error}", file=sys.stderr, flush=True)
        sys.stdout.flush()
        if rounds is None or looked < rounds:
            time.sleep(interval)
    return graded

