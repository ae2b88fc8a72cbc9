"""The wall around a runner: the command line that starts it inside bubblewrap.

Inside, the runner sees a read-only system, a fresh ``/tmp`` of limited size, no network,
its own process and IPC namespaces, and nothing of the places that hold secrets or other
learners' work: the course folder, the exchange, home folders, ``/root``, ``/srv``, ``/mnt``,
``/media``, ``/var/tmp`` and the checkout the packages come from are each covered by an empty
tmpfs. Only what the child's side needs comes back, read-only: the Python installation, the
virtual environment and the directories of the packages a notebook imports (``widgets``)
plus the runner itself. Each submission's files are sent over the runner's channel and
written into a private folder of the sandbox's own ``/tmp``.

Where bubblewrap cannot run, :func:`sandbox_command` falls back to resource limits alone
(and, for root, the unprivileged user ``nobody``), and says so in a warning. That fallback
hides nothing: the learner's code can read whatever ``nobody`` may read (a world-readable
gradebook or ``source/`` included); the limits only bound its time, memory, file size and
processes. If ``nobody`` cannot run this Python (it lives under ``/root``, say), grading
refuses with one line rather than run the learners' code as root.

The environment variable ``JAZARI_BWRAP`` names the bubblewrap program (default ``bwrap``);
naming one that does not exist makes the fallback happen, for tests and for trying it out.
"""

from __future__ import annotations

import importlib.machinery
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from autograder.errors import JazariError

__all__ = ["SandboxPlan", "bubblewrap_works", "sandbox_command"]

#: Folders hidden from every submission (when they exist), besides the course's own.
HIDDEN = ("/home", "/root", "/srv", "/mnt", "/media", "/var/tmp", "/opt/nbgrader", "/run/user")


@dataclass
class SandboxPlan:
    """How runners are started: the command prefix and what it isolates."""

    prefix: list[str]  #: put before ``python -m autograder.grading.runner``
    kind: str  #: "bubblewrap", "limits" (resource limits only) or "none"
    warning: str = ""  #: one line for the trainer, when isolation is weaker than asked
    own_pid_namespace: bool = False
    user: int | None = None  #: run as this uid (the fallback for root)
    hidden: list[str] = field(default_factory=list)


def _package_dir(name: str) -> Path | None:
    """Where the runner (``python -P``, started in ``/``) finds the package ``name``.

    The coordinator's own ``sys.path[0]`` (the folder of the script that started it, or the
    current folder) is skipped: the runner does not have it, and a module there with the
    same name (``benchmarks/widgets.py``) would hide the real package.
    """
    if name in sys.modules and getattr(sys.modules[name], "__path__", None):
        return Path(next(iter(sys.modules[name].__path__))).resolve()
    path = sys.path if sys.flags.safe_path else sys.path[1:]
    for finder in sys.meta_path:
        if finder is importlib.machinery.PathFinder:
            spec = finder.find_spec(name, path)
        else:
            find = getattr(finder, "find_spec", None)
            spec = find(name, None) if find is not None else None
        if spec is not None:
            if not spec.submodule_search_locations:
                return None
            return Path(next(iter(spec.submodule_search_locations))).resolve()
    return None


def _bwrap() -> str:
    return os.environ.get("JAZARI_BWRAP") or "bwrap"


