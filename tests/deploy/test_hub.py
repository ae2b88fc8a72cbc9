"""Does the hub's Jazari hook (deploy/hub/jazari_hub.py) give each server its class and role,
and do the Littlest JupyterHub's settings load?

The hub files are JupyterHub configuration: they are run here as JupyterHub runs them, with a
``get_config()`` returning a traitlets Config, and the hook is called on stand-in spawners
shaped like JupyterHub's (a user with groups) and KubeSpawner's (volumes, mounts, labels).
"""

from __future__ import annotations

import runpy
from types import SimpleNamespace

import pytest
from traitlets.config import Config

from tests.deploy.test_manifests import DEPLOY

HOOK = DEPLOY / "hub" / "jazari_hub.py"


def _load(path):
    config = Config()
    namespace = runpy.run_path(str(path), init_globals={"get_config": lambda: config})
    return config, namespace


def _spawner(name, groups, *, admin=False, kube=True, dict_volumes=False):
    user = SimpleNamespace(name=name, admin=admin,
                           groups=[SimpleNamespace(name=g, properties=p) for g, p in groups.items()])
    spawner = SimpleNamespace(user=user, environment={"KEPT": "yes"}, mem_limit=None)
    if kube:
        spawner.volumes = {"home": {"name": "home"}} if dict_volumes else [{"name": "home"}]
        spawner.volume_mounts = {"home": {"name": "home"}} if dict_volumes else [{"name": "home"}]
        spawner.extra_labels = {"component": "singleuser-server"}
    return spawner


@pytest.fixture(scope="module")
def hook():
    config, namespace = _load(HOOK)
    assert config.Spawner.pre_spawn_hook is namespace["jazari_pre_spawn_hook"]
    return namespace["jazari_pre_spawn_hook"]


def test_a_learner_gets_their_class_and_the_classes_language(hook):
    """Does a child of learners-tanger-a get that class, the role learner and the class's
    language, keep the spawner's memory limit, and get no course folder or gradebook?"""
    spawner = _spawner("amine", {"learners-tanger-a": {"lang": "fr"}})
    hook(spawner)
    assert spawner.environment == {"KEPT": "yes", "JAZARI_ROLE": "learner",
                                   "JAZARI_COURSE_ID": "tanger-a", "JAZARI_LANG": "fr"}
    assert spawner.mem_limit is None
    assert spawner.volumes == [{"name": "home"}] and spawner.volume_mounts == [{"name": "home"}]
    assert "jazari/role" not in spawner.extra_labels


def test_a_trainer_gets_the_formgrader_their_class_folders_and_gradebooks(hook):
    """Does a trainer of two classes get the trainer settings, both class folders and both
    gradebook Secrets mounted, more memory, and the label that lets them reach PostgreSQL?"""
    spawner = _spawner("salma", {"trainers-tanger-b": {}, "trainers-tanger-a": {"lang": "ar"},
                                 "learners-other": {}})
    hook(spawner)
    env = spawner.environment
    assert (env["JAZARI_ROLE"], env["JAZARI_COURSE_ID"], env["JAZARI_COURSES"]) == \
        ("trainer", "tanger-a", "tanger-a tanger-b")
    assert env["JUPYTER_CONFIG_PATH"] == "/etc/jazari/trainer" and env["JAZARI_LANG"] == "ar"
    assert spawner.mem_limit == "2G"
    assert spawner.extra_labels["jazari/role"] == "trainer"
    mounts = {m["mountPath"]: m for m in spawner.volume_mounts if m["name"] != "home"}
    assert mounts["/home/jovyan/courses/tanger-a"]["subPath"] == "tanger-a"
    assert mounts["/home/jovyan/courses/tanger-b"]["subPath"] == "tanger-b"
    secrets = {v["secret"]["secretName"] for v in spawner.volumes if "secret" in v}
    assert secrets == {"jazari-gradebook-tanger-a", "jazari-gradebook-tanger-b"}
    assert mounts["/srv/jazari/gradebook/tanger-b"]["readOnly"] is True
    names = [v["name"] for v in spawner.volumes]
    assert len(names) == len(set(names))  # Kubernetes refuses two volumes of one name


def test_kubespawner_volumes_given_as_dicts_are_extended_too(hook):
    """Does the hook add to KubeSpawner's volumes and mounts when the chart gives them as
    dicts (keyed by name) instead of lists?"""
    spawner = _spawner("salma", {"trainers-tanger-a": {}}, dict_volumes=True)
    hook(spawner)
    assert "home" in spawner.volumes and len(spawner.volumes) == 3
    assert "home" in spawner.volume_mounts and len(spawner.volume_mounts) == 3


