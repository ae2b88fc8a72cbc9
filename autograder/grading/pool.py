"""The coordinator's side of the runners: start them warm, hand out notebooks, read answers.

A :class:`RunnerPool` starts one sandboxed runner per worker as soon as it is made (they
warm up in parallel while the coordinator prepares the first notebooks). :meth:`run` sends
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


class _Runner:
    def __init__(self, plan: SandboxPlan, settings: RunnerSettings):
        self.log = tempfile.TemporaryFile(mode="w+b")
        env = child_env()
        env.pop("PYTHONPATH", None)
        user = plan.user

        def demote():  # pragma: no cover - runs in the child before exec
            if user is not None:
                os.setgroups([])  # drop root's supplementary groups too
                os.setgid(user)
                os.setuid(user)

        self.process = subprocess.Popen(
            [*plan.prefix, sys.executable, "-P", "-m", "autograder.grading.runner"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log, env=env,
            cwd="/", start_new_session=True, preexec_fn=demote if user is not None else None)
        send(self.process.stdin, {
            "preload": settings.preload, "optional": settings.optional,
            "trusted_modules": settings.trusted_modules,
            "limits": settings.limits, "own_pid_namespace": plan.own_pid_namespace})
        self.answers: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.ready = False
        self.missing: dict[str, str] = {}  #: preloaded modules it could not import, and why

    def _read(self) -> None:
        try:
            while True:
                self.answers.put(receive(self.process.stdout, limit=1 << 30))
        except (EOFError, ValueError, OSError):
            self.answers.put(None)

    def last_words(self) -> str:
        try:
            self.log.seek(0)
            lines = [line.strip() for line in self.log.read().decode("utf-8", "replace")
                     .splitlines() if line.strip()]
        except (OSError, ValueError):
            return ""
        return lines[-1] if lines else ""

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
        if not self.ready or self.process.poll() is not None:
            return 0.0
        try:
            send(self.process.stdin, {"stats": True})
            answer = self.answers.get(timeout=1)
        except (OSError, queue.Empty):
            return 0.0
        value = answer.get("cpu_seconds") if isinstance(answer, dict) else None
        return float(value) if isinstance(value, (int, float)) else 0.0

    def kill(self) -> None:
        try:
            os.killpg(self.process.pid, 9)
        except (ProcessLookupError, PermissionError):
            pass
        self.process.kill()
        self.process.wait()
        self.log.close()

    def close(self) -> None:
        """Stop the runner (it holds nothing worth a clean exit) and all it started."""
        try:
            self.process.stdin.close()
        except OSError:
            pass
        self.kill()


class RunnerPool:
    """``size`` warm runners behind :meth:`run`; use as a context manager."""

    def __init__(self, *, size: int, plan: SandboxPlan, settings: RunnerSettings,
                 start_timeout: float = 120.0):
        self.plan = plan
        self.settings = settings
        self.start_timeout = start_timeout
        #: modules to preload that a runner could not import, and why
        self.missing: dict[str, str] = {}
        #: CPU seconds of the runners that have ended (see :meth:`_Runner.cpu_seconds`)
        self.cpu_seconds = 0.0
        self.free: queue.Queue = queue.Queue()
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
                send(runner.process.stdin, request)
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
            try:
                runner.process.stdin.close()
            except OSError:
                pass
        deadline = time.monotonic() + 5
        for runner in runners:
            try:
                runner.process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
            runner.kill()

    def __enter__(self) -> RunnerPool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
