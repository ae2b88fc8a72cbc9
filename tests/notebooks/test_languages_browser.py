"""A French and an Arabic class in a real browser: JupyterLab in Debian's Chromium, driven
with Playwright.

Only a browser shows that JupyterLab's own interface takes the class's language, that the
robot's buttons do, and that Arabic lesson text is written right to left while code stays
left to right. (JupyterLab's Arabic language pack translates only a small part of its
interface, the French one nearly all of it: the menus are checked in French.)
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from autograder.build import build_course
from autograder.config import child_env
from autograder.lab_language import language_options

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]


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
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = child_env()
    env.update(lang_env)
    env["JUPYTER_CONFIG_DIR"] = str(tmp_path / "config")  # no user settings, no news prompt
    env["JUPYTER_DATA_DIR"] = str(tmp_path / "data")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}",
         "--ServerApp.ip=127.0.0.1", "--ServerApp.token=browser", f"--ServerApp.root_dir={folder}",
         "--LabApp.expose_app_in_browser=True", "--LabApp.news_url=None", *options,
         *(["--allow-root"] if os.geteuid() == 0 else [])],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=folder)
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
        yield lang, f"{base}/lab/tree/hello_robot.ipynb?token=browser"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_class_works_in_its_language_in_jupyterlab(class_lab):
    """Does JupyterLab take the class's language (French menus; the Arabic locale), are the
    robot's buttons labelled in it, and in Arabic is the lesson's text right to left and its
    code left to right?"""
    from playwright.sync_api import expect, sync_playwright

    lang, url = class_lab
    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is missing: `make test` installs it "
                    "(or: apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(url, timeout=120_000)
            page.wait_for_function("window.jupyterapp && window.jupyterapp.started", timeout=120_000)
            menus = page.locator(".lm-MenuBar-itemLabel")
            expect(menus.first).to_be_visible(timeout=120_000)
            if lang == "fr":
                assert "Fichier" in menus.all_inner_texts(), menus.all_inner_texts()
            else:
                locale = page.evaluate(
                    "async () => (await (await fetch('/lab/api/translations/?token=browser'))"
                    ".json()).data.ar_SA.displayName")
                assert any("\u0600" <= ch <= "\u06ff" for ch in locale), locale
                rtl = page.locator(".jp-RenderedMarkdown div[dir='rtl']").first
                expect(rtl).to_be_visible(timeout=120_000)
                assert rtl.evaluate("e => getComputedStyle(e).direction") == "rtl"
                code = page.locator(".jp-CodeCell .cm-content").first
                assert code.evaluate("e => getComputedStyle(e).direction") == "ltr"

            page.wait_for_function(
                "() => { const s = window.jupyterapp.shell.currentWidget?.sessionContext?.session;"
                " return s && s.kernel && s.kernel.status === 'idle'; }", timeout=120_000)
            page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
            expect(page.get_by_role("button", name=FORWARD[lang]).first).to_be_visible(
                timeout=120_000)
        finally:
            browser.close()