def test_someone_in_no_class_cannot_start_a_server_but_an_admin_can(hook):
    """Is a user in no class refused with a kind sentence, while a coordinator (admin) in
    no class starts as usual?"""
    with pytest.raises(RuntimeError, match="ask your trainer"):
        hook(_spawner("stranger", {"other-group": {}}))
    coordinator = _spawner("coordinator", {}, admin=True)
    hook(coordinator)
    assert coordinator.environment == {"KEPT": "yes"}


def test_on_one_machine_the_hook_mounts_nothing(hook):
    """On The Littlest JupyterHub (a spawner without Kubernetes volumes), does a trainer get
    their role and memory, and nothing Kubernetes-only?"""
    spawner = _spawner("salma", {"trainers-tanger-a": {}}, kube=False)
    hook(spawner)
    assert spawner.environment["JAZARI_ROLE"] == "trainer" and spawner.mem_limit == "2G"
    assert not hasattr(spawner, "volumes")


def test_the_littlest_jupyterhub_settings_cut_children_off_the_network():
    """Do the TLJH settings deny servers every address but this machine's?"""
    config, _ = _load(DEPLOY / "littlest-jupyterhub" / "jazari_tljh.py")
    assert config.SystemdSpawner.unit_extra_properties == {"IPAddressDeny": "any",
                                                           "IPAddressAllow": "localhost"}


def _real_spawner(config, name, groups):
    from jupyterhub.spawner import LocalProcessSpawner

    user = SimpleNamespace(name=name, admin=False, url=f"/user/{name}/",
                           groups=[SimpleNamespace(name=g, properties=p) for g, p in groups.items()])
    return LocalProcessSpawner(user=user, config=config)


def test_jupyterhub_loads_the_hub_files_and_runs_the_hook_on_its_own_spawner():
    """Loaded by JupyterHub's own application, as TLJH loads them, do the two hub files set the
    pre-spawn hook and the systemd properties, and does JupyterHub's spawner, running the hook,
    take the trainer's memory limit as bytes and pass the class to the server?"""
    from jupyterhub.app import JupyterHub

    app = JupyterHub()
    app.load_config_file(str(HOOK))
    app.load_config_file(str(DEPLOY / "littlest-jupyterhub" / "jazari_tljh.py"))
    assert app.config.SystemdSpawner.unit_extra_properties["IPAddressDeny"] == "any"
    spawner = _real_spawner(app.config, "salma", {"trainers-tanger-a": {"lang": "fr"}})
    spawner.run_pre_spawn_hook()
    assert spawner.mem_limit == 2 * 1024**3
    assert spawner.environment["JAZARI_COURSE_ID"] == "tanger-a"
    assert spawner.environment["JUPYTER_CONFIG_PATH"] == "/etc/jazari/trainer"


def test_a_trainer_memory_limit_that_is_no_size_stops_the_spawn(monkeypatch):
    """Does a JAZARI_TRAINER_MEM_LIMIT that JupyterHub cannot read as a size fail at the hook,
    rather than start a server without a limit?"""
    from traitlets import TraitError

    monkeypatch.setenv("JAZARI_TRAINER_MEM_LIMIT", "a lot")
    config, _ = _load(HOOK)
    spawner = _real_spawner(config, "salma", {"trainers-tanger-a": {}})
    with pytest.raises(TraitError):
        spawner.run_pre_spawn_hook()


def test_a_trainers_volumes_and_mounts_are_valid_kubernetes(hook):
    """Put in a pod as KubeSpawner puts them, are the volumes and mounts the hook gives a
    trainer of two classes valid Kubernetes (strictly), and is a misspelt one refused?"""
    from tests.deploy.test_manifests import problems

    spawner = _spawner("salma", {"trainers-tanger-a": {}, "trainers-tanger-b": {}})
    spawner.volumes, spawner.volume_mounts = [], []
    hook(spawner)

    def pod(volumes, mounts):
        return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "jupyter-salma"},
                "spec": {"volumes": volumes, "containers": [
                    {"name": "notebook", "image": "jazari/singleuser:0.1.0", "volumeMounts": mounts}]}}

    assert problems(pod(spawner.volumes, spawner.volume_mounts)) == []
    broken = [dict(volume) for volume in spawner.volumes]
    broken[1]["secret"] = {"secretNam": broken[1]["secret"]["secretName"]}
    assert problems(pod(broken, spawner.volume_mounts))
