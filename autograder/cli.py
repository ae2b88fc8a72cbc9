"""The ``jazari`` command: a thin layer over the functions of this package.

Every subcommand that acts on a course takes ``--course DIR`` (default: the current
folder). Options also live in the course's ``nbgrader_config.py`` (``c.JazariGrade``…);
the command line wins over the file. Problems the user can fix print one line starting
with ``jazari:`` and exit with status 2; ``jazari grade`` exits with 1 when some
submissions could not be graded (the others are graded all the same).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from autograder import __version__
from autograder.errors import JazariError

__all__ = ["main"]


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, not the whole usage text
        self.exit(2, f"jazari: {message} (see 'jazari --help')\n")


def _course(parser) -> None:
    parser.add_argument("--course", default=".", metavar="DIR",
                        help="the nbgrader course folder (default: the current folder)")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="jazari", description="Jazari classroom: build, release, grade and "
                     "report the units of the Jazari curriculum with nbgrader.")
    parser.add_argument("--version", action="version", version=f"jazari {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    build = commands.add_parser("build", help="make an nbgrader course folder from the syllabus")
    build.add_argument("--out", required=True, metavar="DIR", help="the course folder to make")
    build.add_argument("--lang", default="en",
                       help="language of the notebooks and guides: en, fr or ar (default: en)")
    build.add_argument("--syllabus", metavar="FILE", help="syllabus file (default: the "
                       "curriculum/syllabus.yaml that comes with Jazari)")
    build.add_argument("--course-id", default="jazari", help="nbgrader course id")
    build.add_argument("--exchange", metavar="DIR", help="exchange folder (default: "
                       "DIR/exchange; on a JupyterHub, e.g. /srv/nbgrader/exchange)")
    build.add_argument("--unit", action="append", dest="units", metavar="ID",
                       help="only this unit (repeatable)")

    release = commands.add_parser("release", help="release a unit to the learners")
    release.add_argument("assignment", help="the unit (assignment) id")
    release.add_argument("--force", action="store_true", help="release again if released")
    _course(release)

    grade = commands.add_parser("grade", help="collect, autograde and give feedback for a unit")
    grade.add_argument("assignment", nargs="?", help="the unit (assignment) id; with --watch "
                       "and no unit, every unit released to the learners")
    grade.add_argument("--jobs", type=int, metavar="N", dest="workers",
                       help="submissions graded at once (default: one per CPU core)")
    grade.add_argument("--workers", type=int, metavar="N", help="the same as --jobs")
    grade.add_argument("--student", action="append", dest="students", metavar="ID",
                       help="grade only this learner (repeatable)")
    grade.add_argument("--watch", action="store_true",
                       help="keep grading new submissions as they arrive (Ctrl-C stops)")
    _course(grade)

    report = commands.add_parser("report", help="print the class gradebook (per track)")
    report.add_argument("--csv", metavar="FILE", help="also write the gradebook as CSV "
                        "(one row per learner)")
    report.add_argument("--long-csv", metavar="FILE", help="also write one CSV row per learner "
                        "and graded cell")
    report.add_argument("--moodle", metavar="FILE", help="also write a CSV for Moodle's "
                        "gradebook import")
    report.add_argument("--html", metavar="FILE", help="also write a self-contained HTML report")
    report.add_argument("--chart", metavar="FILE", help="also write a PNG chart of the scores")
    report.add_argument("--certificates", metavar="DIR", help="also write a completion "
                        "certificate per learner (HTML and PDF) into DIR")
    report.add_argument("--pseudonymise", action="store_true", help="keyed pseudonyms "
                        "instead of ids and names in the CSV and HTML files")
    report.add_argument("--unit", action="append", dest="units", metavar="ID",
                        help="only this unit (repeatable)")
    report.add_argument("--needs-help-below", type=float, metavar="PERCENT",
                        help="list learners below this percentage (default: "
                        "c.JazariReport.needs_help_below)")
    report.add_argument("--merge", nargs="+", metavar="DIR", help="merge the gradebooks of "
                        "these course folders (classes or centres) into one report")
    report.add_argument("--dashboard", action="store_true", help="also put the trainer's "
                        "dashboard notebook (widgets over the same figures) in the course")
    report.add_argument("--quiet", action="store_true", help="do not print the tables")
    _course(report)

    lab = commands.add_parser(
        "lab", help="start JupyterLab on the course (with nbgrader), or as one learner",
        description="Start JupyterLab. Without --learner: the trainer's view, in the course "
        "folder, with nbgrader's formgrader. With --learner ID: that learner's own view, in "
        "a folder of theirs outside the course (default: <course>-learners/ID beside the "
        "course folder), with the Assignments tab to fetch, submit and fetch feedback, and "
        "no formgrader, course files or terminal.",
        epilog="Any other option goes to JupyterLab as it is, e.g. --port=8890, --no-browser, "
        "--IdentityProvider.token=... (see 'jupyter lab --help-all').")
    lab.add_argument("--learner", metavar="ID", help="start the view of this learner "
                     "(their nbgrader student id, as in the roster)")
    lab.add_argument("--home", metavar="DIR", help="with --learner: the learner's folder "
                     "(default: <course>-learners/ID beside the course folder)")
    lab.add_argument("--lang", metavar="LANG", help="en, fr or ar: the language of JupyterLab's "
                     "menus and dialogs (its French or Arabic language pack)")
    _course(lab)

    roster = commands.add_parser(
        "roster", help="add or update the class's learners from a CSV file",
        description="Add or update learners in the course's gradebook from a CSV file "
        "(UTF-8) with the columns id, first_name, last_name, group, track; other columns "
        "are ignored. Every row is checked first: a file with a bad row changes nothing.")
    roster.add_argument("file", metavar="ROSTER.csv", help="the class list")
    roster.add_argument("--syllabus", metavar="FILE", help="syllabus whose track ids are "
                        "allowed (default: the curriculum/syllabus.yaml that comes with Jazari)")
    _course(roster)

    hub = commands.add_parser(
        "hub", help="start the class's JupyterHub: a login per child, feedback on submit",
        description="Start a JupyterHub for the class on this machine (as root): a system "
        "account per child and trainer of the roster (columns id, first_name, last_name, "
        "group, track, role, pin), JupyterLab with the Assignments tab for children, the "
        "formgrader for trainers, and grading with feedback as soon as a child submits. "
        "Options also come from c.JazariHub in the course's nbgrader_config.py.")
    hub.add_argument("--roster", required=True, metavar="FILE",
                     help="the class list with a role (learner or trainer) and a pin per person")
    hub.add_argument("--port", type=int, metavar="N", help="the port to open in the browser "
                     "(default: c.JazariHub.port, 8000)")
    hub.add_argument("--ip", metavar="ADDRESS", help="127.0.0.1: this machine only; 0.0.0.0: "
                     "the room's network (default: c.JazariHub.ip, 127.0.0.1)")
    hub.add_argument("--state", metavar="DIR", help="the hub's private folder (default: "
                     "<course>/.jazari/hub)")
    _course(hub)

    demo = commands.add_parser("demo", help="the whole cycle with a simulated class of 30")
    demo.add_argument("--out", metavar="DIR", help="keep the demo's files here "
                      "(default: a new temporary folder)")
    demo.add_argument("--units", nargs="+", metavar="UNIT",
                      help="run it on these units (default: the first unit of each track)")
    demo.add_argument("--all-units", action="store_true",
                      help="run it on every unit of the syllabus (takes a while)")
    demo.add_argument("--learners", type=int, default=30,
                      help="how many pretend learners (default 30, split between the tracks)")
    return parser


def _run(args, extra: list[str]) -> int:
    if args.command == "build":
        from autograder.build import build_course

        result = build_course(out=args.out, lang=args.lang, syllabus=args.syllabus,
                              course_id=args.course_id, exchange=args.exchange, units=args.units)
        kept = "" if result.config_written else " (kept the existing nbgrader_config.py)"
        print(f"Built {len(result.assignments)} units in {result.course}{kept}: "
              + ", ".join(result.assignments))
        return 0
    if args.command == "release":
        from autograder.release import release

        exchange = release(course=args.course, assignment=args.assignment, force=args.force)
        print(f"Released {args.assignment} to {exchange}")
        return 0
    if args.command == "grade":
        import warnings

        from autograder.grading.command import grade_command

        # nbgrader's own gradebook code warns about its session bookkeeping ("not in
        # session") while scoring; the trainer needs one line per problem, not these.
        warnings.filterwarnings("ignore", message=r".*not in session.*")

        return grade_command(course=args.course, assignment=args.assignment,
                             workers=args.workers, students=args.students, watch=args.watch)
    if args.command == "report":
        from autograder.reports.command import report_command

        return report_command(
            courses=args.merge or [args.course], units=args.units, csv=args.csv,
            long_csv=args.long_csv, moodle=args.moodle, html=args.html, chart=args.chart,
            certificates=args.certificates, pseudonymise=args.pseudonymise,
            needs_help_below=args.needs_help_below, dashboard=args.dashboard, quiet=args.quiet)
    if args.command == "lab":
        from autograder.lab import lab

        lab(course=args.course, learner=args.learner, home=args.home, extra=extra, lang=args.lang)
        return 0  # pragma: no cover - lab() replaces this process
    if args.command == "roster":
        from autograder.roster import roster

        result = roster(course=args.course, path=args.file, syllabus=args.syllabus)
        print(f"Roster: {len(result.added)} learners added, {len(result.updated)} updated "
              f"in {Path(args.course).expanduser().resolve()}")
        return 0
    if args.command == "hub":
        from autograder.hub import hub

        return hub(course=args.course, roster=args.roster, port=args.port, ip=args.ip,
                   state=args.state)
    if args.command == "demo":
        from autograder.demo import demo

        units = args.units
        if args.all_units:
            from curriculum import load_syllabus

            units = [unit.id for unit in load_syllabus().units]
        result = demo(out=args.out, units=units, learners=args.learners)
        return 1 if result.mismatches else 0
    raise AssertionError(args.command)  # pragma: no cover


def main(argv: list[str] | None = None) -> int:
    """Run the ``jazari`` command; returns the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = _parser()
    args, extra = parser.parse_known_args(argv)
    if extra and args.command != "lab":
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        return _run(args, extra)
    except JazariError as error:
        for line in str(error).splitlines():
            print(f"jazari: {line}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("jazari: stopped", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
