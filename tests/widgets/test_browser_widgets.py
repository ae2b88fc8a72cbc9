"""Every teaching widget in a real browser: JupyterLab in Debian's Chromium, driven with Playwright.

One JupyterLab start and one notebook show all eleven widgets, then a kind error. For each
widget: does it render with no widget error, and does one keyboard interaction (Tab, Enter,
Space or an arrow key) change what it shows? Screenshots go to ``screenshots/browser/`` at
the top of the repository (git-ignored), to look at when a test fails.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

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

TIMEOUT = 60_000  # ms: one widget's wait, once the kernel runs


# --- keyboard interactions ----------------------------------------------------------------------
def press_button(name: str, key: str) -> Callable:
    """Focus the button called ``name`` and press ``key`` (Enter or Space)."""
    def act(output, page):
        # The accessible name starts with the icon's glyph: match the words at its end.
        button = output.get_by_role("button", name=re.compile(re.escape(name) + "$"))
        button.focus()
        page.keyboard.press(key)
    return act


def first_button(key: str) -> Callable:
    """Focus the widget's first button and press ``key`` (for a widget whose labels we do not fix)."""
    def act(output, page):
        output.get_by_role("button").first.focus()
        page.keyboard.press(key)
    return act


def nudge_slider(label: str, key: str) -> Callable:
    """Focus the handle of the slider labelled ``label`` and press an arrow key."""
    def act(output, page):
        slider = output.locator(".widget-slider", has=page.get_by_text(label, exact=True))
        slider.locator("[role=slider]").focus()
        page.keyboard.press(key)
    return act


def type_and_enter(words: str) -> Callable:
    """Focus the widget's text box, type ``words`` and press Enter."""
    def act(output, page):
        output.get_by_role("textbox").focus()
        page.keyboard.type(words)
        page.keyboard.press("Enter")
    return act


def choose_then_check(output, page) -> None:
    """Choose the first answer with Space, then Tab to "Check" and press Enter."""
    output.get_by_role("radio").first.focus()
    page.keyboard.press("Space")
    output.get_by_role("button", name=re.compile("Check$")).focus()
    page.keyboard.press("Enter")


@dataclass(frozen=True)
class Show:
    """One widget of the notebook: the class in ``widgets``, the cell that shows it, one
    keyboard interaction, and words that must appear after it (None: only "something changed")."""

    name: str
    code: str
    act: Callable
    after: str | None


POINTS = "[[1, 1], [2, 1], [1, 2], [4, 4], [5, 4], [4, 5]]"
SHOWS = [
    Show("CommandCards", "widgets.CommandCards(widgets.Robot(width=4, height=1, star=(3, 0)))",
         press_button("Forward", "Enter"), 'program = ["forward"]'),
    Show("PixelPad", "widgets.PixelPad(rows=4, cols=4)",
         press_button("Paint here", "Space"), "Pixels with ink: 1"),
    Show("TreeBuilder", "widgets.TreeBuilder()",  # a small zoo
         press_button("Ask this question", "Enter"), "Questions in the tree: 1."),
    Show("TeachableSorter", 'widgets.TeachableSorter(labels=["cat", "dog"])',
         press_button("Add as cat", "Enter"), "Prediction: cat."),
    Show("NeuronPlayground", f'widgets.NeuronPlayground({POINTS}, ["no"] * 3 + ["yes"] * 3, w1=1, w2=1, b=-6)',
         nudge_slider("weight of x1", "ArrowRight"), "The line: 1.1 × x1"),
    Show("MazeSearch", 'widgets.MazeSearch("S..#\\n.#..\\n...G")',
         press_button("Step", "Enter"), "Squares visited: 1"),
    Show("LineFitter", "widgets.LineFitter([0, 1, 2, 3], [1, 3, 5, 10])",
         press_button("Gradient step", "Enter"), "Gradient steps so far: 1."),
    Show("KMeansStepper", f"widgets.KMeansStepper({POINTS}, k=2, seed=0)",
         press_button("Assign", "Space"), "Points that changed cluster: "),
    Show("ChatBox", 'widgets.ChatBox(bot=lambda message: "You said " + message)',
         type_and_enter("hello"), "You said hello"),
    # A's example with score 0.5 gets "yes" at threshold 0.5 and "no" once the arrow moves it to 0.51.
    Show("FairnessExplorer", "widgets.FairnessExplorer([0.5, 0.8, 0.3, 0.9], [1, 1, 0, 1], "
                             '["A", "A", "B", "B"], thresholds={"A": 0.5, "B": 0.5})',
         nudge_slider("threshold for A", "ArrowRight"), "Group A gets 'yes' 50 % of the time"),
    Show("Quiz", 'widgets.Quiz([widgets.Question("2 + 2 = ?", ("4", "5"), 0, ("Yes: 2 and 2 make 4.", ""))])',
         choose_then_check, "Yes, that is right!"),
]
MISTAKE = 'prnit("hello")'  # a typo a child makes: "did you mean print?"


def missing_widgets() -> list[str]:
    import widgets

    return [show.name for show in SHOWS if not hasattr(widgets, show.name)]


def has_setup() -> bool:
    import widgets

    return hasattr(widgets, "setup")


# --- one JupyterLab, one page -------------------------------------------------------------------
@dataclass
class Session:
    page: object
    cells: dict  # widget name (or "mistake") -> index of its code cell


