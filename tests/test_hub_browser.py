"""The class's hub in a real browser: a child and a trainer in Debian's Chromium.

``jazari hub`` runs on loopback for a course built in French, with one child and one
trainer, each a system user of their own. Playwright drives Chromium as they would: the
child logs in with their PIN, fetches the unit in the Assignments tab, runs a widget cell
(the robot's grid must render and answer a button), does an exercise, saves, submits,
and reads the feedback the hub's grading service sends back; the trainer logs in and
opens the formgrader in a tab of its own, where the child's submission is listed with
its score. Screenshots of each step go to ``screenshots/browser/`` (git-ignored). Every
system user, group, file and process the test made is removed afterwards, even when it
fails.
"""

from __future__ import annotations

import grp
import os
import pwd
import re
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import nbformat
import pytest

from tests.browser import SCREENSHOTS, chromium, free_port
from tests.test_hub_end_to_end import Hub, launch

pytestmark = [pytest.mark.slow, pytest.mark.browser,
              pytest.mark.skipif(os.geteuid() != 0, reason="the hub makes system users: root "
                                 "only")]

UNIT = "e01_hello_robot"
LANG = "fr"  # the class's language: the notebooks' and JupyterLab's menus
CHILD = ("amine", "2468")
TRAINER = ("fatima", "trainer-password")
#: ms: a server start, a kernel start or a grading on a slow, shared machine
SLOW = 240_000
#: ms: a page answering once its server runs
WAIT = 60_000
#: s: from the child's submission to the feedback in their Assignments tab
FEEDBACK_SECONDS = 180
#: what the child's test found, for the trainer's test
HANDED_IN: dict[str, float] = {}


# --- the hub ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def hub():
    """`jazari hub` on a French course with the unit released, one child and one trainer;
    everything it made is removed afterwards."""
    from autograder.homes import private_jupyter

    base = Path(tempfile.mkdtemp(prefix="jazari-hub-browser-", dir="/tmp"))
    base.chmod(0o755)
    tag = uuid.uuid4().hex[:5]
    made = Hub(base, base / "course", f"jzb{tag}-", f"jzb{tag}-trainers", free_port())
    try:
        with private_jupyter(base / "jupyter"):  # the test's own Jupyter folders
            _start(made)
            yield made
    finally:
        _stop(made)


def _start(made) -> None:
    launch(made, lang=LANG, learners={CHILD[0]: CHILD[1]}, unit=UNIT)


def _stop(made) -> None:
    """Stop the hub (its servers, proxy and grading service with it), remove the accounts,
    the trainers' group and the test's folder."""
    from autograder.hub.accounts import remove_accounts

    if made.process is not None and made.process.poll() is None:
        made.process.send_signal(signal.SIGTERM)
        try:
            made.process.wait(90)
        except subprocess.TimeoutExpired:
            os.killpg(made.process.pid, signal.SIGKILL)
            made.process.wait()
    remove_accounts([made.login(CHILD[0]), made.login(TRAINER[0])])
    try:
        grp.getgrnam(made.group)
        subprocess.run(["groupdel", made.group], check=False, capture_output=True)
    except KeyError:
        pass
    shutil.rmtree(made.base, ignore_errors=True)


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless, for the whole module (last run's screenshots removed)."""
    for old in SCREENSHOTS.glob("hub_*.png"):
        old.unlink()
    with chromium() as started:
        yield started


# --- the unit, as the course holds it -----------------------------------------------------------
def _between(source: str, begin: str, end: str) -> list[str]:
    """The lines of ``source`` between the markers ``### BEGIN ...`` and ``### END ...``."""
    lines, inside = [], False
    for line in source.splitlines():
        if line.strip().startswith(f"### {end}"):
            inside = False
        elif inside:
            lines.append(line)
        elif line.strip().startswith(f"### {begin}"):
            inside = True
    return lines


class Unit:
    """What the test needs of the released unit and of its source (with the solutions)."""

    def __init__(self, course: Path):
        released = sorted((course / "release" / UNIT).glob("*.ipynb"))
        assert len(released) == 1, released
        self.name = released[0].stem
        notebook = nbformat.read(released[0], as_version=4)
        source = nbformat.read(course / "source" / UNIT / released[0].name, as_version=4)
        ids = [cell.metadata.get("nbgrader", {}).get("grade_id") for cell in notebook.cells]
        self.setup = ids.index("setup")
        self.answer, self.check = ids.index("end_answer"), ids.index("end_tests")
        #: the first robot grid shown with its buttons
        self.widget = next(i for i, cell in enumerate(notebook.cells)
                           if cell.cell_type == "code" and "RobotGrid(robot)" in cell.source
                           and "buttons=False" not in cell.source)
        by_id = {cell.metadata.get("nbgrader", {}).get("grade_id"): cell
                 for cell in source.cells}
        self.solution = "\n".join(_between(by_id["end_answer"].source, "BEGIN SOLUTION",
                                           "END SOLUTION")).strip()
        self.hidden = [line.strip() for cell in source.cells
                       for line in _between(cell.source, "BEGIN HIDDEN TESTS",
                                            "END HIDDEN TESTS") if len(line.strip()) > 10]
        points = [cell.metadata["nbgrader"].get("points", 0) for cell in notebook.cells
                  if cell.metadata.get("nbgrader", {}).get("grade")]
        self.total = sum(points)
        self.exercises = len(points)
        self.one = notebook.cells[self.check].metadata["nbgrader"]["points"]
        assert self.solution and self.hidden and self.total > self.one > 0


@pytest.fixture(scope="module")
def unit(hub) -> Unit:
    return Unit(hub.course)


# --- in the browser -----------------------------------------------------------------------------
def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"hub_{name}.png"))


