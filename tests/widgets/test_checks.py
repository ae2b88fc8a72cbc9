"""Tests for widgets/checks.py: kind checks that cannot be fooled."""

from __future__ import annotations

import subprocess
import sys

import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

from widgets import Robot
from widgets.checks import (
    TryAgain,
    check,
    expect_close,
    expect_equal,
    expect_position,
    expect_robot,
    expect_type,
)


def test_expect_equal_says_what_was_expected_and_what_came_out():
    """Does a wrong value give a message with both values and the hint?"""
    with pytest.raises(TryAgain) as caught:
        expect_equal(3, 4, "walk(robot, 4)", hint="Count the steps again.")
    assert str(caught.value) == "walk(robot, 4) should be 4, but it is 3. Count the steps again."
    expect_equal(4, 4, "four")


def test_types_are_checked_before_values():
    """Are a bool for a number, text for a number, or a clever object refused?"""
    class AlwaysEqual:
        def __eq__(self, other):
            return True

    with pytest.raises(TryAgain, match="should be a whole number, but it is True/False"):
        expect_equal(True, 1, "the count")
    with pytest.raises(TryAgain, match="should be a whole number, but it is text"):
        expect_equal("4", 4, "the count")
    with pytest.raises(TryAgain, match="should be text"):
        expect_equal(AlwaysEqual(), "mint", "the label")
    with pytest.raises(TryAgain, match="should be a list"):
        expect_equal(AlwaysEqual(), ["a"], "the list")
    with pytest.raises(TryAgain):
        expect_equal([1, True], [1, 1], "the list")
    expect_equal(np.int64(3), 3, "numpy ints count as whole numbers")
    with pytest.raises(TryAgain, match="should be True/False"):
        expect_type(1, bool, "the answer")


def test_subclasses_that_are_always_equal_are_refused():
    """Does an int, str or list subclass whose == always says yes fail, nested ones too?"""
    class SneakyInt(int):
        def __eq__(self, other):
            return True

        __hash__ = int.__hash__

    class SneakyStr(str):
        def __eq__(self, other):
            return True

        __hash__ = str.__hash__

    class SneakyList(list):
        def __eq__(self, other):
            return True

    with pytest.raises(TryAgain, match="should be a whole number, but it is a SneakyInt"):
        expect_equal(SneakyInt(7), 3, "the count")
    with pytest.raises(TryAgain, match="but it is a SneakyStr"):
        expect_equal(SneakyStr("x"), "mint", "the label")
    with pytest.raises(TryAgain, match="but it is a SneakyList"):
        expect_equal(SneakyList([9]), [1], "the list")
    with pytest.raises(TryAgain, match="SneakyInt"):
        expect_equal([1, SneakyInt(9)], [1, 2], "the list")
    expect_equal({"a": [1, 2]}, {"a": [1, 2]}, "a plain dictionary still passes")


def test_expect_close_and_check():
    """Are decimals compared with a tolerance, and check() given only a real bool?"""
    expect_close(0.1 + 0.2, 0.3, "the sum")
    with pytest.raises(TryAgain, match="should be about 0.5, but it is 0.6"):
        expect_close(0.6, 0.5, "the accuracy")
    with pytest.raises(TryAgain):
        expect_close(float("nan"), 0.5, "the accuracy")
    check(np.bool_(True), "numpy bools are fine")
    with pytest.raises(TryAgain, match="nope"):
        check(1, "nope")


def test_expect_position():
    """Does a robot on the wrong square get a message naming both squares?"""
    robot = Robot(star=(2, 0))
    robot.forward()
    with pytest.raises(TryAgain, match=r"stopped at \(1, 0\) but it should be at \(2, 0\)"):
        expect_position(robot, (2, 0))
    expect_position(robot, [1, 0])


def test_robot_checks_read_the_replayed_log_not_the_attributes():
    """Do robot checks conclude from the robot's own log, whatever the child's code tries?"""
    from widgets.robot import Robot as RobotClass

    robot = RobotClass(width=3, height=1, rocks=[(1, 0)], star=(2, 0))
    robot.forward()
    with pytest.raises(Exception, match="cannot change robot.bumps"):
        robot.bumps = 0
    with pytest.raises(TryAgain, match="bumped 1 times, but it should bump 0 times"):
        expect_robot(robot, bumps=0)
    original = RobotClass.bumps
    try:  # even a property replaced on the class does not change what the check sees
        RobotClass.bumps = property(lambda self: 0)
        assert robot.bumps == 0
        with pytest.raises(TryAgain, match="bumped 1 times"):
            expect_robot(robot, bumps=0)
    finally:
        RobotClass.bumps = original
    with pytest.raises(TryAgain, match="needs a robot"):
        expect_position(object(), (0, 0))


def test_the_checks_module_cannot_be_changed():
    """Is assigning or deleting a name of widgets.checks refused with a kind message?"""
    import widgets.checks as checks

    with pytest.raises(AttributeError, match="The checks cannot be changed"):
        checks.expect_equal = lambda *args, **kwargs: None
    with pytest.raises(AttributeError, match="The checks cannot be changed"):
        del checks.check
    assert checks.expect_equal is expect_equal


