"""Tests for widgets/maze.py: the maze, the three searches and the MazeSearch widget, headless."""

from __future__ import annotations

from collections import deque
from itertools import pairwise

import ipywidgets as ipw
import pytest
from traitlets import TraitError

from tests.widgets.fake_catalog import fake_catalog
from widgets.maze import ALGORITHMS, Maze, MazeSearch, Search

PICTURE = """
S..#....
.#.#.##.
.#...#G.
"""


def shortest(maze: Maze) -> int:
    """Steps on a shortest path, by a plain breadth-first count written apart from the widget."""
    seen, queue = {maze.start: 0}, deque([maze.start])
    while queue:
        square = queue.popleft()
        for step in ((0, 1), (1, 0), (0, -1), (-1, 0)):
            nxt = (square[0] + step[0], square[1] + step[1])
            if maze.open(nxt) and nxt not in seen:
                seen[nxt] = seen[square] + 1
                queue.append(nxt)
    return seen[maze.goal]


def is_a_walk(maze: Maze, path) -> bool:
    """Does ``path`` go from start to goal through open squares, one square at a time?"""
    steps_ok = all(abs(a[0] - b[0]) + abs(a[1] - b[1]) == 1 for a, b in pairwise(path))
    return path[0] == maze.start and path[-1] == maze.goal and steps_ok and all(map(maze.open, path))


def test_the_maze_is_read_from_its_picture():
    """Does a maze's text give its size, walls, start and goal, and refuse a broken picture?"""
    maze = Maze.from_text(PICTURE)
    assert (maze.width, maze.height, maze.start, maze.goal) == (8, 3, (0, 0), (6, 2))
    assert (3, 0) in maze.walls and not maze.open((3, 0)) and maze.open((2, 0))
    with pytest.raises(ValueError, match="exactly one G"):
        Maze.from_text("S..")
    with pytest.raises(ValueError, match="same length"):
        Maze.from_text("S..\n.G")
    with pytest.raises(ValueError, match="on a wall"):
        Maze(3, 3, walls={(2, 2)}, goal=(2, 2))


def test_a_maze_written_as_a_list_of_rows_is_the_same_maze():
    """Is a maze written in Python as a list of strings, or of lists of one-character
    strings, the same maze as its text, in Maze and in MazeSearch, and is a list of other
    things refused with a plain message?"""
    rows = [row for row in PICTURE.split() if row]
    expected = Maze.from_text(PICTURE)
    assert Maze.from_rows(rows) == expected
    assert Maze.from_rows([list(row) for row in rows]) == expected
    assert MazeSearch(rows).maze == expected
    assert MazeSearch(tuple(rows)).maze == expected
    with pytest.raises(ValueError, match="list of rows"):
        Maze.from_rows([["S", "."], [1, "G"]])
    with pytest.raises(ValueError, match="list of rows"):
        Maze.from_rows([["S", ".."], [".", "G"]])


@pytest.mark.parametrize("algorithm", list(ALGORITHMS))
def test_every_search_finds_a_real_path(algorithm):
    """Does each search reach the goal through open squares, and BFS and A* by a shortest way?"""
    maze = Maze.from_text(PICTURE)
    search = Search(maze, algorithm)
    path = search.run()
    assert search.done and search.found and is_a_walk(maze, path)
    if algorithm in ("bfs", "astar"):
        assert len(path) - 1 == shortest(maze) == 14


def test_bfs_finds_a_shortest_path_on_many_mazes():
    """Does breadth-first always find a shortest path, on mazes with scattered walls?"""
    for seed in range(12):
        walls = {((seed * 7 + i * 5) % 9, (seed + i * 3) % 7) for i in range(14)} - {(0, 0), (8, 6)}
        maze = Maze(9, 7, walls=walls, start=(0, 0), goal=(8, 6))
        search = Search(maze, "bfs")
        path = search.run()
        try:
            want = shortest(maze)
        except KeyError:
            assert not path and search.done
            continue
        assert is_a_walk(maze, path) and len(path) - 1 == want


def test_astar_visits_no_more_than_bfs_on_an_open_grid():
    """On a grid with no walls, does A* visit no more squares than breadth-first (and far fewer)?"""
    maze = Maze(10, 10, start=(0, 0), goal=(9, 9))
    bfs, astar = Search(maze, "bfs"), Search(maze, "astar")
    bfs.run()
    astar.run()
    assert len(astar.visited) <= len(bfs.visited)
    assert len(bfs.visited) == 100 and len(astar.visited) == 19
    assert len(astar.path) == len(bfs.path) == 19


def test_a_walled_in_goal_ends_the_search_without_a_path():
    """When no way leads to the goal, does the search stop, say so, and find nothing?"""
    widget = MazeSearch("S.#\n.##\n##G")
    assert widget.run() == []
    assert widget.done and not widget.found and widget.visited_count == 3
    assert "no way to the goal" in widget.text
    assert widget._buttons["step"].disabled


