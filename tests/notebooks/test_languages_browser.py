"""A French and an Arabic class in a real browser: JupyterLab in Debian's Chromium, driven
with Playwright.

Only a browser shows that JupyterLab's own interface takes the class's language, that the
robot's buttons do, and that Arabic lesson text is written right to left while code stays
left to right. (JupyterLab's Arabic language pack translates only a small part of its
interface, the French one nearly all of it: the menus are checked in French.)
"""

from __future__ import annotations

import pytest

from autograder.build import build_course
from autograder.lab_language import language_options
from tests.browser import JUPYTERLAB, TOKEN, chromium, lab_env, open_lab, run_all_cells, running_lab

pytestmark = [pytest.mark.slow, pytest.mark.browser]

FORWARD = {"fr": "Avancer", "ar": "تقدّم"}


@pytest.fixture(params=["fr", "ar"])
def class_lab(request, tmp_path):
    """JupyterLab in the class's language on that build of the robot unit; yields the
    language and the notebook's URL."""
    lang = request.param
    course = tmp_path / "course"
    build_course(out=course, lang=lang, units=["e01_hello_robot"])
    folder = course / "source" / "e01_hello_robot"
    options, lang_env = language_options(tmp_path / "user-settings", lang)
    news = tmp_path / "user-settings" / "@jupyterlab" / "apputils-extension"
    news.mkdir(parents=True)
    (news / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
    env = lab_env(tmp_path / "jupyter")  # no user settings, no news prompt
    env.update(lang_env)
    with running_lab([*JUPYTERLAB, f"--ServerApp.root_dir={folder}", *options],
                     env=env, cwd=folder) as base:
        yield lang, f"{base}/lab/tree/hello_robot.ipynb?token={TOKEN}"


def test_the_class_works_in_its_language_in_jupyterlab(class_lab):
    """Does JupyterLab take the class's language (French menus; the Arabic locale), are the
    robot's buttons labelled in it, and in Arabic is the lesson's text right to left and its
    code left to right?"""
    from playwright.sync_api import expect

    lang, url = class_lab
    with chromium() as browser:
        page = browser.new_page()
        open_lab(page, url)
        menus = page.locator(".lm-MenuBar-itemLabel")
        expect(menus.first).to_be_visible(timeout=120_000)
        if lang == "fr":
            assert "Fichier" in menus.all_inner_texts(), menus.all_inner_texts()
        else:
            locale = page.evaluate(
                "async (token) => (await (await fetch('/lab/api/translations/?token=' + token))"
                ".json()).data.ar_SA.displayName", TOKEN)
            assert any("\u0600" <= ch <= "\u06ff" for ch in locale), locale
            rtl = page.locator(".jp-RenderedMarkdown div[dir='rtl']").first
            expect(rtl).to_be_visible(timeout=120_000)
            assert rtl.evaluate("e => getComputedStyle(e).direction") == "rtl"
            code = page.locator(".jp-CodeCell .cm-content").first
            assert code.evaluate("e => getComputedStyle(e).direction") == "ltr"

        page.wait_for_function(
            "() => { const s = window.jupyterapp.shell.currentWidget?.sessionContext?.session;"
            " return s && s.kernel && s.kernel.status === 'idle'; }", timeout=120_000)
        run_all_cells(page)
        expect(page.get_by_role("button", name=FORWARD[lang]).first).to_be_visible(
            timeout=120_000)