def _log_in(page, hub, name: str, pin: str) -> None:
    """Log in on the hub's login page and wait until JupyterLab shows its menus (French)."""
    from playwright.sync_api import expect

    page.goto(f"{hub.url}/hub/login", timeout=WAIT)
    page.locator("#username_input").fill(name)
    page.locator("#password_input").fill(pin)
    _shot(page, f"{name}_login")
    page.locator("#login_submit").click()
    # JupyterLab in the class's language: "Fichier", "Noyau", never "File"
    menubar = page.locator("#jp-menu-panel")
    lab = menubar.get_by_role("menuitem", name="Fichier", exact=True)
    failed = page.get_by_text(re.compile(r"Spawn failed|error starting server", re.I))
    expect(lab.or_(failed).first).to_be_visible(timeout=SLOW)
    assert not failed.count(), f"{page.locator('body').inner_text()}\n{hub.log()}"
    assert f"/user/{hub.login(name)}/lab" in page.url
    expect(menubar.get_by_role("menuitem", name="Noyau", exact=True)).to_be_visible()
    expect(menubar.get_by_role("menuitem", name="File", exact=True)).to_have_count(0)


def _run_cell(page, cell) -> None:
    """Click into ``cell`` and press Shift+Enter, as a child runs a cell."""
    cell.scroll_into_view_if_needed()
    cell.locator(".jp-InputArea-editor").click()
    page.keyboard.press("Shift+Enter")


def _no_news(page) -> None:
    """No notification asks about Jupyter news (JupyterLab's question, in either language)."""
    from playwright.sync_api import expect

    news = re.compile(r"nouvelles officielles de Jupyter|official Jupyter news")
    expect(page.get_by_text(news)).to_have_count(0)


