"""Kind checks for the test cells of unit notebooks (the child's side).

A check that fails raises :class:`TryAgain` (an ``AssertionError``) whose message says, in
plain words and in the class's language, what was expected and what came out; the kind
error handler (installed by the unit's setup cell) shows only that message, and the cell
still fails, so nbgrader gives it no points.

Checks cannot be fooled by the child's code:

* values are compared as plain types, type first, so an object that claims to be equal to
  everything cannot pass;
* robot checks replay the commands the robot logged where the child's code cannot write;
* this module's names cannot be reassigned (``widgets.checks.expect_equal = ...`` raises a
  kind error), and every test cell imports what it uses at its top, so a ``def
  expect_equal`` in an answer cell is replaced before the test runs.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from widgets.errors import seal
from widgets.i18n import N_, _
from widgets.robot import Robot, record_of, replay
from widgets.robot_words import direction_of, direction_word, item_of, item_word

__all__ = [
    "TryAgain",
    "check",
    "expect_array",
    "expect_close",
    "expect_equal",
    "expect_position",
    "expect_robot",
    "expect_type",
    "well_done",
]


class TryAgain(AssertionError):
    """A check that did not pass. The message is written for the child."""


def check(condition, message: str) -> None:
    """Fail with ``message`` unless ``condition`` is true (a real ``bool`` or NumPy bool)."""
    if not isinstance(condition, (bool, np.bool_)) or not condition:
        raise TryAgain(message)


_NAMES = {bool: N_("True/False"), int: N_("a whole number"), float: N_("a decimal number"),
          str: N_("text"), list: N_("a list"), tuple: N_("a tuple"), dict: N_("a dictionary"),
          type(None): N_("nothing (None)"), np.integer: N_("a whole number"),
          np.floating: N_("a decimal number"), np.ndarray: N_("a NumPy array")}


def _type_name(value) -> str:
    """A child-friendly name for the type of ``value``."""
    for kind, name in _NAMES.items():
        if type(value) is kind or (kind in (np.integer, np.floating) and isinstance(value, kind)):
            return _(name)
    return _("a {name}", name=type(value).__name__)


def _is_number(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def _show(value) -> str:
    """``repr(value)`` that a clever object cannot use to run code or lie at length."""
    if type(value) in (bool, int, float, str, type(None), list, tuple, dict) or isinstance(
            value, (np.generic, np.ndarray)):
        text = repr(value)
    else:
        text = f"<{type(value).__name__}>"
    return text if len(text) <= 200 else text[:197] + "..."


def expect_type(value, types_, what: str) -> None:
    """Fail unless ``value`` is one of ``types_`` (``bool`` never counts as a number)."""
    types_ = types_ if isinstance(types_, tuple) else (types_,)
    ok = isinstance(value, types_)
    if ok and isinstance(value, (bool, np.bool_)) and bool not in types_:
        ok = False
    if not ok:
        wanted = []
        for kind in types_:
            name = _(_NAMES[kind]) if kind in _NAMES else _("a {name}", name=kind.__name__)
            if name not in wanted:
                wanted.append(name)
        raise TryAgain(_("{what} should be {wanted}, but it is {kind}: {value}.", what=what,
                         wanted=_(" or ").join(wanted), kind=_type_name(value),
                         value=_show(value)))


# Exact types whose ``==`` is Python's or NumPy's own, taken before any child code runs.
_PLAIN = frozenset({bool, int, float, complex, str, bytes, type(None)})
_NUMPY_SCALARS = frozenset(kind for kind in np.sctypeDict.values()
                           if isinstance(kind, type) and issubclass(kind, np.generic))
_ITEM = np.generic.item


class _NotPlain(Exception):
    """A value (or a part of one) of a type whose ``==`` the child's code may have written."""

    def __init__(self, value):
        super().__init__(type(value).__name__)
        self.value = value


def _plain(value):
    """``value`` rebuilt from plain types only, so comparing it runs no code of the child's.

    A subclass of ``int``, ``str`` or ``list`` (which could answer ``==`` with always True) is
    refused, not converted; NumPy scalars become the Python numbers they hold.
    """
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind in _NUMPY_SCALARS:
        return _ITEM(value)
    if kind is list or kind is tuple:
        return kind(_plain(item) for item in value)
    if kind is dict:
        return {_plain(key): _plain(item) for key, item in dict.items(value)}
    raise _NotPlain(value)


def _same(actual, expected) -> bool:
    if isinstance(expected, (list, tuple)):
        return len(actual) == len(expected) and all(
            type(a) is type(e) and _same(a, e) for a, e in zip(actual, expected, strict=True))
    return bool(actual == expected)


def expect_equal(actual, expected, what: str, hint: str = "") -> None:
    """Fail unless ``actual`` has the type of ``expected`` and equals it."""
    if _is_number(expected) and isinstance(expected, numbers.Integral):
        expect_type(actual, (int, np.integer), what)
    elif _is_number(expected):
        expect_type(actual, (int, float, np.integer, np.floating), what)
    else:
        expect_type(actual, type(expected), what)
    try:
        actual_plain = _plain(actual)
    except _NotPlain as odd:
        raise TryAgain(_message(_("{what} should be {wanted}, but it is {kind}: {value}.",
                                  what=what, wanted=_type_name(expected),
                                  kind=_type_name(odd.value), value=_show(odd.value)),
                                hint)) from None
    if not _same(actual_plain, _plain(expected)):
        raise TryAgain(_message(_("{what} should be {expected}, but it is {actual}.", what=what,
                                  expected=_show(expected), actual=_show(actual)), hint))


