"""Each person's JupyterLab on the hub, as their own system user, with a memory limit.

:class:`JazariSpawner` is JupyterHub's local process spawner (one process per person,
run as that person's system user, so children cannot read each other's files or the
course's), with what a classroom needs:

- the Jupyter settings of a child or a trainer, through ``JUPYTER_CONFIG_PATH`` pointing
  at the read-only folders ``jazari hub`` writes (never a system-wide ``/etc/jupyter``);
- a child's roster id in ``JAZARI_LEARNER`` (nbgrader's student id for their submissions);
- a trainer's JupyterLab opens on the course folder and starts there (the formgrader
  reads the course's ``nbgrader_config.py``);
- a memory limit: the local process spawner does not enforce ``mem_limit``; this one sets
  ``RLIMIT_AS`` to ``process_memory_limit`` before the server starts, so the server and
  every kernel it starts (they inherit it) cannot take more, and the child sees a
  MemoryError instead of slowing the whole machine down.
"""

from __future__ import annotations

import os
import resource

from jupyterhub.spawner import LocalProcessSpawner
from traitlets import Dict, Integer, List, Unicode

__all__ = ["JazariSpawner", "limit_memory"]


def limit_memory(limit: int) -> None:
    """Cap this process's address space (and its children's) at ``limit`` bytes."""
    if limit > 0:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


class JazariSpawner(LocalProcessSpawner):
    """The local process spawner with a classroom's settings and a memory limit."""

    process_memory_limit = Integer(
        1 << 30, help="Bytes of address space each process of a person's server may use.",
    ).tag(config=True)
    course_root = Unicode(help="The course folder: a trainer's JupyterLab opens on it.").tag(
        config=True)
    learner_config = Unicode(help="The Jupyter config folder of the children's servers.").tag(
        config=True)
    trainer_config = Unicode(help="The folder of the trainers' Jupyter config folders, one "
                             "per trainer's system user.").tag(config=True)
    learner_ids = Dict(help="Each child's system user and roster id.").tag(config=True)
    trainers = List(Unicode(), help="The trainers' system users.").tag(config=True)
    lang = Unicode("en", help="The class's language (JAZARI_LANG for the widgets).").tag(
        config=True)
    path = Unicode(help="PATH of the servers: Jazari's Python first.").tag(config=True)
    jupyter_prefix = Unicode(
        help="The environment Jazari is installed in: its Jupyter extensions (nbgrader, the "
             "language packs) are enabled there, so the servers read its settings and data "
             "even when they run another Python (c.JazariHub.python).").tag(config=True)

    @property
    def is_trainer(self) -> bool:
        return self.user.name in self.trainers

    def get_env(self):
        env = super().get_env()
        ours = os.path.join(self.trainer_config, self.user.name) if self.is_trainer \
            else self.learner_config
        config_path = [ours]
        if self.jupyter_prefix:
            config_path.append(os.path.join(self.jupyter_prefix, "etc", "jupyter"))
            env["JUPYTER_PATH"] = os.path.join(self.jupyter_prefix, "share", "jupyter")
        env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(config_path)
        env["JAZARI_LANG"] = self.lang
        if self.path:
            env["PATH"] = self.path
        # glibc's malloc reserves 64 MB of address space per thread otherwise.
        env["MALLOC_ARENA_MAX"] = "2"
        # one thread per child for the numeric libraries: the class shares the cores, and
        # each thread's buffers would count against the memory limit
        for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            env[name] = "1"
        if not self.is_trainer:
            env["JAZARI_LEARNER"] = self.learner_ids.get(self.user.name, self.user.name)
        return env

    async def start(self):
        if self.is_trainer and self.course_root:
            self.notebook_dir = self.course_root
        return await super().start()

    def make_preexec_fn(self, name):
        become_user = super().make_preexec_fn(name)
        limit = self.process_memory_limit
        # a trainer's server starts in the course folder, so nbgrader's formgrader reads
        # the course's own nbgrader_config.py there
        folder = self.course_root if self.is_trainer else None

        def preexec():
            limit_memory(limit)
            become_user()
            if folder:
                os.chdir(folder)

        return preexec
