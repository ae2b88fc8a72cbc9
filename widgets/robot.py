"""A robot on a grid: the world of the Explorers' first programming unit.

:class:`Robot` is the model: a grid, a robot with a position and a direction, rocks, items
to pick (dates, mint leaves) and a star. What the robot did is a log of command words that
the robot keeps where the child's code cannot write: its position, bumps, moves and path
are read-only views recomputed from that log (``robot.bumps = 0`` or ``robot.x = 3`` raises
a kind error), and the checks replay the log themselves with :func:`replay`. The log and the
walk keep English words (``"forward"``, ``"east"``); the child writes and reads the class's
words (``"avance"``, ``"est"`` in French), see :mod:`widgets.robot_words`.

:class:`RobotGrid` is the widget that draws it (SVG, coordinates on the edges, the path
drawn, a press counter) and gives buttons to drive it; every button is a real button, so the
keyboard works (Tab, then Enter or Space), and a text line always says in words what the
picture shows.

Coordinates are ``(x, y)``: ``x`` counts squares to the right, ``y`` counts squares down,
both from 0 at the top-left corner.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field, replace

import ipywidgets as ipw
from traitlets import Bool, HasTraits, Instance, Int, observe

from widgets import draw
from widgets.errors import NotAProgram, ReadOnly, UnknownCommand, seal
from widgets.i18n import N_, _
from widgets.robot_words import (
    COMMANDS,
    DIRECTION_NAMES,
    ITEM_NAMES,
    command_of,
    command_word,
    direction_of,
    direction_word,
    item_of,
    item_word,
    nearest_command,
)

__all__ = ["COMMANDS", "DIRECTIONS", "ITEM_NAMES", "Robot", "RobotGrid", "Walk", "World", "record_of",
           "replay", "unknown_command"]

#: Directions in clockwise order, with the move each one makes (English words: the robot's
#: own; a child writes and reads the class's words, see :mod:`widgets.robot_words`).
DIRECTIONS = dict(zip(DIRECTION_NAMES, ((0, -1), (1, 0), (0, 1), (-1, 0)), strict=True))
#: What the child's code may read but never write.
_READ_ONLY = frozenset({"x", "y", "direction", "position", "moves", "bumps", "path", "picked",
                        "width", "height", "rocks", "star", "items", "said", "steps", "world"})


@dataclass(frozen=True)
class World:
    """The grid the robot lives on, fixed when the robot is made."""

    width: int
    height: int
    rocks: frozenset
    star: tuple | None
    items: tuple  #: ``((x, y), name)`` pairs, in the order given
    start: tuple  #: ``(x, y, direction)``

    def inside(self, square) -> bool:
        return _inside(self, square)

    def free(self, square) -> bool:
        return _inside(self, square) and tuple(square) not in self.rocks


def _inside(world: World, square) -> bool:
    x, y = square
    return 0 <= x < world.width and 0 <= y < world.height


@dataclass(frozen=True)
class Walk:
    """Where a robot is and what it did, recomputed from its commands."""

    x: int
    y: int
    direction: str
    moves: int = 0
    bumps: int = 0
    path: tuple = ()
    picked: tuple = ()
    said: str = ""
    steps: int = 0
    left: tuple = field(default=())  #: items still on the grid, as in :attr:`World.items`

    @property
    def position(self) -> tuple[int, int]:
        return (self.x, self.y)


def _start(world: World) -> Walk:
    x, y, direction = world.start
    return Walk(x=x, y=y, direction=direction, path=((x, y),), left=world.items)


def _step(world: World, walk: Walk, command: str) -> Walk:
    """The walk after one more command (a word of :data:`COMMANDS`)."""
    steps = walk.steps + 1
    if command in ("left", "right"):
        names = list(DIRECTIONS)
        turn = -1 if command == "left" else 1
        return replace(walk, direction=names[(names.index(walk.direction) + turn) % 4],
                       said="", steps=steps)
    if command == "pick":
        here = [item for item in walk.left if item[0] == walk.position]
        if not here:
            return replace(walk, said=_("There is nothing to pick here."), steps=steps)
        return replace(walk, picked=(*walk.picked, here[0][1]), steps=steps,
                       left=tuple(item for item in walk.left if item is not here[0]),
                       said=_("I picked up: {item}.", item=item_word(here[0][1])))
    dx, dy = DIRECTIONS[walk.direction]
    ahead = (walk.x + dx, walk.y + dy)
    if not _inside(world, ahead) or ahead in world.rocks:
        what = _("a rock") if _inside(world, ahead) else _("the edge of the grid")
        return replace(walk, bumps=walk.bumps + 1, steps=steps,
                       said=_("Ouch! There is {what} in front of me.", what=what))
    on_star = world.star is not None and ahead == tuple(world.star)
    return replace(walk, x=ahead[0], y=ahead[1], moves=walk.moves + 1, steps=steps,
                   path=(*walk.path, ahead), said=_("I found the star!") if on_star else "")


def replay(world: World, commands) -> Walk:
    """What a robot in ``world`` does with ``commands``, worked out from the start."""
    walk = _start(world)
    for command in commands:
        walk = _step(world, walk, command)
    return walk


def _use_commands() -> str:
    return _("Use '{forward}', '{left}', '{right}' or '{pick}'.",
             **{command: command_word(command) for command in COMMANDS})


def unknown_command(command) -> UnknownCommand:
    """A kind error for a word that is not a command, with the nearest command suggested
    (all in the class's words)."""
    if not isinstance(command, str):
        return UnknownCommand(
            _("The robot does not know the command {command}. A command is a word between "
              "quotes.", command=repr(command)), hint=_use_commands())
    close = nearest_command(command)
    hint = _("Did you mean '{word}'?", word=close) if close else _use_commands()
    return UnknownCommand(_("The robot does not know the command '{command}'.", command=command),
                          hint=hint)


def _not_a_program() -> NotAProgram:
    return NotAProgram(_("A program is a list of commands, like ['{forward}', '{left}'].",
                         forward=command_word("forward"), left=command_word("left")),
                       hint=_("Put square brackets around the words, with commas between them."))


def _commands_of(program) -> list[str]:
    """The English commands of ``program`` (a list of the class's or English words), or the
    kind error for the first word that is not a command, before the robot moves at all."""
    if isinstance(program, str) or not isinstance(program, (list, tuple)):
        raise _not_a_program()
    commands = []
    for word in program:
        command = command_of(word)
        if command is None:
            raise unknown_command(word)
        commands.append(command)
    return commands


class _Record:
    """What a robot owns: its world and the commands it did (out of the child's reach)."""

    __slots__ = ("commands", "walk", "world")

    def __init__(self, world: World):
        self.world = world
        self.commands: list[str] = []
        self.walk = _start(world)


# Keyed by the robot itself, so no attribute of the robot leads to its log.
_RECORDS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def record_of(robot: Robot) -> tuple[World, tuple[str, ...]]:
    """The world and the commands ``robot`` did, as the checks read them."""
    entry = _RECORDS[robot]
    return entry.world, tuple(entry.commands)


class Robot(HasTraits):
    """A robot on a ``width`` × ``height`` grid with rocks, items and a star.

    >>> robot = Robot(width=4, height=3, star=(3, 0))
    >>> robot.run(["forward", "forward", "forward"])
    >>> robot.position, robot.on_star()
    ((3, 0), True)

    ``items`` maps squares to what lies there (``{(1, 0): "date"}``) or lists squares
    (each holds a date). Everything the robot did is read-only: only its commands change it.

    Commands, directions and items are words of the class's language or English ones; what
    the robot gives back (:attr:`direction`, :attr:`picked`, :attr:`items`) is in the class's
    words, so ``robot.direction == "est"`` in a French class. Its log stays English.
    """

    #: Counts the commands done; widgets observe it to redraw. Read-only for the child.
    steps = Int(0, read_only=True)

    def __init__(self, width: int = 5, height: int = 5, x: int = 0, y: int = 0,
                 direction: str = "east", rocks=(), star=(4, 0), items=None):
        super().__init__()
        english = direction_of(direction)
        if english is None:
            words = ", ".join(dict.fromkeys([*map(direction_word, DIRECTIONS), *DIRECTIONS]))
            raise ValueError(f"direction must be one of {words}, not {direction!r}")
        direction = english
        if isinstance(items, dict):
            pairs = tuple((tuple(square), item_of(str(name))) for square, name in items.items())
        else:
            pairs = tuple((tuple(square), "date") for square in (items or ()))
        world = World(width=int(width), height=int(height),
                      rocks=frozenset(tuple(rock) for rock in rocks),
                      star=tuple(star) if star is not None else None, items=pairs,
                      start=(int(x), int(y), direction))
        for square, what in [((x, y), "the robot"), *([(star, "the star")] if star else []),
                             *((square, "an item") for square, _name in pairs)]:
            square = tuple(square)
            if not world.inside(square):
                raise ValueError(f"{what} is at {square}, outside the {width}×{height} grid")
            if square in world.rocks:
                raise ValueError(f"{what} is at {square}, on a rock")
        _RECORDS[self] = _Record(world)

    def __setattr__(self, name, value):
        if name in _READ_ONLY:
            raise ReadOnly(
                _("You cannot change robot.{name} by writing it. Only the robot's commands "
                  "change it.", name=name),
                hint=_("Use robot.forward(), robot.left(), robot.right() or robot.pick()."))
        super().__setattr__(name, value)

    def __delattr__(self, name):
        if name in _READ_ONLY:
            raise ReadOnly(_("You cannot change robot.{name} by writing it. Only the robot's "
                             "commands change it.", name=name))
        super().__delattr__(name)

    # --- what the robot knows (read-only) --------------------------------------------------
    @property
    def world(self) -> World:
        return _RECORDS[self].world

    @property
    def _walk(self) -> Walk:
        return _RECORDS[self].walk

    width = property(lambda self: self.world.width, doc="Number of squares across.")
    height = property(lambda self: self.world.height, doc="Number of squares down.")
    rocks = property(lambda self: sorted(self.world.rocks), doc="Squares the robot cannot enter.")
    star = property(lambda self: self.world.star, doc="The square the robot wants to reach.")
    x = property(lambda self: self._walk.x, doc="Squares from the left edge (0 is the first).")
    y = property(lambda self: self._walk.y, doc="Squares from the top edge (0 is the first).")
    direction = property(lambda self: direction_word(self._walk.direction),
                         doc="Where the robot looks: north, east, south or west, in the class's "
                             "words.")
    moves = property(lambda self: self._walk.moves, doc="How many squares the robot moved.")
    bumps = property(lambda self: self._walk.bumps,
                     doc="How many times it tried to move into a rock or off the grid.")
    path = property(lambda self: list(self._walk.path), doc="Every square it was on, in order.")
    picked = property(lambda self: [item_word(name) for name in self._walk.picked],
                      doc="What it picked up, in order, in the class's words.")
    said = property(lambda self: self._walk.said, doc="The robot's last message, in words.")

    @property
    def items(self) -> dict:
        """What still lies on the grid: ``{(x, y): name}``, in the class's words."""
        return {square: item_word(name) for square, name in self._walk.left}

    @property
    def position(self) -> tuple[int, int]:
        """The robot's square as ``(x, y)``."""
        return self._walk.position

    def inside(self, square) -> bool:
        """Is ``square`` on the grid?"""
        return self.world.inside(tuple(square))

    def ahead(self) -> tuple[int, int]:
        """The square just in front of the robot (it may be off the grid)."""
        dx, dy = DIRECTIONS[self._walk.direction]
        return (self.x + dx, self.y + dy)

    def can_move(self) -> bool:
        """True when the square in front is on the grid and has no rock."""
        return self.world.free(self.ahead())

    def on_star(self) -> bool:
        """True when the robot stands on the star."""
        return self.world.star is not None and self.position == tuple(self.world.star)

    def item_here(self) -> str | None:
        """The name of what lies on the robot's square (in the class's words), or None."""
        name = dict(self._walk.left).get(self.position)
        return None if name is None else item_word(name)

    # --- what the robot does -------------------------------------------------------------
    def _do(self, command: str) -> None:
        entry = _RECORDS[self]
        entry.commands.append(command)
        entry.walk = _step(entry.world, entry.walk, command)
        self.set_trait("steps", entry.walk.steps)

    def forward(self) -> None:
        """Move one square ahead. Into a rock or off the grid, the robot stays and says so."""
        self._do("forward")

    def left(self) -> None:
        """Turn a quarter turn to the left, staying on the same square."""
        self._do("left")

    def right(self) -> None:
        """Turn a quarter turn to the right, staying on the same square."""
        self._do("right")

    def pick(self) -> None:
        """Pick up what lies on the robot's square (nothing there: the robot says so)."""
        self._do("pick")

    def do(self, command: str) -> None:
        """Do one command word: ``"forward"``, ``"left"``, ``"right"`` or ``"pick"`` (or the
        class's word for it)."""
        english = command_of(command)
        if english is None:
            raise unknown_command(command)
        self._do(english)

    def run(self, program) -> None:
        """Do every command of ``program`` (a list of command words), in order.

        Every word is looked at before the robot moves, so a typo stops it at the start.
        """
        for command in _commands_of(program):
            self._do(command)

    def reset(self) -> None:
        """Put the robot back where it started and forget its moves."""
        entry = _RECORDS[self]
        entry.commands.clear()
        entry.walk = _start(entry.world)
        self.set_trait("steps", 0)

    def describe(self) -> str:
        """The world in words, for screen readers and for children who like text."""
        text = _("The robot is at x={x}, y={y}, looking {direction}.", x=self.x, y=self.y,
                 direction=self.direction)
        star = self.world.star
        if star is not None:
            text += " " + _("The star is at x={x}, y={y}.", x=star[0], y=star[1])
        if self.picked:
            text += " " + _("Picked: {items}.", items=", ".join(self.picked))
        if self.on_star():
            text += " " + _("The robot is on the star!")
        if self.said:
            text += " " + _("Robot says: {words}", words=self.said)
        return text

    def __repr__(self) -> str:
        return "<" + _("Robot at {position} looking {direction}", position=self.position,
                       direction=self.direction) + ">"


# The pictures are SVG drawn here, not emoji: a classroom machine may have no emoji font.
_CELL = 44
_MARGIN = 22
_ANGLES = {"north": 0, "east": 90, "south": 180, "west": 270}
_ROBOT = (
    "<g class='jazari-robot' transform='translate({x:.1f} {y:.1f}) rotate({angle} 17 17)'>"
    "<polygon points='17,1 23,8 11,8' fill='#d9480f'/>"
    "<rect x='6' y='9' width='22' height='20' rx='5' fill='#3b6ea5'/>"
    "<circle cx='12.5' cy='16' r='3' fill='#fff'/><circle cx='21.5' cy='16' r='3' fill='#fff'/>"
    "<rect x='11' y='22' width='12' height='3' rx='1.5' fill='#fff'/></g>"
)
_ROCK = ("<path class='jazari-rock' transform='translate({x:.1f} {y:.1f})' "
         "d='M4 28 L8 13 L17 7 L27 11 L31 27 Z' fill='#7a7a7a' stroke='#4d4d4d'/>")
_ITEM_LOOKS = {"date": ("#8B4513", "circle"), "mint": ("#009E73", "diamond")}


class RobotGrid(ipw.VBox):
    """The robot's world drawn as a grid, with buttons to drive it.

    ``RobotGrid(robot)`` shows ``robot``; the buttons call its methods. ``press(command)``
    does what a button does, so a test or a lesson can drive the widget without a browser.
    ``on_command(callback, remove=False)`` registers ``callback(command)``, called after
    each command. ``presses`` counts the buttons pressed since the last "Start again".
    """

    robot = Instance(Robot)
    show_path = Bool(True, help="Draw the way the robot went.")
    buttons = Bool(True, help="Show the buttons that drive the robot.")

    def __init__(self, robot: Robot | None = None, **kwargs):
        robot = robot if robot is not None else Robot()
        self._picture = ipw.HTML()
        self._words = ipw.Label()
        self._counter = ipw.Label()
        self.__presses = 0
        controls = []
        for command, label, icon in (("left", N_("Turn left"), "rotate-left"),
                                     ("forward", N_("Forward"), "arrow-up"),
                                     ("right", N_("Turn right"), "rotate-right"),
                                     ("pick", N_("Pick"), "hand-paper-o")):
            button = ipw.Button(description=_(label), icon=icon,
                                tooltip=_("{label}: the command '{word}'", label=_(label),
                                          word=command_word(command)))
            button.on_click(lambda _button, command=command: self.press(command))
            controls.append(button)
        reset = ipw.Button(description=_("Start again"), icon="undo",
                           tooltip=_("Put the robot back at the start"))
        reset.on_click(lambda _button: self.press("reset"))
        self._pick_button = controls[3]
        self._buttons = ipw.HBox([*controls, reset])
        self._callbacks = ipw.CallbackDispatcher()
        super().__init__(children=[self._picture, self._words, self._counter, self._buttons],
                         robot=robot, **kwargs)
        self._show_buttons()
        self._draw()

    @property
    def presses(self) -> int:
        """Buttons pressed since the last "Start again" (read-only)."""
        return self.__presses

    @observe("robot")
    def _watch_robot(self, change):
        if change["old"] is not None:
            change["old"].unobserve(self._on_robot_change, names="steps")
        change["new"].observe(self._on_robot_change, names="steps")
        if hasattr(self, "_buttons"):
            self._show_buttons()
        self._draw()

    @observe("buttons")
    def _show_buttons(self, _change=None):
        pick_shown = bool(self.robot.world.items)
        self._pick_button.layout.display = None if pick_shown else "none"
        self._buttons.layout.display = None if self.buttons else "none"
        self._counter.layout.display = None if self.buttons else "none"

    @observe("show_path")
    def _redraw(self, _change=None):
        self._draw()

    def _on_robot_change(self, _change):
        self._draw()

    def on_command(self, callback, remove: bool = False) -> None:
        """Call ``callback(command)`` after each command (or stop calling it)."""
        self._callbacks.register_callback(callback, remove=remove)

    def press(self, command: str) -> None:
        """Do what the button for ``command`` does: forward, left, right, pick (or the class's
        word for it) or reset. Callbacks hear the class's word (or ``"reset"``)."""
        if command == "reset":
            self.__presses = 0
            self.robot.reset()
            heard = command
        else:
            english = command_of(command)
            if english is None:
                raise unknown_command(command)
            self.robot.do(english)
            self.__presses += 1
            heard = command_word(english)
        self._draw()
        self._callbacks(heard)

    def play(self, program, delay: float = 0.4) -> None:
        """Run ``program`` one command at a time, drawing each step, ``delay`` seconds apart
        (not when nbgrader runs the notebook to grade or validate it: no one watches)."""
        import os
        import time

        if os.environ.get("NBGRADER_EXECUTION"):
            delay = 0
        for command in _commands_of(program):
            self.robot.do(command)
            self._callbacks(command_word(command))
            if delay:
                time.sleep(delay)

    @property
    def text(self) -> str:
        """What the widget says in words."""
        return self.robot.describe()

    def _draw(self) -> None:
        robot = self.robot
        if robot is None or not hasattr(self, "_picture"):
            return
        world, walk = robot.world, robot._walk
        width = _MARGIN + world.width * _CELL + 4
        height = _MARGIN + world.height * _CELL + 4
        visited = set(walk.path) if self.show_path else set()
        parts = []
        for column in range(world.width):
            parts.append(draw.text(_MARGIN + (column + 0.5) * _CELL, 15, column, size=13,
                                   weight="bold"))
        for row in range(world.height):
            parts.append(draw.text(_MARGIN - 7, _MARGIN + (row + 0.5) * _CELL + 5, row, size=13,
                                   anchor="end", weight="bold"))
        for row in range(world.height):
            for column in range(world.width):
                colour = "#fff3c4" if (column, row) in visited else "#ffffff"
                parts.append(f"<rect x='{_MARGIN + column * _CELL}' y='{_MARGIN + row * _CELL}' "
                             f"width='{_CELL}' height='{_CELL}' fill='{colour}' "
                             "stroke='#3b6ea5' stroke-width='2'/>")
        for column, row in sorted(world.rocks):
            parts.append(_ROCK.format(x=_MARGIN + column * _CELL + 4, y=_MARGIN + row * _CELL + 4))
        if world.star is not None:
            sx, sy = world.star
            parts.append("<g class='jazari-star'>" + draw.marker(
                "star", _MARGIN + (sx + 0.5) * _CELL, _MARGIN + (sy + 0.5) * _CELL, size=13,
                fill="#f5b800", stroke="#b07d00", title=_("the star")) + "</g>")
        for (ix, iy), name in walk.left:
            colour, shape = _ITEM_LOOKS.get(name, ("#CC79A7", "hexagon"))
            parts.append("<g class='jazari-item'>" + draw.marker(
                shape, _MARGIN + (ix + 0.5) * _CELL, _MARGIN + (iy + 0.72) * _CELL, size=6,
                fill=colour, title=item_word(name)) + "</g>")
        if self.show_path and len(walk.path) > 1:
            points = " ".join(f"{_MARGIN + (px + 0.5) * _CELL:.0f},{_MARGIN + (py + 0.5) * _CELL:.0f}"
                              for px, py in walk.path)
            parts.append(f"<polyline class='jazari-path' points='{points}' fill='none' "
                         "stroke='#D55E00' stroke-width='3' stroke-dasharray='6 4' "
                         "stroke-linecap='round'/>")
        parts.append(_ROBOT.format(x=_MARGIN + walk.x * _CELL + 5, y=_MARGIN + walk.y * _CELL + 5,
                                   angle=_ANGLES[walk.direction]))
        words = robot.describe()
        self._picture.value = draw.svg(width, height, parts, words)
        self._words.value = words
        self._counter.value = _("Presses: {count}", count=self.__presses)


# The checks replay walks with the functions above: nothing here may be replaced.
seal(__name__, lambda: _("The robot's rules cannot be changed. Only the robot's commands "
                         "move it."))
