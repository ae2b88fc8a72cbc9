"""Report speed: `jazari report --csv` beside `nbgrader export`, on the same gradebook.

Builds synthetic class gradebooks in nbgrader's own schema (the schema made once by
nbgrader's ``Gradebook``, with its units, notebooks and graded cells; then learners,
submissions and grades inserted in bulk with SQL, plus Jazari's outcome and learner rows and
the indexes Jazari adds to the gradebook, as ``jazari grade`` and ``jazari roster`` would leave
them), then times, each as its own command:

1. ``nbgrader export`` and ``jazari report --csv`` on the SAME gradebook of N learners x 22
   units x 5 graded cells, and prints both times and the ratio (target: 100x or more).
   ``nbgrader export`` takes about 3 minutes at 1,000 learners on this machine (13 without
   the indexes Jazari adds, which speed up nbgrader's own lookups too), so the
   default N is smaller; ``--full`` compares at 1,000 learners.
   It then checks that every learner x unit score in Jazari's CSV equals nbgrader's.
2. ``jazari report --csv`` alone at 10,000 learners x 22 units x 5 cells, three times; the
   median run counts (target: < 5 s).

Both gradebooks are made first, so the timed commands run one after the other. The
machine may be shared: each figure is printed with CPU time and the load average.

Every subprocess gets its own Jupyter folders under the temporary folder.

    python benchmarks/report.py [--compare-learners N] [--full] [--big-learners N] [--keep DIR]

``--keep DIR`` keeps the gradebooks, and a later run with the same DIR times them again
without building them anew (adding Jazari's indexes if they lack them, as the next
``jazari grade`` would).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

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
    # The rows themselves go in through sqlite3's executemany (plain tuples): the same
    # values nbgrader's ORM would write, a hundred times faster to make.
    connection = sqlite3.connect(course / "gradebook.db")
    assignments = dict(connection.execute("SELECT name, id FROM assignment"))
    notebooks = dict(connection.execute("SELECT assignment_id, id FROM notebook"))
    cells: dict[str, list[str]] = {}
    for notebook_id, _name, cell_id in sorted(connection.execute(
            "SELECT notebook_id, name, id FROM base_cell")):
        cells.setdefault(notebook_id, []).append(cell_id)
    random_numbers = random.Random(seed)
    recorded = f"{datetime(2026, 6, 1):%Y-%m-%d %H:%M:%S.%f}"
    started_at = f"{start:%Y-%m-%d %H:%M:%S.%f}"
    ids = (f"{random_numbers.getrandbits(128):032x}" for _ in iter(int, 1))
    with connection:
        for first in range(0, learners, 1000):
            students, roster, subs, sub_nbs, grades, outcomes = [], [], [], [], [], []
            for index in range(first, min(first + 1000, learners)):
                sid = f"learner{index:05d}"
                students.append((sid, f"First{index}", f"Last{index}"))
                roster.append((sid, f"group {index % 12}", "explorers"))
                for unit, assignment_id in assignments.items():
                    sub_id, nb_id = next(ids), next(ids)
                    notebook_id = notebooks[assignment_id]
                    subs.append((sub_id, assignment_id, sid, started_at))
                    sub_nbs.append((nb_id, sub_id, notebook_id))
                    for cell_id, points in zip(cells[notebook_id], POINTS, strict=True):
                        grades.append((next(ids), nb_id, cell_id,
                                       float(points * (random_numbers.random() < 0.7))))
                    outcomes.append((unit, sid, "graded", "", "", recorded))
            connection.executemany("INSERT INTO student (id, first_name, last_name) "
                                   "VALUES (?, ?, ?)", students)
            connection.executemany("INSERT INTO jazari_learner (student, class_group, track) "
                                   "VALUES (?, ?, ?)", roster)
            connection.executemany("INSERT INTO submitted_assignment (id, assignment_id, "
                                   "student_id, timestamp) VALUES (?, ?, ?, ?)", subs)
            connection.executemany("INSERT INTO submitted_notebook (id, assignment_id, "
                                   "notebook_id, flagged) VALUES (?, ?, ?, 0)", sub_nbs)
            connection.executemany("INSERT INTO grade (id, notebook_id, cell_id, auto_score, "
                                   "needs_manual_grade) VALUES (?, ?, ?, ?, 0)", grades)
            connection.executemany("INSERT INTO jazari_outcome (assignment, student, status, "
                                   "reason, flags, recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
                                   outcomes)
    connection.close()
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


def _agree(nbgrader_csv: Path, jazari_csv: Path) -> tuple[int, int]:
    """(learner x unit scores compared, how many differ) between the two exports."""
    import csv

    theirs: dict[str, dict[str, float]] = {}
    with nbgrader_csv.open(encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            theirs.setdefault(row["student_id"], {})[row["assignment"]] = float(row["score"])
    differ = 0
    with jazari_csv.open(encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            for unit, score in theirs.pop(row["student_id"], {}).items():
                differ += abs(float(row.get(f"{unit}_score") or 0.0) - score) > 1e-9
    differ += sum(len(units) for units in theirs.values())  # learners missing from Jazari's
    compared = sum(1 for _ in nbgrader_csv.open(encoding="utf-8")) - 1
    return compared, differ


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.1f}, {five:.1f}, {fifteen:.1f} on {os.cpu_count()} cores"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compare-learners", type=int, default=60, metavar="N",
                        help="learners in the gradebook that both tools read (default 60)")
    parser.add_argument("--full", action="store_true",
                        help="compare at 1,000 learners (nbgrader export takes ~3 minutes)")
    parser.add_argument("--big-learners", type=int, default=10_000, metavar="N",
                        help="learners for jazari alone (default 10,000)")
    parser.add_argument("--keep", metavar="DIR",
                        help="keep the gradebooks in DIR; a later run with the same DIR reuses "
                             "them instead of building them again")
    args = parser.parse_args(argv)
    compare = 1000 if args.full else args.compare_learners
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="jazari-bench-report-"))
    folder.mkdir(parents=True, exist_ok=True)
    env = _env(folder)
    os.environ.update({k: env[k] for k in ("PATH",)})
    try:
        print(f"Report benchmark: {UNITS} units x {CELLS} graded cells per learner, SQLite, "
              f"{os.cpu_count()} CPU cores")
        same, big = folder / f"class_{compare}", folder / f"class_{args.big_learners}"
        for course, learners, seed in ((same, compare, 0), (big, args.big_learners, 1)):
            if args.keep and (course / "gradebook.db").is_file():
                print(f"  reusing the gradebook of {learners:,} learners in {course}", flush=True)
                from autograder import outcomes as outcome_store

                outcome_store.load(f"sqlite:///{course / 'gradebook.db'}")
                continue
            made = make_gradebook(course, learners, seed=seed)
            print(f"  made a gradebook of {learners:,} learners ({learners * UNITS * CELLS:,} "
                  f"grades) in {made:.1f} s", flush=True)

        print(f"  same gradebook, {compare:,} learners x {UNITS} units x {CELLS} cells:", flush=True)
        nbgrader_s = _timed([sys.executable, "-m", "nbgrader", "export", "--to",
                             str(folder / "nbgrader.csv")], same, env)
        nbgrader_load = _load()
        print(f"    nbgrader export          {nbgrader_s}  ({_rows(folder / 'nbgrader.csv')} rows: "
              f"learner x unit; {nbgrader_load})", flush=True)
        jazari_s = _timed([*_jazari(), "report", "--course", str(same), "--csv",
                           str(folder / "jazari.csv")], same, env)
        print(f"    jazari report --csv      {jazari_s}  ({_rows(folder / 'jazari.csv')} rows: "
              f"learner; plus the per-track tables, mastery and who needs help on the "
              f"terminal; {_load()})")
        ratio, cpu_ratio = nbgrader_s.wall / jazari_s.wall, nbgrader_s.cpu / jazari_s.cpu
        verdict = "meets" if ratio >= 100 else "BELOW"
        print(f"    ratio                    {ratio:8.1f}x wall, {cpu_ratio:.1f}x CPU  (target >= 100x "
              f"at 1,000 learners: {verdict} it at {compare:,} learners"
              + ("" if compare == 1000 else "; run with --full for the 1,000-learner figure") + ")")
        compared, differ = _agree(folder / "nbgrader.csv", folder / "jazari.csv")
        print(f"    scores equal to nbgrader export's: {'yes' if not differ else 'NO'} "
              f"({compared:,} learner x unit scores, {differ} differ)")

        # Three runs, the median counts: one run lasts seconds, so a burst of another
        # program's work on this shared machine would otherwise decide the figure. Two
        # fixed pieces of work timed before and after tell how fast the machine ran.
        before = _machine_speed()
        runs = sorted((_timed([*_jazari(), "report", "--course", str(big), "--csv",
                               str(folder / "jazari_big.csv")], big, env) for _ in range(3)),
                      key=lambda timing: timing.wall)
        big_s = runs[1]
        verdict = "meets" if big_s.wall < 5 else "MISSES"
        print(f"  {args.big_learners:,} learners x {UNITS} units x {CELLS} cells:")
        print(f"    jazari report --csv      {big_s}  (median of 3 runs: "
              + ", ".join(f"{run.wall:.2f}" for run in runs)
              + f" s; target < 5 s wall: {verdict}; {_load()})")
        after = _machine_speed()
        print(f"    this machine's speed     a plain Python loop of 20 million additions took "
              f"{before[0]:.2f} s before these runs and {after[0]:.2f} s after; a dict of "
              f"300,000 random keys, built and read in random order: {before[1]:.2f} s and "
              f"{after[1]:.2f} s")
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


def _machine_speed() -> tuple[float, float]:
    """Seconds two fixed pieces of work take now: a plain Python loop of 20 million
    additions (the processor), and a dict of 300,000 random 32-character keys built and
    read in random order (the memory, which a report's lookups wait on). The same work on
    every run: larger figures mean the shared machine is running slower."""
    started = time.perf_counter()
    total = 0
    for number in range(20_000_000):
        total += number
    loop = time.perf_counter() - started
    numbers = random.Random(7)
    keys = [f"{numbers.getrandbits(128):032x}" for _ in range(300_000)]
    started = time.perf_counter()
    places = dict(zip(keys, range(len(keys)), strict=True))
    numbers.shuffle(keys)
    for key in keys:
        total += places[key]
    return loop, time.perf_counter() - started


if __name__ == "__main__":
    sys.exit(main())
