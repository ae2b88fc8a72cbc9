"""Texts of the child's side in the class's language.

Every text a child reads in a widget, a check or a kind error goes through :func:`_`::

    from widgets.i18n import _
    label = _("Turn left")
    message = _("The robot stopped at {got} but the star is at {want}.", got=(2, 3), want=(4, 3))

Texts are written in English in the code; translations are gettext catalogs (domain
``jazari``) under :data:`LOCALE_DIR`. The language is chosen once per kernel by the unit's
setup cell (:func:`set_language`), or by the ``JAZARI_LANG`` environment variable; a text
without a translation stays English. This module imports nothing from the trainer's side.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

__all__ = ["C_", "DOMAIN", "LANGUAGES", "LOCALE_DIR", "NC_", "N_", "_", "is_rtl", "language",
           "set_language"]

#: The gettext domain of the child's side.
DOMAIN = "jazari"
#: Where the compiled catalogs live: ``<LOCALE_DIR>/<lang>/LC_MESSAGES/jazari.mo``.
LOCALE_DIR = Path(__file__).resolve().with_name("locales")
#: The languages a class may use.
LANGUAGES = ("en", "fr", "ar")
_RTL = {"ar"}

_current: dict = {"lang": None, "translation": None}


def set_language(lang: str | None = None) -> str:
    """Use ``lang`` (``en``, ``fr`` or ``ar``; default ``JAZARI_LANG`` or ``en``) from now on."""
    lang = (lang or os.environ.get("JAZARI_LANG") or "en").strip().lower()
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}: use one of {', '.join(LANGUAGES)}")
    _current["lang"] = lang
    _current["translation"] = gettext.translation(
        DOMAIN, localedir=str(LOCALE_DIR), languages=[lang], fallback=True)
    return lang


def language() -> str:
    """The language texts are shown in now."""
    if _current["lang"] is None:
        set_language()
    return _current["lang"]


def is_rtl() -> bool:
    """True when the class's language is written right to left (Arabic)."""
    return language() in _RTL


def _(message: str, /, **values) -> str:
    """``message`` in the class's language, with ``{name}`` fields filled from ``values``."""
    if _current["translation"] is None:
        set_language()
    text = _current["translation"].gettext(message)
    return text.format(**values) if values else text


def N_(message: str, /) -> str:
    """Mark ``message`` for translation without translating it yet (for tables of texts)."""
    return message


def C_(context: str, message: str, /, **values) -> str:
    """Like :func:`_`, for a ``message`` whose translation depends on its ``context`` (msgctxt):
    the robot's command ``"left"`` (context ``"robot command"``) is not a text's "left"."""
    if _current["translation"] is None:
        set_language()
    text = _current["translation"].pgettext(context, message)
    return text.format(**values) if values else text


def NC_(context: str, message: str, /) -> str:
    """Mark ``message`` (in ``context``) for translation without translating it yet."""
    return message
