"""Tests for widgets/checks.py: kind checks that cannot be fooled."""

from __future__ import annotations

import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

from widgets.checks import (
    TryAgain,
    check,
    expect_close,
    expect_equal,
    expect_position,
    expect_type,
)
from widgets import Robot


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


def test_in_a_kernel_a_failed_check_shows_one_kind_line_and_still_fails():
    """In Jupyter, does a failed check show a kind line (no traceback) and still error?"""
    notebook = new_notebook(cells=[
        new_code_cell("from widgets.checks import check\ncheck(1 == 2, 'The robot is lost.')"),
        new_code_cell("raise NotImplementedError()"),
        new_code_cell("1 / 0"),
        new_code_cell("walk(robot, 3)"),
    ])
    notebook.metadata.kernelspec = {"name": "python3", "display_name": "Python 3",
                                    "language": "python"}
    NotebookClient(notebook, allow_errors=True, timeout=60).execute()
    first, second, third, fourth = (cell.outputs for cell in notebook.cells)
    assert first[0].output_type == "error" and first[0].traceback == ["🙂 Not yet! The robot is lost."]
    assert second[0].output_type == "error" and "YOUR CODE HERE" in second[0].traceback[0]
    assert third[0].ename == "ZeroDivisionError" and len(third[0].traceback) > 1
    assert fourth[0].ename == "NameError" and fourth[0].traceback == [
        "🙂 Python does not know a name here (name 'walk' is not defined). Did you run the "
        "cell with your answer first? Check the spelling too."]
    nbformat.validate(notebook)
