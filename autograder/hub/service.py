"""The hub's grading service: ``jazari grade --watch`` over every released unit.

It is what ``jazari grade --watch --course DIR`` (no unit: every released one) does, with
the file permissions and the check of senders the hub needs (below).

JupyterHub starts it with the hub (``JupyterHub.services``) and stops it with the hub.
Every ``c.JazariGrade.watch_interval`` seconds it takes one look per unit released to the
exchange: :func:`autograder.grade.watch` collects new submissions, grades them in the
sandbox and returns their feedback to the exchange, where the child's Assignments tab
fetches it. Files it writes are writable by the trainers' group (umask 002). Before each
look it sets aside submissions handed in under another child's id (:func:`set_aside_forged`).

Run by hand: ``python -m autograder.hub.service --course DIR``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from autograder.errors import JazariError
from autograder.grade import released_units, watch_released

__all__ = ["main", "released_units", "serve", "set_aside_forged"]


def set_aside_forged(inbound: Path, *, prefix: str, aside: Path, say=print) -> list[str]:
    """Move out of ``inbound`` the submissions not handed in by the account of their id.

    nbgrader's shared exchange names a submission ``<id>+<unit>+<time>+<random>`` after
    the id the sender's own settings give, which a child who knows Python can change. On
    the hub each child is the system user ``<prefix><id>``: a submission whose folder
    another user made goes to ``aside`` (never collected, nor graded), with one line.
    Returns the names set aside.
    """
    import pwd
    import shutil

    from autograder.hub.accounts import login_name

    moved = []
    if not inbound.is_dir():
        return moved
    for entry in sorted(inbound.iterdir()):
        parts = entry.name.rsplit("+", 3)
        if len(parts) != 4:
            continue
        login = login_name(parts[0], prefix)
        try:
            expected = pwd.getpwnam(login).pw_uid if login else None
        except KeyError:
            expected = None
        owner = entry.lstat().st_uid
        if expected is not None and owner == expected:
            continue
        try:
            sender = pwd.getpwuid(owner).pw_name
        except KeyError:
            sender = str(owner)
        aside.mkdir(parents=True, exist_ok=True, mode=0o700)
        shutil.move(str(entry), str(aside / entry.name))
        say(f"jazari: set aside {entry.name}: handed in by {sender}, not by "
            f"{login or parts[0]} (in {aside})", file=sys.stderr, flush=True)
        moved.append(entry.name)
    return moved


def serve(*, course: str | Path, rounds: int | None = None, interval: float | None = None,
          prefix: str | None = None, aside: str | Path | None = None, say=print) -> int:
    """Grade new submissions of every released unit until stopped (or ``rounds`` looks):
    ``jazari grade --watch`` without a unit (:func:`autograder.grade.watch_released`).

    With ``prefix`` (the hub's c.JazariHub.user_prefix), submissions not handed in by the
    account of their id are first moved to ``aside`` (:func:`set_aside_forged`).
    """
    from autograder.grading.command import _summary

    if prefix is not None and aside is None:
        raise JazariError("set_aside_forged needs a folder for what it sets aside")

    def set_aside(opened) -> None:
        inbound = Path(opened.api().exchange_root) / opened.course_id / "inbound"
        set_aside_forged(inbound, prefix=prefix, aside=Path(aside), say=say)

    say(f"Grading new submissions of every released unit of {Path(course).resolve()}.",
        flush=True)
    return watch_released(course=course, rounds=rounds, interval=interval, on_run=_summary,
                          before_look=set_aside if prefix is not None else None, say=say)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.hub.service",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--course", required=True, metavar="DIR")
    parser.add_argument("--rounds", type=int, metavar="N", help="stop after N looks")
    parser.add_argument("--prefix", help="the hub's user prefix: set aside submissions not "
                        "handed in by the system user <prefix><id>")
    parser.add_argument("--aside", metavar="DIR", help="where those go")
    args = parser.parse_args(argv)
    # group-writable for the trainers; others may read: the course folder is closed to them
    # at its top, and the feedback it returns to the exchange must be readable by children
    previous = os.umask(0o002)
    try:
        serve(course=args.course, rounds=args.rounds, prefix=args.prefix, aside=args.aside)
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
