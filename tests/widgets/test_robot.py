"""Tests for widgets/robot.py and widgets/cards.py: the robot, its grid and the command cards,
driven by their methods, without a browser."""

from __future__ import annotations

import re

import ipywidgets as ipw
import pytest

from widgets import Robot, RobotGrid
from widgets.cards import CommandCards
from widgets.errors import NotAProgram, ReadOnly, UnknownCommand
from widgets.i18n import C_
from widgets.robot import record_of, replay
from widgets.robot_words import (
    COMMAND,
    COMMANDS,
    DIRECTION,
    DIRECTION_NAMES,
    ITEM,
    ITEM_NAMES,
)


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


def test_items_are_picked_once_and_said_in_words():
    """Does pick() take what lies on the square once, and say so when nothing is there?"""
    robot = Robot(width=3, height=1, star=(2, 0), items={(1, 0): "date", (2, 0): "mint"})
    robot.pick()
    assert robot.picked == [] and "nothing to pick" in robot.said
    robot.run(["forward", "pick", "pick", "forward", "pick"])
    assert robot.picked == ["date", "mint"] and robot.items == {}
    assert "Picked: date, mint." in robot.describe()


def test_run_a_program_and_reject_unknown_words_before_moving():
    """Does run() follow a list of words, and refuse a typo kindly (with the word it
    resembles) before the robot moves at all?"""
    robot = Robot(width=3, height=3, star=(2, 1))
    robot.run(["forward", "right", "forward", "left", "forward"])
    assert robot.on_star()
    robot.reset()
    with pytest.raises(UnknownCommand, match="does not know the command 'rigth'") as caught:
        robot.run(["forward", "rigth"])
    assert caught.value.hint == "Did you mean 'right'?" and robot.position == (0, 0)
    with pytest.raises(NotAProgram, match="list of commands"):
        robot.run("forward")


def test_what_the_robot_did_cannot_be_written_by_the_childs_code():
    """Are position, bumps, moves, path and the world read-only, with a kind message,
    while the robot's commands still change them?"""
    robot = Robot(width=3, height=1, rocks=[(1, 0)], star=(2, 0))
    robot.forward()
    for name, value in (("bumps", 0), ("x", 2), ("y", 0), ("moves", 5), ("path", []),
                        ("direction", "west"), ("rocks", []), ("star", (0, 0)), ("said", "")):
        with pytest.raises(ReadOnly, match=f"cannot change robot.{name}"):
            setattr(robot, name, value)
    with pytest.raises(ReadOnly):
        del robot.bumps
    with pytest.raises(AttributeError):
        object.__setattr__(robot, "bumps", 0)
    robot.__dict__["bumps"] = 0  # a data descriptor wins over the instance dictionary
    assert robot.bumps == 1 and robot.position == (0, 0)
    assert not any("command" in name or "log" in name for name in vars(robot))


def test_replay_recomputes_the_walk_from_the_log():
    """Does replaying the logged commands give the same walk as the robot shows?"""
    robot = Robot(width=4, height=2, rocks=[(2, 0)], star=(3, 1))
    robot.run(["forward", "forward", "right", "forward", "left", "forward", "forward"])
    world, commands = record_of(robot)
    walk = replay(world, commands)
    assert (walk.position, walk.bumps, walk.moves) == (robot.position, robot.bumps, robot.moves)
    assert walk.position == (3, 1) and walk.bumps == 1 and list(walk.path) == robot.path


def test_reset_puts_the_robot_back():
    """Does reset() put the robot back at its start and clear its counters?"""
    robot = Robot(x=1, y=1, direction="west", star=(0, 0))
    robot.run(["forward", "right", "forward"])
    robot.reset()
    assert (robot.position, robot.direction, robot.moves, robot.path) == ((1, 1), "west", 0, [(1, 1)])
    assert record_of(robot)[1] == ()


def test_bad_worlds_are_refused():
    """Is a robot, star or item off the grid, or on a rock, refused with a clear message?"""
    with pytest.raises(ValueError, match="outside the 3×3 grid"):
        Robot(width=3, height=3, star=(5, 0))
    with pytest.raises(ValueError, match="on a rock"):
        Robot(rocks=[(0, 0)])
    with pytest.raises(ValueError, match="an item is at"):
        Robot(items=[(9, 9)])
    with pytest.raises(ValueError, match="direction must be one of"):
        Robot(direction="up")


