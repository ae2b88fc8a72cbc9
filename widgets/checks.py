"""Kind checks for the tests inside unit notebooks.

A check that fails raises :class:`TryAgain` (an ``AssertionError``) whose message says, in
plain words, what was expected and what came out. Inside Jupyter, importing this module
makes a failed check show only that message, in a friendly box, instead of a traceback;
the cell still fails, so nbgrader still gives it no points.

Values are compared as plain types: the type is checked first, so an object that claims to
be equal to everything cannot pass.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

__all__ = [
    "TryAgain",
    "check",
    "expect_close",
    "expect_equal",
    "expect_position",
    "expect_type",
    "well_done",
]


class TryAgain(AssertionError):
    """A check that did not pass. The message is written for the child."""


def check(condition, message: str) -> None:
    """Fail with ``message`` unless ``condition`` is true (a real ``bool`` or NumPy bool)."""
    if not isinstance(condition, (bool, np.bool_)) or not condition:
        raise TryAgain(message)


_NAMES = {bool: "True/False", int: "a whole number", float: "a decimal number", str: "text",
          list: "a list", tuple: "a tuple", dict: "a dictionary", type(None): "nothing (None)",
          np.integer: "a whole number", np.floating: "a decimal number",
          np.ndarray: "a NumPy array"}


def _type_name(value) -> str:
    """A child-friendly name for the type of ``value``."""
    for kind, name in _NAMES.items():
        if type(value) is kind or (kind in (np.integer, np.floating) and isinstance(value, kind)):
            return name
    return f"a {type(value).__name__}"


def _is_number(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def expect_type(value, types, what: str) -> None:
    """Fail unless ``value`` is one of ``types`` (``bool`` never counts as a number)."""
    types = types if isinstance(types, tuple) else (types,)
    ok = isinstance(value, types)
    if ok and isinstance(value, (bool, np.bool_)) and bool not in types:
        ok = False
    if not ok:
        wanted = []
        for kind in types:
            name = _NAMES.get(kind, f"a {kind.__name__}")
            if name not in wanted:
                wanted.append(name)
        raise TryAgain(f"{what} should be {' or '.join(wanted)}, but it is "
                       f"{_type_name(value)}: {value!r}.")


def expect_equal(actual, expected, what: str, hint: str = "") -> None:
    """Fail unless ``actual`` has the type of ``expected`` and equals it."""
    if _is_number(expected) and isinstance(expected, numbers.Integral):
        expect_type(actual, (int, np.integer), what)
    elif _is_number(expected):
        expect_type(actual, (int, float, np.integer, np.floating), what)
    else:
        expect_type(actual, type(expected), what)
    if isinstance(expected, (list, tuple)):
        same = len(actual) == len(expected) and all(
            type(a) is type(e) and a == e for a, e in zip(actual, expected, strict=True)
        )
    else:
        same = bool(actual == expected)
    if not same:
        raise TryAgain(_message(f"{what} should be {expected!r}, but it is {actual!r}.", hint))


def expect_close(actual, expected: float, what: str, tolerance: float = 1e-6,
                 hint: str = "") -> None:
    """Fail unless ``actual`` is a number within ``tolerance`` of ``expected``."""
    expect_type(actual, (int, float, np.integer, np.floating), what)
    if not math.isfinite(float(actual)) or abs(float(actual) - expected) > tolerance:
        raise TryAgain(_message(f"{what} should be about {expected:g}, but it is {actual!r}.",
                                hint))


def expect_position(robot, expected, hint: str = "") -> None:
    """Fail unless ``robot`` stands on the square ``expected`` = ``(x, y)``."""
    expected = tuple(expected)
    if robot.position != expected:
        raise TryAgain(_message(
            f"The robot stopped at {robot.position} but it should be at {expected}.", hint))


def well_done(message: str = "") -> None:
    """Say that the checks above passed."""
    print("✅ Well done!" + (f" {message}" if message else ""))


def _message(text: str, hint: str) -> str:
    return f"{text} {hint}".strip()


_FRIENDLY = {
    TryAgain: "🙂 Not yet! {value}",
    NameError: "🙂 Python does not know a name here ({value}). Did you run the cell with "
               "your answer first? Check the spelling too.",
    NotImplementedError: "✏️ This exercise is waiting for you: write your code where it says "
                         "YOUR CODE HERE, and take away the line 'raise NotImplementedError()'.",
}


def _friendly_handler(shell, etype, value, tb, tb_offset=None):
    """Show a failed check as one kind line, not a traceback. The cell still fails."""
    for kind, template in _FRIENDLY.items():
        if issubclass(etype, kind):
            stb = [template.format(value=value)]
            break
    else:  # pragma: no cover - only the kinds above are registered
        stb = shell.InteractiveTB.structured_traceback(etype, value, tb, tb_offset=tb_offset)
    # IPython ignores what a custom handler returns when the error comes from running
    # code, so publish the error (an 'error' output, which nbgrader counts) ourselves.
    shell._showtraceback(etype, value, stb)
    return stb


def _install() -> None:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is always there with Jupyter
        return
    shell = get_ipython()
    if shell is not None and hasattr(shell, "set_custom_exc"):
        shell.set_custom_exc(tuple(_FRIENDLY), _friendly_handler)


_install()