def test_a_child_logs_in_runs_a_widget_submits_and_reads_the_feedback(hub, unit, browser):
    """Can a child log in with their PIN, fetch the unit and open it in a French JupyterLab
    with no news question, see the robot's grid render and move at a button press, answer
    an exercise and see "Bravo !", submit it from the Assignments tab and, once the hub's
    service graded it, fetch and read the feedback page: the score, with no hidden test?"""
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    try:
        _log_in(page, hub, *CHILD)
        _shot(page, "child_lab")
        expect(page.locator("#jp-menu-panel").get_by_role(
            "menuitem", name="Formgrader")).to_have_count(0)  # the trainers' menu only

        # The Assignments tab: fetch the unit, open its notebook.
        page.get_by_role("menuitem", name="Nbgrader").click()
        page.locator("#jp-mainmenu-nbgrader").get_by_role(
            "menuitem", name="Assignment List").click()
        panel = page.locator("#nbgrader-assignment-list")
        released = panel.locator("#released_assignments_list")
        expect(released.get_by_text(UNIT)).to_be_visible(timeout=WAIT)
        released.get_by_role("button", name="Fetch").click()
        fetched = panel.locator("#fetched_assignments_list")
        expect(fetched.get_by_role("button", name="Submit")).to_be_visible(timeout=WAIT)
        _shot(page, "child_fetched")
        fetched.get_by_role("button", name=UNIT).click()
        fetched.get_by_role("link", name=unit.name, exact=True).click()
        expect(page.get_by_role("tab", name=f"{unit.name}.ipynb")).to_be_visible(timeout=WAIT)
        expect(page.get_by_text("| Inactif").first).to_be_visible(timeout=SLOW)  # the kernel is up

        # A widget cell: the robot's grid renders, and a button press moves the robot.
        cells = page.locator(".jp-Notebook .jp-Cell")
        _run_cell(page, cells.nth(unit.setup))
        expect(cells.nth(unit.setup).locator(".jp-InputPrompt")).to_have_text(
            re.compile(r"\[1\]"), timeout=SLOW)  # it ran first
        _run_cell(page, cells.nth(unit.widget))
        grid = cells.nth(unit.widget).locator(".jp-OutputArea")
        forward = grid.get_by_role("button", name=re.compile("Avancer$"))
        expect(forward).to_be_visible(timeout=SLOW)
        expect(grid.locator(".widget-html svg").first).to_be_visible()
        words = grid.locator(".widget-label", has_text="Le robot est en")
        expect(words).to_contain_text("Le robot est en x=0, y=0")
        expect(grid.get_by_text("Error displaying widget")).to_have_count(0)
        expect(grid.locator("[data-mime-type='application/vnd.jupyter.stderr']")).to_have_count(0)
        forward.click()
        expect(words).to_contain_text("Le robot est en x=1, y=0", timeout=WAIT)
        _shot(page, "child_widget")

        # An exercise: write the answer, run it and its check, save.
        answer = cells.nth(unit.answer)
        answer.scroll_into_view_if_needed()
        answer.locator(".jp-InputArea-editor").click()
        page.keyboard.press("Control+a")
        page.keyboard.insert_text(unit.solution)
        page.keyboard.press("Shift+Enter")
        _run_cell(page, cells.nth(unit.check))
        expect(cells.nth(unit.check).locator(".jp-OutputArea")).to_contain_text(
            re.compile(r"Bravo\s*!"), timeout=SLOW)
        page.keyboard.press("Escape")
        page.keyboard.press("Control+s")
        expect(page.locator(".lm-TabBar-tab.jp-mod-dirty")).to_have_count(0, timeout=WAIT)
        _shot(page, "child_exercise")
        home = Path(pwd.getpwnam(hub.login(CHILD[0])).pw_dir)
        saved = nbformat.read(home / UNIT / f"{unit.name}.ipynb", as_version=4)
        assert unit.solution in saved.cells[unit.answer].source

        # Submit from the Assignments tab.
        page.get_by_role("tab", name="Assignments").click()
        fetched.get_by_role("button", name="Submit").click()
        submitted = panel.locator("#submitted_assignments_list")
        expect(submitted.get_by_role("button", name="Fetch Feedback")).to_be_visible(
            timeout=WAIT)
        expect(submitted.get_by_text(" UTC")).to_have_count(1)
        HANDED_IN["score"] = unit.one
        submitted_at = time.monotonic()
        _shot(page, "child_submitted")

        # The hub's grading service grades it; the child refreshes until feedback is there.
        available = submitted.get_by_text("(feedback available to fetch)")
        while True:
            panel.locator("#refresh_assignments_list").click()
            try:
                expect(available).to_be_visible(timeout=5_000)
                break
            except AssertionError:
                if time.monotonic() - submitted_at > FEEDBACK_SECONDS:
                    raise AssertionError(f"no feedback {FEEDBACK_SECONDS} s after submitting:"
                                         f"\n{hub.log()}") from None
        print(f"feedback available {time.monotonic() - submitted_at:.0f} s after submitting")
        submitted.get_by_role("button", name="Fetch Feedback").click()
        view = submitted.locator("a", has_text="(view feedback)")
        expect(view).to_be_visible(timeout=WAIT)
        view.click()
        listed = page.locator(".jp-DirListing-content .jp-DirListing-itemText",
                              has_text=f"{unit.name}.html")
        expect(listed).to_be_visible(timeout=WAIT)
        listed.dblclick()
        expect(page.get_by_role("tab", name=f"{unit.name}.html")).to_be_visible(timeout=WAIT)

        # The feedback page: the score and which exercise passed, no hidden test.
        report = page.frame_locator(".jp-HTMLViewer iframe").first
        expect(report.locator("p.score")).to_have_text(
            re.compile(rf"Ton score\s*:\s*{unit.one:g} sur {unit.total:g}"), timeout=WAIT)
        expect(report.locator("li.passed")).to_have_count(1)
        expect(report.locator("li.not-yet")).to_have_count(unit.exercises - 1)
        page_text = report.locator("body").inner_text()
        assert "HIDDEN" not in page_text
        assert not [line for line in unit.hidden if line in page_text]
        _shot(page, "child_feedback")
        _no_news(page)
    except BaseException:
        _shot(page, "child_failed")
        print(hub.log())
        raise
    finally:
        context.close()


