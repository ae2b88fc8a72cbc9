"""Grading speed: `jazari grade` beside `nbgrader autograde`, on the same submissions.

Builds a course in a temporary folder, hands in the same complete work of the Explorers'
first unit for N learners, grades it once with Jazari (parallel workers) and once with
nbgrader's own `nbgrader autograde` (one process), checks that the scores agree, and prints
both times and their ratio.

    python benchmarks/grading.py [--learners N] [--unit UNIT]
"""

from __future__ import annotations

import argparse
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
from autograder.homes import private_jupyter
from autograder.mistakes import load_mistakes
from autograder.notebooks import read_notebook
from curriculum import load_syllabus


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=12)
    parser.add_argument("--unit", default="e01_robot_grid")
    args = parser.parse_args()
    syllabus = load_syllabus()
    unit = syllabus.unit(args.unit)
    mistakes = load_mistakes(syllabus.root / unit.folder / "mistakes.yaml")
    with (tempfile.TemporaryDirectory(prefix="jazari-bench-") as folder,
          private_jupyter(Path(folder) / "jupyter")):  # never the user's own Jupyter folders
        course_dir = Path(folder) / "course"
        build_course(out=course_dir, syllabus=syllabus, units=[unit.id])
        api = open_course(course_dir).api()
        assert api.generate_assignment(unit.id)["success"]
        kinds = ["complete", "partial", "wrong", "empty"]
        for number in range(args.learners):
            target = course_dir / "submitted" / f"learner{number:02d}" / unit.id
            target.mkdir(parents=True)
            for notebook in unit.notebooks:
                name = Path(notebook).name
                handed_in = make_submission(kinds[number % len(kinds)],
                                            read_notebook(course_dir / "release" / unit.id / name),
                                            read_notebook(syllabus.root / notebook), mistakes,
                                            number)
                nbformat.write(handed_in, target / name)
        twin = Path(folder) / "twin"
        shutil.copytree(course_dir, twin)
        (twin / "nbgrader_config.py").write_text(
            (course_dir / "nbgrader_config.py").read_text()
            + f"\nc.CourseDirectory.root = {str(twin)!r}\n")

        started = time.perf_counter()
        run = grade(course=course_dir, assignment=unit.id, steps=["check", "autograde"])
        jazari_seconds = time.perf_counter() - started

        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "nbgrader", "autograde", unit.id], cwd=twin,
                       env=child_env(), check=True, capture_output=True)
        nbgrader_seconds = time.perf_counter() - started

        with open_course(twin).gradebook() as gb:
            theirs = {r.student: gb.find_submission(unit.id, r.student).score for r in run.results}
        ours = {r.student: r.score for r in run.results}
    print(f"grading {args.learners} submissions of {unit.id}")
    print(f"  nbgrader autograde (one process): {nbgrader_seconds:7.1f} s")
    print(f"  jazari grade (parallel workers):  {jazari_seconds:7.1f} s")
    print(f"  ratio jazari / nbgrader:          {jazari_seconds / nbgrader_seconds:7.2f}")
    print(f"  scores agree with nbgrader:       {'yes' if ours == theirs else 'NO'}")
    return 0 if ours == theirs else 1


if __name__ == "__main__":
    sys.exit(main())
