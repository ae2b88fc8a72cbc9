"""The warm runner: ``python -m autograder.grading.runner``, started inside the sandbox.

It imports the libraries the unit's notebooks use once (NumPy, matplotlib, scikit-learn,
ipywidgets…: see :mod:`autograder.grading.preload`) and IPython,
then, for each notebook the coordinator sends, forks a fresh child that:

1. makes a private folder in the sandbox's own ``/tmp`` with the files it was sent, and
   works there;
2. reseeds the random generators, lowers its resource limits (memory, processes, file size,
   CPU time) and becomes its own process group;
3. runs the cells with :class:`autograder.grading.harness.Harness` and sends one report per
   code cell back through a pipe.

The runner checks the reports arrive in order, stops the child at the submission's time
limit, then ends every process the child left behind, so nothing is carried from one
learner to the next: the runner is a subreaper (every orphan of its child becomes its own),
and alone in its PID namespace it ends every other process there.

One warm-up can serve several runners. Told ``runners`` (pairs of inherited descriptors, one
pair per runner) the process is a *zygote*: it imports and warms up once, forks one runner
per pair, and then only answers its coordinator's ``stats`` and ``kill`` requests. Those
runners share the zygote's PID namespace, so each ends only its own child's leftovers.

Messages with the coordinator are framed JSON (see :func:`send`); the runner never receives
or sends pickles.

This module imports nothing else from ``autograder`` except the harness.
"""

from __future__ import annotations

import base64
import json
import os
import select
import shutil
import signal
import struct
import sys
import tempfile
import time
from pathlib import PurePosixPath

__all__ = ["main", "receive", "send"]

_HEADER = struct.Struct(">Q")


def send(stream, message: dict) -> None:
    """Write one framed JSON message (8-byte length, then UTF-8 JSON)."""
    data = json.dumps(message).encode("utf-8")
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def _read_exactly(read, size: int) -> bytes:
    chunks = []
    while size:
        chunk = read(size)
        if not chunk:
            raise EOFError("the other side closed the channel")
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def receive(stream, limit: int = 1 << 31) -> dict:
    """Read one framed JSON message (refusing one longer than ``limit`` bytes)."""
    (size,) = _HEADER.unpack(_read_exactly(stream.read, _HEADER.size))
    if size > limit:
        raise ValueError(f"a message of {size} bytes is longer than the limit")
    return json.loads(_read_exactly(stream.read, size))


def _warm(preload: list[str], optional: list[str] = (),
          warm_ups: list[str] = ()) -> dict[str, str]:
    """Import ``preload``, then what of ``optional`` can be, then run the libraries'
    ``warm_ups`` (each in its own namespace; one that fails is skipped); returns what of
    ``preload`` could not be imported, with why."""
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    import importlib

    missing = {}
    for name in preload:
        try:
            importlib.import_module(name)
        except Exception as error:  # a missing optional library is not fatal
            print(f"runner: could not preload {name}: {error}", file=sys.stderr)
            missing[name] = f"{type(error).__name__}: {error}"
    for name in optional:
        try:
            importlib.import_module(name)
        except Exception:  # the notebooks' own imports: their cells will say what fails
            pass
    import warnings

    for source in warm_ups:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                exec(compile(source, "<warm-up>", "exec"), {"__name__": "__warm_up__"})
        except Exception as error:  # a warm-up only saves time: without it, all still runs
            print(f"runner: a warm-up failed: {type(error).__name__}: {error}",
                  file=sys.stderr)
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
    return missing


