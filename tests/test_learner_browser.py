"""A learner's own JupyterLab (`jazari lab --learner`) in Debian's Chromium, with Playwright:
fetch, submit and fetch feedback from the Assignments tab, out of reach of the course."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from autograder.config import child_env
from tests.browser import SCREENSHOTS, chromium, open_lab, running_lab

pytestmark = [pytest.mark.slow, pytest.mark.browser]

JAZARI = Path(sys.executable).parent / "jazari"
TOKEN = "learner"


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture
def learner_lab(tmp_path, toy_course):
    """`jazari lab --learner amine` on the released toy course; yields (base URL, home, log)."""
    log = tmp_path / "lab.log"
    env = child_env()  # the test run's own Jupyter folders; the learner's lab sets its own
    with running_lab([str(JAZARI), "lab", "--learner", "amine", "--course", str(toy_course)],
                     env=env, cwd=tmp_path, token=TOKEN, log=log) as base:
        yield base, tmp_path / "course-learners" / "amine", log


def test_a_learner_fetches_submits_and_reads_feedback_in_their_own_lab(learner_lab, toy_course):
    """In the learner's JupyterLab, can amine fetch the released unit, open it, submit it,
    and after `jazari grade` fetch and open the feedback, while the course folder, the
    formgrader and a terminal stay out of reach and the log stays quiet?"""
    from playwright.sync_api import expect

    base, home, log = learner_lab
    # Out of reach: the course beside the learner's folder, the formgrader, a terminal.
    assert _status(f"{base}/api/contents/..%2Fcourse?token={TOKEN}") == 404
    assert _status(f"{base}/api/contents/..%2Fcourse%2Fsource?token={TOKEN}") == 404
    assert _status(f"{base}/formgrader?token={TOKEN}") == 404
    assert _status(f"{base}/formgrader/api/assignments?token={TOKEN}") == 404
    assert _status(f"{base}/api/terminals?token={TOKEN}") == 404

    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        open_lab(page, f"{base}/lab?token={TOKEN}")
        commands = page.evaluate("() => window.jupyterapp.commands.listCommands()")
        assert "nbgrader:open-assignment-list" in commands
        assert "nbgrader:open-formgrader" not in commands
        assert "nbgrader:open-course-list" not in commands
        assert "terminal:create-new" not in commands or not page.evaluate(
            "() => window.jupyterapp.commands.isEnabled('terminal:create-new')")

        # The Nbgrader menu offers the Assignments tab only.
        page.get_by_role("menuitem", name="Nbgrader").click()
        menu = page.locator("#jp-mainmenu-nbgrader")
        expect(menu.get_by_role("menuitem", name="Assignment List")).to_be_visible()
        assert menu.get_by_role("menuitem").count() == 1
        menu.get_by_role("menuitem", name="Assignment List").click()
        panel = page.locator("#nbgrader-assignment-list")

        released = panel.locator("#released_assignments_list")
        expect(released.get_by_text("t01_toy")).to_be_visible(timeout=60_000)
        released.get_by_role("button", name="Fetch").click()
        fetched = panel.locator("#fetched_assignments_list")
        expect(fetched.get_by_role("button", name="Submit")).to_be_visible(timeout=60_000)
        assert (home / "t01_toy" / "toy.ipynb").is_file()

        # The file browser's root holds the learner's unit and nothing of the course.
        browser_items = page.locator(".jp-DirListing-content .jp-DirListing-itemText")
        expect(browser_items).to_have_text(["t01_toy"], timeout=30_000)
        listing = page.evaluate(
            "async (token) => (await (await fetch('/api/contents?token=' + token)).json())"
            ".content.map(item => item.name)", TOKEN)
        assert listing == ["t01_toy"]

        # The child opens the notebook (JupyterLab makes a checkpoint), answers, submits.
        fetched.get_by_role("button", name="t01_toy").click()
        fetched.get_by_role("link", name="toy", exact=True).click()
        expect(page.get_by_role("tab", name="toy.ipynb")).to_be_visible(timeout=60_000)
        notebook = json.loads((home / "t01_toy" / "toy.ipynb").read_text())
        notebook["cells"][1]["source"] = "def add_one(n):\n    return n + 1"
        (home / "t01_toy" / "toy.ipynb").write_text(json.dumps(notebook))
        page.get_by_role("tab", name="Assignments").click()
        fetched.get_by_role("button", name="Submit").click()
        submitted = panel.locator("#submitted_assignments_list")
        expect(submitted.get_by_role("button", name="Fetch Feedback")).to_be_visible(
            timeout=60_000)
        expect(submitted.get_by_text(" UTC")).to_have_count(1)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "learner_after_submit.png"))
        inbound = list((toy_course / "exchange" / "jazari" / "inbound").iterdir())
        assert len(inbound) == 1 and inbound[0].name.startswith("amine+t01_toy+")
        assert not (inbound[0] / ".ipynb_checkpoints").exists()

        graded = subprocess.run([str(JAZARI), "grade", "t01_toy", "--course",
                                 str(toy_course)], capture_output=True, text=True,
                                env=child_env(), timeout=600)
        assert graded.returncode == 0, graded.stderr

        panel.locator("#refresh_assignments_list").click()
        expect(submitted.get_by_text("(feedback available to fetch)")).to_be_visible(
            timeout=60_000)
        submitted.get_by_role("button", name="Fetch Feedback").click()
        view = submitted.locator("a", has_text="(view feedback)")
        expect(view).to_be_visible(timeout=60_000)
        view.click()
        feedback = page.locator(".jp-DirListing-content .jp-DirListing-itemText",
                                has_text="toy.html")
        expect(feedback).to_be_visible(timeout=30_000)
        feedback.dblclick()
        expect(page.get_by_role("tab", name="toy.html")).to_be_visible(timeout=30_000)
        page.screenshot(path=str(SCREENSHOTS / "learner_feedback.png"))

    pages = list((home / "t01_toy" / "feedback").glob("*/toy.html"))
    made = toy_course / "feedback" / "amine" / "t01_toy" / "toy.html"  # by `jazari grade`
    assert len(pages) == 1 and pages[0].read_bytes() == made.read_bytes()
    text = log.read_text()
    assert "no feedback available" not in text and "EXTRA" not in text
    assert "extra notebooks" not in text