def write_notebook(folder: Path) -> dict:
    """The notebook: setup, one cell per widget found in widgets/, the mistake last."""
    cells, index = [], {}
    if has_setup():
        cells.append(new_code_cell('from widgets import setup\nsetup(lang="en")'))
    missing = set(missing_widgets())
    for show in SHOWS:
        if show.name not in missing:
            index[show.name] = len(cells)
            cells.append(new_code_cell(f"import widgets\n{show.code}"))
    if has_setup():  # run-all stops at the first error: the mistake comes last
        index["mistake"] = len(cells)
        cells.append(new_code_cell(MISTAKE))
    notebook = new_notebook(cells=cells)
    notebook.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, folder / "widgets.ipynb")
    return index


def lab_setup(folder: Path) -> tuple[list[str], dict[str, str]]:
    """JupyterLab's command and environment for ``folder``, with every Jupyter folder inside it."""
    jupyter = folder / "jupyter"
    settings = jupyter / "lab-settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    # Render every cell, even those scrolled out of view, so each widget can be found.
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    news = jupyter / "lab-settings" / "@jupyterlab" / "apputils-extension"
    news.mkdir(parents=True)
    (news / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false"}))
    (jupyter / "config").mkdir()
    (jupyter / "config" / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.Exchange.root = {str(jupyter / 'exchange')!r}\n"
        f"c.Exchange.cache = {str(jupyter / 'cache')!r}\n")
    command = [*JUPYTERLAB, f"--ServerApp.root_dir={folder}",
               f"--LabApp.user_settings_dir={jupyter / 'lab-settings'}",
               f"--LabApp.workspaces_dir={jupyter / 'workspaces'}"]
    return command, lab_env(jupyter)


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    """JupyterLab showing the notebook of every widget in Chromium, all cells run."""
    from playwright.sync_api import expect

    folder = tmp_path_factory.mktemp("browser-widgets")
    cells = write_notebook(folder)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    command, env = lab_setup(folder)
    with running_lab(command, env=env, cwd=folder) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.set_default_timeout(20_000)
        open_lab(page, f"{base}/lab/tree/widgets.ipynb?token={TOKEN}")
        expect(page.get_by_text("| Idle")).to_be_visible(timeout=120_000)  # kernel ready
        run_all_cells(page)
        yield Session(page=page, cells=cells)
        page.screenshot(path=str(SCREENSHOTS / "notebook.png"), full_page=True)


def output_of(session: Session, key: str):
    return session.page.locator(".jp-Notebook .jp-CodeCell").nth(session.cells[key]).locator(".jp-OutputArea")


# --- the tests ----------------------------------------------------------------------------------
@pytest.mark.parametrize("show", SHOWS, ids=[show.name for show in SHOWS])
def test_widget_renders_and_one_key_changes_it(session, show):
    """Does the widget render in JupyterLab with no widget or Python error, and does one keyboard
    interaction (Tab, Enter, Space or an arrow key) change what it shows?"""
    from playwright.sync_api import expect

    if show.name not in session.cells:
        pytest.fail(f"widgets.{show.name} is missing: no such name in widgets/__init__.py, so the "
                    "notebook could not show it")
    page, output = session.page, output_of(session, show.name)
    widget = output.locator(".jupyter-widgets").first
    expect(widget).to_be_visible(timeout=TIMEOUT)
    errors = output.locator("[data-mime-type='application/vnd.jupyter.stderr']")
    assert errors.count() == 0, f"{show.name}'s cell failed: {errors.first.inner_text()}"
    assert output.locator(".jupyter-widgets-error-widget").count() == 0, \
        f"{show.name} shows a widget error: {output.inner_text()}"
    output.scroll_into_view_if_needed()
    output.screenshot(path=str(SCREENSHOTS / f"{show.name}-before.png"))
    before = output.inner_text()

    show.act(output, page)
    if show.after is not None:
        expect(output).to_contain_text(show.after, use_inner_text=True, timeout=10_000)
    else:
        expect(output).not_to_have_text(before, timeout=10_000)
    assert output.inner_text() != before, f"the keyboard did not change what {show.name} shows"
    output.screenshot(path=str(SCREENSHOTS / f"{show.name}-after.png"))


def test_a_kind_error_is_one_line_with_the_traceback_folded(session):
    """After the setup cell, does a typo show a short kind message in plain words, with the full
    traceback folded away (one Tab and Enter opens it)?"""
    from playwright.sync_api import expect

    if "mistake" not in session.cells:
        pytest.fail("widgets.setup is missing: no such name in widgets/__init__.py, so the notebook "
                    "cannot install the kind error messages")
    page, output = session.page, output_of(session, "mistake")
    message = output.locator("[data-mime-type='application/vnd.jupyter.stderr']")
    expect(message.first).to_be_visible(timeout=2 * TIMEOUT)
    words = [line for line in message.first.inner_text().splitlines() if line.strip()]
    assert 1 <= len(words) <= 2, f"the kind error is {len(words)} lines long: {words}"
    assert "print" in " ".join(words) and "Traceback" not in " ".join(words)
    folded = output.locator("details.jazari-traceback")
    expect(folded).to_have_count(1)
    full = folded.locator("pre")
    expect(full).to_be_hidden()
    output.scroll_into_view_if_needed()
    output.screenshot(path=str(SCREENSHOTS / "kind-error-folded.png"))
    folded.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(full).to_be_visible()
    expect(full).to_contain_text("NameError")
    output.screenshot(path=str(SCREENSHOTS / "kind-error-open.png"))
