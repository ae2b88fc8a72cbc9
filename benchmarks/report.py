"""Report speed: `jazari report --csv` beside `nbgrader export`, on the same gradebook.

Builds synthetic class gradebooks in nbgrader's own schema (the schema made once by
nbgrader's ``Gradebook``, with its units, notebooks and graded cells; then learners,
submissions and grades inserted in bulk with SQL, plus Jazari's outcome and learner rows, as
``jazari grade`` and ``jazari roster`` would leave them), then times, each as its own
command:

1. ``nbgrader export`` and ``jazari report --csv`` on the SAME gradebook of N learners x 22
   units x 5 graded cells, and prints both times and the ratio (target: 100x or more).
   ``nbgrader export`` takes about 13 minutes at 1,000 learners on this machine, so the
   default N is smaller; ``--full`` compares at 1,000 learners.
2. ``jazari report --csv`` alone at 10,000 learners x 22 units x 5 cells (target: < 5 s).

Every subprocess gets its own Jupyter folders under the temporary folder.

    python benchmarks/report.py [--compare-learners N] [--full] [--big-learners N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from autograder.config import child_env
from autograder.manifest import write_manifest
from curriculum import Syllabus, Track, Unit

UNITS = 22
CELLS = 5
POINTS = (1, 2, 2, 3, 2)


def _env(folder: Path) -> dict[str, str]:
    env = child_env()
    for name in ("JUPYTER_DATA_DIR", "JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
        env[name] = str(folder / "jupyter" / name.lower())
    env["HOME"] = str(folder / "home")
    (folder / "home").mkdir(parents=True, exist_ok=True)
    return env


def _units() -> list[str]:
    return [f"u{number:02d}_unit" for number in range(1, UNITS + 1)]


def _syllabus() -> Syllabus:
    units = [Unit(unit, f"Unit {number}", "explorers", "8-12", ((number % 5) + 1,),
                  ("First objective.", "Second objective."), 60,
                  (f"age_8_12/{unit}/{unit}.ipynb",), "guide.md",
                  cells=tuple((f"c{cell}_tests", 1 + (cell >= 3)) for cell in range(CELLS)))
             for number, unit in enumerate(_units(), start=1)]
    return Syllabus(path=Path("synthetic.yaml"), root=Path("."),
                    tracks={"explorers": Track("explorers", "Explorers", "8-12", "age_8_12")},
                    units=units)


def make_gradebook(course: Path, learners: int, seed: int = 0) -> float:
    """A course folder whose gradebook holds ``learners`` x 22 units x 5 cells; returns seconds."""
    from nbgrader.api import Gradebook

    from autograder import learners as learner_store
    from autograder import outcomes as outcome_store

    started = time.monotonic()
    course.mkdir(parents=True)
    (course / "nbgrader_config.py").write_text(
        "c = get_config()\nc.CourseDirectory.course_id = 'bench'\n")
    db_url = f"sqlite:///{course / 'gradebook.db'}"
    start = datetime(2026, 1, 5)
    gb = Gradebook(db_url, course_id="bench")  # nbgrader makes its schema (and alembic stamp)
    try:
        for number, unit in enumerate(_units()):
            gb.add_assignment(unit, duedate=start + timedelta(days=7 * number))
            gb.add_notebook(unit, unit)
            for cell, points in enumerate(POINTS):
                gb.add_grade_cell(f"c{cell}_tests", unit, unit, max_score=points, cell_type="code")
    finally:
        gb.close()
    learner_store.load(db_url)  # make Jazari's tables beside nbgrader's
    outcome_store.load(db_url)
    engine = sa.create_engine(db_url)
    meta = sa.MetaData()
    meta.reflect(engine)
    t = meta.tables
    random_numbers = random.Random(seed)
    with engine.begin() as connection:
        assignments = dict(connection.execute(sa.select(t["assignment"].c.name,
                                                        t["assignment"].c.id)).all())
        notebooks = dict(connection.execute(sa.select(t["notebook"].c.assignment_id,
                                                      t["notebook"].c.id)).all())
        cells = {}
        for notebook_id, name, cell_id in connection.execute(sa.select(
                t["base_cell"].c.notebook_id, t["base_cell"].c.name, t["base_cell"].c.id)):
            cells.setdefault(notebook_id, []).append((name, cell_id))
        for notebook_id in cells:
            cells[notebook_id].sort()
        students, subs, sub_nbs, grades, outcomes, roster = [], [], [], [], [], []
        recorded = datetime(2026, 6, 1)
        for index in range(learners):
            sid = f"learner{index:05d}"
            students.append({"id": sid, "first_name": f"First{index}", "last_name": f"Last{index}",
                             "email": None, "lms_user_id": None})
            roster.append({"student": sid, "class_group": f"group {index % 12}",
                           "track": "explorers"})
            for unit, assignment_id in assignments.items():
                sub_id, nb_id = uuid.uuid4().hex, uuid.uuid4().hex
                subs.append({"id": sub_id, "assignment_id": assignment_id, "student_id": sid,
                             "timestamp": start, "extension": None})
                sub_nbs.append({"id": nb_id, "assignment_id": sub_id,
                                "notebook_id": notebooks[assignment_id], "flagged": False,
                                "late_submission_penalty": None})
                for (_name, cell_id), points in zip(cells[notebooks[assignment_id]], POINTS,
                                                    strict=True):
                    grades.append({"id": uuid.uuid4().hex, "notebook_id": nb_id, "cell_id": cell_id,
                                   "auto_score": float(points * (random_numbers.random() < 0.7)),
                                   "manual_score": None, "extra_credit": None,
                                   "needs_manual_grade": False})
                outcomes.append({"assignment": unit, "student": sid, "status": "graded",
                                 "reason": "", "flags": "", "recorded_at": recorded})
        for table, rows in (("student", students), ("submitted_assignment", subs),
                            ("submitted_notebook", sub_nbs), ("grade", grades),
                            ("jazari_outcome", outcomes), ("jazari_learner", roster)):
            for chunk in range(0, len(rows), 50_000):
                connection.execute(t[table].insert(), rows[chunk:chunk + 50_000])
    engine.dispose()
    write_manifest(course, _syllabus(), "en")
    return time.monotonic() - started


class Timing:
    """Wall-clock and CPU seconds (user + system) of one command."""

    def __init__(self, wall: float, cpu: float):
        self.wall, self.cpu = wall, cpu

    def __str__(self) -> str:
        return f"{self.wall:8.2f} s wall, {self.cpu:7.2f} s CPU"


def _timed(command: list[str], cwd: Path, env: dict) -> Timing:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    result = subprocess.run(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    seconds = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {result.stderr.strip()[-500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timing(seconds, cpu)


def _jazari() -> list[str]:
    return [str(Path(sys.executable).with_name("jazari"))]


def _rows(path: Path) -> int:
    with path.open(encoding="utf-8") as stream:
        return sum(1 for _ in stream) - 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compare-learners", type=int, default=60, metavar="N",
                        help="learners in the gradebook that both tools read (default 60)")
    parser.add_argument("--full", action="store_true",
                        help="compare at 1,000 learners (nbgrader export takes ~13 minutes)")
    parser.add_argument("--big-learners", type=int, default=10_000, metavar="N",
                        help="learners for jazari alone (default 10,000)")
    parser.add_argument("--keep", metavar="DIR", help="keep the gradebooks in DIR")
    args = parser.parse_args(argv)
    compare = 1000 if args.full else args.compare_learners
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="jazari-bench-report-"))
    folder.mkdir(parents=True, exist_ok=True)
    env = _env(folder)
    os.environ.update({k: env[k] for k in ("PATH",)})
    try:
        print(f"Report benchmark: {UNITS} units x {CELLS} graded cells per learner, SQLite, "
              f"{os.cpu_count()} CPU cores")
        same = folder / f"class_{compare}"
        made = make_gradebook(same, compare)
        print(f"  made a gradebook of {compare} learners ({compare * UNITS * CELLS:,} grades) "
              f"in {made:.1f} s")
        nbgrader_s = _timed([sys.executable, "-m", "nbgrader", "export", "--to",
                             str(folder / "nbgrader.csv")], same, env)
        jazari_s = _timed([*_jazari(), "report", "--course", str(same), "--csv",
                           str(folder / "jazari.csv")], same, env)
        nbgrader_rows, jazari_rows = _rows(folder / "nbgrader.csv"), _rows(folder / "jazari.csv")
        print(f"  same gradebook, {compare} learners x {UNITS} units:")
        print(f"    nbgrader export          {nbgrader_s}  ({nbgrader_rows} rows: learner x unit)")
        print(f"    jazari report --csv      {jazari_s}  ({jazari_rows} rows: learner; "
              "plus the per-track tables, mastery and who needs help on the terminal)")
        ratio, cpu_ratio = nbgrader_s.wall / jazari_s.wall, nbgrader_s.cpu / jazari_s.cpu
        verdict = "meets" if ratio >= 100 else "BELOW"
        print(f"    ratio                    {ratio:8.1f}x wall, {cpu_ratio:.1f}x CPU  (target >= 100x "
              f"at 1,000 learners: {verdict} it at {compare} learners"
              + ("" if compare == 1000 else "; run with --full for the 1,000-learner figure") + ")")
        print(f"    (load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
              "CPU time is the steadier figure on a busy machine)")

        big = folder / f"class_{args.big_learners}"
        made = make_gradebook(big, args.big_learners, seed=1)
        print(f"  made a gradebook of {args.big_learners:,} learners "
              f"({args.big_learners * UNITS * CELLS:,} grades) in {made:.1f} s")
        big_s = _timed([*_jazari(), "report", "--course", str(big), "--csv",
                        str(folder / "jazari_big.csv")], big, env)
        verdict = "meets" if big_s.wall < 5 else "MISSES"
        print(f"    jazari report --csv      {big_s}  at {args.big_learners:,} learners x "
              f"{UNITS} units (target < 5 s: {verdict}; load average "
              f"{os.getloadavg()[0]:.1f})")
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
