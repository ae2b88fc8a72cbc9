"""Jazari's teaching widgets (ipywidgets 8), imported by the unit notebooks."""

from widgets.cards import CommandCards
from widgets.chat import ChatBox
from widgets.fairness import FairnessExplorer
from widgets.fit import LineFitter, best_line
from widgets.kmeans import KMeansStepper
from widgets.maze import Maze, MazeSearch
from widgets.neighbours import NeighbourExplorer, k_nearest
from widgets.neuron import NeuronPlayground
from widgets.pixels import PixelPad
from widgets.quiz import Question, Quiz
from widgets.robot import COMMANDS, DIRECTIONS, Robot, RobotGrid
from widgets.sorter import TeachableSorter
from widgets.start import setup
from widgets.trees import DecisionTree, TreeBuilder

__all__ = ["COMMANDS", "CommandCards", "DIRECTIONS", "ChatBox", "FairnessExplorer", "KMeansStepper",
           "LineFitter", "Maze", "DecisionTree", "MazeSearch", "NeighbourExplorer", "NeuronPlayground",
           "PixelPad", "Question", "Quiz", "Robot", "RobotGrid", "TeachableSorter", "TreeBuilder",
           "best_line", "k_nearest", "setup"]