def test_breadth_first_frontier_is_oldest_first_and_depth_first_newest_first():
    """After the first step, does BFS look at the oldest square next and DFS at the newest?"""
    maze = Maze(3, 3, start=(1, 1), goal=(2, 2))
    bfs, dfs = Search(maze, "bfs"), Search(maze, "dfs")
    bfs.step()
    dfs.step()
    # Neighbours join in the order up, right, down, left.
    assert bfs.frontier == [(1, 0), (2, 1), (1, 2), (0, 1)]
    assert dfs.frontier == [(0, 1), (1, 2), (2, 1), (1, 0)]
    assert bfs.step() == (1, 0) and dfs.step() == (0, 1)


def test_widget_steps_counts_and_calls_back():
    """Do step() and the Step button visit squares, update the counters and call on_step?"""
    widget = MazeSearch(PICTURE)
    heard = []
    widget.on_step(heard.append)
    assert widget.step() == (0, 0)
    widget._buttons["step"].click()
    assert widget.visited_count == 2 and heard == [(0, 0), (1, 0)]
    assert widget.frontier_count == 2 and widget.search.frontier == [(0, 1), (2, 0)]
    widget.on_step(heard.append, remove=True)
    widget.run()
    assert widget.found and widget.path_length == 14 and len(heard) == 2
    assert "Steps on the path: 14" in widget.text
    widget._buttons["reset"].click()
    assert widget.visited_count == 0 and not widget.done and widget.frontier_count == 1


def test_algorithm_is_validated_and_changing_it_starts_again():
    """Is an unknown search refused, a known alias accepted, and a new choice a fresh start?"""
    widget = MazeSearch(PICTURE)
    widget.step()
    widget.algorithm = "A*"
    assert widget.algorithm == "astar" and widget._choice.value == "astar"
    assert widget.visited_count == 0
    widget._choice.value = "dfs"
    assert widget.algorithm == "dfs" and widget.search.algorithm == "dfs"
    with pytest.raises(TraitError, match="There is no search called .random.: use one of bfs, dfs, astar"):
        widget.algorithm = "random"


def test_counters_cannot_be_written():
    """Can a child's code write the counters a check reads, or the search's own record? (It must not.)"""
    widget = MazeSearch(PICTURE)
    widget.run()
    for name, value in (("visited_count", 1), ("frontier_count", 0), ("path_length", 2),
                        ("found", False), ("done", False)):
        with pytest.raises(TraitError, match="read-only"):
            setattr(widget, name, value)
    with pytest.raises(AttributeError):
        widget.search.visited.append((7, 0))
    with pytest.raises(AttributeError):
        widget.search.path = [(0, 0), (6, 2)]
    widget.reset()
    widget.run()
    assert widget.visited_count == 17 and widget.path_length == 14


def test_picture_marks_kinds_by_shape_and_words_not_colour_alone():
    """Are visited, frontier and path squares drawn with their own shape and named in words?"""
    widget = MazeSearch(PICTURE)
    for _ in range(3):
        widget.step()
    picture = widget._picture.value
    assert "<circle" in picture and "<polygon" in picture  # visited: circles; frontier: diamonds
    assert "square x=0, y=0: visited" in picture and "frontier (waiting)" in picture
    assert "aria-label" in picture and ">S</text>" in picture and ">G</text>" in picture
    assert "aria-label='The maze, 8 squares across and 3 down" in picture
    assert "Squares visited" not in picture, "the counts are said once, in the words under the picture"
    widget.run()
    assert "path found" in widget._picture.value


def test_state_round_trip_of_what_the_browser_shows():
    """Do the picture, words and choice survive a get_state()/set_state() round trip?"""
    widget = MazeSearch(PICTURE)
    widget.step()
    for part, fresh in ((widget._picture, ipw.HTML()), (widget._words, ipw.HTML()),
                        (widget._choice, ipw.Dropdown(options=widget._choice.options))):
        fresh.set_state(part.get_state())
        assert fresh.get_state() == part.get_state()
    assert "Squares visited: 1" in widget._words.value


def test_controls_are_named_and_texts_are_translated():
    """Has every control a name, and do its texts come through the translation function?"""
    with fake_catalog() as mark:
        widget = MazeSearch(PICTURE)
        assert widget._choice.description == mark + "Search"
        assert all(b.description.startswith(mark) and b.tooltip.startswith(mark)
                   for b in widget._buttons.values())
        # No icon: a Font Awesome glyph would become part of the button's name for a screen reader.
        assert not any(b.icon for b in widget._buttons.values())
        assert widget.text.startswith(mark) and (mark + "breadth-first") in widget.text
    assert MazeSearch(PICTURE)._choice.description == "Search"