def bubblewrap_works(bwrap: str | None = None) -> bool:
    """Can bubblewrap start a process here (installed, and namespaces allowed)?"""
    path = shutil.which(bwrap or _bwrap())
    if path is None:
        return False
    try:
        result = subprocess.run([path, "--unshare-net", "--unshare-pid", "--ro-bind", "/", "/",
                                 "--dev", "/dev", "--proc", "/proc", "true"],
                                capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0


def _can_run_python(user: int) -> bool:
    """Can the user ``user`` start this Python (with the runner's imports)?"""

    def demote():  # pragma: no cover - runs in the child before exec
        os.setgroups([])
        os.setgid(user)
        os.setuid(user)

    try:
        result = subprocess.run([sys.executable, "-P", "-c", "import autograder.grading.runner"],
                                capture_output=True, timeout=60, cwd="/", preexec_fn=demote)
    except (OSError, subprocess.SubprocessError):
        return False
    return result.returncode == 0


def _nobody() -> int | None:
    import pwd

    try:
        return pwd.getpwnam("nobody").pw_uid
    except KeyError:
        return None


def _fallback_user() -> int | None:
    """Whom learners' code runs as without bubblewrap: for root the user ``nobody``,
    otherwise None (the trainer's own unprivileged user)."""
    if os.geteuid() != 0:
        return None
    user = _nobody()
    if user is None or not _can_run_python(user):
        raise JazariError(
            "bubblewrap cannot run here and the user 'nobody' cannot run this Python ("
            f"{sys.executable}): install the Debian package 'bubblewrap', or set "
            "c.JazariGrade.sandbox = 'none' to grade without any isolation")
    return user


def _bubblewrap(*, hide: list[Path], expose: list[Path], tmp_bytes: int) -> list[str]:
    command = [_bwrap(), "--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
               "--unshare-cgroup-try", "--die-with-parent", "--new-session",
               "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
               "--size", str(tmp_bytes), "--tmpfs", "/tmp"]
    covered: list[Path] = []
    for path in sorted(set(hide), key=lambda p: len(p.parts)):
        if not path.exists() or path == Path("/") or any(
                path == c or c in path.parents for c in covered):
            continue
        if path.is_dir():
            command += ["--tmpfs", str(path)]
        else:
            command += ["--ro-bind", "/dev/null", str(path)]
        covered.append(path)
    for path in sorted(set(expose), key=lambda p: len(p.parts)):
        if path.exists() and any(c == path or c in path.parents for c in covered):
            command += ["--ro-bind", str(path), str(path)]
    for path in covered:  # the empty stand-ins are read-only too: nothing to scribble on
        if path.is_dir():
            command += ["--remount-ro", str(path)]
    command += ["--setenv", "HOME", "/tmp", "--setenv", "TMPDIR", "/tmp", "--chdir", "/tmp"]
    return command


def sandbox_command(*, mode: str, course: Path, exchange: Path | None,
                    tmp_bytes: int, extra_hidden: list[str]) -> SandboxPlan:
    """The plan for starting runners, for ``mode`` "auto", "bubblewrap" or "none"."""
    if mode == "none":
        return SandboxPlan(prefix=[], kind="none",
                           warning="grading without a sandbox (JazariGrade.sandbox = 'none'): "
                                   "the learners' code runs as you")
    if bubblewrap_works():
        runner_root = _package_dir("autograder")
        expose = [Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve(),
                  Path(sys.executable).resolve().parent.parent]
        for package in ("widgets",):
            found = _package_dir(package)
            if found is not None:
                expose.append(found)
        hide = [Path(p) for p in HIDDEN] + [course] + [Path(p) for p in extra_hidden]
        if exchange is not None:
            hide.append(exchange)
        if runner_root is not None:
            expose.append(runner_root)
            hide.append(runner_root.parent)  # the checkout: curriculum sources, tests…
        hide = [p.resolve() for p in hide]
        return SandboxPlan(prefix=_bubblewrap(hide=hide, expose=expose, tmp_bytes=tmp_bytes),
                           kind="bubblewrap", own_pid_namespace=True,
                           hidden=[str(p) for p in hide])
    if mode == "bubblewrap":
        raise JazariError("bubblewrap cannot run here (install the Debian package "
                          "'bubblewrap', or set c.JazariGrade.sandbox = 'auto')")
    user = _fallback_user()
    return SandboxPlan(prefix=[], kind="limits", user=user,
                       warning="bubblewrap cannot run here: grading with resource limits"
                               + (" as the user 'nobody'" if user is not None else "")
                               + " only; install the Debian package 'bubblewrap'")
