"""Jazari's teaching widgets (ipywidgets 8), imported by the unit notebooks."""

from widgets.maze import Maze, MazeSearch
from widgets.neighbours import NeighbourExplorer, k_nearest
from widgets.neuron import NeuronPlayground
from widgets.robot import COMMANDS, DIRECTIONS, Robot, RobotGrid

__all__ = ["COMMANDS", "DIRECTIONS", "Maze", "MazeSearch", "NeighbourExplorer", "NeuronPlayground",
           "Robot", "RobotGrid", "k_nearest"]
