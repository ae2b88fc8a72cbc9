"""Tests for autograder/lab_language.py: `jazari lab --lang`, JupyterLab's interface language."""

from __future__ import annotations

import json

import pytest

from autograder.errors import JazariError
from autograder.lab import lab_command
from autograder.lab_language import LAB_LOCALES

SETTING = ("@jupyterlab", "translation-extension", "plugin.jupyterlab-settings")


@pytest.fixture
def toy_course(tmp_path):
    """A course folder with its nbgrader_config.py only (all `jazari lab` reads)."""
    course = tmp_path / "course"
    course.mkdir()
    (course / "nbgrader_config.py").write_text(
        "c = get_config()\nc.CourseDirectory.course_id = 'jazari'\n"
        f"c.Exchange.root = {str(course / 'exchange')!r}\n")
    return course


def test_trainers_lab_in_french_uses_a_settings_folder_of_the_course(toy_course):
    """With --lang fr, does the trainer's JupyterLab read its settings from the course's own
    folder, where the translation setting says fr_FR, and do kernels get JAZARI_LANG?"""
    started = lab_command(course=str(toy_course), lang="fr")
    folder = toy_course / ".jazari" / "lab" / "user-settings"
    assert f"--LabApp.user_settings_dir={folder}" in started.command
    assert json.loads(folder.joinpath(*SETTING).read_text()) == {"locale": "fr_FR"}
    assert started.env["JAZARI_LANG"] == "fr"


def test_learners_lab_in_arabic_keeps_the_setting_in_their_own_jupyter_folder(toy_course):
    """With --learner and --lang ar, is the Arabic setting written in the learner's own
    Jupyter folders (never ~/.jupyter)?"""
    started = lab_command(course=str(toy_course), learner="salma", lang="ar")
    folder = toy_course.parent / "course-learners" / "salma" / ".jupyter" / "config" / "lab" / \
        "user-settings"
    assert f"--LabApp.user_settings_dir={folder}" in started.command
    assert json.loads(folder.joinpath(*SETTING).read_text()) == {"locale": "ar_SA"}


def test_without_lang_the_lab_keeps_its_own_language(toy_course):
    """Without --lang, is no language setting written and no option added?"""
    started = lab_command(course=str(toy_course))
    assert not any("user_settings_dir" in part for part in started.command)
    assert not (toy_course / ".jazari").exists()


def test_unknown_language_is_refused(toy_course):
    """Is --lang xx refused with the languages that exist?"""
    with pytest.raises(JazariError, match="--lang xx: use one of en, fr, ar"):
        lab_command(course=str(toy_course), lang="xx")


def test_french_and_arabic_language_packs_are_installed():
    """Does JupyterLab find the French and Arabic language packs, with translations inside?"""
    from jupyterlab_server.translation_utils import get_language_pack, get_language_packs

    packs, _message = get_language_packs("en")
    assert {LAB_LOCALES["fr"], LAB_LOCALES["ar"]} <= set(packs)
    for lang in ("fr", "ar"):
        data, _message = get_language_pack(LAB_LOCALES[lang])
        assert data, f"the {LAB_LOCALES[lang]} language pack has no translations"
