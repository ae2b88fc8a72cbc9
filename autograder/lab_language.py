"""The language of JupyterLab's own interface (menus, dialogs), for ``jazari lab --lang``.

JupyterLab translates its interface with language packs (the PyPI packages
``jupyterlab-language-pack-fr-FR`` and ``jupyterlab-language-pack-ar-SA``, installed with
Jazari) and picks one from its translation setting. :func:`select_language` writes that
setting into a settings folder that belongs to this JupyterLab (the learner's own Jupyter
folders, or the course's ``.jazari/lab/user-settings``), never the user's ``~/.jupyter``;
:func:`language_options` are the command-line options and environment that use it. The
children's notebooks take the same language from the build (``setup(lang=...)``).
"""

from __future__ import annotations

import json
from pathlib import Path

from autograder.errors import JazariError

__all__ = ["LAB_LOCALES", "language_options", "select_language"]

#: Jazari's languages and the JupyterLab locale of each.
LAB_LOCALES = {"en": "en", "fr": "fr_FR", "ar": "ar_SA"}
_PLUGIN = Path("@jupyterlab") / "translation-extension" / "plugin.jupyterlab-settings"


def select_language(settings_dir: str | Path, lang: str) -> Path:
    """Write JupyterLab's translation setting for ``lang`` under ``settings_dir``."""
    if lang not in LAB_LOCALES:
        raise JazariError(f"--lang {lang}: use one of {', '.join(LAB_LOCALES)}")
    path = Path(settings_dir) / _PLUGIN
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"locale": LAB_LOCALES[lang]}, indent=2) + "\n", encoding="utf-8")
    return path


def language_options(settings_dir: str | Path, lang: str) -> tuple[list[str], dict[str, str]]:
    """JupyterLab options and environment for an interface in ``lang``."""
    select_language(settings_dir, lang)
    return ([f"--LabApp.user_settings_dir={Path(settings_dir)}"], {"JAZARI_LANG": lang})
