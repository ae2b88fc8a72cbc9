"""Grading speed: `jazari grade` beside stock `nbgrader autograde`, on the same class.

Two classes, built in a temporary folder:

* a curriculum unit (default ``m06_nearest_neighbour``: NumPy, scikit-learn, matplotlib,
  ipywidgets) handed in by N learners (complete, partial, wrong and empty work in turn);
* nbgrader's own quickstart course (``nbgrader quickstart``: ps1, two notebooks) handed in
  by N learners (solution, blank and half-done in turn).

Each class is graded twice from identical copies: once by ``nbgrader autograde`` (its own
command, one process, a kernel per notebook) and once by ``jazari grade`` (one sandboxed
process warms up once and forks a runner per core; the runners take the font list this
user's matplotlib keeps, as the notebooks' kernels under stock nbgrader do). The script checks that every graded
cell got the same score from both, then prints both times, the ratio (the target is 20× or
more on a 2-core machine) and Jazari's overhead per notebook beyond the notebooks' own run
time.

Every subprocess gets its own Jupyter folders under the temporary folder.

    python benchmarks/grading.py [--learners N] [--unit UNIT] [--jobs N] [--syllabus FILE]
                                  [--repeat N] [--skip-quickstart]

``jazari grade`` runs ``--repeat`` times (default 3), each on its own copy of the class, and
the median run is compared: a run lasts seconds, so a burst of another program's work on a
shared machine would otherwise decide the figure. Every run's time is printed.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from autograder.build import build_course
from autograder.config import child_env
from autograder.course import open_course
from autograder.demo import make_submission
from autograder.grade import grade
from autograder.mistakes import load_mistakes
from autograder.notebooks import answer_cells, fill_answers, read_notebook, solution_code
from curriculum import load_syllabus


def _env(folder: Path) -> dict[str, str]:
    env = child_env()
    for name in ("JUPYTER_DATA_DIR", "JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR",
                 "IPYTHONDIR"):
        env[name] = str(folder / "jupyter" / name.lower())
    env["HOME"] = str(folder / "home")
    (folder / "home").mkdir(exist_ok=True)
    return env


def _nbgrader(args: list[str], cwd: Path, env: dict) -> None:
    done = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=cwd, env=env,
                          capture_output=True, text=True)
    if done.returncode:
        print(f"nbgrader {' '.join(args)} failed (status {done.returncode}); its last words:")
        print("\n".join(done.stderr.splitlines()[-15:]))
        if args[0] != "autograde":  # a failed autograde still graded the rest: compare them
            raise SystemExit(1)


def _unit_class(folder: Path, unit_id: str, learners: int, env: dict,
                syllabus_file: str | None) -> tuple[Path, str]:
    syllabus = load_syllabus(syllabus_file)
    unit = syllabus.unit(unit_id)
    mistakes = load_mistakes(syllabus.root / unit.folder / "mistakes.yaml")
    course = folder / "unit"
    build_course(out=course, syllabus=syllabus, units=[unit.id])
    _nbgrader(["generate_assignment", unit.id, "--force"], course, env)
    kinds = ["complete", "partial", "wrong", "empty"]
    for number in range(learners):
        target = course / "submitted" / f"learner{number:02d}" / unit.id
        target.mkdir(parents=True)
        for notebook in unit.notebooks:
            name = Path(notebook).name
            handed_in = make_submission(kinds[number % len(kinds)],
                                        read_notebook(course / "release" / unit.id / name),
                                        read_notebook(syllabus.root / notebook), mistakes,
                                        number)
            nbformat.write(handed_in, target / name)
    return course, unit.id


def _quickstart_class(folder: Path, learners: int, env: dict) -> tuple[Path, str]:
    subprocess.run([sys.executable, "-m", "nbgrader", "quickstart", "quickstart"], cwd=folder,
                   env=env, check=True, capture_output=True)
    course = folder / "quickstart"
    _nbgrader(["generate_assignment", "ps1", "--force"], course, env)
    for number in range(learners):
        target = course / "submitted" / f"learner{number:02d}" / "ps1"
        target.mkdir(parents=True)
        for name in ("problem1.ipynb", "problem2.ipynb"):
            released = read_notebook(course / "release" / "ps1" / name)
            source = read_notebook(course / "source" / "ps1" / name)
            kind = number % 3
            if kind == 0:
                handed_in = fill_answers(released, {})
            else:
                answers = {cell.metadata["nbgrader"]["grade_id"]: solution_code(cell.source)
                           for cell in answer_cells(source) if cell.cell_type == "code"}
                if kind == 2:
                    answers = dict(list(answers.items())[: len(answers) // 2])
                handed_in = fill_answers(released, answers)
            nbformat.write(handed_in, target / name)
    return course, "ps1"


def _cell_scores(course: Path, assignment: str) -> dict:
    scores = {}
    with open_course(course).gradebook() as gb:
        for submission in gb.assignment_submissions(assignment):
            for notebook in submission.notebooks:
                for grade_ in notebook.grades:
                    scores[(submission.student_id, notebook.name, grade_.name)] = grade_.score
    return scores


def _cpu() -> float:
    """CPU seconds (user + system) of this process and of its finished subprocesses."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


