"""The widgets in a real browser: JupyterLab in Debian's Chromium, driven with Playwright.

Only a browser shows whether the widgets render and can be used with the keyboard alone.
"""

from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from tests.browser import (
    JUPYTERLAB,
    SCREENSHOTS,
    TOKEN,
    chromium,
    lab_env,
    open_lab,
    run_all_cells,
    running_lab,
)

pytestmark = [pytest.mark.slow, pytest.mark.browser]


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
    with running_lab([*JUPYTERLAB, f"--ServerApp.root_dir={tmp_path}"],
                     env=lab_env(tmp_path / "jupyter"), cwd=tmp_path) as base:
        yield f"{base}/lab/tree/robot.ipynb?token={TOKEN}"


def test_robot_grid_renders_and_works_with_the_keyboard_alone(lab):
    """In JupyterLab, does the robot grid render with words a screen reader can read, and
    can a child drive it with Tab and Enter or Space only?"""
    from playwright.sync_api import expect

    with chromium() as browser:
        page = browser.new_page()
        open_lab(page, lab)
        expect(page.get_by_text("| Idle")).to_be_visible(timeout=120_000)  # kernel ready
        run_all_cells(page)
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


def test_command_cards_work_with_the_keyboard_and_a_kind_error_is_one_line_folded(lab):
    """In JupyterLab, do the command cards build a program and run it with Enter and Space
    alone, showing the Python they wrote; and does a typo show one kind line with the full
    traceback folded away?"""
    from playwright.sync_api import expect

    with chromium() as browser:
        page = browser.new_page()
        open_lab(page, lab.replace("robot.ipynb", "cards.ipynb"))
        expect(page.get_by_text("| Idle")).to_be_visible(timeout=120_000)
        run_all_cells(page)
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
