"""Tests for widgets/sorter.py: the teachable nearest-neighbour sorter, without a browser."""

from __future__ import annotations

import ipywidgets as ipw
import numpy as np
import pytest
from sklearn.datasets import load_iris

from widgets import NeighbourExplorer, TeachableSorter
from widgets.draw import PALETTE, SHAPES
from widgets.sorter import vote


def fruit_sorter(**kwargs):
    sorter = TeachableSorter(labels=["date", "fig"], x_range=(0, 10), y_range=(0, 10),
                             feature_names=("size", "sweetness"), **kwargs)
    for x, y in ((1, 1), (2, 1), (1, 2)):
        sorter.add(x, y, "date")
    for x, y in ((8, 8), (9, 8), (8, 9)):
        sorter.add(x, y, "fig")
    return sorter


def test_added_examples_drive_the_prediction_and_the_words():
    """Does the sorter predict from the child's own examples, and say the vote in words?"""
    sorter = fruit_sorter()
    heard = []
    sorter.on_change(heard.append)
    sorter.point_x, sorter.point_y = 2.0, 2.0
    assert sorter.prediction == "date" and sorter.predict(9, 9) == "fig"
    assert "Prediction: date" in sorter.text and "1 × date" in sorter.text
    sorter.k = 3
    assert sorter.neighbours == [1, 2, 0] and "3 × date" in sorter.text
    sorter.add_here("fig")  # a fig where the dates are: the point now votes differently
    sorter.k = 1
    assert sorter.prediction == "fig" and heard == [sorter]
    sorter.remove_last()
    assert sorter.prediction == "date" and len(sorter.y) == 6


def test_buttons_add_examples_and_tests_and_mistakes_are_counted():
    """Do the "Add as" and "Test as" buttons work, and are the model's mistakes on the test
    points counted and shown?"""
    sorter = fruit_sorter()
    buttons = {b.description: b for row in sorter.children[5:] for b in row.children}
    assert {"Add as date", "Add as fig", "Test as date", "Test as fig",
            "Remove last example"} <= set(buttons)
    sorter.point_x, sorter.point_y = 5.0, 2.0
    buttons["Add as date"].click()
    assert sorter.y[-1] == "date" and tuple(sorter.X[-1]) == (5.0, 2.0)
    sorter.add_test(2, 2, "date")  # right
    sorter.add_test(8.5, 8.5, "date")  # the model says fig: a mistake
    sorter.point_x, sorter.point_y = 9.0, 9.0
    buttons["Test as fig"].click()  # right
    assert sorter.mistakes == 1 and len(sorter.tests) == 3
    assert "Test points: 1 mistakes out of 3." in sorter.text
    assert ">X</text>" in sorter._picture.value
    with pytest.raises(ValueError, match="The label must be one of: date, fig"):
        sorter.add(1, 1, "apple")


def test_the_vote_breaks_ties_with_the_nearest_example():
    """With one vote each, does the label of the nearest example win, as in the lessons?"""
    codes = np.array([0, 1])
    assert list(vote(codes, np.array([[0, 1], [1, 0]]), 2, 2)) == [0, 1]
    sorter = TeachableSorter(labels=["camel", "donkey"], x_range=(0, 4), y_range=(0, 1), k=2)
    sorter.add(0, 0, "camel")
    sorter.add(3, 0, "donkey")
    assert sorter.predict(1, 0) == "camel" and sorter.predict(2, 0) == "donkey"


