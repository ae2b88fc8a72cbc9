"""Search a maze step by step: breadth-first, depth-first and A*.

:class:`Maze` is a grid with walls, a start and a goal; :class:`Search` is one search through
it, one step at a time (plain Python, no display), so a test can check that breadth-first
finds a shortest path. :class:`MazeSearch` is the widget: it draws the maze with the squares
already visited, the frontier (squares waiting to be looked at) and the path found, each with
its own colour *and* its own shape, and a line of words saying the same.

Squares are ``(x, y)`` as for the robot: ``x`` counts squares to the right, ``y`` counts
squares down, both from 0 at the top-left corner. A maze is written as text::

    S..#
    .#..
    ...G

``#`` is a wall, ``S`` the start, ``G`` the goal, any other character an open square.
"""

from __future__ import annotations

import heapq
from collections import deque
from dataclasses import dataclass, field

import ipywidgets as ipw
from traitlets import Bool, Int, TraitError, Unicode, observe, validate

from widgets import draw
from widgets.i18n import N_, _

__all__ = ["ALGORITHMS", "Maze", "MazeSearch", "Search", "manhattan"]

#: The searches a child may choose, by short name, with the name shown to the child.
ALGORITHMS = {"bfs": N_("breadth-first"), "dfs": N_("depth-first"), "astar": N_("A* (Manhattan)")}
_ALIASES = {"breadth-first": "bfs", "breadth first": "bfs", "depth-first": "dfs",
            "depth first": "dfs", "a*": "astar", "a-star": "astar", "a star": "astar"}
# Looking around a square: up, right, down, left (the order is part of what a child sees).
_STEPS = ((0, -1), (1, 0), (0, 1), (-1, 0))


def manhattan(a, b) -> int:
    """Squares to walk from ``a`` to ``b`` if there were no walls (across plus down)."""
    return abs(a[0] - b[0]) + abs(a[1] - b[1])


@dataclass(frozen=True)
class Maze:
    """A ``width`` × ``height`` grid with ``walls``, a ``start`` and a ``goal`` square."""

    width: int
    height: int
    walls: frozenset = field(default_factory=frozenset)
    start: tuple = (0, 0)
    goal: tuple = (0, 0)

    def __post_init__(self):
        object.__setattr__(self, "walls", frozenset(tuple(w) for w in self.walls))
        object.__setattr__(self, "start", tuple(self.start))
        object.__setattr__(self, "goal", tuple(self.goal))
        if self.width < 1 or self.height < 1:
            raise ValueError("a maze needs at least one square")
        for name in ("start", "goal"):
            square = getattr(self, name)
            if not self.inside(square):
                raise ValueError(f"the {name} {square} is outside the {self.width}×{self.height} maze")
            if square in self.walls:
                raise ValueError(f"the {name} {square} is on a wall")

    @classmethod
    def from_text(cls, picture: str) -> Maze:
        """The maze drawn in ``picture``: ``#`` walls, ``S`` start, ``G`` goal."""
        rows = [row.strip() for row in picture.strip().splitlines() if row.strip()]
        if not rows or len({len(row) for row in rows}) != 1:
            raise ValueError("every row of the maze must have the same length")
        found = {char: [(x, y) for y, row in enumerate(rows) for x, c in enumerate(row) if c == char]
                 for char in "SG"}
        for char in "SG":
            if len(found[char]) != 1:
                raise ValueError(f"the maze must have exactly one {char}")
        walls = [(x, y) for y, row in enumerate(rows) for x, c in enumerate(row) if c == "#"]
        return cls(len(rows[0]), len(rows), frozenset(walls), found["S"][0], found["G"][0])

    @classmethod
    def from_rows(cls, rows) -> Maze:
        """The maze drawn as a list of rows, each a string (``"S.#"``) or a list of
        one-character strings (``["S", ".", "#"]``), as a child writes it in Python."""
        if not isinstance(rows, (list, tuple)) or not all(
                isinstance(row, str) or (isinstance(row, (list, tuple))
                                         and all(isinstance(c, str) and len(c) == 1 for c in row))
                for row in rows):
            raise ValueError("a maze is a list of rows: each row a string, or a list of "
                             "one-character strings")
        return cls.from_text("\n".join("".join(row) for row in rows))

    def inside(self, square) -> bool:
        """Is ``square`` in the maze?"""
        return 0 <= square[0] < self.width and 0 <= square[1] < self.height

    def open(self, square) -> bool:
        """Is ``square`` in the maze and not a wall?"""
        return self.inside(square) and square not in self.walls

    def neighbours(self, square) -> list[tuple[int, int]]:
        """The open squares next to ``square`` (up, right, down, left)."""
        x, y = square
        return [(x + dx, y + dy) for dx, dy in _STEPS if self.open((x + dx, y + dy))]


