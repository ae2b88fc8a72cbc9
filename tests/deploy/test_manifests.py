"""Are deploy/'s YAML files well formed, and are its Kubernetes manifests valid Kubernetes?

Every YAML file under deploy/ is parsed. Every Kubernetes manifest (deploy/kubernetes/*.yaml but
the classes file, which is no manifest) is validated with kubernetes-validate, offline, against
the Kubernetes API schemas it bundles, in strict mode (an unknown field fails), for the oldest
Kubernetes the deployment supports. Each check is also shown to fail on a broken file.
"""

from __future__ import annotations

import re
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from curriculum import REPO_ROOT

DEPLOY = REPO_ROOT / "deploy"
#: The oldest Kubernetes the manifests are written for (the grading Job's appArmorProfile).
KUBERNETES = "1.30"
YAML_FILES = sorted([*DEPLOY.rglob("*.yaml"), *DEPLOY.rglob("*.yml")])
MANIFESTS = sorted(p for p in (DEPLOY / "kubernetes").glob("*.yaml") if not p.name.startswith("classes"))


def documents(path: Path) -> list:
    """Every YAML document of ``path`` (empty ones left out)."""
    return [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc is not None]


def problems(resource: dict) -> list[str]:
    """What Kubernetes' schema says is wrong with ``resource`` (empty: valid)."""
    try:
        kubernetes_validate.validate(resource, KUBERNETES, strict=True)
    except kubernetes_validate.ValidationError as error:
        return [f"{'.'.join(map(str, error.path))}: {error.message}"]
    return []


def test_there_are_files_to_check():
    """Do the globs find the deploy files (so the parametrized tests below are not empty)?"""
    names = {path.name for path in MANIFESTS}
    assert {"grade-job.yaml", "grading-network.yaml", "nbexchange.yaml", "postgresql.yaml",
            "courses.yaml"} <= names
    assert DEPLOY / "zero-to-jupyterhub" / "values.yaml" in YAML_FILES


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(DEPLOY)))
def test_every_yaml_file_parses(path):
    """Is every YAML file under deploy/ well-formed YAML with at least one document?"""
    assert documents(path)


def test_a_broken_yaml_file_does_not_parse(tmp_path):
    """Does the parse used above refuse a file with a bad indentation?"""
    broken = tmp_path / "broken.yaml"
    broken.write_text("hub:\n  config:\n    a: 1\n   b: 2\n")
    with pytest.raises(yaml.YAMLError):
        documents(broken)


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: p.name)
def test_every_manifest_is_valid_kubernetes(path):
    """Does every object of every manifest pass Kubernetes' own schema, strictly?"""
    resources = documents(path)
    assert resources
    for resource in resources:
        assert problems(resource) == [], f"{path.name}: {resource['kind']} {resource['metadata']['name']}"


def test_a_wrong_field_or_type_fails_validation():
    """Do the schemas refuse a misspelt field, a wrong type and a missing required field, in a
    copy of the grading Job?"""
    job = documents(DEPLOY / "kubernetes" / "grade-job.yaml")[0]
    assert problems(job) == []
    misspelt = yaml.safe_load(yaml.safe_dump(job))
    pod = misspelt["spec"]["template"]["spec"]
    pod["container"] = pod.pop("containers")
    assert problems(misspelt)
    wrong_type = yaml.safe_load(yaml.safe_dump(job))
    wrong_type["spec"]["backoffLimit"] = "twice"
    assert problems(wrong_type)
    no_image_name = yaml.safe_load(yaml.safe_dump(job))
    del no_image_name["spec"]["template"]["spec"]["containers"][0]["name"]
    assert problems(no_image_name)


def _pod_labels(path, kind) -> dict:
    resource = next(doc for doc in documents(DEPLOY / "kubernetes" / path) if doc["kind"] == kind)
    return resource["spec"]["template"]["metadata"]["labels"]


def _policy(path, name) -> dict:
    return next(doc for doc in documents(DEPLOY / "kubernetes" / path)
                if doc["kind"] == "NetworkPolicy" and doc["metadata"]["name"] == name)["spec"]


def test_network_policies_select_pods_by_labels_those_pods_carry():
    """Does each NetworkPolicy pick the grading Jobs, nbexchange and the trainers' servers by
    labels they really have (a renamed label would silently cut them off, or let others in)?"""
    grader = _pod_labels("grade-job.yaml", "Job")
    nbexchange = _pod_labels("nbexchange.yaml", "Deployment")
    postgresql = _pod_labels("postgresql.yaml", "StatefulSet")
    trainer = {"jazari/role": "trainer"}
    assert '"jazari/role": "trainer"' in (DEPLOY / "hub" / "jazari_hub.py").read_text()
    grading = _policy("grading-network.yaml", "jazari-grade")
    assert grading["podSelector"]["matchLabels"].items() <= grader.items()
    allowed = [peer["podSelector"]["matchLabels"]
               for peer in _policy("postgresql.yaml", "postgresql")["ingress"][0]["from"]]
    assert allowed == [trainer, {"jazari/role": "grader"}, {"app.kubernetes.io/name": "nbexchange"}]
    assert allowed[1].items() <= grader.items() and allowed[2].items() <= nbexchange.items()
    assert _policy("postgresql.yaml", "postgresql")["podSelector"]["matchLabels"].items() <= postgresql.items()
    callers = [peer["podSelector"]["matchLabels"]
               for peer in _policy("nbexchange.yaml", "nbexchange")["ingress"][0]["from"]]
    assert callers == [{"component": "singleuser-server"}, {"jazari/role": "grader"}]
    # nbexchange may call the hub's API through Zero to JupyterHub's own policy
    assert nbexchange["hub.jupyter.org/network-access-hub"] == "true"


def test_every_file_the_coordinators_readme_names_exists():
    """Does each file or folder deploy/README.md names (in its steps and commands) exist, so a
    coordinator following it never meets a missing file?"""
    readme = (DEPLOY / "README.md").read_text()
    named = set(re.findall(r"deploy/([\w.-]+(?:/[\w.-]+)*)", readme))
    named |= set(re.findall(r"`((?:kubernetes|image|hub|nbexchange|zero-to-jupyterhub|"
                            r"littlest-jupyterhub)/[\w./-]*)`", readme))
    assert len(named) >= 10
    missing = sorted(name for name in named if not (DEPLOY / name.rstrip("/.")).exists())
    assert missing == []
