"""Jazari's teaching widgets (ipywidgets 8), imported by the unit notebooks."""

from widgets.neighbours import NeighbourExplorer, k_nearest
from widgets.robot import COMMANDS, DIRECTIONS, Robot, RobotGrid

__all__ = ["COMMANDS", "DIRECTIONS", "NeighbourExplorer", "Robot", "RobotGrid", "k_nearest"]
