"""Nothing lost: one grader per course at a time, and a gradebook backup before each run.

:func:`course_lock` takes an exclusive ``flock`` on ``<course>/.jazari-grade.lock`` for the
whole run: a second ``jazari grade`` on the same course waits (up to
``c.JazariGrade.wait_for_other_grader`` seconds) or stops with one line, before writing
anything. The lock dies with its process, so a killed grader never leaves it stuck.

:func:`backup_gradebook` copies an SQLite gradebook with SQLite's own backup API (a
consistent copy even if another program is reading it) into ``gradebook-backups/``,
keeping the newest few.
"""

from __future__ import annotations

import fcntl
import sqlite3
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from autograder.errors import JazariError

__all__ = ["backup_gradebook", "course_lock"]


@contextmanager
def course_lock(root: Path, *, wait: float):
    """Hold the course's grading lock, or raise :class:`JazariError` after ``wait`` s."""
    path = root / ".jazari-grade.lock"
    handle = open(path, "a+")
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise JazariError(
                        f"{root}: another 'jazari grade' is grading this course; "
                        "wait for it to finish (nothing was changed)") from None
                time.sleep(0.2)
        yield
    finally:
        handle.close()


def backup_gradebook(db_url: str, root: Path, *, keep: int) -> Path | None:
    """Copy an SQLite gradebook into ``root/gradebook-backups/``; returns the copy."""
    if keep <= 0 or not db_url.startswith("sqlite:///"):
        return None
    database = Path(db_url[len("sqlite:///"):].split("?")[0])
    if not database.is_file():
        return None
    folder = root / "gradebook-backups"
    folder.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = folder / f"{database.stem}-{stamp}{database.suffix}"
    source = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
    finally:
        source.close()
    for old in sorted(folder.glob(f"{database.stem}-*{database.suffix}"))[:-keep]:
        old.unlink()
    return target