def expect_close(actual, expected: float, what: str, tolerance: float = 1e-6,
                 hint: str = "") -> None:
    """Fail unless ``actual`` is a number within ``tolerance`` of ``expected``."""
    expect_type(actual, (int, float, np.integer, np.floating), what)
    if not math.isfinite(float(actual)) or abs(float(actual) - expected) > tolerance:
        about = format(expected, "g")
        raise TryAgain(_message(_("{what} should be about {expected}, but it is {actual}.",
                                  what=what, expected=about, actual=_show(actual)), hint))


# Taken when this module is imported, before any child code runs: a learner's cell that
# rebinds ``np.ndarray`` or ``np.allclose`` cannot change how arrays are compared here.
_NDARRAY = np.ndarray
_TOLIST = np.ndarray.tolist


def _flat(values) -> list:
    """The numbers of nested lists, in order (lists of plain ints and floats only)."""
    flat = []
    for value in values:
        flat.extend(_flat(value) if type(value) is list else [value])
    return flat


def expect_array(actual, expected, what: str, tolerance: float = 1e-6, hint: str = "") -> None:
    """Fail unless ``actual`` is a plain NumPy array with the shape of ``expected`` (an array
    the test made) whose numbers are each within ``tolerance`` of those of ``expected``."""
    if type(actual) is not _NDARRAY:
        raise TryAgain(_message(_("{what} should be {wanted}, but it is {kind}: {value}.",
                                  what=what, wanted=_(_NAMES[np.ndarray]),
                                  kind=_type_name(actual), value=_show(actual)), hint))
    if type(expected) is not _NDARRAY:
        expected = np.array(expected, dtype=float)
    want, got = _TOLIST(expected), _TOLIST(actual)
    same_shape = tuple(actual.shape) == tuple(expected.shape)
    numbers = _flat(got if type(got) is list else [got])
    wanted = _flat(want if type(want) is list else [want])
    close = same_shape and len(numbers) == len(wanted) and all(
        type(a) in (int, float) and math.isfinite(a) and abs(a - e) <= tolerance
        for a, e in zip(numbers, wanted, strict=True))
    if not close:
        raise TryAgain(_message(_("{what} should be {expected}, but it is {actual}.", what=what,
                                  expected=_show(expected), actual=_show(actual)), hint))


def _walk(robot):
    """The robot's walk, replayed from the log the robot keeps (not from its attributes)."""
    if not isinstance(robot, Robot):
        raise TryAgain(_("This check needs a robot, but it got {kind}.", kind=_type_name(robot)))
    world, commands = record_of(robot)
    return replay(world, commands)


def expect_position(robot, expected, hint: str = "") -> None:
    """Fail unless ``robot`` stands on the square ``expected`` = ``(x, y)``."""
    expect_robot(robot, at=expected, hint=hint)


def expect_robot(robot, *, at=None, bumps=None, moves=None, looking=None, picked=None,
                 hint: str = "") -> None:
    """Fail unless the robot's replayed walk ends ``at`` a square, with that many ``bumps``
    and ``moves``, ``looking`` that way and having ``picked`` those items (each optional;
    directions and items in the class's words or in English)."""
    walk = _walk(robot)
    if at is not None and walk.position != tuple(at):
        raise TryAgain(_message(_("The robot stopped at {got} but it should be at {want}.",
                                  got=walk.position, want=tuple(at)), hint))
    if bumps is not None and walk.bumps != bumps:
        raise TryAgain(_message(_("The robot bumped {got} times, but it should bump {want} "
                                  "times.", got=walk.bumps, want=bumps), hint))
    if moves is not None and walk.moves != moves:
        raise TryAgain(_message(_("The robot moved {got} squares, but it should move {want}.",
                                  got=walk.moves, want=moves), hint))
    if looking is not None and walk.direction != direction_of(looking):
        want = direction_of(looking)
        raise TryAgain(_message(_("The robot looks {got}, but it should look {want}.",
                                  got=direction_word(walk.direction),
                                  want=direction_word(want) if want else looking), hint))
    if picked is not None and list(walk.picked) != [item_of(name) for name in picked]:
        raise TryAgain(_message(_("The robot picked {got}, but it should pick {want}.",
                                  got=[item_word(name) for name in walk.picked],
                                  want=[item_word(item_of(name)) for name in picked]), hint))


def well_done(message: str = "") -> None:
    """Say that the checks above passed; ``message`` names only what they checked."""
    print(_("Well done!") + " " + (message or _("These checks pass.")))


def _message(text: str, hint: str) -> str:
    return f"{text} {hint}".strip()


seal(__name__, lambda: _("The checks cannot be changed. Write your answer in the answer cell "
                         "and leave the checks as they are."))
