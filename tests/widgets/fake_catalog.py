"""A fake translation for tests: proves a widget's texts go through ``widgets.i18n._``."""

from __future__ import annotations

import contextlib

from widgets import i18n

__all__ = ["MARK", "fake_catalog"]

#: What the fake catalog puts in front of every text it translates.
MARK = "~"


class _Marked:
    def gettext(self, message: str) -> str:
        return MARK + message

    def pgettext(self, _context: str, message: str) -> str:
        return MARK + message


@contextlib.contextmanager
def fake_catalog():
    """Translate every text to itself with :data:`MARK` in front, then put things back."""
    saved = dict(i18n._current)
    i18n._current.update(lang="en", translation=_Marked())
    try:
        yield MARK
    finally:
        i18n._current.clear()
        i18n._current.update(saved)
