"""The unit's setup cell: ``from widgets import setup`` then ``setup(lang="en")``.

Nothing happens when :mod:`widgets` is imported; :func:`setup` chooses the class's language
and installs the kind error messages in the running IPython kernel. (The course build
rewrites ``lang="en"`` to the class's language in that cell.)
"""

from __future__ import annotations

from widgets.i18n import set_language

__all__ = ["setup"]


def setup(lang: str | None = None, *, shell=None) -> None:
    """Use ``lang`` for every text and show errors kindly in this kernel.

    Returns nothing, so the setup cell shows no output of its own.
    """
    set_language(lang)
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:  # pragma: no cover - IPython is always there with Jupyter
            return
        shell = get_ipython()
    if shell is not None and hasattr(shell, "set_custom_exc"):
        from widgets.kind_errors import install

        install(shell)
