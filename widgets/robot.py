"""A robot on a grid: the world of the Explorers' first programming unit.

:class:`Robot` is the model (plain traitlets, no display): a grid, a robot with a position
and a direction, rocks and a star. :class:`RobotGrid` is the widget that draws it and gives
buttons to drive it; every button is a real button, so the keyboard works (Tab, then Enter
or Space), and a text line always says in words what the picture shows.

Coordinates are ``(x, y)``: ``x`` counts squares to the right, ``y`` counts squares down,
both from 0 at the top-left corner.
"""

from __future__ import annotations

import html

import ipywidgets as ipw
from traitlets import (
    Bool,
    HasTraits,
    Instance,
    Int,
    List,
    TraitError,
    Tuple,
    Unicode,
    observe,
    validate,
)

__all__ = ["COMMANDS", "DIRECTIONS", "Robot", "RobotGrid"]

#: Directions in clockwise order, with the move each one makes.
DIRECTIONS = {"north": (0, -1), "east": (1, 0), "south": (0, 1), "west": (-1, 0)}
#: The words a robot program may use.
COMMANDS = ("forward", "left", "right")

# The pictures are inline SVG, not emoji: a classroom machine may have no emoji font.
_ANGLES = {"north": 0, "east": 90, "south": 180, "west": 270}
_ROBOT = (
    "<svg class='jazari-robot' width='34' height='34' viewBox='0 0 34 34' aria-hidden='true'>"
    "<g transform='rotate({angle} 17 17)'>"
    "<polygon points='17,1 23,8 11,8' fill='#d9480f'/>"
    "<rect x='6' y='9' width='22' height='20' rx='5' fill='#3b6ea5'/>"
    "<circle cx='12.5' cy='16' r='3' fill='#fff'/><circle cx='21.5' cy='16' r='3' fill='#fff'/>"
    "<rect x='11' y='22' width='12' height='3' rx='1.5' fill='#fff'/></g></svg>"
)
_STAR = (
    "<svg class='jazari-star' width='30' height='30' viewBox='0 0 24 24' aria-hidden='true'>"
    "<polygon points='12,1.5 15,8.5 22.5,9.2 16.8,14.2 18.5,21.8 12,17.8 5.5,21.8 7.2,14.2 "
    "1.5,9.2 9,8.5' fill='#f5b800' stroke='#b07d00'/></svg>"
)
_ROCK = (
    "<svg class='jazari-rock' width='30' height='30' viewBox='0 0 24 24' aria-hidden='true'>"
    "<path d='M3 19 L6 9 L12 5 L19 8 L22 18 Z' fill='#7a7a7a' stroke='#4d4d4d'/></svg>"
)


class Robot(HasTraits):
    """A robot on a ``width`` × ``height`` grid with rocks and a star.

    >>> robot = Robot(width=4, height=3, star=(3, 0))
    >>> robot.run(["forward", "forward", "forward"])
    >>> robot.position, robot.on_star()
    ((3, 0), True)
    """

    width = Int(5, help="Number of squares across.")
    height = Int(5, help="Number of squares down.")
    x = Int(0, help="Squares from the left edge (0 is the first column).")
    y = Int(0, help="Squares from the top edge (0 is the first row).")
    direction = Unicode("east", help="Where the robot looks: north, east, south or west.")
    rocks = List(Tuple(Int(), Int()), help="Squares the robot cannot enter.")
    star = Tuple(Int(), Int(), default_value=(4, 0), help="The square the robot wants to reach.")
    moves = Int(0, help="How many squares the robot has moved.")
    bumps = Int(0, help="How many times the robot tried to move into a rock or off the grid.")
    path = List(Tuple(Int(), Int()), help="Every square the robot has been on, in order.")
    said = Unicode("", help="The robot's last message, in plain words.")

    def __init__(self, **kwargs):
        kwargs["rocks"] = [tuple(rock) for rock in kwargs.get("rocks", [])]
        if "star" in kwargs:
            kwargs["star"] = tuple(kwargs["star"])
        super().__init__(**kwargs)
        self._start = (self.x, self.y, self.direction)
        self.path = [self.position]
        self._check_square(self.position, "the robot")
        self._check_square(self.star, "the star")

    def _check_square(self, square, what):
        if not self.inside(square):
            raise ValueError(f"{what} is at {square}, outside the {self.width}×{self.height} grid")
        if square in self.rocks:
            raise ValueError(f"{what} is at {square}, on a rock")

    @validate("direction")
    def _valid_direction(self, proposal):
        value = str(proposal["value"]).lower()
        if value not in DIRECTIONS:
            raise TraitError(f"direction must be one of {', '.join(DIRECTIONS)}, not {value!r}")
        return value

    # --- what the robot knows ------------------------------------------------------------
    @property
    def position(self) -> tuple[int, int]:
        """The robot's square as ``(x, y)``."""
        return (self.x, self.y)

    def inside(self, square) -> bool:
        """Is ``square`` on the grid?"""
        x, y = square
        return 0 <= x < self.width and 0 <= y < self.height

    def ahead(self) -> tuple[int, int]:
        """The square just in front of the robot (it may be off the grid)."""
        dx, dy = DIRECTIONS[self.direction]
        return (self.x + dx, self.y + dy)

    def can_move(self) -> bool:
        """True when the square in front is on the grid and has no rock."""
        square = self.ahead()
        return self.inside(square) and square not in self.rocks

    def on_star(self) -> bool:
        """True when the robot stands on the star."""
        return self.position == tuple(self.star)

    # --- what the robot does -------------------------------------------------------------
    def forward(self) -> None:
        """Move one square ahead. Into a rock or off the grid, the robot stays and says so."""
        if not self.can_move():
            self.bumps += 1
            what = "a rock" if self.inside(self.ahead()) else "the edge of the grid"
            self.said = f"Ouch! There is {what} in front of me."
            return
        self.x, self.y = self.ahead()
        self.moves += 1
        self.path = [*self.path, self.position]
        self.said = "I found the star!" if self.on_star() else ""

    def left(self) -> None:
        """Turn a quarter turn to the left, staying on the same square."""
        self._turn(-1)

    def right(self) -> None:
        """Turn a quarter turn to the right, staying on the same square."""
        self._turn(+1)

    def _turn(self, step: int) -> None:
        names = list(DIRECTIONS)
        self.direction = names[(names.index(self.direction) + step) % 4]
        self.said = ""

    def do(self, command: str) -> None:
        """Do one command word: ``"forward"``, ``"left"`` or ``"right"``."""
        if not isinstance(command, str) or command.strip().lower() not in COMMANDS:
            raise ValueError(f"I don't know the command {command!r}. "
                             "Use 'forward', 'left' or 'right'.")
        getattr(self, command.strip().lower())()

    def run(self, program) -> None:
        """Do every command of ``program`` (a list of command words), in order."""
        if isinstance(program, str) or not isinstance(program, (list, tuple)):
            raise TypeError("A program is a list of commands, like ['forward', 'left'].")
        for command in program:
            self.do(command)

    def reset(self) -> None:
        """Put the robot back where it started and forget its moves."""
        self.x, self.y, self.direction = self._start
        self.moves = 0
        self.bumps = 0
        self.path = [self.position]
        self.said = ""

    def describe(self) -> str:
        """The world in words, for screen readers and for children who like text."""
        text = (f"The robot is at x={self.x}, y={self.y}, looking {self.direction}. "
                f"The star is at x={self.star[0]}, y={self.star[1]}.")
        if self.on_star():
            text += " The robot is on the star!"
        if self.said:
            text += f" Robot says: {self.said}"
        return text