def _hand_in_without_browser(hub, unit: Unit) -> None:
    """When the trainer's test runs alone: the child fetches, fills in every answer of the
    (French) unit and submits over HTTP, as the end-to-end test does; the service grades."""
    from autograder.course import open_course
    from autograder.demo import make_submission
    from tests.test_hub_end_to_end import _feedback

    name, pin = CHILD
    hub.token(name, pin)
    server = hub.start_server(name)
    unit_id = {"course_id": open_course(hub.course).course_id, "assignment_id": UNIT}
    fetched = hub.api(name, "POST", f"{server}/assignments/fetch", data=unit_id)
    assert fetched.ok and fetched.json()["success"], fetched.text
    path = f"{server}/api/contents/{UNIT}/{unit.name}.ipynb"
    stored = hub.api(name, "GET", path)
    assert stored.ok, stored.text
    source = nbformat.read(hub.course / "source" / UNIT / f"{unit.name}.ipynb", as_version=4)
    handed_in = make_submission("complete", nbformat.from_dict(stored.json()["content"]),
                                source, [])
    saved = hub.api(name, "PUT", path, json={"type": "notebook", "format": "json",
                                             "content": handed_in})
    assert saved.ok, saved.text
    submitted = hub.api(name, "POST", f"{server}/assignments/submit", data=unit_id)
    assert submitted.ok and submitted.json()["success"], submitted.text
    deadline = time.monotonic() + FEEDBACK_SECONDS
    while _feedback(hub, name, server, unit_id["course_id"]) is None:
        assert time.monotonic() < deadline, f"the submission was not graded:\n{hub.log()}"
        time.sleep(2)
    HANDED_IN["score"] = unit.total


def test_a_trainer_opens_the_formgrader_in_a_tab_of_its_own_and_sees_the_submission(
        hub, unit, browser):
    """Can a trainer log in, open the formgrader from the "Formgrader" menu in a tab of
    its own (JupyterHub forbids framing it), see it really render the released unit, and
    find the child's graded submission with its score?"""
    from playwright.sync_api import expect

    if "score" not in HANDED_IN:
        _hand_in_without_browser(hub, unit)
    login = hub.login(TRAINER[0])
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    grader = None
    try:
        _log_in(page, hub, *TRAINER)
        _shot(page, "trainer_lab")
        page.locator("#jp-menu-panel").get_by_role("menuitem", name="Formgrader",
                                                   exact=True).click()
        with context.expect_page(timeout=WAIT) as opened:
            page.locator("#jp-mainmenu-jazari-formgrader").get_by_role(
                "menuitem", name="Formgrader").click()
        grader = opened.value
        grader.wait_for_load_state(timeout=WAIT)
        assert grader.url.startswith(f"{hub.url}/user/{login}/formgrader")

        # Its own page, drawn by its scripts: the unit's row with one submission.
        row = grader.locator("tr", has=grader.locator(".name", has_text=UNIT))
        expect(row).to_be_visible(timeout=WAIT)
        expect(row.locator(".num-submissions")).to_have_text("1")
        _shot(grader, "trainer_formgrader")
        row.locator(".num-submissions a").click()
        expect(grader).to_have_url(re.compile(rf"/formgrader/manage_submissions/{UNIT}"),
                                   timeout=WAIT)
        child = grader.locator("tr", has=grader.locator(".student-id", has_text=CHILD[0]))
        expect(child).to_be_visible(timeout=WAIT)
        expect(child.locator(".score")).to_have_text(
            f"{HANDED_IN['score']:g} / {unit.total:g}")
        _shot(grader, "trainer_submissions")
        _no_news(page)
    except BaseException:
        _shot(page, "trainer_failed")
        if grader is not None:
            _shot(grader, "trainer_formgrader_failed")
        print(hub.log())
        raise
    finally:
        context.close()