def _seed_font_lists(font_lists: dict[str, str]) -> None:
    """Put the coordinator's matplotlib font lists in the folder this process's matplotlib
    will look in (only in a sandbox whose home is its own), so it does not build them."""
    if not font_lists or "matplotlib" in sys.modules:
        return
    folder = os.environ.get("MPLCONFIGDIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "matplotlib")
    try:
        os.makedirs(folder, exist_ok=True)
        for name, text in font_lists.items():
            if os.path.basename(name) != name or not name.startswith("fontlist-v"):
                continue
            target = os.path.join(folder, name)
            if not os.path.exists(target):
                with open(target, "w", encoding="utf-8") as handle:
                    handle.write(text)
    except OSError:  # matplotlib builds its own list, as without this
        pass


def _safe_path(root: str, relative: str) -> str | None:
    path = PurePosixPath(relative)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        return None
    return os.path.join(root, *path.parts)


def _limit(resource_module, name: str, value: int) -> None:
    kind = getattr(resource_module, name)
    soft, hard = resource_module.getrlimit(kind)
    if hard != resource_module.RLIM_INFINITY:
        value = min(value, hard)
    try:
        resource_module.setrlimit(kind, (value, value))
    except (ValueError, OSError):
        pass


def _vm_size() -> int:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _child(request: dict, limits: dict, report_fd: int, harness, workdir: str) -> None:
    """In the forked child: set up, run every cell, report each one."""
    import random
    import resource

    os.setpgid(0, 0)
    reports = os.fdopen(report_fd, "wb")
    for relative, encoded in request.get("files", {}).items():
        target = _safe_path(workdir, relative)
        if target is None:
            continue
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as handle:
            handle.write(base64.b64decode(encoded))
    os.chdir(workdir)
    os.environ.update(request.get("env", {}))
    os.environ["HOME"] = workdir
    random.seed()
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed()
    _limit(resource, "RLIMIT_AS", _vm_size() + int(limits["memory"]))
    _limit(resource, "RLIMIT_NPROC", int(limits["processes"]))
    _limit(resource, "RLIMIT_FSIZE", int(limits["file_size"]))
    _limit(resource, "RLIMIT_CPU", int(limits["submission_seconds"]) + 5)
    _limit(resource, "RLIMIT_CORE", 0)

    harness.cell_output_limit = int(limits["cell_output"])
    left = int(limits["notebook_output"])
    for index, cell in enumerate(request["cells"]):
        if cell["cell_type"] != "code":
            continue
        report = harness.run_cell(cell["source"], is_test=bool(cell.get("test")),
                                  timeout=limits.get("cell_seconds"))
        size = len(json.dumps(report["outputs"]))
        if size > left:
            report["outputs"] = [o for o in report["outputs"] if o["output_type"] == "error"][:1]
            report["outputs"].append({"output_type": "stream", "name": "stdout",
                                      "text": "[output cut: the notebook printed more than "
                                              "its limit]\n"})
            report["flags"].append("printed more than the notebook's output limit")
        left = max(0, left - size)
        send(reports, {"cell": index, **report})
    send(reports, {"done": True})
    reports.close()


def _alive(pid: int) -> bool:
    """Is ``pid`` running (not a zombie waiting to be reaped)?"""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def _children_of(parent: int) -> list[int]:
    """The living processes whose parent is ``parent``."""
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if len(fields) > 1 and fields[0] != "Z" and fields[1] == str(parent):
            found.append(int(name))
    return found


def _become_subreaper() -> bool:
    """Make the processes this one's descendants leave behind its own children (Linux's
    PR_SET_CHILD_SUBREAPER), so none can slip away by outliving its parent."""
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _die_with_parent() -> None:
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _sweep(own_namespace: bool, keep: tuple[int, ...] = (), reaped_by_caller: int = 0) -> None:
    """Kill, again and again as the orphans of the killed ones become ours, in our own PID
    namespace every other process, otherwise (we are a subreaper) every child of ours but
    ``keep``."""
    me = os.getpid()
    for _ in range(100):
        if own_namespace:
            others = [int(name) for name in os.listdir("/proc")
                      if name.isdigit() and int(name) not in (1, me) and _alive(int(name))]
        else:
            others = [pid for pid in _children_of(me) if pid not in keep]
        if not others:
            return
        for pid in others:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        for pid in others:
            if pid == reaped_by_caller:
                continue  # the caller wants its exit status
            try:
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                pass
        time.sleep(0.01)


def _end_leftovers(child: int, own_namespace: bool) -> None:
    """Kill the child's process group, then every process it left behind (see
    :func:`_sweep`)."""
    try:
        os.killpg(child, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    _sweep(own_namespace, reaped_by_caller=child)


def _own_scratch(settings: dict) -> str | None:
    """The folder this runner's submission folders go in: in a sandbox's private ``/tmp``,
    ``/tmp/runner-<pid>``, so that the other runners know what not to clear."""
    if not settings.get("private_tmp"):
        return None
    folder = f"/tmp/runner-{os.getpid()}"
    os.makedirs(folder, mode=0o700, exist_ok=True)
    return folder


def _clear_scratch() -> None:
    """Remove what learners' code wrote outside its own folder in the sandbox's private
    ``/tmp`` and ``/dev/shm`` (never called where those are the machine's own): everything
    but the folders of the runners still at work."""
    siblings = {f"runner-{pid}" for pid in _children_of(os.getppid())} - {
        f"runner-{os.getpid()}"}
    for root in ("/tmp", "/dev/shm"):
        try:
            names = os.listdir(root)
        except OSError:
            continue
        for name in names:
            if root != "/dev/shm" and name in siblings:
                continue
            path = os.path.join(root, name)
            try:
                if os.path.isdir(path) and not os.path.islink(path):
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    os.unlink(path)
            except OSError:
                pass


def _fork(work, who: str) -> int:
    """Fork; the child runs ``work()`` and exits with what it returns (3 if it raised),
    never returning into the caller's loop. Returns the child's process id."""
    pid = os.fork()
    if pid:
        return pid
    code = 3
    try:
        code = work()
    except BaseException as error:  # noqa: BLE001 - report, never return into the caller
        try:
            print(f"{who}: {type(error).__name__}: {error}", file=sys.__stderr__)
        except Exception:
            pass
    finally:
        os._exit(code)


def _serve(request: dict, settings: dict, channels: tuple[int, int], harness) -> dict:
    limits = {**settings["limits"], **request.get("limits", {})}
    code_cells = [i for i, cell in enumerate(request["cells"]) if cell["cell_type"] == "code"]
    started = time.monotonic()
    read_fd, write_fd = os.pipe()
    workdir = tempfile.mkdtemp(prefix="submission-", dir=_own_scratch(settings))
    def child() -> int:
        os.close(read_fd)
        for fd in channels:
            os.close(fd)
        _child(request, limits, write_fd, harness, workdir)
        return 0

    pid = _fork(child, "runner child")
    os.close(write_fd)
    reports: dict[int, dict] = {}
    flags: list[str] = []
    status, reason = "finished", ""
    deadline = started + float(limits["submission_seconds"])
    buffer = b""
    hard_cap = int(limits["notebook_output"]) + 2 * int(limits["cell_output"]) + (1 << 20)
    received = 0
    done = False
    expected = iter(code_cells)
    while not done:
        left = deadline - time.monotonic()
        if left <= 0:
            status = "timed out"
            reason = (f"the notebook ran longer than {float(limits['submission_seconds']):g} s "
                      "and was stopped")
            break
        ready, _, _ = select.select([read_fd], [], [], left)
        if not ready:
            continue
        chunk = os.read(read_fd, 1 << 16)
        if not chunk:
            break
        received += len(chunk)
        if received > hard_cap:
            status, reason = "crashed", "the notebook printed far more than its output limit"
            break
        buffer += chunk
        while len(buffer) >= _HEADER.size:
            (size,) = _HEADER.unpack(buffer[:_HEADER.size])
            if len(buffer) < _HEADER.size + size:
                break
            try:
                message = json.loads(buffer[_HEADER.size:_HEADER.size + size])
            except ValueError:
                message = {"garbled": True}
            buffer = buffer[_HEADER.size + size:]
            if message.get("done"):
                done = True
                break
            index = message.get("cell")
            if index != next(expected, None) or not isinstance(message.get("outputs"), list):
                flags.append("wrote its own messages to the grader's channel")
                status, reason = "crashed", "the grader's channel was tampered with"
                done = True
                break
            reports[index] = message
    os.close(read_fd)
    _end_leftovers(pid, settings.get("own_pid_namespace", False))
    try:
        _, wait_status = os.waitpid(pid, 0)
    except ChildProcessError:
        wait_status = 0
    shutil.rmtree(workdir, ignore_errors=True)  # nothing is left for the next learner
    if settings.get("private_tmp"):
        _clear_scratch()
    if status == "finished" and not done:
        status = "crashed"
        code = os.waitstatus_to_exitcode(wait_status) if wait_status else 0
        how = f"was killed by signal {-code}" if code < 0 else f"stopped (exit status {code})"
        if code == -signal.SIGKILL or code == -signal.SIGSEGV:
            how += ", perhaps using more memory than allowed"
        ran = len(reports)
        reason = f"the notebook's run {how} after {ran} of {len(code_cells)} code cells"
    return {"status": status, "reason": reason, "flags": flags,
            "cells": {str(index): report for index, report in reports.items()},
            "seconds": time.monotonic() - started}


def _cpu_seconds() -> float:
    """CPU time of this runner and of every child it has waited for."""
    import resource

    return sum(usage.ru_utime + usage.ru_stime for usage in (
        resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)))


def _loop(incoming, outgoing, settings: dict, harness) -> int:
    """Serve the coordinator's requests on one channel until it closes."""
    channels = (incoming.fileno(), outgoing.fileno())
    while True:
        try:
            request = receive(incoming)
        except EOFError:
            return 0
        if request.get("stats"):  # the coordinator asks, before it ends the runner
            send(outgoing, {"cpu_seconds": _cpu_seconds()})
            continue
        send(outgoing, _serve(request, settings, channels, harness))


def _fork_runners(pairs: list[list[int]], settings: dict, harness, missing: dict,
                  control: tuple) -> list[int]:
    """As a zygote: fork one runner per channel pair ``(requests fd, answers fd)``; each
    keeps only its own pair. Returns their process ids."""
    pids = []
    for index, (requests_fd, answers_fd) in enumerate(pairs):

        def runner(index=index, requests_fd=requests_fd, answers_fd=answers_fd) -> int:
            _die_with_parent()
            _become_subreaper()
            for stream in control:
                stream.close()
            for other, (a, b) in enumerate(pairs):
                if other != index:
                    os.close(a)
                    os.close(b)
            incoming = os.fdopen(requests_fd, "rb")
            outgoing = os.fdopen(answers_fd, "wb")
            send(outgoing, {"ready": True, "pid": os.getpid(), "missing": missing})
            return _loop(incoming, outgoing, {**settings, "own_pid_namespace": False}, harness)

        pid = _fork(runner, "runner")
        pids.append(pid)
    for a, b in pairs:
        os.close(a)
        os.close(b)
    return pids


def _zygote(control_in, control_out, pids: list[int]) -> int:
    """After forking the runners: answer the coordinator's ``stats`` and ``kill`` requests
    on the control channel, and end every runner (and what they left) when it closes."""
    alive = set(pids)
    while True:
        try:
            request = receive(control_in)
        except EOFError:
            break
        if request.get("stats"):
            import resource

            usage = resource.getrusage(resource.RUSAGE_SELF)
            send(control_out, {"cpu_seconds": usage.ru_utime + usage.ru_stime})
        elif isinstance(request.get("kill"), int) and 0 <= request["kill"] < len(pids):
            pid = pids[request["kill"]]
            if pid in alive:
                alive.discard(pid)
                try:
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
                except (ProcessLookupError, ChildProcessError):
                    pass
            # what that runner's child left now belongs to us: end it, spare the others
            _sweep(False, keep=tuple(alive))
            send(control_out, {"killed": request["kill"]})
    deadline = time.monotonic() + 5
    while alive and time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid:
            alive.discard(pid)
        else:
            time.sleep(0.01)
    _sweep(False)
    return 0


def main() -> int:
    # Keep the coordinator's channel on private descriptors; cells never see it.
    incoming = os.fdopen(os.dup(0), "rb")
    outgoing = os.fdopen(os.dup(1), "wb")
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(2, 1)
    _become_subreaper()
    settings = receive(incoming)
    if settings.get("private_tmp"):
        _seed_font_lists(settings.get("font_lists") or {})
    missing = _warm(settings.get("preload", []), settings.get("optional", []),
                    settings.get("warm_ups", []))
    from autograder.grading.harness import Harness

    # The shell and the pristine copies are made here, before any child code runs; every
    # forked child starts from them.
    harness = Harness(trusted_modules=list(settings.get("trusted_modules", [])),
                      cell_output_limit=int(settings["limits"]["cell_output"]))
    harness.snapshot()
    harness.warm_up()
    harness.snapshot()
    pairs = settings.get("runners")
    if pairs:  # a zygote: one warm-up for all the runners it forks
        pids = _fork_runners(pairs, settings, harness, missing, (incoming, outgoing))
        return _zygote(incoming, outgoing, pids)
    send(outgoing, {"ready": True, "pid": os.getpid(), "missing": missing})
    return _loop(incoming, outgoing, settings, harness)


if __name__ == "__main__":
    code = main()
    sys.stderr.flush()
    os._exit(code)  # no slow teardown of all the libraries: nothing is left to save
