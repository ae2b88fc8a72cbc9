"""Render one Kubernetes Job per class and unit, from grade-job.yaml, for ``kubectl apply``.

    python deploy/kubernetes/render_jobs.py classes.yaml > jobs.yaml
    kubectl apply -n jazari -f jobs.yaml          # Kubernetes runs, retries and logs them

``classes.yaml`` (see classes.example.yaml) names the image and, per class, its nbgrader
course id and the units to grade. Each Job is grade-job.yaml with the example class and
unit replaced; grading is Kubernetes' work, there is no scheduler here. A bad file (an
unknown unit, a course id Kubernetes cannot use as a name) is refused whole with one line per
problem and exit status 2, nothing printed.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from pathlib import Path

import yaml

__all__ = ["EXAMPLE_COURSE", "EXAMPLE_UNIT", "TEMPLATE", "job_name", "main", "render_job",
           "render_jobs"]

TEMPLATE = Path(__file__).with_name("grade-job.yaml")
#: The class and unit of the template, replaced in every string of it.
EXAMPLE_COURSE, EXAMPLE_UNIT = "example-class", "e01_hello_robot"
#: A course id is part of Kubernetes names (its Secret, its Jobs): a DNS label, kept short.
_COURSE = re.compile(r"^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$")


class RenderError(Exception):
    """The classes file cannot be rendered (one line per problem)."""


def job_name(course: str, unit: str) -> str:
    """``grade-<course>-<unit>`` as a Kubernetes name (at most 63 characters)."""
    name = f"grade-{course}-{unit}".replace("_", "-").lower()
    if len(name) > 63:
        digest = hashlib.sha1(name.encode()).hexdigest()[:8]
        name = f"{name[:54].rstrip('-')}-{digest}"
    return name


def _replace(value, course: str, unit: str):
    if isinstance(value, str):
        return value.replace(EXAMPLE_COURSE, course).replace(EXAMPLE_UNIT, unit)
    if isinstance(value, list):
        return [_replace(item, course, unit) for item in value]
    if isinstance(value, dict):
        return {key: _replace(item, course, unit) for key, item in value.items()}
    return value


def render_job(template: dict, *, course: str, unit: str, image: str | None = None) -> dict:
    """The template's Job for ``course`` and ``unit`` (and ``image``, if given)."""
    job = _replace(template, course, unit)
    job["metadata"]["name"] = job_name(course, unit)
    if image:
        for container in job["spec"]["template"]["spec"]["containers"]:
            container["image"] = image
    return job


def render_jobs(classes: dict, *, template: dict, known_units: set[str] | None = None) -> list[dict]:
    """One Job per class and unit of ``classes`` (the parsed classes file)."""
    problems = []
    if not isinstance(classes, dict) or not isinstance(classes.get("classes"), list):
        raise RenderError("the file must have a list 'classes' (see classes.example.yaml)")
    image = classes.get("image")
    if image is not None and not isinstance(image, str):
        problems.append("image: must be the image's name, e.g. registry.example.org/jazari:0.1.0")
    pairs = []
    for number, entry in enumerate(classes["classes"], start=1):
        if not isinstance(entry, dict):
            problems.append(f"class {number}: must have 'course' and 'units'")
            continue
        course, units = entry.get("course"), entry.get("units")
        if not isinstance(course, str) or not _COURSE.match(course):
            problems.append(f"class {number}: course {course!r} must be lower-case letters, digits "
                            "and '-' (at most 40), as it names Kubernetes objects")
            continue
        if not isinstance(units, list) or not units:
            problems.append(f"class {number} ({course}): 'units' must list one unit or more")
            continue
        for unit in units:
            if known_units is not None and unit not in known_units:
                problems.append(f"class {number} ({course}): unknown unit {unit!r}")
            elif (course, unit) in pairs:
                problems.append(f"class {number} ({course}): unit {unit!r} is listed twice")
            else:
                pairs.append((course, unit))
    if problems:
        raise RenderError("\n".join(problems))
    return [render_job(template, course=course, unit=unit, image=image) for course, unit in pairs]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("classes", type=Path, help="the classes file (see classes.example.yaml)")
    parser.add_argument("--template", type=Path, default=TEMPLATE,
                        help="the Job template (default: grade-job.yaml beside this script)")
    parser.add_argument("--syllabus", type=Path, help="syllabus whose unit ids are allowed "
                        "(default: the curriculum/syllabus.yaml of this checkout)")
    args = parser.parse_args(argv)
    try:
        classes = yaml.safe_load(args.classes.read_text(encoding="utf-8"))
        template = yaml.safe_load(args.template.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        print(f"render_jobs: {error}".splitlines()[0], file=sys.stderr)
        return 2
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from curriculum import SyllabusError, load_syllabus

    try:
        syllabus = load_syllabus(args.syllabus) if args.syllabus else load_syllabus()
        jobs = render_jobs(classes, template=template,
                           known_units={unit.id for unit in syllabus.units})
    except (RenderError, SyllabusError) as error:
        for line in str(error).splitlines():
            print(f"render_jobs: {args.classes}: {line}", file=sys.stderr)
        return 2
    yaml.safe_dump_all(jobs, sys.stdout, sort_keys=False, default_flow_style=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
