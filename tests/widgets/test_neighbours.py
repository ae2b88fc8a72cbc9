"""Tests for widgets/neighbours.py: the k-nearest-neighbour explorer, without a browser."""

from __future__ import annotations

import ipywidgets as ipw
import numpy as np
import pytest

from widgets import NeighbourExplorer, k_nearest

X = np.array([[1.0, 1.0], [1.2, 0.8], [0.9, 1.1], [5.0, 5.0], [5.2, 4.8]])
y = ["mint", "mint", "mint", "argan", "argan"]


def test_k_nearest_orders_by_distance_and_is_stable():
    """Are neighbours returned nearest first, ties in row order?"""
    assert list(k_nearest(X, (5.1, 4.9), 2)) == [3, 4]
    assert list(k_nearest([[0, 1], [1, 0], [0, -1]], (0, 0), 3)) == [0, 1, 2]


def test_moving_the_point_changes_the_prediction_and_the_words():
    """Does the vote follow the new point, and do the words say it?"""
    explorer = NeighbourExplorer(X, y, feature_names=("sweet", "size"), k=3)
    explorer.point_x, explorer.point_y = 1.0, 1.0
    assert explorer.prediction == "mint" and sorted(explorer.neighbours) == [0, 1, 2]
    assert "Prediction: mint" in explorer.text
    explorer.point_x, explorer.point_y = 5.0, 5.0
    assert explorer.prediction == "argan"
    assert explorer._picture.value.startswith("<svg") and "aria-label" in explorer._picture.value


def test_k_is_kept_in_range_and_linked_to_its_slider():
    """Is k kept between 1 and the number of examples, and does its slider follow it?"""
    explorer = NeighbourExplorer(X, y)
    explorer.k = 99
    assert explorer.k == len(X)
    explorer._sliders["k"].value = 2
    assert explorer.k == 2


def test_a_tie_goes_to_the_nearest_of_the_tied_labels():
    """With k=2 and one vote each, does the nearest neighbour's label win?"""
    explorer = NeighbourExplorer([[0, 0], [3, 0]], ["camel", "donkey"], k=2)
    explorer.point_x, explorer.point_y = 1.0, 0.0
    assert explorer.prediction == "camel"
    explorer.point_x = 2.0
    assert explorer.prediction == "donkey"


def test_controls_are_keyboard_sliders_with_labels():
    """Are all controls sliders (arrow keys work) with a visible description?"""
    explorer = NeighbourExplorer(X, y, feature_names=("sweet", "size"))
    sliders = [c for c in explorer.children if isinstance(c, (ipw.FloatSlider, ipw.IntSlider))]
    assert [s.description for s in sliders] == ["sweet", "size", "k (neighbours)"]


def test_bad_data_is_refused():
    """Are data with the wrong shape refused with a clear message?"""
    with pytest.raises(ValueError, match="exactly two features"):
        NeighbourExplorer(np.ones((3, 3)), ["a", "b", "c"])
    with pytest.raises(ValueError, match="same number"):
        NeighbourExplorer(X, ["a"])