def test_widget_buttons_drive_the_robot_count_presses_and_text_follows():
    """Do the buttons move the robot, fire callbacks, count presses and update the words?"""
    robot = Robot(width=3, height=2, star=(2, 0))
    grid = RobotGrid(robot)
    heard = []
    grid.on_command(heard.append)
    buttons = {b.description: b for b in grid._buttons.children}
    buttons["Forward"].click()
    buttons["Turn left"].click()
    buttons["Turn right"].click()
    buttons["Forward"].click()
    assert robot.on_star() and heard == ["forward", "left", "right", "forward"]
    assert grid.presses == 4 and grid._counter.value == "Presses: 4"
    with pytest.raises(AttributeError):
        grid.presses = 0
    assert "on the star" in grid.text and grid._words.value == grid.text
    assert "aria-label" in grid._picture.value and "role='img'" in grid._picture.value
    buttons["Start again"].click()
    assert robot.position == (0, 0) and heard[-1] == "reset" and grid.presses == 0
    grid.on_command(heard.append, remove=True)
    grid.press("left")
    assert heard[-1] == "reset"


def test_every_control_is_a_keyboard_reachable_button_with_a_name():
    """Can every control be reached with Tab and read by a screen reader (a named button)?"""
    grid = RobotGrid(Robot(items=[(1, 0)]))
    for control in grid._buttons.children:
        assert isinstance(control, ipw.Button)
        assert control.description and control.tooltip and not control.disabled
    assert grid._pick_button.layout.display is None
    assert RobotGrid(Robot())._pick_button.layout.display == "none"


def test_widget_state_round_trip():
    """Does the picture's state survive a get_state()/set_state() round trip, as a browser does?"""
    grid = RobotGrid(Robot())
    grid.press("forward")
    picture = grid._picture
    copy = ipw.HTML()
    copy.set_state(picture.get_state())
    assert copy.value == picture.value and "jazari-robot" in copy.value


def test_picture_shows_coordinates_path_items_and_no_emoji():
    """Is the grid SVG with coordinates on its edges, the path drawn, items shown, the robot
    turned to where it looks, and no character that needs an emoji font?"""
    grid = RobotGrid(Robot(width=3, height=3, rocks=[(1, 1)], star=(2, 2), items=[(2, 0)]))
    picture = grid._picture.value
    assert picture.startswith("<svg") and picture.count("jazari-robot") == 1
    assert picture.count("jazari-star") == 1 and picture.count("jazari-rock") == 1
    assert picture.count("jazari-item") == 1 and "rotate(90 17 17)" in picture
    for number in "012":
        assert f">{number}</text>" in picture
    assert "jazari-path" not in picture
    grid.press("forward")
    assert "jazari-path" in grid._picture.value
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


def test_play_does_not_wait_between_steps_when_nbgrader_runs_the_notebook(monkeypatch):
    """When nbgrader runs the notebook (it sets NBGRADER_EXECUTION), does play() skip the
    pause between steps that only a watching child needs, and pause otherwise?"""
    import time

    pauses = []
    monkeypatch.setattr(time, "sleep", pauses.append)
    grid = RobotGrid(Robot(star=(2, 0)))
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    grid.play(["forward", "forward"], delay=0.3)
    assert pauses == [0.3, 0.3]
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    before = repr(grid.robot)
    grid.play(["right"], delay=0.3)
    assert pauses == [0.3, 0.3] and repr(grid.robot) != before


def test_command_cards_build_a_program_show_its_python_and_run_it():
    """Do the cards add words, show the Python they make, remove and clear, and run the
    program from the start, firing on_change and on_run?"""
    cards = CommandCards(Robot(width=3, height=2, star=(2, 1)))
    changes, runs = [], []
    cards.on_change(changes.append)
    cards.on_run(runs.append)
    buttons = {b.description: b for b in (*cards._cards.children, *cards._tools.children)}
    assert set(buttons) == {"Forward", "Turn left", "Turn right", "Remove last", "Clear", "Run"}
    for name in ("Forward", "Forward", "Turn right", "Forward", "Turn left"):
        buttons[name].click()
    buttons["Remove last"].click()
    assert cards.program == ["forward", "forward", "right", "forward"]
    assert cards.code == 'program = ["forward", "forward", "right", "forward"]'
    assert "program = [&quot;forward&quot;" in cards._code.value
    buttons["Run"].click()
    assert cards.robot.on_star() and runs == [["forward", "forward", "right", "forward"]]
    buttons["Run"].click()  # runs again from the start
    assert cards.robot.on_star() and cards.robot.moves == 3
    assert len(changes) == 6 and changes[-1] == cards.program
    cards.clear()
    assert cards.program == [] and cards.code == "program = []"
    with pytest.raises(UnknownCommand):
        cards.add("jump")
    assert cards.grid._buttons.layout.display == "none"


