"""Does the grading Job's own script, as render_jobs.py writes it for a class and unit, collect,
grade and return feedback when it runs?

No Kubernetes API server can run offline here (kubectl's and helm's dry runs need one, and the
chart), so this is the Job's dry run on this machine: the rendered Job's command and arguments
run as they are, with the Job's environment, against a real course whose learners submitted
through nbgrader's exchange. Only the Job's two mount points (/srv/jazari/courses and
/srv/jazari/grader) are moved under tmp_path, and the course uses nbgrader's folder exchange
(on the cluster, the nbexchange plugin answers the same nbgrader commands).
"""

from __future__ import annotations

import importlib.util
import subprocess

import nbformat
import pytest
import yaml

from autograder.config import child_env
from autograder.course import open_course
from autograder.homes import jupyter_env
from tests.deploy.test_manifests import DEPLOY, problems

pytestmark = pytest.mark.slow


def _render_job(course: str, unit: str) -> dict:
    spec = importlib.util.spec_from_file_location("render_jobs", DEPLOY / "kubernetes" / "render_jobs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    template = yaml.safe_load(module.TEMPLATE.read_text())
    (job,) = module.render_jobs({"classes": [{"course": course, "units": [unit]}]}, template=template)
    return job


def test_the_rendered_job_collects_grades_and_returns_feedback(tmp_path, toy_repo):
    """Run as the Job runs it, does the script collect both submissions, grade them into the
    class's gradebook (right answer 2 points, wrong answer 0) and return their feedback?"""
    from autograder.build import build_course
    from autograder.classroom import fetch, submit
    from autograder.release import release

    course_dir = tmp_path / "courses" / "tanger-a"
    build_course(out=course_dir, syllabus=toy_repo, course_id="tanger-a",
                 exchange=tmp_path / "exchange")
    release(course=course_dir, assignment="t01_toy")
    course = open_course(course_dir)
    for learner, body in (("amine", "    return n + 1"), ("omar", "    return n + 2")):
        home = tmp_path / "homes" / learner
        folder = fetch(course, "t01_toy", student=learner, home=home)
        notebook = nbformat.read(folder / "toy.ipynb", as_version=4)
        notebook.cells[1].source = f"def add_one(n):\n{body}"
        nbformat.write(notebook, folder / "toy.ipynb")
        submit(course, "t01_toy", student=learner, home=home)

    job = _render_job("tanger-a", "t01_toy")
    assert problems(job) == []
    container = job["spec"]["template"]["spec"]["containers"][0]
    (script,) = container["args"]
    assert "/srv/jazari/courses/" in script and "/srv/jazari/grader/token" in script
    script = script.replace("/srv/jazari/courses/", f"{tmp_path}/courses/").replace(
        "/srv/jazari/grader/token", f"{tmp_path}/grader-token")
    (tmp_path / "grader-token").write_text("a-token")
    env = child_env()
    env.update(jupyter_env(tmp_path / "jupyter"))
    env.update({e["name"]: e["value"] for e in container["env"]})
    env["HOME"] = str(tmp_path / "job-home")
    done = subprocess.run([*container["command"], script], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}"
    # each of the three steps spoke: nbgrader's collect, jazari grade, nbgrader's release
    assert "Collecting submission: amine t01_toy" in done.stderr
    assert "Graded 2 of 2 submissions of t01_toy" in done.stdout
    assert "Releasing feedback for student 'omar'" in done.stderr

    with open_course(course_dir).gradebook() as gb:
        scores = {s.student.id: s.score for s in gb.assignment_submissions("t01_toy")}
    assert scores == {"amine": 2.0, "omar": 0.0}
    returned = list((tmp_path / "exchange" / "tanger-a" / "feedback").glob("*.html"))
    assert len(returned) == 2
