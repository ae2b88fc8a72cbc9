"""Tests for widgets/kind_errors.py and widgets/start.py: what a child sees after a mistake.

Code runs through a real IPython InteractiveShell, as in a notebook; the test captures the
error output (what nbgrader counts) and what is displayed beside it.
"""

from __future__ import annotations

import pytest
from IPython.core.displaypub import CapturingDisplayPublisher
from IPython.core.interactiveshell import InteractiveShell
from traitlets.config import Config

from widgets.kind_errors import uninstall
from widgets.start import setup


@pytest.fixture
def shell():
    """An IPython shell after the unit's setup cell; ``shell.seen`` collects what it shows."""
    config = Config()
    config.HistoryManager.hist_file = ":memory:"  # nothing left to write at exit
    ipython = InteractiveShell.instance(config=config)
    seen = []
    ipython._showtraceback = lambda etype, value, stb: seen.append(("error", etype, list(stb)))
    ipython.display_pub = CapturingDisplayPublisher()
    ipython.seen = seen
    ipython.run_cell("from widgets import Robot, setup\nsetup(lang='en')", store_history=True)
    ipython.run_cell("robot = Robot(width=3, height=1, star=(2, 0))", store_history=True)
    yield ipython
    uninstall(ipython)
    InteractiveShell.clear_instance()


def run(shell, code):
    """Run ``code`` as a cell; return (succeeded, error lines, displayed texts/HTML)."""
    shell.seen.clear()
    shell.display_pub.outputs.clear()
    result = shell.run_cell(code, store_history=True)
    errors = [line for kind, _etype, stb in shell.seen for line in stb]
    shown = [output["data"] for output in shell.display_pub.outputs]
    return result.success, errors, shown


@pytest.mark.parametrize(("code", "first", "second"), [
    ("robot.fowrard()", "Line 1: robot.fowrard()",
     "The robot does not know fowrard. Did you mean forward?"),
    ('robot.run(["forward", "rigth"])', 'Line 1: robot.run(["forward", "rigth"])',
     "The robot does not know the command 'rigth'. Did you mean 'right'?"),
    ("for step in range(3)\n    robot.forward()", "Line 1: for step in range(3)",
     "Python cannot read this line. Put a colon : at the end of the line that starts with for."),
    ("def walk(robot):\nrobot.forward()", "Line 2: robot.forward()",
     "The spaces at the start of a line are not right. The lines inside an if, a for or a def "
     "start with 4 more spaces."),
    ("x = 1\npirnt(x)", "Line 2: pirnt(x)", "Python does not know the name pirnt. Did you mean "
     "print?"),
    ("def walk(robot, steps):\n    pass\nwalk(robot)", "Line 3: walk(robot)",
     "walk() needs more values between its brackets: 'steps' is missing."),
    ("robot.forward(2)", "Line 1: robot.forward(2)",
     "forward() takes nothing between its brackets, but it got 1 values."),
    ("things = [1, 2, 3]\nthings[3]", "Line 2: things[3]",
     "You asked for a place that is not in the list."),
    ("prices = {'date': 3}\nprices['fig']", "Line 2: prices['fig']",
     "The dictionary has no key 'fig'."),
    ("count = 0\n10 / count", "Line 2: 10 / count", "You divided by zero."),
    ("def count_down(n):\n    return count_down(n - 1)\ncount_down(3)",
     "Line 2: return count_down(n - 1)", "Your function calls itself again and again"),
    ("raise KeyboardInterrupt", "Line 1: raise KeyboardInterrupt",
     "The cell was stopped before it finished. If it ran for a long time, a loop may never end"),
    ("robot.bumps = 0", "Line 1: robot.bumps = 0",
     "You cannot change robot.bumps by writing it."),
])
def test_a_typical_mistake_shows_the_childs_line_and_one_plain_sentence(shell, code, first,
                                                                       second):
    """Does each typical mistake show two lines (the child's own line, then what is wrong
    with a hint), the full traceback folded, and still fail the cell?"""
    succeeded, errors, shown = run(shell, code)
    assert not succeeded
    assert len(errors) == 2 and errors[0] == first and errors[1].startswith(second), errors
    assert len(shown) == 1 and shown[0]["text/html"].startswith("<details")
    assert "<summary>Show the full error message</summary>" in shown[0]["text/html"]


def test_an_error_inside_a_function_names_the_line_in_the_answer_cell(shell):
    """When a test cell calls the child's function, is the child's line in the answer cell
    named (with the cell's number), not a line of library code?"""
    run(shell, "def walk(robot, steps):\n    for step in range(steps):\n        robot.fowrard()")
    _ok, errors, _shown = run(shell, "walk(robot, 2)")
    assert errors[0].startswith("Line 3 of cell [") and errors[0].endswith("robot.fowrard()")
    assert "widgets" not in errors[0] + errors[1]


