"""The hub's grading service: ``jazari grade --watch`` over every released unit.

JupyterHub starts it with the hub (``JupyterHub.services``) and stops it with the hub.
Every ``c.JazariGrade.watch_interval`` seconds it takes one look per unit released to the
exchange: :func:`autograder.grade.watch` collects new submissions, grades them in the
sandbox and returns their feedback to the exchange, where the child's Assignments tab
fetches it. Files it writes are writable by the trainers' group (umask 002).

Run by hand: ``python -m autograder.hub.service --course DIR``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from autograder.config import JazariGrade
from autograder.course import open_course
from autograder.errors import JazariError

__all__ = ["main", "released_units", "serve"]


def released_units(course) -> list[str]:
    """The units released to the course's exchange (its ``outbound/`` folders)."""
    api = course.api()
    outbound = Path(api.exchange_root) / course.course_id / "outbound"
    if not outbound.is_dir():
        return []
    return sorted(p.name for p in outbound.iterdir() if p.is_dir())


def serve(*, course: str | Path, rounds: int | None = None, interval: float | None = None,
          say=print) -> int:
    """Grade new submissions of every released unit until stopped (or ``rounds`` looks)."""
    from autograder.grade import watch
    from autograder.grading.command import _summary

    opened = open_course(course)
    if interval is None:
        interval = JazariGrade(config=opened.config).watch_interval
    seen: dict[str, dict[str, float]] = {}
    graded = looked = 0
    say(f"Grading new submissions of {opened.root} every {interval:g} s.", flush=True)
    while rounds is None or looked < rounds:
        looked += 1
        for unit in released_units(opened):
            try:
                graded += watch(course=opened.root, assignment=unit, rounds=1,
                                seen=seen.setdefault(unit, {}), on_run=_summary)
            except JazariError as error:
                say(f"jazari: {unit}: {error}", file=sys.stderr, flush=True)
        sys.stdout.flush()
        if rounds is None or looked < rounds:
            time.sleep(interval)
    return graded


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.hub.service",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--course", required=True, metavar="DIR")
    parser.add_argument("--rounds", type=int, metavar="N", help="stop after N looks")
    args = parser.parse_args(argv)
    # group-writable for the trainers; others may read: the course folder is closed to them
    # at its top, and the feedback it returns to the exchange must be readable by children
    previous = os.umask(0o002)
    try:
        serve(course=args.course, rounds=args.rounds)
    except JazariError as error:
        print(f"jazari: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0
    finally:
        os.umask(previous)
    return 0


if __name__ == "__main__":
    sys.exit(main())