def _algorithm_name(value) -> str:
    name = str(value).strip().lower()
    name = _ALIASES.get(name, name)
    if name not in ALGORITHMS:
        raise ValueError(_("There is no search called {name}: use one of {known}.",
                           name=repr(value), known=", ".join(ALGORITHMS)))
    return name


class Search:
    """One search through ``maze`` with ``algorithm`` (``bfs``, ``dfs`` or ``astar``).

    Each :meth:`step` takes one square out of the frontier and visits it: if it is the goal,
    the search is done and :attr:`path` holds the way from start to goal; otherwise its open
    neighbours not seen before join the frontier. Breadth-first takes the oldest square of
    the frontier, depth-first the newest, A* the one with the smallest steps-so-far plus
    Manhattan distance to the goal.
    """

    def __init__(self, maze: Maze, algorithm: str = "bfs"):
        self.maze = maze
        self.algorithm = _algorithm_name(algorithm)
        self._visited: list[tuple[int, int]] = []
        self._way: tuple = ()
        self._done = False
        self._closed: set = set()
        self._parent = {maze.start: None}
        self._cost = {maze.start: 0}
        self._order = 0
        if self.algorithm == "astar":
            self._heap = [(manhattan(maze.start, maze.goal), manhattan(maze.start, maze.goal), 0,
                           maze.start)]
        else:
            self._queue = deque([maze.start])

    @property
    def visited(self) -> tuple:
        """The squares visited so far, in order (a tuple: the search's own record, not to edit)."""
        return tuple(self._visited)

    @property
    def path(self) -> tuple:
        """The way found from start to goal, both included (empty until it is found)."""
        return self._way

    @property
    def done(self) -> bool:
        """Is the search over (goal found, or nowhere left to look)?"""
        return self._done

    @property
    def found(self) -> bool:
        """Has the search reached the goal?"""
        return bool(self._way)

    @property
    def frontier(self) -> list[tuple[int, int]]:
        """The squares waiting to be visited, next one first."""
        if self.algorithm == "astar":
            return list(dict.fromkeys(s for *_, s in sorted(self._heap) if s not in self._closed))
        if self.algorithm == "dfs":
            return list(reversed(self._queue))
        return list(self._queue)

    def _pop(self):
        if self.algorithm == "astar":
            while self._heap:
                *_, square = heapq.heappop(self._heap)
                if square not in self._closed:
                    return square
            return None
        if not self._queue:
            return None
        return self._queue.popleft() if self.algorithm == "bfs" else self._queue.pop()

    def _push(self, square, parent) -> None:
        cost = self._cost[parent] + 1
        if self.algorithm == "astar":
            if square in self._closed or cost >= self._cost.get(square, cost + 1):
                return
            self._order += 1
            h = manhattan(square, self.maze.goal)
            heapq.heappush(self._heap, (cost + h, h, self._order, square))
        elif square in self._parent:
            return
        else:
            self._queue.append(square)
        self._parent[square] = parent
        self._cost[square] = cost

    def step(self):
        """Visit one more square and return it (None when the search is over)."""
        if self._done:
            return None
        square = self._pop()
        if square is None:
            self._done = True
            return None
        self._closed.add(square)
        self._visited.append(square)
        if square == self.maze.goal:
            self._done = True
            way = []
            while square is not None:
                way.append(square)
                square = self._parent[square]
            self._way = tuple(way[::-1])
            return self.maze.goal
        for neighbour in self.maze.neighbours(square):
            self._push(neighbour, square)
        return square

    def run(self, limit: int = 100_000) -> tuple:
        """Step until the search is over; return the path found (empty if there is none)."""
        for _step in range(limit):
            if self.done:
                break
            self.step()
        return self.path