def test_the_robots_rules_cannot_be_changed():
    """Is replacing the functions the robot checks replay with refused, so a check cannot be
    made to see a walk without bumps?"""
    import widgets.robot as robot_module

    for name in ("replay", "record_of", "_step", "_inside", "_RECORDS"):
        with pytest.raises(AttributeError, match="The robot's rules cannot be changed"):
            setattr(robot_module, name, None)
    assert callable(robot_module.replay)


def test_a_clever_object_cannot_show_itself_in_a_message():
    """Does a failed check name a strange object by its type, not by its own repr?"""
    class Liar:
        def __repr__(self):
            return "4"

    with pytest.raises(TryAgain, match="but it is a Liar: <Liar>"):
        expect_equal(Liar(), 4, "the count")


def test_the_childs_side_imports_nothing_from_the_trainers_side():
    """In a fresh interpreter, does importing every module of widgets/ leave every
    autograder module unimported?"""
    code = (
        "import importlib, pkgutil, sys, widgets\n"
        "names = [m.name for m in pkgutil.iter_modules(widgets.__path__, 'widgets.')]\n"
        "for name in names: importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'autograder' or m.startswith('autograder.'))\n"
        "assert len(names) >= 8, names\n"
        "print(len(names), bad)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    count, bad = done.stdout.split(" ", 1)
    assert int(count) >= 8 and bad.strip() == "[]", done.stdout


def test_in_a_kernel_a_failed_check_shows_one_kind_line_and_still_fails():
    """In Jupyter, after the setup cell, does a failed check show a kind line (no
    traceback), and does every error still fail its cell?"""
    notebook = new_notebook(cells=[
        new_code_cell('from widgets import setup\nsetup(lang="en")'),
        new_code_cell("from widgets.checks import check\ncheck(1 == 2, 'The robot is lost.')"),
        new_code_cell("raise NotImplementedError()"),
        new_code_cell("1 / 0"),
        new_code_cell("walk(robot, 3)"),
        new_code_cell("def f(:\n    pass"),
    ])
    notebook.metadata.kernelspec = {"name": "python3", "display_name": "Python 3",
                                    "language": "python"}
    NotebookClient(notebook, allow_errors=True, timeout=60).execute()
    _setup, first, second, third, fourth, fifth = (cell.outputs for cell in notebook.cells)
    assert first[0].output_type == "error" and first[0].traceback == [
        "Not yet! The robot is lost."]
    assert second[0].output_type == "error" and "YOUR CODE HERE" in second[0].traceback[0]
    assert third[0].ename == "ZeroDivisionError" and third[0].traceback == [
        "Line 1: 1 / 0", "You divided by zero. Check that the number you divide by is not 0, "
        "for example the length of an empty list."]
    assert third[1].output_type == "display_data" and "<details" in third[1].data["text/html"]
    assert fourth[0].ename == "NameError" and fourth[0].traceback[1].startswith(
        "Python does not know the name walk.")
    assert fifth[0].ename == "SyntaxError" and fifth[0].traceback[0] == "Line 1: def f(:"
    nbformat.validate(notebook)


def test_expect_array_checks_type_shape_and_every_number():
    """Does expect_array accept an equal array (ints for floats too) and refuse a list, a
    subclass, another shape, one wrong number, a NaN, or booleans?"""
    from widgets.checks import expect_array

    expected = np.array([[16.0, 0.0], [8.5, 1.0]])
    expect_array(np.array([[16.0, 0.0], [8.5, 1.0]]), expected, "invert(image)")
    expect_array(np.array([[16, 0], [9, 1]]), np.array([[16, 0], [9, 1]]), "int arrays")
    expect_array(np.array([[16.0, 0.0], [8.5, 1.0 + 1e-9]]), expected, "nearly equal")

    class Sneaky(np.ndarray):
        def __eq__(self, other):
            return True

    with pytest.raises(TryAgain, match="should be a NumPy array, but it is a list"):
        expect_array([[16.0, 0.0], [8.5, 1.0]], expected, "invert(image)")
    with pytest.raises(TryAgain, match="should be a NumPy array"):
        expect_array(np.zeros((2, 2)).view(Sneaky), expected, "invert(image)")
    with pytest.raises(TryAgain, match="Look at the shape"):
        expect_array(np.array([16.0, 0.0, 8.5, 1.0]), expected, "invert(image)",
                     hint="Look at the shape.")
    with pytest.raises(TryAgain, match=r"invert\(image\) should be"):
        expect_array(np.array([[16.0, 0.0], [8.5, 2.0]]), expected, "invert(image)")
    with pytest.raises(TryAgain):
        expect_array(np.array([[16.0, 0.0], [8.5, np.nan]]), expected, "invert(image)")
    with pytest.raises(TryAgain):
        expect_array(np.array([[True, False]]), np.array([[1, 0]]), "a mask")


def test_expect_array_ignores_a_rebound_numpy():
    """Does rebinding np.allclose or np.array_equal (as a learner's cell could) change nothing?"""
    from widgets.checks import expect_array

    saved = np.ndarray, np.allclose, np.array_equal
    try:
        np.allclose = np.array_equal = lambda *args, **kwargs: True
        with pytest.raises(TryAgain):
            expect_array(np.array([1.0, 2.0]), np.array([1.0, 3.0]), "the row")
    finally:
        np.ndarray, np.allclose, np.array_equal = saved
