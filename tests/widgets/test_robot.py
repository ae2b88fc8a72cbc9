"""Tests for widgets/robot.py: the robot model and its grid widget, without a browser."""

from __future__ import annotations

import ipywidgets as ipw
import pytest

from widgets import Robot, RobotGrid


def test_forward_turn_and_star():
    """Does the robot move where it looks, turn in place, and know when it is on the star?"""
    robot = Robot(width=4, height=3, star=(1, 1))
    robot.forward()
    assert robot.position == (1, 0) and robot.moves == 1
    robot.right()
    assert robot.direction == "south" and robot.position == (1, 0)
    robot.forward()
    assert robot.on_star() and robot.said == "I found the star!"
    assert robot.path == [(0, 0), (1, 0), (1, 1)]


def test_rocks_and_edges_stop_the_robot_without_error():
    """Does a robot that walks into a rock or off the grid stay put and count a bump?"""
    robot = Robot(width=3, height=3, rocks=[(1, 0)], star=(2, 2))
    assert not robot.can_move()
    robot.forward()
    assert robot.position == (0, 0) and robot.bumps == 1 and "rock" in robot.said
    robot.left()  # now north, at the top edge
    robot.forward()
    assert robot.position == (0, 0) and robot.bumps == 2 and "edge" in robot.said


def test_run_a_program_and_reject_unknown_words():
    """Does run() follow a list of words and refuse an unknown word kindly?"""
    robot = Robot(width=3, height=3, star=(2, 1))
    robot.run(["forward", "right", "forward", "left", "forward"])
    assert robot.on_star()
    with pytest.raises(ValueError, match="I don't know the command 'jump'"):
        robot.run(["jump"])
    with pytest.raises(TypeError, match="list of commands"):
        robot.run("forward")


def test_reset_puts_the_robot_back():
    """Does reset() put the robot back at its start and clear its counters?"""
    robot = Robot(x=1, y=1, direction="west", star=(0, 0))
    robot.run(["forward", "right", "forward"])
    robot.reset()
    assert (robot.position, robot.direction, robot.moves, robot.path) == ((1, 1), "west", 0, [(1, 1)])


def test_bad_worlds_are_refused():
    """Is a robot or star off the grid, or on a rock, refused with a clear message?"""
    with pytest.raises(ValueError, match="outside the 3×3 grid"):
        Robot(width=3, height=3, star=(5, 0))
    with pytest.raises(ValueError, match="on a rock"):
        Robot(rocks=[(0, 0)])
    with pytest.raises(Exception, match="direction must be one of"):
        Robot(direction="up")


def test_widget_buttons_drive_the_robot_and_text_follows():
    """Do the widget's buttons move the robot, fire callbacks and update the words shown?"""
    robot = Robot(width=3, height=2, star=(2, 0))
    grid = RobotGrid(robot)
    heard = []
    grid.on_command(heard.append)
    buttons = {b.description: b for b in grid._buttons.children}
    buttons["Forward"].click()
    buttons["Forward"].click()
    assert robot.on_star() and heard == ["forward", "forward"]
    assert "on the star" in grid.text and grid._words.value == grid.text
    assert "aria-label" in grid._picture.value and "role='img'" in grid._picture.value
    buttons["Start again"].click()
    assert robot.position == (0, 0) and heard[-1] == "reset"
    grid.on_command(heard.append, remove=True)
    grid.press("left")
    assert heard[-1] == "reset"


def test_every_control_is_a_keyboard_reachable_button_with_a_name():
    """Can every control be reached with Tab and read by a screen reader (a named button)?"""
    grid = RobotGrid(Robot())
    for control in grid._buttons.children:
        assert isinstance(control, ipw.Button)
        assert control.description and control.tooltip and not control.disabled


def test_widget_state_round_trip():
    """Does the widget's state survive a get_state()/set_state() round trip, as a browser does?"""
    grid = RobotGrid(Robot())
    grid.press("forward")
    picture = grid._picture
    state = picture.get_state()
    copy = ipw.HTML()
    copy.set_state(state)
    assert copy.value == picture.value and "jazari-robot" in copy.value


def test_pictures_need_no_emoji_font_and_the_robot_faces_its_direction():
    """Is the grid drawn with SVG (no emoji font needed), the robot turned to where it looks?"""
    grid = RobotGrid(Robot(rocks=[(1, 1)], star=(2, 2)))
    picture = grid._picture.value
    assert picture.count("jazari-robot") == 1 and picture.count("jazari-star") == 1
    assert picture.count("jazari-rock") == 1 and "rotate(90 17 17)" in picture
    grid.press("left")
    assert "rotate(0 17 17)" in grid._picture.value
    assert not any(ord(char) > 0x2000 for char in grid._picture.value)


def test_play_runs_a_program_step_by_step():
    """Does play() run every command of a program, drawing as it goes?"""
    grid = RobotGrid(Robot(star=(2, 0)))
    drawn = []
    grid.on_command(lambda _command: drawn.append(grid._picture.value))
    grid.play(["forward", "forward"], delay=0)
    assert grid.robot.on_star() and len(drawn) == 2 and drawn[0] != drawn[1]