def test_command_cards_state_round_trip():
    """Does the Python the cards show survive a get_state()/set_state() round trip?"""
    cards = CommandCards(Robot(items=[(1, 0)]))
    cards.add("forward")
    cards.add("pick")
    copy = ipw.HTML()
    copy.set_state(cards._code.get_state())
    assert "program = [&quot;forward&quot;, &quot;pick&quot;]" in copy.value
    assert "Pick" in [b.description for b in cards._cards.children]


# --- the class's words ---------------------------------------------------------------------

@pytest.fixture
def in_language():
    """``in_language(lang)`` sets the class's language; English again after the test."""
    from widgets import i18n

    yield i18n.set_language
    i18n.set_language("en")


def test_a_french_class_drives_the_robot_in_french_and_its_log_stays_english(in_language):
    """In a French class, does the robot take "avance", "gauche", "droite" and a direction
    "est" (English words too), give back its direction as "sud", say it in describe(), and
    keep its log, which the checks replay, in English?"""
    in_language("fr")
    robot = Robot(width=3, height=3, direction="est", star=(1, 1))
    robot.run(["avance", "droite", " Avance "])
    assert robot.position == (1, 1) and robot.direction == "sud" and robot.on_star()
    assert "direction : sud" in robot.describe() and "sud" in repr(robot)
    robot.run(["gauche", "forward"])
    assert robot.position == (2, 1) and robot.direction == "est"
    assert record_of(robot)[1] == ("forward", "right", "forward", "left", "forward")
    robot.do("droite")
    assert robot.direction == "sud"
    assert Robot(direction="north").direction == "nord"


def test_kind_errors_and_typo_suggestions_use_the_classs_words(in_language):
    """Does a typo in a French program get the nearest French command as a suggestion (an
    English typo too), an unknown word the list of French commands, a string instead of a
    list an example in French, and a wrong direction the French directions?"""
    in_language("fr")
    robot = Robot()
    with pytest.raises(UnknownCommand, match="ne connaît pas la commande 'avnce'") as caught:
        robot.run(["avance", "avnce"])
    assert caught.value.hint == "Voulais-tu dire 'avance' ?" and robot.position == (0, 0)
    with pytest.raises(UnknownCommand) as caught:
        robot.do("rigth")
    assert caught.value.hint == "Voulais-tu dire 'droite' ?"
    with pytest.raises(UnknownCommand) as caught:
        robot.run(["nage"])
    assert caught.value.hint == "Utilise 'avance', 'gauche', 'droite' ou 'ramasse'."
    with pytest.raises(UnknownCommand) as caught:
        robot.run([3])
    assert "'avance'" in caught.value.hint
    with pytest.raises(NotAProgram, match=r"\['avance', 'gauche'\]"):
        robot.run("avance")
    with pytest.raises(ValueError, match="direction must be one of nord, est, sud, ouest"):
        Robot(direction="haut")
    assert record_of(robot)[1] == ()


def test_an_arabic_class_drives_the_robot_in_arabic_with_or_without_short_vowels(in_language):
    """In an Arabic class, does the robot take "تقدم" (also written "تقدّم" with a shadda),
    "يمين" and a direction "جنوب", and give its direction back in Arabic?"""
    in_language("ar")
    robot = Robot(width=3, height=3, direction="جنوب", star=(2, 2))
    robot.run(["تقدم", "يسار", "تقدّم"])
    assert robot.position == (1, 1) and robot.direction == "شرق"
    assert record_of(robot)[1] == ("forward", "left", "forward")
    with pytest.raises(UnknownCommand) as caught:
        robot.run(["تقدمم"])
    assert "'تقدم'" in caught.value.hint


def test_checks_compare_directions_and_items_in_the_classs_words(in_language):
    """Does expect_robot accept looking="sud" and picked=["datte"] in a French class (and the
    English words), and say a wrong direction with the French words?"""
    from widgets.checks import TryAgain, expect_robot

    in_language("fr")
    robot = Robot(width=3, height=2, star=(2, 1), items={(1, 0): "datte", (2, 0): "mint"})
    assert robot.items == {(1, 0): "datte", (2, 0): "menthe"}
    robot.run(["avance", "ramasse"])
    assert robot.picked == ["datte"] and "datte" in robot.said and robot.item_here() is None
    robot.run(["droite"])
    expect_robot(robot, looking="sud", picked=["datte"])
    expect_robot(robot, looking="south", picked=["date"])
    with pytest.raises(TryAgain, match="direction du robot est « sud », mais elle devrait être "
                                       "« est »"):
        expect_robot(robot, looking="est")
    with pytest.raises(TryAgain, match=r"\['datte'\].*\['menthe'\]"):
        expect_robot(robot, picked=["menthe"])
    assert record_of(robot)[0].items == (((1, 0), "date"), ((2, 0), "mint"))


