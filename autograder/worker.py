"""A grading worker: ``python -m autograder.worker COURSE ASSIGNMENT``.

It reads one learner id per line on standard input (JSON-encoded), autogrades that
learner's submission with nbgrader's API, and answers with one JSON line on standard
output: ``{"student": ..., "success": ..., "error": ...}``. Loading nbgrader takes seconds,
so a worker grades many submissions; :mod:`autograder.grade` runs several at once and
stops any that takes too long.
"""

from __future__ import annotations

import json
import sys

from traitlets.config import Config

from autograder.course import api_error, ensure_bin_on_path, open_course

__all__ = ["main", "sqlite_with_timeout"]


def sqlite_with_timeout(db_url: str, seconds: int = 60) -> str:
    """``db_url`` with a lock timeout, so workers writing at once wait for each other."""
    if db_url.startswith("sqlite:///") and "?" not in db_url:
        return f"{db_url}?timeout={seconds}"
    return db_url


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    course_path, assignment = argv
    ensure_bin_on_path()
    course = open_course(course_path)
    extra = Config()
    extra.CourseDirectory.db_url = sqlite_with_timeout(course.db_url)
    api = course.api(extra)
    for line in sys.stdin:
        if not line.strip():
            continue
        student = json.loads(line)
        result = api.autograde(assignment, student, force=True, create=True)
        answer = {"student": student, "success": bool(result["success"]),
                  "error": "" if result["success"] else api_error(result)}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
