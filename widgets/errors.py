"""Errors of the child's side whose message is already written for the child.

The kind error handler (:mod:`widgets.kind_errors`) shows such a message as it is, with the
child's own line, and folds the traceback away.
"""

from __future__ import annotations

import sys
import types

__all__ = ["KindError", "NotAProgram", "ReadOnly", "UnknownCommand", "seal"]


class KindError(Exception):
    """An error whose message is plain words for the child (already in the class's language)."""

    hint = ""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.hint = hint


class ReadOnly(KindError, AttributeError):
    """The child's code tried to write something only the widget may change."""


class UnknownCommand(KindError, ValueError):
    """A command word the robot does not know (``"rigth"``)."""


class NotAProgram(KindError, TypeError):
    """Something that is not a list of command words was given as a program."""


def seal(name: str, message) -> None:
    """Make the names of module ``name`` impossible to reassign or delete from the child's code:
    doing so raises :class:`ReadOnly` with ``message()`` (called then, so it is translated)."""

    class Sealed(types.ModuleType):
        def __setattr__(self, attribute, value):
            raise ReadOnly(message())

        def __delattr__(self, attribute):
            raise ReadOnly(message())

    sys.modules[name].__class__ = Sealed
