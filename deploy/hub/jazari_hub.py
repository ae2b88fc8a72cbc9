# Jazari's classes on a JupyterHub: who is a trainer or a learner of which class, and what
# their single-user server gets for it. Loaded by the hub's own configuration:
#   Zero to JupyterHub:        helm ... --set-file hub.extraConfig.jazari=deploy/hub/jazari_hub.py
#   The Littlest JupyterHub:   copied to /opt/tljh/config/jupyterhub_config.d/jazari_hub.py
#
# A class is a pair of JupyterHub groups named after the class's nbgrader course id:
#   learners-<course>   the children of the class (their hub name is their roster id)
#   trainers-<course>   its trainers (a trainer may hold several classes)
# A learner's server gets JAZARI_ROLE=learner and JAZARI_COURSE_ID=<course>; a trainer's gets
# JAZARI_ROLE=trainer, the course ids, a bigger memory limit and, on Kubernetes, the class
# folders from the shared courses volume with their gradebook addresses. A class group's
# property "lang" (en, fr, ar) gives JAZARI_LANG, the language of JupyterLab's menus. The
# image's Jupyter settings read these variables (deploy/image/). Someone in no class (not an
# admin) cannot start a server.
import os

LEARNERS = "learners-"
TRAINERS = "trainers-"
#: Settings added to a trainer's server only (the formgrader and its panels switched back on).
TRAINER_CONFIG = os.environ.get("JAZARI_TRAINER_CONFIG", "/etc/jazari/trainer")
#: Memory limit of a trainer's server (the formgrader, a report); learners keep the spawner's.
TRAINER_MEM_LIMIT = os.environ.get("JAZARI_TRAINER_MEM_LIMIT", "2G")
#: Kubernetes only: the ReadWriteMany claim holding one folder per class (<course>/).
COURSES_CLAIM = os.environ.get("JAZARI_COURSES_CLAIM", "jazari-courses")
COURSES_MOUNT = "/home/jovyan/courses"
#: Where a class's gradebook address is mounted (deploy/image/nbgrader_cluster.py reads it).
GRADEBOOK_MOUNT = "/srv/jazari/gradebook"


def jazari_classes(group_names):
    """The role ('trainer', 'learner' or None) and the course ids given by group names."""
    def courses(prefix):
        return sorted({name[len(prefix):] for name in group_names
                       if name.startswith(prefix) and len(name) > len(prefix)})

    if courses(TRAINERS):
        return "trainer", courses(TRAINERS)
    if courses(LEARNERS):
        # a child is in one class; if a mistake put them in two, the first one (sorted)
        return "learner", courses(LEARNERS)[:1]
    return None, []


def jazari_environment(role, courses, lang=None):
    """The environment variables a server of ``role`` for ``courses`` starts with."""
    if role is None:
        return {}
    env = {"JAZARI_ROLE": role, "JAZARI_COURSE_ID": courses[0]}
    if lang in ("en", "fr", "ar"):
        env["JAZARI_LANG"] = lang
    if role == "trainer":
        env["JAZARI_COURSES"] = " ".join(courses)
        env["JUPYTER_CONFIG_PATH"] = TRAINER_CONFIG
    return env


def trainer_volumes(courses):
    """KubeSpawner volumes and mounts of a trainer's server: each class's folder (from the
    shared courses claim) and the address of its gradebook (the class's Secret)."""
    volumes = [{"name": "jazari-courses", "persistentVolumeClaim": {"claimName": COURSES_CLAIM}}]
    mounts = []
    for number, course in enumerate(courses):
        mounts.append({"name": "jazari-courses", "mountPath": f"{COURSES_MOUNT}/{course}",
                       "subPath": course})
        volumes.append({"name": f"jazari-gradebook-{number}",
                        "secret": {"secretName": f"jazari-gradebook-{course}", "optional": True}})
        mounts.append({"name": f"jazari-gradebook-{number}", "readOnly": True,
                       "mountPath": f"{GRADEBOOK_MOUNT}/{course}"})
    return volumes, mounts


def _extend(current, more, key):
    """KubeSpawner's volumes and volume_mounts may be a list or a dict: add ``more`` to either."""
    if isinstance(current, dict):
        return {**current, **{f"jazari-{number}-{item[key]}": item for number, item in enumerate(more)}}
    return [*current, *more]


def jazari_pre_spawn_hook(spawner):
    """Give the server its class, or refuse it to someone in no class."""
    groups = {group.name: group for group in spawner.user.groups}
    role, courses = jazari_classes(list(groups))
    if role is None:
        if spawner.user.admin:
            return
        raise RuntimeError(f"{spawner.user.name} is in no class yet: ask your trainer to add "
                           "you to the class.")
    prefix = TRAINERS if role == "trainer" else LEARNERS
    properties = getattr(groups[prefix + courses[0]], "properties", None) or {}
    env = jazari_environment(role, courses, properties.get("lang"))
    spawner.environment = {**spawner.environment, **env}
    if role == "trainer":
        spawner.mem_limit = TRAINER_MEM_LIMIT
        if hasattr(spawner, "volume_mounts"):  # KubeSpawner
            # the label lets a trainer's server reach the gradebook's PostgreSQL (its NetworkPolicy)
            spawner.extra_labels = {**spawner.extra_labels, "jazari/role": "trainer"}
            volumes, mounts = trainer_volumes(courses)
            spawner.volumes = _extend(spawner.volumes, volumes, "name")
            spawner.volume_mounts = _extend(spawner.volume_mounts, mounts, "mountPath")


c = get_config()  # noqa: F821
c.Spawner.pre_spawn_hook = jazari_pre_spawn_hook