class RobotGrid(ipw.VBox):
    """The robot's world drawn as a grid, with buttons to drive it.

    ``RobotGrid(robot)`` shows ``robot``; the buttons call its methods. ``press(command)``
    does what a button does, so a test or a lesson can drive the widget without a browser.
    ``on_command(callback, remove=False)`` registers ``callback(command)``, called after
    each command.
    """

    robot = Instance(Robot)
    show_path = Bool(True, help="Colour the squares the robot has visited.")

    def __init__(self, robot: Robot | None = None, **kwargs):
        robot = robot if robot is not None else Robot()
        self._picture = ipw.HTML()
        self._words = ipw.Label()
        buttons = []
        for command, label, icon in (("left", "Turn left", "rotate-left"),
                                     ("forward", "Forward", "arrow-up"),
                                     ("right", "Turn right", "rotate-right")):
            button = ipw.Button(description=label, icon=icon, tooltip=f"{label} (robot.{command}())")
            button.on_click(lambda _button, command=command: self.press(command))
            buttons.append(button)
        reset = ipw.Button(description="Start again", icon="undo", tooltip="Put the robot back")
        reset.on_click(lambda _button: self.press("reset"))
        self._buttons = ipw.HBox([*buttons, reset])
        self._callbacks = ipw.CallbackDispatcher()
        super().__init__(children=[self._picture, self._words, self._buttons], robot=robot,
                         **kwargs)
        self._draw()

    @observe("robot")
    def _watch_robot(self, change):
        if change["old"] is not None:
            change["old"].unobserve(self._on_robot_change)
        change["new"].observe(self._on_robot_change)
        self._draw()

    @observe("show_path")
    def _redraw(self, _change=None):
        self._draw()

    def _on_robot_change(self, _change):
        self._draw()

    def on_command(self, callback, remove: bool = False) -> None:
        """Call ``callback(command)`` after each command (or stop calling it)."""
        self._callbacks.register_callback(callback, remove=remove)

    def press(self, command: str) -> None:
        """Do what the button for ``command`` does: forward, left, right or reset."""
        if command == "reset":
            self.robot.reset()
        else:
            self.robot.do(command)
        self._callbacks(command)

    def play(self, program, delay: float = 0.4) -> None:
        """Run ``program`` one command at a time, drawing each step."""
        import time

        for command in program:
            self.press(command)
            if delay:
                time.sleep(delay)

    @property
    def text(self) -> str:
        """What the widget says in words."""
        return self.robot.describe()

    def _draw(self) -> None:
        robot = self.robot
        if robot is None:
            return
        visited = set(robot.path) if self.show_path else set()
        rows = []
        for y in range(robot.height):
            cells = []
            for x in range(robot.width):
                square = (x, y)
                if square == robot.position:
                    mark = _ROBOT.format(angle=_ANGLES[robot.direction])
                elif square == tuple(robot.star):
                    mark = _STAR
                elif square in robot.rocks:
                    mark = _ROCK
                else:
                    mark = ""
                colour = "#fff3c4" if square in visited else "#ffffff"
                cells.append(
                    f"<td style='width:2.6em;height:2.6em;border:2px solid #3b6ea5;"
                    f"text-align:center;font-size:1.6em;background:{colour}'>{mark}</td>"
                )
            rows.append("<tr>" + "".join(cells) + "</tr>")
        words = html.escape(robot.describe())
        self._picture.value = (
            f"<table role='img' aria-label='{words}' style='border-collapse:collapse'>"
            + "".join(rows) + "</table>"
        )
        self._words.value = robot.describe()
