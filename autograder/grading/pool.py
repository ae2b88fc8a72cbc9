"""The coordinator's side of the runners: start them warm, hand out notebooks, read answers.

A :class:`RunnerPool` starts its runners as soon as it is made (they warm up while the
coordinator prepares the first notebooks): one sandboxed zygote that imports and warms up
once and forks one runner per worker, or, for a single worker, one runner. :meth:`run` sends
one notebook to a free runner and waits for its answer; a runner that does not answer in
time, or dies, is killed with everything it started and replaced by a fresh one.
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field

from autograder.config import child_env
from autograder.grading.records import RunAnswer
from autograder.grading.runner import receive, send
from autograder.grading.sandbox import SandboxPlan

__all__ = ["RunnerPool", "RunnerSettings"]


@dataclass
class RunnerSettings:
    """What every runner is told when it starts."""

    preload: list[str]  #: modules to import first (a runner says which it cannot)
    trusted_modules: list[str]
    limits: dict  #: memory, processes, file_size, submission_seconds, cell_seconds, …
    optional: list[str] = field(default_factory=list)  #: modules to import if they can be
    #: lines run once after the imports (see :mod:`autograder.grading.warmups`)
    warm_ups: list[str] = field(default_factory=list)
    #: threads a notebook's numeric libraries may use (0: as many as they like)
    threads: int = 0
    #: matplotlib's font lists (file name -> text) for a runner's own cache folder
    font_lists: dict[str, str] = field(default_factory=dict)


#: how the numeric libraries are told how many threads they may start
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                    "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")


def _start(plan: SandboxPlan, settings: RunnerSettings, first_message: dict,
           pass_fds: tuple[int, ...] = ()):
    """Start ``python -m autograder.grading.runner`` in the sandbox; returns the process and
    the file its standard error goes to."""
    log = tempfile.TemporaryFile(mode="w+b")
    env = child_env()
    env.pop("PYTHONPATH", None)
    if settings.threads:  # set before the libraries load: they read it once
        for name in THREAD_VARIABLES:
            env.setdefault(name, str(settings.threads))
    user = plan.user

    def demote():  # pragma: no cover - runs in the child before exec
        if user is not None:
            os.setgroups([])  # drop root's supplementary groups too
            os.setgid(user)
            os.setuid(user)

    process = subprocess.Popen(
        [*plan.prefix, sys.executable, "-P", "-m", "autograder.grading.runner"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, env=env,
        cwd="/", start_new_session=True, preexec_fn=demote if user is not None else None,
        pass_fds=pass_fds)
    send(process.stdin, first_message)
    return process, log


def _first_message(plan: SandboxPlan, settings: RunnerSettings) -> dict:
    return {"preload": settings.preload, "optional": settings.optional,
            "warm_ups": settings.warm_ups, "trusted_modules": settings.trusted_modules,
            "limits": settings.limits, "own_pid_namespace": plan.own_pid_namespace,
            "private_tmp": plan.kind == "bubblewrap",
            # Only where the runner's home is its own (a fallback runner's is not).
            "font_lists": settings.font_lists if plan.kind == "bubblewrap" else {}}


def _last_line(log) -> str:
    try:
        log.seek(0)
        lines = [line.strip() for line in log.read().decode("utf-8", "replace").splitlines()
                 if line.strip()]
    except (OSError, ValueError):
        return ""
    return lines[-1] if lines else ""


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, 9)
    except (ProcessLookupError, PermissionError):
        pass
    process.kill()
    process.wait()


class _Runner:
    """One runner: requests go to :meth:`send`, answers arrive in ``answers``."""

    def __init__(self, plan: SandboxPlan, settings: RunnerSettings):
        self.process, self.log = _start(plan, settings, _first_message(plan, settings))
        self._requests = self.process.stdin
        self._listen(self.process.stdout)

    def _listen(self, stream) -> None:
        self.answers: queue.Queue = queue.Queue()
        self.ready = False
        self.missing: dict[str, str] = {}  #: preloaded modules it could not import, and why

        def read() -> None:
            try:
                while True:
                    self.answers.put(receive(stream, limit=1 << 30))
            except (EOFError, ValueError, OSError):
                self.answers.put(None)

        threading.Thread(target=read, daemon=True).start()

    def send(self, message: dict) -> None:
        send(self._requests, message)

    def alive(self) -> bool:
        return self.process.poll() is None

    def last_words(self) -> str:
        return _last_line(self.log)

    def wait_ready(self, timeout: float) -> str:
        """'' once the runner has warmed up, else why it could not."""
        if self.ready:
            return ""
        try:
            message = self.answers.get(timeout=timeout)
        except queue.Empty:
            return f"the grader did not start within {timeout:g} s"
        if message is None or not message.get("ready"):
            words = self.last_words()
            return "the grader could not start" + (f": {words}" if words else "")
        self.ready = True
        missing = message.get("missing")
        if isinstance(missing, dict):
            self.missing = {str(k): str(v) for k, v in missing.items()}
        return ""

    def cpu_seconds(self) -> float:
        """The CPU time this runner reports it used (0 if it cannot say within a second)."""
        if not self.ready or not self.alive():
            return 0.0
        try:
            self.send({"stats": True})
            answer = self.answers.get(timeout=1)
        except (OSError, queue.Empty):
            return 0.0
        value = answer.get("cpu_seconds") if isinstance(answer, dict) else None
        return float(value) if isinstance(value, (int, float)) else 0.0

    def end(self) -> None:
        """Ask the runner to end: it stops at the end of its channel."""
        try:
            self._requests.close()
        except OSError:
            pass

    def wait(self, timeout: float) -> None:
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pass

    def kill(self) -> None:
        """End the runner now, with all it started."""
        _kill_group(self.process)
        self.log.close()


class _Zygote:
    """One sandboxed process that imports and warms up once, then forks ``size`` runners
    (see :mod:`autograder.grading.runner`): they share its warm memory, and the class pays
    for one warm-up instead of one per runner."""

    def __init__(self, plan: SandboxPlan, settings: RunnerSettings, size: int):
        ours, theirs = [], []
        for _ in range(size):
            requests_read, requests_write = os.pipe()
            answers_read, answers_write = os.pipe()
            ours.append((requests_write, answers_read))
            theirs.append((requests_read, answers_write))
        message = {**_first_message(plan, settings), "runners": [list(p) for p in theirs]}
        try:
            self.process, self.log = _start(plan, settings, message,
                                            pass_fds=tuple(fd for p in theirs for fd in p))
        finally:
            for pair in theirs:
                for fd in pair:
                    os.close(fd)
        self.lock = threading.Lock()
        self.runners = [_Forked(self, index, os.fdopen(w, "wb"), os.fdopen(r, "rb"))
                        for index, (w, r) in enumerate(ours)]

    def ask(self, message: dict) -> dict | None:
        """Send the zygote one request and wait (5 s at most) for its answer."""
        with self.lock:
            if self.process.poll() is not None:
                return None
            try:
                send(self.process.stdin, message)
            except OSError:
                return None
            answers: queue.Queue = queue.Queue()

            def read() -> None:
                try:
                    answers.put(receive(self.process.stdout, limit=1 << 20))
                except (EOFError, ValueError, OSError):
                    answers.put(None)

            threading.Thread(target=read, daemon=True).start()
            try:
                return answers.get(timeout=5)
            except queue.Empty:
                return None

    def cpu_seconds(self) -> float:
        answer = self.ask({"stats": True})
        value = answer.get("cpu_seconds") if isinstance(answer, dict) else None
        return float(value) if isinstance(value, (int, float)) else 0.0

    def end(self, timeout: float) -> None:
        """Close the control channel (the zygote then ends its runners) and wait, then kill
        what is left."""
        try:
            self.process.stdin.close()
        except OSError:
            pass
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pass
        _kill_group(self.process)
        self.log.close()


class _Forked(_Runner):
    """A runner forked by a :class:`_Zygote`, reached through its own pair of pipes."""

    def __init__(self, zygote: _Zygote, index: int, requests, answers):
        self.zygote = zygote
        self.index = index
        self._requests = requests
        self._listen(answers)
        self.dead = False

    def alive(self) -> bool:
        return not self.dead and self.zygote.process.poll() is None

    def last_words(self) -> str:
        return _last_line(self.zygote.log)

    def wait(self, timeout: float) -> None:
        pass  # the zygote waits for its runners when it ends

    def kill(self) -> None:
        self.dead = True
        self.end()
        self.zygote.ask({"kill": self.index})


class RunnerPool:
    """``size`` warm runners behind :meth:`run`; use as a context manager."""

    def __init__(self, *, size: int, plan: SandboxPlan, settings: RunnerSettings,
                 start_timeout: float = 120.0, shared_warm_up: bool = True):
        self.plan = plan
        self.settings = settings
        self.size = size
        self.start_timeout = start_timeout
        #: modules to preload that a runner could not import, and why
        self.missing: dict[str, str] = {}
        #: CPU seconds of the runners that have ended (see :meth:`_Runner.cpu_seconds`)
        self.cpu_seconds = 0.0
        self.free: queue.Queue = queue.Queue()
        self.zygote: _Zygote | None = None
        if shared_warm_up and size > 1:
            self.zygote = _Zygote(plan, settings, size)
            for runner in self.zygote.runners:
                self.free.put(runner)
        else:
            for _ in range(size):
                self.free.put(_Runner(plan, settings))

    def run(self, request: dict, *, timeout: float) -> RunAnswer:
        """Run one notebook (``request`` as :mod:`autograder.grading.runner` expects)."""
        runner = self.free.get()
        try:
            problem = runner.wait_ready(self.start_timeout)
            self.missing.update(runner.missing)
            if problem:
                runner.kill()
                runner = _Runner(self.plan, self.settings)
                return RunAnswer(status="crashed", reason=problem)
            try:
                runner.send(request)
            except (BrokenPipeError, OSError):
                words = runner.last_words()
                runner.kill()
                runner = _Runner(self.plan, self.settings)
                return RunAnswer(status="crashed", reason="the grader stopped unexpectedly"
                                 + (f": {words}" if words else ""))
            try:
                message = runner.answers.get(timeout=timeout)
            except queue.Empty:
                message = None
                reason = f"the notebook ran longer than {timeout:g} s and was stopped"
                status = "timed out"
            else:
                status, reason = "crashed", "the grader stopped unexpectedly"
            if message is None:
                words = runner.last_words() if status == "crashed" else ""
                runner.kill()
                runner = _Runner(self.plan, self.settings)
                return RunAnswer(status=status, reason=reason + (f": {words}" if words else ""))
            return RunAnswer.from_message(message)
        finally:
            self.free.put(runner)

    def close(self) -> None:
        """Ask every runner to end (so what they used is counted as this process's children's
        time), and kill those that have not within a few seconds, with all they started."""
        runners = []
        while True:
            try:
                runners.append(self.free.get_nowait())
            except queue.Empty:
                break
        for runner in runners:
            self.cpu_seconds += runner.cpu_seconds()
            runner.end()
        if self.zygote is not None and self.zygote.process.poll() is None:
            self.cpu_seconds += self.zygote.cpu_seconds()
        deadline = time.monotonic() + 5
        for runner in runners:
            if isinstance(runner, _Forked):
                continue
            runner.wait(max(0.0, deadline - time.monotonic()))
            runner.kill()
        if self.zygote is not None:
            self.zygote.end(max(0.0, deadline - time.monotonic()))
            self.zygote = None

    def __enter__(self) -> RunnerPool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
