"""``jazari report``: read the gradebook(s), print the tables, write the files asked for."""

from __future__ import annotations

from pathlib import Path

from autograder.errors import JazariError

__all__ = ["report_command"]


def _check_outputs(paths: list[str | None]) -> None:
    """Fail before reading anything if an output folder cannot be written."""
    import os

    for path in filter(None, paths):
        folder = Path(path).expanduser().resolve().parent
        existing = folder
        while not existing.exists():
            existing = existing.parent
        if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
            raise JazariError(f"{path}: cannot write into {existing}")


def report_command(*, courses: list[str | Path], units: list[str] | None = None,
                   csv: str | None = None, long_csv: str | None = None,
                   moodle: str | None = None, html: str | None = None,
                   chart: str | None = None, certificates: str | None = None,
                   pseudonymise: bool = False, needs_help_below: float | None = None,
                   dashboard: bool = False, quiet: bool = False, say=print) -> int:
    """Run ``jazari report``; returns the exit status (problems raise :class:`JazariError`)."""
    import gc

    # A large class makes about a million objects (marks, rows, table cells) that all live
    # until the end: Python's cycle collector would scan them again and again for nothing
    # (a third of the time at 10,000 learners). Plain reference counting still frees them.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _report(courses=courses, units=units, csv=csv, long_csv=long_csv, moodle=moodle,
                       html=html, chart=chart, certificates=certificates,
                       pseudonymise=pseudonymise, needs_help_below=needs_help_below,
                       dashboard=dashboard, quiet=quiet, say=say)
    finally:
        if collecting:
            gc.enable()


def _report(*, courses, units, csv, long_csv, moodle, html, chart, certificates,
            pseudonymise, needs_help_below, dashboard, quiet, say) -> int:
    from autograder.reports import model

    if pseudonymise and moodle:
        raise JazariError("--moodle needs the learners' real ids: leave out --pseudonymise")
    _check_outputs([csv, long_csv, moodle, html, chart,
                    str(Path(certificates) / "x") if certificates else None])
    # Only the long CSV needs every cell's points; mastery per objective (the tables, the
    # HTML page, the dashboard) is summed by the database; the wide CSV needs neither.
    report = model.class_report(courses=list(courses), units=units,
                                needs_help_below=needs_help_below, cells=bool(long_csv),
                                mastery=bool(html or certificates or dashboard) or not quiet)
    if not quiet:
        from autograder.reports.terminal import format_table

        say(format_table(report))
    if csv:
        from autograder.reports.exports import write_csv

        say(f"CSV: {write_csv(report, csv, pseudonymise=pseudonymise)}")
    if long_csv:
        from autograder.reports.exports import write_long_csv

        say(f"CSV (one row per cell): {write_long_csv(report, long_csv, pseudonymise=pseudonymise)}")
    if moodle:
        from autograder.reports.exports import write_moodle_csv

        say(f"Moodle import CSV: {write_moodle_csv(report, moodle)}")
    if html:
        from autograder.reports.html import write_html

        say(f"HTML report: {write_html(report, html, pseudonymise=pseudonymise)}")
    if chart:
        from autograder.report import write_chart

        say(f"Chart: {write_chart(report, chart)}")
    if certificates:
        from autograder.reports.certificates import write_certificates

        made = write_certificates(report, certificates)
        say(f"Certificates: {len(made.pdfs)} PDF and {len(made.pages)} HTML in {made.folder}"
            + (f" ({made.note})" if made.note else ""))
    if dashboard:
        from autograder.reports.dashboard import write_dashboard

        for course in report.courses:
            say(f"Dashboard notebook: {write_dashboard(course)}")
    return 0
