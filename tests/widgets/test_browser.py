"""The widgets in a real browser: JupyterLab in Debian's Chromium, driven with Playwright.

Only a browser shows whether the widgets render and can be used with the keyboard alone.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from autograder.config import child_env

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots" / "browser"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]


@pytest.fixture
def lab(tmp_path):
    """JupyterLab on a folder with one notebook that shows a robot grid; yields its URL."""
    notebook = new_notebook(cells=[new_code_cell(
        "from widgets import Robot, RobotGrid\n"
        "RobotGrid(Robot(width=3, height=1, star=(2, 0)))")])
    notebook.metadata.kernelspec = {"name": "python3", "display_name": "Python 3",
                                    "language": "python"}
    nbformat.write(notebook, tmp_path / "robot.ipynb")
    cards = new_notebook(cells=[
        new_code_cell('from widgets import setup\nsetup(lang="en")'),
        new_code_cell("from widgets import CommandCards, Robot\n"
                      "robot = Robot(width=3, height=1, star=(2, 0))\nCommandCards(robot)"),
        new_code_cell("robot.fowrard()"),
    ])
    cards.metadata.kernelspec = notebook.metadata.kernelspec
    nbformat.write(cards, tmp_path / "cards.ipynb")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = child_env()
    env["JUPYTER_CONFIG_DIR"] = str(tmp_path / "config")  # no user settings, no news prompt
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}",
         "--ServerApp.ip=127.0.0.1", "--ServerApp.token=browser", f"--ServerApp.root_dir={tmp_path}",
         "--LabApp.expose_app_in_browser=True", "--LabApp.news_url=None",
         *(["--allow-root"] if os.geteuid() == 0 else [])],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=tmp_path)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token=browser", timeout=5):
                    break
            except OSError:
                assert server.poll() is None, "JupyterLab stopped while starting"
                assert time.monotonic() < deadline, "JupyterLab did not start in 120 s"
                time.sleep(1)
        yield f"{base}/lab/tree/robot.ipynb?token=browser"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_robot_grid_renders_and_works_with_the_keyboard_alone(lab):
    """In JupyterLab, does the robot grid render with words a screen reader can read, and
    can a child drive it with Tab and Enter or Space only?"""
    from playwright.sync_api import expect, sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is missing: `make test` installs it "
                    "(or: apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(lab, timeout=120_000)
            page.wait_for_function("window.jupyterapp && window.jupyterapp.started", timeout=120_000)
            expect(page.get_by_text("| Idle")).to_be_visible(timeout=120_000)  # kernel ready
            # Do not await the command: it resolves only when every cell has run.
            page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
            forward = page.get_by_role("button", name="Forward")
            expect(forward).to_be_visible(timeout=120_000)
            picture = page.get_by_role("img", name="The robot is at x=0, y=0")
            expect(picture).to_be_visible()

            # Keyboard only: Tab moves from "Turn left" to "Forward"; Enter and Space press it.
            page.get_by_role("button", name="Turn left").focus()
            page.keyboard.press("Tab")
            expect(forward).to_be_focused()
            page.keyboard.press("Enter")
            expect(page.locator(".widget-label").get_by_text(
                "The robot is at x=1, y=0, looking east.")).to_be_visible()
            page.keyboard.press("Space")
            expect(page.locator(".widget-label").get_by_text("The robot is on the star!")).to_be_visible()
            expect(page.get_by_role("img", name="The robot is at x=2, y=0")).to_be_visible()
        finally:
            browser.close()


def test_command_cards_work_with_the_keyboard_and_a_kind_error_is_one_line_folded(lab):
    """In JupyterLab, do the command cards build a program and run it with Enter and Space
    alone, showing the Python they wrote; and does a typo show one kind line with the full
    traceback folded away?"""
    from playwright.sync_api import expect, sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is missing: `make test` installs it "
                    "(or: apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(lab.replace("robot.ipynb", "cards.ipynb"), timeout=120_000)
            page.wait_for_function("window.jupyterapp && window.jupyterapp.started", timeout=120_000)
            expect(page.get_by_text("| Idle")).to_be_visible(timeout=120_000)
            page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
            forward = page.get_by_role("button", name="Forward")
            expect(forward).to_be_visible(timeout=120_000)
            expect(page.get_by_text("Presses")).to_be_hidden()  # cards hide the drive buttons
            forward.focus()
            page.keyboard.press("Enter")
            page.keyboard.press("Space")
            expect(page.get_by_text('program = ["forward", "forward"]')).to_be_visible()
            page.locator("button.jupyter-button").filter(has_text="Run").focus()
            page.keyboard.press("Enter")
            expect(page.get_by_role("img", name="The robot is at x=2, y=0")).to_be_visible()

            kind = page.get_by_text("The robot does not know fowrard. Did you mean forward?")
            expect(kind).to_be_visible(timeout=60_000)
            expect(page.get_by_text("Line 1: robot.fowrard()")).to_be_visible()
            folded = page.locator("details.jazari-traceback")
            expect(folded).to_have_count(1)
            expect(folded.locator("pre")).to_be_hidden()
            folded.locator("summary").click()
            expect(folded.locator("pre")).to_be_visible()
            expect(folded.locator("pre")).to_contain_text("AttributeError")
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "cards_and_kind_error.png"), full_page=True)
        finally:
            browser.close()