def test_regions_colour_and_shape_every_cell():
    """Are the regions drawn over the whole picture, each label's part filled with its colour
    and its shape (so colour is never the only sign), and redrawn when the examples change?"""
    sorter = fruit_sorter(resolution=10)
    picture = sorter._picture.value
    assert picture.startswith("<svg") and "aria-label='New point at" in picture
    for number in (0, 1):
        pattern = picture.split(f"<pattern id='jazari-region-{number}'")[1].split("</pattern>")[0]
        assert f"fill='{PALETTE[number]}' fill-opacity='0.18'" in pattern
        assert ("<circle" if SHAPES[number] == "circle" else "<polygon") in pattern
    runs = picture.count("fill='url(#jazari-region-")
    rows = 8  # 10 columns over a 328 × 248 plot
    assert rows <= runs <= 2 * rows and "url(#jazari-region-0)" in picture
    assert "url(#jazari-region-1)" in picture
    sorter.point_x = 3.0  # moving the point keeps the regions
    assert sorter._picture.value.count("fill='url(#jazari-region-") == runs
    regions = sorter._picture.value.split("jazari-regions")[1].split("</g>")[0]
    assert sorter.predict(1, 6) == "date"
    for x in range(10):
        sorter.add(x, 5, "fig")
    assert sorter.predict(1, 6) == "fig"
    assert sorter._picture.value.split("jazari-regions")[1].split("</g>")[0] != regions
    sorter.regions = False
    assert "jazari-region" not in sorter._picture.value


def test_prediction_and_neighbours_cannot_be_written():
    """Are the prediction and the neighbours read-only for the child's code?"""
    sorter = fruit_sorter()
    with pytest.raises(Exception, match="read-only"):
        sorter.prediction = "fig"
    with pytest.raises(Exception, match="read-only"):
        sorter.neighbours = []
    sorter.X[0] = [9, 9]  # a copy: the examples do not change
    assert sorter.X[0].tolist() == [1.0, 1.0]


def test_state_round_trip_of_the_picture_and_sliders():
    """Do the picture and the sliders survive a get_state()/set_state() round trip?"""
    sorter = fruit_sorter()
    copy = ipw.HTML()
    copy.set_state(sorter._picture.get_state())
    assert copy.value == sorter._picture.value
    slider = sorter._sliders["point_x"]
    twin = ipw.FloatSlider(min=slider.min, max=slider.max)
    twin.set_state({"value": 7.5})
    slider.set_state(twin.get_state(["value"]))
    assert sorter.point_x == 7.5


def test_the_iris_explorer_starts_on_an_unambiguous_spot_with_shapes():
    """Does the iris explorer, as configured in m06, start where no flower sits and all the
    nearest flowers are of one species, with each species drawn in its own shape?"""
    iris = load_iris()
    explorer = NeighbourExplorer(iris.data[:, 2:4], iris.target_names[iris.target],
                                 feature_names=("petal length (cm)", "petal width (cm)"),
                                 point_x=4.2, point_y=1.1)
    distances = np.sqrt(((explorer.X - [4.2, 1.1]) ** 2).sum(axis=1))
    nearest = np.argsort(distances, kind="stable")[:15]
    assert distances.min() > 0.05 and {explorer.y[i] for i in nearest} == {"versicolor"}
    assert explorer.prediction == "versicolor" and explorer.k == 3
    picture = explorer._picture.value
    assert picture.count("<circle") >= 50 and picture.count("<polygon") >= 50  # and squares
    assert not any(isinstance(c, ipw.Button) for c in explorer.children)


def test_the_lessons_feature_and_label_names_are_in_the_catalogs():
    """Are the feature and label names the Explorers' lesson gives the sorter in English
    (size, colour, lemon, orange) translated by the French and Arabic catalogs, so its
    sliders, buttons and picture speak the class's language?"""
    from widgets import i18n

    try:
        for lang in ("fr", "ar"):
            i18n.set_language(lang)
            sorter = TeachableSorter(labels=["lemon", "orange"], X=[[3, 2], [8, 9]],
                                     y=["lemon", "orange"], feature_names=("size", "colour"))
            names = [sorter._sliders["point_x"].description, sorter._sliders["point_y"].description]
            assert names != ["size", "colour"] and all(names), (lang, names)
            assert "lemon" not in sorter._picture.value, lang
    finally:
        i18n.set_language("en")
