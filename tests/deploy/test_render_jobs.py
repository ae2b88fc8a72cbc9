"""Does deploy/kubernetes/render_jobs.py make one valid grading Job per class and unit, and
refuse a bad classes file whole, with one line per problem?"""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import yaml

from curriculum import REPO_ROOT
from tests.deploy.test_manifests import DEPLOY, documents, problems

RENDER = DEPLOY / "kubernetes" / "render_jobs.py"


def _module():
    spec = importlib.util.spec_from_file_location("render_jobs", RENDER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _render(classes_file, *extra):
    return subprocess.run([sys.executable, str(RENDER), str(classes_file), *extra],
                          capture_output=True, text=True, cwd=REPO_ROOT)


def _script(job: dict) -> str:
    return job["spec"]["template"]["spec"]["containers"][0]["args"][0]


def test_the_example_classes_give_one_valid_job_per_class_and_unit():
    """Does the example classes file give three Jobs (2 units + 1 unit), each valid Kubernetes,
    each with its own name, class, unit, course folder and gradebook Secret?"""
    done = _render(DEPLOY / "kubernetes" / "classes.example.yaml")
    assert done.returncode == 0, done.stderr
    jobs = list(yaml.safe_load_all(done.stdout))
    assert [(j["metadata"]["labels"]["jazari/course"], j["metadata"]["labels"]["jazari/unit"])
            for j in jobs] == [("tanger-2026-a", "e01_hello_robot"),
                               ("tanger-2026-a", "e02_repeat_after_me"),
                               ("tanger-2026-b", "m06_nearest_neighbour")]
    assert len({j["metadata"]["name"] for j in jobs}) == 3
    for job in jobs:
        assert problems(job) == []
        course = job["metadata"]["labels"]["jazari/course"]
        unit = job["metadata"]["labels"]["jazari/unit"]
        pod = job["spec"]["template"]["spec"]
        env = {e["name"]: e.get("value") for e in pod["containers"][0]["env"]}
        assert (env["JAZARI_COURSE"], env["JAZARI_UNIT"]) == (course, unit)
        assert pod["containers"][0]["image"] == "registry.example.org/jazari/singleuser:0.1.0"
        volumes = {v["name"]: v for v in pod["volumes"]}
        assert volumes["gradebook"]["secret"]["secretName"] == f"jazari-gradebook-{course}"
        mounts = {m["name"]: m for m in pod["containers"][0]["volumeMounts"]}
        assert mounts["course"]["subPath"] == course
        assert mounts["course"]["mountPath"] == f"/srv/jazari/courses/{course}"
        assert "example-class" not in yaml.safe_dump(job) and "jazari grade" in _script(job)


def test_the_grading_token_is_never_exported_to_jazari_grade():
    """Is the grading service's token given only to the two nbgrader commands (so the children's
    code that `jazari grade` runs cannot read it from its environment)?"""
    job = documents(DEPLOY / "kubernetes" / "grade-job.yaml")[0]
    container = job["spec"]["template"]["spec"]["containers"][0]
    assert all(not e["name"].startswith("NAAS_JWT") and "secretKeyRef" not in str(e)
               for e in container["env"])
    lines = [line.strip() for line in _script(job).splitlines()]
    assert "export" not in " ".join(lines)
    token_lines = [line for line in lines if "NAAS_JWT" in line]
    assert token_lines and all(line.startswith('NAAS_JWT="$grader_token" nbgrader ')
                               for line in token_lines)
    (grade_line,) = [line for line in lines if "jazari grade" in line]
    assert grade_line.startswith("JAZARI_NO_EXCHANGE=1 jazari grade ")


def test_long_names_are_shortened_and_stay_distinct():
    """Is a Job name never longer than Kubernetes allows (63), and do two long names that
    differ only at their end stay different?"""
    module = _module()
    first = module.job_name("a" * 40, "m11_language_and_machines")
    second = module.job_name("a" * 40, "m12_ai_and_society_and_more")
    assert len(first) <= 63 and len(second) <= 63 and first != second
    assert module.job_name("tanger-a", "e01_hello_robot") == "grade-tanger-a-e01-hello-robot"


def test_a_bad_classes_file_is_refused_whole(tmp_path):
    """Does a file with an unknown unit, a course id Kubernetes cannot use and a unit listed
    twice print one line per problem, exit 2 and print no Job at all?"""
    bad = tmp_path / "classes.yaml"
    bad.write_text(yaml.safe_dump({"classes": [
        {"course": "good-class", "units": ["e01_hello_robot", "e01_hello_robot"]},
        {"course": "Bad_Class", "units": ["e01_hello_robot"]},
        {"course": "other", "units": ["e99_no_such_unit"]}]}))
    done = _render(bad)
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 3 and all(line.startswith("render_jobs: ") for line in lines)
    assert "listed twice" in lines[0] and "'Bad_Class'" in lines[1] and "e99_no_such_unit" in lines[2]


def test_a_file_without_classes_is_one_clear_line(tmp_path):
    """Does a YAML file of the wrong shape (no 'classes' list) give one line and exit 2?"""
    bad = tmp_path / "classes.yaml"
    bad.write_text("image: x\n")
    done = _render(bad)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "'classes'" in done.stderr