def _twin(course: Path, suffix: str) -> Path:
    twin = course.with_name(course.name + suffix)
    shutil.copytree(course, twin)
    config = twin / "nbgrader_config.py"
    config.write_text(config.read_text() + f"\nc.CourseDirectory.root = {str(twin)!r}\n")
    return twin


def _jazari_run(course: Path, assignment: str, jobs: int | None):
    started, cpu = time.perf_counter(), _cpu()
    run = grade(course=course, assignment=assignment, steps=["check", "autograde"],
                workers=jobs)
    seconds, used = time.perf_counter() - started, _cpu() - cpu
    # The sandboxed runners are not counted as this process's children (bubblewrap's PID
    # namespace ends without handing their time back): add what they reported.
    return run, seconds, used + run.runner_cpu_seconds


def _compare(label: str, course: Path, assignment: str, env: dict, jobs: int | None,
             repeat: int) -> bool:
    twin = _twin(course, "-nbgrader")
    copies = [_twin(course, f"-jazari{index}") for index in range(1, repeat)]
    started, cpu = time.perf_counter(), _cpu()
    _nbgrader(["autograde", assignment], twin, env)
    nbgrader_seconds, nbgrader_cpu = time.perf_counter() - started, _cpu() - cpu

    theirs = _cell_scores(twin, assignment)
    runs, ours, same = [], {}, bool(theirs)
    for graded in [course, *copies]:
        run, seconds, used = _jazari_run(graded, assignment, jobs)
        runs.append((seconds, used, run))
        scores = _cell_scores(graded, assignment)
        if scores != theirs or not ours:
            ours, same = scores, same and scores == theirs
    # The median of the runs: a grading run lasts seconds, so one burst of another
    # program's work on this shared machine would otherwise decide the figure.
    jazari_seconds, jazari_cpu, run = sorted(runs, key=lambda r: r[0])[len(runs) // 2]
    notebooks = sum(len(list((course / "submitted" / r.student / assignment).glob("*.ipynb")))
                    for r in run.results)
    own = sum(r.seconds for r in run.results)
    workers = jobs or os.cpu_count() or 1
    overhead = (jazari_seconds * min(workers, len(run.results)) - own) / max(notebooks, 1)
    print(f"{label}: {len(run.results)} submissions, {notebooks} notebooks")
    print(f"  nbgrader autograde (stock):        {nbgrader_seconds:7.1f} s")
    print(f"  jazari grade ({workers} runners):        {jazari_seconds:7.1f} s"
          + (f" (median of {len(runs)} runs: "
             + ", ".join(f"{r[0]:.1f}" for r in runs) + " s)" if len(runs) > 1 else ""))
    print(f"  speed-up nbgrader / jazari:        {nbgrader_seconds / jazari_seconds:7.1f}x "
          "(target: 20x)")
    print(f"  CPU time (user + system):          nbgrader {nbgrader_cpu:.1f} s, jazari "
          f"{jazari_cpu:.1f} s (runners {run.runner_cpu_seconds:.1f} s), ratio "
          f"{nbgrader_cpu / max(jazari_cpu, 1e-9):.1f}x")
    print("  load average (1, 5, 15 min):       "
          + ", ".join(f"{value:.1f}" for value in os.getloadavg()))
    print(f"  notebooks' own run time (sum):     {own:7.1f} s")
    print(f"  jazari overhead per notebook:      {overhead:7.3f} s (wall x runners - own run, "
          "per notebook)")
    print(f"  cell scores equal to nbgrader's:   {'yes' if same else 'NO'} "
          f"({len(ours)} graded cells, in every jazari run)")
    if not same:
        for key in sorted(set(theirs) | set(ours)):
            if theirs.get(key) != ours.get(key):
                print(f"    {key}: nbgrader {theirs.get(key)}, jazari {ours.get(key)}")
    for result in run.problems:
        print(f"  note: {result.student}: {result.status}: {result.problem}")
    return same


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=40)
    parser.add_argument("--unit", default="m06_nearest_neighbour")
    parser.add_argument("--syllabus", metavar="FILE", help="syllabus file (default: this "
                        "checkout's curriculum/syllabus.yaml)")
    parser.add_argument("--jobs", type=int, default=None, help="jazari's runners "
                        "(default: one per core)")
    parser.add_argument("--skip-quickstart", action="store_true")
    parser.add_argument("--repeat", type=int, default=3, help="jazari grade runs, each on "
                        "its own copy of the class; the median counts (default: 3)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="jazari-bench-") as name:
        folder = Path(name)
        env = _env(folder)
        os.environ.update({k: v for k, v in env.items() if k.startswith(("JUPYTER", "IPY"))})
        ok = True
        course, assignment = _unit_class(folder, args.unit, args.learners, env, args.syllabus)
        ok &= _compare(f"unit {assignment}", course, assignment, env, args.jobs,
                       max(1, args.repeat))
        if not args.skip_quickstart:
            course, assignment = _quickstart_class(folder, args.learners, env)
            ok &= _compare("nbgrader quickstart ps1", course, assignment, env, args.jobs,
                           max(1, args.repeat))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