_CELL = 30
_EDGE = 22
_FILL = {"wall": "#3d3d3d", "open": "#ffffff", "visited": "#d7ecf9", "frontier": "#fbe3b4",
         "path": "#c4ecdd"}
# Each kind of square has a colour and a shape, so colour never carries the meaning alone.
_MARK = {"visited": ("circle", draw.PALETTE[4], 4.0), "frontier": ("diamond", draw.PALETTE[1], 6.0),
         "path": ("star", draw.PALETTE[2], 7.0)}
_KIND_NAMES = {"visited": N_("visited"), "frontier": N_("frontier (waiting)"), "path": N_("path found"),
               "wall": N_("wall")}


class MazeSearch(ipw.VBox):
    """A maze and a search through it, one step per press of "Step".

    ``MazeSearch(maze, algorithm="bfs")`` shows ``maze`` (a :class:`Maze`, its text, or its
    list of rows).
    :meth:`step`, :meth:`run` and :meth:`reset` do what the buttons do;
    ``on_step(callback, remove=False)`` calls ``callback(square)`` after each visited square.
    The counters (:attr:`visited_count`, :attr:`frontier_count`, :attr:`path_length`) are
    read-only: they always say what the search did.
    """

    algorithm = Unicode("bfs", help="The search: bfs (breadth-first), dfs (depth-first) or astar.")
    visited_count = Int(0, read_only=True, help="How many squares the search has visited.")
    frontier_count = Int(0, read_only=True, help="How many squares wait in the frontier.")
    path_length = Int(0, read_only=True, help="Steps on the path found (0 until it is found).")
    done = Bool(False, read_only=True, help="Is the search over?")
    found = Bool(False, read_only=True, help="Did the search reach the goal?")

    def __init__(self, maze: Maze | str, algorithm: str = "bfs", **kwargs):
        if isinstance(maze, str):
            maze = Maze.from_text(maze)
        elif isinstance(maze, (list, tuple)):
            maze = Maze.from_rows(maze)
        self.maze = maze
        self._search = None
        self._callbacks = ipw.CallbackDispatcher()
        self._picture = ipw.HTML()
        self._words = ipw.HTML()
        self._choice = ipw.Dropdown(options=[(_(label), name) for name, label in ALGORITHMS.items()],
                                    description=_("Search"), tooltip=_("Choose how to search"))
        self._buttons = {}
        for name, label, tip in (
                ("step", N_("Step"), N_("Visit one more square")),
                ("run", N_("Run to the end"), N_("Visit squares until the search is over")),
                ("reset", N_("Start again"), N_("Forget the search and start again"))):
            button = ipw.Button(description=_(label), tooltip=_(tip))
            button.on_click(lambda _button, name=name: getattr(self, name)())
            self._buttons[name] = button
        super().__init__(children=[self._choice, self._picture, self._words,
                                   ipw.HBox(list(self._buttons.values()))], **kwargs)
        self.algorithm = algorithm
        ipw.link((self, "algorithm"), (self._choice, "value"))
        self.reset()

    @validate("algorithm")
    def _valid_algorithm(self, proposal):
        try:
            return _algorithm_name(proposal["value"])
        except ValueError as error:
            raise TraitError(str(error)) from None

    @observe("algorithm")
    def _new_algorithm(self, _change):
        if self._search is not None:
            self.reset()

    def on_step(self, callback, remove: bool = False) -> None:
        """Call ``callback(square)`` after each square the search visits (or stop calling it)."""
        self._callbacks.register_callback(callback, remove=remove)

    @property
    def search(self) -> Search:
        """The search being shown (its squares visited, frontier and path)."""
        return self._search

    def step(self):
        """Visit one more square (what "Step" does); return it, or None when the search is over."""
        square = self._search.step()
        self._update()
        if square is not None:
            self._callbacks(square)
        return square

    def run(self) -> list:
        """Step until the search is over (what "Run to the end" does); return the path found."""
        while not self._search.done:
            self.step()
        return list(self._search.path)

    def reset(self) -> None:
        """Start the search again from the start square."""
        self._search = Search(self.maze, self.algorithm)
        self._update()

    @property
    def text(self) -> str:
        """What the widget shows, in words."""
        search = self._search
        words = _("{algorithm} search. Squares visited: {visited}. Waiting in the frontier: {frontier}.",
                  algorithm=_(ALGORITHMS[search.algorithm]), visited=len(search.visited),
                  frontier=len(search.frontier))
        if search.found:
            words += " " + _("The goal is found. Steps on the path: {steps}.",
                             steps=len(search.path) - 1)
        elif search.done:
            words += " " + _("The search is over: there is no way to the goal.")
        return words

    def _update(self) -> None:
        search = self._search
        frontier = search.frontier
        self.set_trait("visited_count", len(search.visited))
        self.set_trait("frontier_count", len(frontier))
        self.set_trait("path_length", max(len(search.path) - 1, 0))
        self.set_trait("done", search.done)
        self.set_trait("found", search.found)
        self._picture.value = self._draw(frontier)
        self._words.value = f"<div dir='auto'>{draw.escape(self.text)}</div>"
        self._buttons["step"].disabled = self._buttons["run"].disabled = search.done

    def _kinds(self, frontier) -> dict:
        kinds = dict.fromkeys(self.maze.walls, "wall")
        kinds.update(dict.fromkeys(self._search.visited, "visited"))
        kinds.update(dict.fromkeys(frontier, "frontier"))
        kinds.update(dict.fromkeys(self._search.path, "path"))
        return kinds

    def _draw(self, frontier) -> str:
        maze, kinds = self.maze, self._kinds(frontier)
        names = {kind: _(name) for kind, name in _KIND_NAMES.items()}

        def fill(row, col):
            return _FILL[kinds.get((col, row), "open")]

        def title(row, col):
            kind = kinds.get((col, row))
            where = _("square x={x}, y={y}", x=col, y=row)
            return f"{where}: {names[kind]}" if kind else where

        parts = draw.grid(maze.height, maze.width, _CELL, fill, x0=_EDGE, y0=_EDGE, title=title)
        for x in range(maze.width):
            parts.append(draw.text(_EDGE + (x + 0.5) * _CELL, _EDGE - 7, x, size=11))
        for y in range(maze.height):
            parts.append(draw.text(_EDGE - 5, _EDGE + (y + 0.62) * _CELL, y, size=11, anchor="end"))
        for (x, y), kind in kinds.items():
            if kind in _MARK:
                shape, colour, size = _MARK[kind]
                parts.append(draw.marker(shape, _EDGE + (x + 0.5) * _CELL, _EDGE + (y + 0.5) * _CELL,
                                         size=size, fill=colour))
        for square, letter in ((maze.start, "S"), (maze.goal, "G")):
            # In the corner, so the square's own shape (visited, path...) stays visible.
            parts.append(draw.text(_EDGE + square[0] * _CELL + 3, _EDGE + square[1] * _CELL + 12,
                                   letter, size=12, anchor="start", weight="bold"))
        top = _EDGE + maze.height * _CELL + 16
        x = _EDGE
        for kind in ("visited", "frontier", "path"):
            shape, colour, size = _MARK[kind]
            parts.append(draw.marker(shape, x + 6, top, size=size, fill=colour))
            parts.append(draw.text(x + 16, top + 4, names[kind], size=11, anchor="start"))
            x += 28 + 6.5 * len(names[kind])
        width = max(_EDGE + maze.width * _CELL + 4, int(x))
        # A short name: the line of words under the picture says what the search did.
        label = _("The maze, {width} squares across and {height} down, with the search drawn on it.",
                  width=maze.width, height=maze.height)
        return draw.svg(width, top + 14, parts, label=label)