def test_cards_and_buttons_write_and_say_the_classs_words(in_language):
    """In a French class, do the cards write a French program (the Python line too), run it,
    do the grid's buttons name the French word they stand for, and do they and play() tell
    their callbacks the French words?"""
    in_language("fr")
    cards = CommandCards(Robot(width=3, height=2, star=(2, 1)))
    buttons = {b.description: b for b in (*cards._cards.children, *cards._tools.children)}
    for name in ("Avancer", "Tourner à droite", "Avancer", "Tourner à gauche"):
        buttons[name].click()
    cards.add("forward")
    assert cards.program == ["avance", "droite", "avance", "gauche", "avance"]
    assert cards.code == 'program = ["avance", "droite", "avance", "gauche", "avance"]'
    cards._tools.children[-1].click()  # Run
    assert cards.robot.position == (2, 1) and record_of(cards.robot)[1][0] == "forward"
    with pytest.raises(UnknownCommand, match="saute"):
        cards.add("saute")
    grid = RobotGrid(Robot(star=(2, 0)))
    heard = []
    grid.on_command(heard.append)
    forward = {b.description: b for b in grid._buttons.children}["Avancer"]
    assert forward.tooltip == "Avancer : la commande 'avance'"
    forward.click()
    grid.press("droite")
    grid.play(["gauche", "forward"], delay=0)
    assert heard == ["avance", "droite", "gauche", "avance"] and grid.robot.position == (2, 0)


def test_the_robots_words_cannot_be_replaced_by_the_childs_code():
    """Can an answer cell replace how the checks read a direction (widgets.robot_words),
    write the robot's direction, or pass a word that claims to be every command? (All three
    fail; a NumPy string is still a word.)"""
    import numpy as np

    import widgets.robot_words as words

    class Anything(str):
        def __eq__(self, other):
            return True

        __hash__ = str.__hash__

        def casefold(self):
            return "forward"

    robot = Robot(width=3, height=1, star=(2, 0))
    with pytest.raises(UnknownCommand):
        robot.run([Anything("jump")])
    robot.run(list(np.array(["forward"])))
    assert record_of(robot)[1] == ("forward",)

    with pytest.raises(ReadOnly):
        words.direction_of = lambda word: "south"
    with pytest.raises(ReadOnly):
        del words.command_of
    with pytest.raises(ReadOnly, match="cannot change robot.direction"):
        Robot().direction = "south"


def _robot_units():
    """The units whose notebooks make a robot, with the code of their cells."""
    import nbformat

    from curriculum import load_syllabus

    syllabus = load_syllabus()
    found = []
    for unit in syllabus.units:
        code = "\n".join(cell.source for name in unit.notebooks
                         for cell in nbformat.read(syllabus.root / name, as_version=4).cells
                         if cell.cell_type == "code")
        if re.search(r"\b(Robot|RobotGrid|CommandCards)\(", code):
            found.append(pytest.param(syllabus, unit, code, id=unit.id))
    return found


ROBOT_WORDS = {**{word: COMMAND for word in COMMANDS},
               **{word: DIRECTION for word in DIRECTION_NAMES},
               **{word: ITEM for word in ITEM_NAMES}}


@pytest.mark.parametrize(("syllabus", "unit", "code"), _robot_units())
def test_a_robot_units_words_are_the_widgets_words(syllabus, unit, code, in_language):
    """Does a unit that makes a robot list in its words.yaml every robot word its code quotes
    (so the build translates it), and is each one's translation in its French and Arabic
    catalogs exactly the word the robot takes and gives back in that language (so a check
    comparing robot.direction with "est" agrees with the robot)?"""
    from autograder.catalogs import DATA_WORD, load_data_words, load_translations

    listed = load_data_words(syllabus.root, unit)
    quoted = {match.group(2) for match in re.finditer(r"""(["'])(\w+)\1""", code)}
    assert not {word for word in quoted if word in ROBOT_WORDS} - set(listed)
    for lang in ("fr", "ar"):
        translations = load_translations(syllabus.root, unit.id, lang)
        in_language(lang)
        for word in (word for word in listed if word in ROBOT_WORDS):
            wanted = C_(ROBOT_WORDS[word], word)
            assert wanted != word, f"the widgets catalog has no {lang} word for {word!r}"
            assert translations.get((word, DATA_WORD)) == wanted, (
                f"{unit.id}: {word!r} is {translations.get((word, DATA_WORD))!r} in "
                f"curriculum/locales/{lang}/LC_MESSAGES/{unit.id}.po but the robot says "
                f"{wanted!r} (widgets.po)")
