"""Are the Zero to JupyterHub values right: the chart's keys spelt as the chart has them, and the
values in step with the manifests, the image and the Littlest JupyterHub recipe?

The chart's own values schema is not fetched (nothing downloads in tests): the values are
checked against values-keys.schema.json, which gives the type of every key they use and refuses
any other key, and is shown to fail on a misspelt key and a wrong type.
"""

from __future__ import annotations

import copy
import json
import re

import jsonschema
import pytest

from tests.deploy.test_manifests import DEPLOY, documents

Z2JH = DEPLOY / "zero-to-jupyterhub"


@pytest.fixture(scope="module")
def values() -> dict:
    (values,) = documents(Z2JH / "values.yaml")
    return values


def _errors(values: dict) -> list[str]:
    schema = json.loads((Z2JH / "values-keys.schema.json").read_text())
    jsonschema.Draft7Validator.check_schema(schema)
    return [error.message for error in jsonschema.Draft7Validator(schema).iter_errors(values)]


def test_values_follow_the_charts_keys(values):
    """Do the values use only keys of the chart, with the chart's types?"""
    assert _errors(values) == []


def test_a_misspelt_key_or_a_wrong_type_is_refused(values):
    """Does the schema refuse a misspelt key, a memory size that is no size and a culling
    timeout given as words?"""
    misspelt = copy.deepcopy(values)
    misspelt["singleuser"]["memroy"] = misspelt["singleuser"].pop("memory")
    assert any("memroy" in message for message in _errors(misspelt))
    bad_size = copy.deepcopy(values)
    bad_size["singleuser"]["memory"]["limit"] = "a lot"
    assert _errors(bad_size)
    words = copy.deepcopy(values)
    words["cull"]["timeout"] = "half an hour"
    assert _errors(words)


def test_children_have_no_internet_and_idle_servers_are_culled(values):
    """Do children's servers reach no address outside the cluster, and are idle servers
    stopped within the hour?"""
    rules = values["singleuser"]["networkPolicy"]
    assert rules["enabled"] is True
    assert rules["egressAllowRules"]["nonPrivateIPs"] is False
    assert rules["egressAllowRules"]["cloudMetadataServer"] is False
    assert values["cull"]["enabled"] is True and 0 < values["cull"]["timeout"] <= 3600


def _service_ports(path) -> dict[str, int]:
    return {doc["metadata"]["name"]: doc["spec"]["ports"][0]["port"]
            for doc in documents(path) if doc["kind"] == "Service"}


def test_values_and_manifests_name_the_same_services_tokens_and_ports(values):
    """Do the manifests read the tokens of services the values declare, and do the children's
    egress rules open the ports the services listen on, for the pods those services select?"""
    services = values["hub"]["services"]
    nbexchange = documents(DEPLOY / "kubernetes" / "nbexchange.yaml")
    deployment = next(doc for doc in nbexchange if doc["kind"] == "Deployment")
    keys = [e["valueFrom"]["secretKeyRef"]["key"]
            for e in deployment["spec"]["template"]["spec"]["containers"][0]["env"]
            if "valueFrom" in e and e["valueFrom"]["secretKeyRef"]["name"] == "hub"]
    assert keys == ["hub.services.nbexchange.apiToken"] and "nbexchange" in services
    job = documents(DEPLOY / "kubernetes" / "grade-job.yaml")[0]
    grader = next(v for v in job["spec"]["template"]["spec"]["volumes"] if v["name"] == "grader-token")
    assert grader["secret"]["items"][0]["key"] == "hub.services.jazari-grader.apiToken"
    assert "jazari-grader" in services
    assert values["hub"]["loadRoles"]["nbexchange"]["services"] == ["nbexchange"]
    ports = {**_service_ports(DEPLOY / "kubernetes" / "nbexchange.yaml"),
             **_service_ports(DEPLOY / "kubernetes" / "postgresql.yaml")}
    egress = {rule["to"][0]["podSelector"]["matchLabels"]["app.kubernetes.io/name"]: rule["ports"][0]["port"]
              for rule in values["singleuser"]["networkPolicy"]["egress"]}
    assert egress == ports == {"nbexchange": 9000, "postgresql": 5432}
    assert values["singleuser"]["extraEnv"]["NAAS_BASE_URL"] == "http://nbexchange:9000"
    assert "url" not in services["nbexchange"]  # not open to the outside through the proxy


def _bytes(size: str) -> int:
    number, unit = re.fullmatch(r"([0-9.]+)([KMGT]?)i?", size).groups()
    return int(float(number) * 1024 ** " KMGT".index(unit or " "))


def test_memory_choices_agree_between_kubernetes_and_the_littlest_jupyterhub(values):
    """Is a child's memory limit the same on Kubernetes and on The Littlest JupyterHub, is the
    guarantee below the limit, and does a trainer's server get more than a child's?"""
    memory = values["singleuser"]["memory"]
    assert _bytes(memory["guarantee"]) < _bytes(memory["limit"])
    install = (DEPLOY / "littlest-jupyterhub" / "install.sh").read_text()
    (default,) = re.findall(r'memory="([0-9]+[KMG])"', install)
    assert default == memory["limit"]
    assert _bytes(values["hub"]["extraEnv"]["JAZARI_TRAINER_MEM_LIMIT"]) > _bytes(memory["limit"])


def test_the_memory_limits_come_from_the_measured_figures(values):
    """Does the guarantee per child cover the heaviest child measured in deploy/README.md's
    sizing table (benchmarks/hub_memory.py), and the limit leave it twice that?"""
    readme = (DEPLOY / "README.md").read_text()
    peaks = [int(rss) for rss in re.findall(r"^\| \w+.*\| (\d+) / \d+ MB \|$", readme, flags=re.M)]
    assert len(peaks) >= 3  # an Explorers unit and two Makers units
    memory = values["singleuser"]["memory"]
    assert max(peaks) * 2**20 <= _bytes(memory["guarantee"])
    assert 2 * max(peaks) * 2**20 <= _bytes(memory["limit"])


def test_the_childrens_egress_rules_are_valid_kubernetes(values):
    """The chart copies singleuser.networkPolicy.egress into a NetworkPolicy as it is: are
    those rules valid Kubernetes (strictly), and is a rule with a misspelt field refused?"""
    from tests.deploy.test_manifests import problems

    def policy(egress):
        return {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
                "metadata": {"name": "singleuser"},
                "spec": {"podSelector": {}, "policyTypes": ["Egress"], "egress": egress}}

    rules = values["singleuser"]["networkPolicy"]["egress"]
    assert problems(policy(rules)) == []
    broken = copy.deepcopy(rules)
    broken[0]["to"][0]["podSelectr"] = broken[0]["to"][0].pop("podSelector")
    assert problems(policy(broken))