def test_after_a_failed_answer_cell_a_test_cell_says_to_fix_the_error_above(shell):
    """If the cell that makes a function failed, does the test cell say to fix that error
    rather than "did you run the cell first?"; and once fixed, is the name known again?"""
    run(shell, "def walk(robot, steps):\n    for step in range(steps)\n        robot.forward()")
    _ok, errors, _shown = run(shell, "walk(robot, 2)")
    assert "walk was not made, because the cell that makes it stopped with an error" in errors[1]
    assert "Fix the error in that cell" in errors[1] and "Did you run" not in errors[1]
    run(shell, "def walk(robot, steps):\n    pass")
    _ok, errors, _shown = run(shell, "del walk\nwalk(robot, 2)")
    assert "Did you run the cell that makes walk first?" in errors[1]


def test_a_function_used_without_brackets_is_pointed_out(shell):
    """Does ``robot.forward`` alone (no brackets) get a kind note instead of nothing?"""
    succeeded, errors, shown = run(shell, "robot.forward\nrobot.left()")
    assert succeeded and not errors
    assert shown == [{"text/plain": "Line 1: robot.forward does nothing without brackets. "
                                    "Write robot.forward() to make it happen."}]
    succeeded, _errors, shown = run(shell, "robot")  # a value alone is still shown as usual
    assert succeeded and not shown


def test_failed_checks_show_only_their_message(shell):
    """Does a failed check show one "Not yet!" line, no folded traceback, and fail?"""
    succeeded, errors, shown = run(
        shell, "from widgets.checks import expect_equal\nexpect_equal(2, 3, 'The sum')")
    assert not succeeded and errors == ["Not yet! The sum should be 3, but it is 2."]
    assert shown == []
    succeeded, errors, _shown = run(shell, "raise NotImplementedError()")
    assert not succeeded and "YOUR CODE HERE" in errors[0]


def test_messages_come_in_the_class_language(shell, monkeypatch):
    """Do the kind lines go through the translation function of the class's language?"""
    import widgets.kind_errors as kind_errors

    monkeypatch.setattr(kind_errors, "_", lambda text, **values: "<<" + text.format(**values)
                        + ">>")
    _ok, errors, _shown = run(shell, "1 / 0")
    assert errors[0] == "<<Line 1>>: 1 / 0"
    assert errors[1].startswith("<<You divided by zero.>>")


def test_setup_without_ipython_only_sets_the_language():
    """Outside a kernel, does setup() choose the language and do nothing else?"""
    from widgets.i18n import language

    assert setup(lang="fr", shell=None) is None and language() == "fr"
    setup(lang="en")
    assert language() == "en"


def test_a_check_replaced_while_a_cell_runs_fails_that_cell(shell):
    """If the child's function rebinds a check (``global expect_robot``) while a test cell
    runs, does that cell still get an error output, so it cannot score?"""
    run(shell, "def sneaky():\n    global expect_equal\n    expect_equal = lambda *a, **k: None")
    succeeded, errors, _shown = run(
        shell, "from widgets.checks import expect_equal\nsneaky()\nexpect_equal(1, 2, 'x')")
    assert errors and errors[0].startswith("The checks cannot be changed: expect_equal")
    succeeded, errors, _shown = run(shell, "from widgets.checks import expect_equal\n"
                                           "expect_equal(2, 2, 'x')")
    assert succeeded and not errors


def test_replacing_the_checks_module_fails_the_cell_and_brings_the_real_one_back(shell):
    """Does putting a fake module in sys.modules fail that cell, and does the next test cell
    import the real checks again?"""
    succeeded, errors, _shown = run(shell, "import sys, types\n"
                                           "fake = types.ModuleType('widgets.checks')\n"
                                           "fake.expect_equal = lambda *a, **k: None\n"
                                           "sys.modules['widgets.checks'] = fake")
    assert errors and "widgets.checks was replaced" in errors[0]
    succeeded, errors, _shown = run(shell, "from widgets.checks import expect_equal\n"
                                           "expect_equal(1, 2, 'x')")
    assert not succeeded and errors == ["Not yet! x should be 2, but it is 1."]


def test_brackets_forgotten_inside_a_function_are_named_once_with_their_cell(shell):
    """When the child's function forgets brackets in a loop, is the note shown once (not at
    every turn of the loop), naming the line in the answer cell?"""
    run(shell, "def walk(robot, steps):\n    for step in range(steps):\n        robot.forward")
    succeeded, _errors, shown = run(shell, "walk(robot, 4)")
    assert succeeded and len(shown) == 1
    note = shown[0]["text/plain"]
    assert note.startswith("Line 3 of cell [") and "robot.forward does nothing without brackets" in note
