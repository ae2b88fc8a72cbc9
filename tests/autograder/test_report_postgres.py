"""The gradebook in PostgreSQL: the same grading and reports as with SQLite, on a real server.

A throwaway PostgreSQL cluster (Debian's ``postgresql``, installed by ``make test``) is made
under a temporary folder and started on loopback for these tests. If it cannot be started,
the tests fail: they never skip silently.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from autograder.course import open_course
from autograder.grade import grade
from autograder.reports import class_report, format_table, write_csv, write_long_csv
from tests.autograder.report_helpers import make_course
from tests.conftest import submit_notebook, toy_answer

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")]


def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if found:
        return found[-1]
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"PostgreSQL's {name} is not installed: run `make test` (it installs "
                    "Debian's postgresql) or `bash .ci/debian-packages postgresql`")
    return path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def postgres():
    """A PostgreSQL server on 127.0.0.1 for this module; yields a function making databases."""
    import psycopg

    # Its own folder, not under pytest's (which is private to root): as root, the server
    # runs as the 'postgres' user, who must reach it. Removed at the end.
    base = Path(tempfile.mkdtemp(prefix="jazari-test-postgres-"))
    data, sockets = base / "data", base / "sockets"
    sockets.mkdir()
    run_as: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root: run it as its own user
        base.chmod(0o700)
        shutil.chown(base, "postgres")
        shutil.chown(sockets, "postgres")
        run_as = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    init = subprocess.run([*run_as, _pg_bin("initdb"), "-D", str(data), "-U", "jazari",
                           "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"],
                          capture_output=True, text=True)
    assert init.returncode == 0, f"initdb failed: {init.stderr[-2000:]}"
    log = base / "server.log"
    if run_as:
        log.touch()
        shutil.chown(log, "postgres")
    start = subprocess.run([*run_as, _pg_bin("pg_ctl"), "-D", str(data), "-l", str(log), "-w",
                            "-o", f"-c listen_addresses=127.0.0.1 -c port={port} "
                                  f"-c unix_socket_directories={sockets}", "start"],
                           capture_output=True, text=True)
    assert start.returncode == 0, f"PostgreSQL did not start: {start.stderr}\n{log.read_text()}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                psycopg.connect(f"host=127.0.0.1 port={port} user=jazari dbname=postgres").close()
                break
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        counter = iter(range(1000))

        def new_database() -> str:
            name = f"gradebook_{next(counter)}"
            with psycopg.connect(f"host=127.0.0.1 port={port} user=jazari dbname=postgres",
                                 autocommit=True) as connection:
                connection.execute(f"CREATE DATABASE {name}")
            return f"postgresql+psycopg://jazari@127.0.0.1:{port}/{name}"

        yield new_database
    finally:
        subprocess.run([*run_as, _pg_bin("pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                       capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def _use_database(course: Path, db_url: str) -> None:
    config = course / "nbgrader_config.py"
    config.write_text(config.read_text() + f"\nc.CourseDirectory.db_url = {db_url!r}\n")


def _class_work(course: Path) -> None:
    with open_course(course).gradebook() as gb:
        gb.update_or_create_student("yasmine", first_name="Yasmine", last_name="Alaoui")
        gb.update_or_create_student("salma", first_name="Salma", last_name="Chraibi")
    submit_notebook(course, "yasmine", toy_answer(course, "def add_one(n):\n    return n + 1"))
    submit_notebook(course, "amine", toy_answer(course, "def add_one(n):\n    return n + 2"))
    submit_notebook(course, "omar", "not a notebook")


def test_grading_and_reports_agree_between_sqlite_and_postgresql(postgres, toy_repo, toy_course,
                                                                  tmp_path):
    """Do the same submissions graded into PostgreSQL give the same report as with SQLite?"""
    from autograder.build import build_course
    from autograder.release import release

    pg_course = tmp_path / "pg_course"
    build_course(out=pg_course, syllabus=toy_repo, exchange=tmp_path / "pg_exchange")
    db_url = postgres()
    _use_database(pg_course, db_url)
    assert open_course(pg_course).db_url == db_url
    release(course=pg_course, assignment="t01_toy")
    for course in (toy_course, pg_course):
        _class_work(course)
        grade(course=course, assignment="t01_toy", steps=["check", "autograde"])
    assert not (pg_course / "gradebook.db").exists()  # everything went to the server
    sqlite_report, pg_report = class_report(course=toy_course), class_report(course=pg_course)
    assert [(r.student, r.name, r.scores, r.status) for r in pg_report.rows] == \
        [(r.student, r.name, r.scores, r.status) for r in sqlite_report.rows]
    assert [r.status["t01_toy"] for r in pg_report.rows] == [
        "graded", "invalid", "not submitted", "graded"]  # amine, omar, salma, yasmine
    assert pg_report.rows and pg_report.rows[-1].scores == {"t01_toy": 2.0}  # Yasmine
    assert format_table(pg_report).replace(str(pg_course), "C") == \
        format_table(sqlite_report).replace(str(toy_course), "C")
    for writer in (write_csv, write_long_csv):
        assert writer(pg_report, tmp_path / "pg.csv").read_text().replace(str(pg_course), "C") == \
            writer(sqlite_report, tmp_path / "sqlite.csv").read_text().replace(str(toy_course), "C")


def test_tracks_outcomes_and_mastery_from_postgresql(postgres, tmp_path):
    """Are stored tracks, outcomes and per-cell mastery read back from PostgreSQL?"""
    results = {"yasmine": {"e_robot": {"e1": 2, "e2": 2, "e3": 3}},
               "amine": {"m_knn": {"m1": 4, "m2": 0}}}
    kwargs = dict(names={"yasmine": ("Yasmine", "Alaoui")},
                  tracks={"yasmine": "explorers", "amine": "makers"},
                  outcome_status={("amine", "m_knn"): ("late", "handed in 2 days late")})
    lite = make_course(tmp_path / "lite", results, **kwargs)
    made = make_course(tmp_path / "server", results, db_url=postgres(), **kwargs)
    assert not (made / "gradebook.db").exists()
    a, b = class_report(course=lite), class_report(course=made)
    assert [t.id for t in b.tracks] == ["explorers", "makers"]
    amine = next(r for r in b.rows if r.student == "amine")
    assert (amine.marks["m_knn"].status, amine.marks["m_knn"].reason) == ("late", "handed in 2 days late")
    assert b.tracks[1].class_objective(b.tracks[1].objectives()[0]) == (80.0, 1)
    assert format_table(a).replace(str(lite), "C") == format_table(b).replace(str(made), "C")
