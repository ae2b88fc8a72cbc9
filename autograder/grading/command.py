"""``jazari grade`` on the terminal: a progress line with a count and the time left."""

from __future__ import annotations

import sys
import time

from autograder.errors import JazariError
from autograder.grading.records import GradeRun, SubmissionResult

__all__ = ["Progress", "grade_command"]


class Progress:
    """Prints ``[12/40] salma: graded 8/10 · about 25 s left`` after each submission."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout
        self.started = time.monotonic()

    def __call__(self, result: SubmissionResult, done: int, total: int) -> None:
        elapsed = time.monotonic() - self.started
        left = elapsed / done * (total - done) if done else 0.0
        score = (f" {result.score:g}/{result.max_score:g}"
                 if result.score is not None and result.max_score is not None else "")
        tail = f" · about {left:.0f} s left" if done < total else f" · {elapsed:.0f} s"
        print(f"[{done}/{total}] {result.student}: {result.status}{score}{tail}",
              file=self.stream, flush=True)


def _summary(run: GradeRun) -> int:
    for note in run.notes:
        print(note)
    graded = [r for r in run.results if r.graded]
    print(f"Graded {len(graded)} of {len(run.results)} submissions of {run.assignment} "
          f"in {run.seconds:.0f} s.")
    for result in run.results:
        if result.status == "flagged":
            print(f"jazari: {result.student} flagged, have a look: {result.problem}",
                  file=sys.stderr)
    for result in run.problems:
        print(f"jazari: {result.student} not graded ({result.status}): "
              f"{result.problem}", file=sys.stderr)
    return 1 if run.problems else 0


def grade_command(*, course: str, assignment: str | None, workers: int | None,
                  students: list[str] | None, watch: bool) -> int:
    """Run ``jazari grade`` with its options; returns the exit status."""
    if workers is not None and workers < 0:
        raise JazariError("--jobs must be 0 (one per core) or more")
    from autograder.grade import grade, watch_released
    from autograder.grade import watch as watch_grading

    if not assignment and not watch:
        raise JazariError("name the unit to grade (jazari grade UNIT), or use --watch to "
                          "grade every released unit as work arrives")
    if not assignment:
        if students:
            raise JazariError("--student needs a unit: jazari grade UNIT --student ID")
        print("Watching every released unit for new submissions (Ctrl-C stops).", flush=True)
        watch_released(course=course, workers=workers, on_run=_summary)
        return 0
    if watch:
        print(f"Watching {assignment} for new submissions (Ctrl-C stops).", flush=True)
        watch_grading(course=course, assignment=assignment, workers=workers, on_run=_summary)
        return 0
    run = grade(course=course, assignment=assignment, workers=workers, students=students,
                progress=Progress())
    return _summary(run)
