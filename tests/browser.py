"""JupyterLab on loopback and Debian's Chromium driven by Playwright: the one way the browser
tests start them.

A test gives the command that starts its JupyterLab (``python -m jupyterlab`` or ``jazari lab``)
and its environment; :func:`running_lab` adds the options every test lab needs (loopback, a
fixed token, the app exposed as ``window.jupyterapp``, no news), waits until the server
answers and stops it afterwards. :func:`chromium` launches the browser with the arguments that
work on these machines. Screenshots go to ``screenshots/browser/`` (git-ignored).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

from autograder.config import child_env
from autograder.homes import jupyter_env

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "JUPYTERLAB", "SCREENSHOTS", "TOKEN", "chromium",
           "free_port", "lab_env", "lab_options", "open_lab", "run_all_cells", "running_lab"]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
#: JupyterLab from the Python running the tests
JUPYTERLAB = [sys.executable, "-m", "jupyterlab"]
SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots" / "browser"
TOKEN = "browser"
#: seconds JupyterLab may take to answer after it starts
START_TIMEOUT = 120


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def lab_env(state: Path) -> dict[str, str]:
    """The environment for a test's JupyterLab: this Python's ``bin/`` first on PATH, and
    Jupyter's config, data, runtime and IPython folders of its own under ``state`` (no user
    settings, no news prompt)."""
    env = child_env()
    env.update(jupyter_env(state))
    return env


def lab_options(*, port: int, token: str = TOKEN) -> list[str]:
    """The options every test lab gets: on loopback with a fixed token, no browser opened,
    ``window.jupyterapp`` exposed so a test can run its commands, no news fetched."""
    return ["--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1",
            f"--IdentityProvider.token={token}", "--LabApp.expose_app_in_browser=True",
            "--LabApp.news_url=None", *(["--allow-root"] if os.geteuid() == 0 else [])]


@contextmanager
def running_lab(command: list[str], *, env: dict[str, str], cwd: Path, token: str = TOKEN,
                log: Path | None = None):
    """Start ``command`` plus :func:`lab_options`, wait until it answers, yield its base URL
    (``http://127.0.0.1:PORT``); stop it afterwards. With ``log``, the server's output goes
    there and its end is shown if the server stops while starting."""
    port = free_port()
    with ExitStack() as stack:
        output = stack.enter_context(log.open("w")) if log else subprocess.DEVNULL
        server = subprocess.Popen([*command, *lab_options(port=port, token=token)],
                                  stdout=output, stderr=subprocess.STDOUT, env=env, cwd=cwd)
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(server, f"{base}/api/status?token={token}", log)
            yield base
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=30)


def _wait_until_up(server: subprocess.Popen, status_url: str, log: Path | None) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            with urllib.request.urlopen(status_url, timeout=5):
                return
        except OSError:
            if server.poll() is not None:
                told = log.read_text()[-2000:] if log else ""
                raise AssertionError(f"JupyterLab stopped while starting\n{told}") from None
            if time.monotonic() > deadline:
                raise AssertionError(f"JupyterLab did not start in {START_TIMEOUT} s") from None
            time.sleep(1)


@contextmanager
def chromium():
    """Debian's Chromium, headless, driven by Playwright; yields the browser, closed afterwards.
    A missing Chromium fails the test (it is never skipped)."""
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is missing: `make test` installs it "
                    "(or: apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def open_lab(page, url: str) -> None:
    """Go to ``url`` and wait until JupyterLab has started in the page."""
    page.goto(url, timeout=120_000)
    page.wait_for_function("window.jupyterapp && window.jupyterapp.started", timeout=120_000)


def run_all_cells(page) -> None:
    """Run every cell of the open notebook. The command is not awaited: it resolves only when
    every cell has run."""
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
