"""Tests for widgets/neuron.py: the one-neuron playground, without a browser."""

from __future__ import annotations

import ipywidgets as ipw
import numpy as np
import pytest
from traitlets import TraitError

from widgets import NeuronPlayground

# Four points a vertical line x1 = 2 separates: "no" on the left, "yes" on the right.
X = [[0.0, 0.0], [1.0, 3.0], [3.0, 0.0], [4.0, 3.0]]
y = ["no", "no", "yes", "yes"]


def separable(seed: int = 3, n: int = 20):
    rng = np.random.default_rng(seed)
    low, high = rng.uniform(0, 4, (n, 2)), rng.uniform(6, 10, (n, 2))
    return np.vstack([low, high]), ["small"] * n + ["big"] * n


def test_accuracy_and_mistakes_follow_the_line_and_prediction_uses_the_same_rule():
    """With the line x1 = 2 is every point right, and with the line turned round every one wrong?"""
    neuron = NeuronPlayground(X, y, w1=1.0, w2=0.0, b=-2.0)
    assert (neuron.accuracy, neuron.mistakes) == (1.0, 0)
    assert neuron.predict(5, 0) == "yes" and neuron.predict(-1, 9) == "no"
    assert "4 of 4 points are on their own side: 100 % right" in neuron.text
    neuron.set_weights(w1=-1.0, b=2.0)
    assert (neuron.accuracy, neuron.mistakes) == (0.0, 4)
    assert "Mistakes: 4." in neuron.text
    neuron.w1, neuron.b = 0.0, 1.0  # every point scores 1 > 0: "yes"
    assert neuron.mistakes == 2 and neuron.predict(-100, -100) == "yes"


def test_learning_steps_reach_every_point_right_on_a_separable_set():
    """Does "learn one step" reach 100 % on two separable clouds, then stop changing the line?"""
    X2, y2 = separable()
    neuron = NeuronPlayground(X2, y2, classes=("small", "big"), w1=1.0, w2=-1.0)
    assert neuron.accuracy < 1.0
    learnt = []
    neuron.on_learn(learnt.append)
    for _ in range(500):
        if neuron.learn_step() is None:
            break
    assert neuron.accuracy == 1.0 and neuron.steps == len(learnt) > 0
    weights = (neuron.w1, neuron.w2, neuron.b)
    assert neuron.learn_step() is None and (neuron.w1, neuron.w2, neuron.b) == weights
    assert "Every point is on its own side!" in neuron.text


def test_a_learning_step_applies_the_perceptron_rule_to_a_wrong_point():
    """Does one step add (or take away) learning_rate × the point to the weights and the bias?"""
    neuron = NeuronPlayground(X, y, w1=-1.0, w2=0.0, b=2.0, learning_rate=0.5)
    index = neuron.learn_step()
    x1, x2 = X[index]
    push = 0.5 if y[index] == "yes" else -0.5
    assert (neuron.w1, neuron.w2, neuron.b) == pytest.approx((-1 + push * x1, push * x2, 2 + push))


def test_the_learning_order_is_seeded():
    """Do two playgrounds with the same seed learn from the same points, in the same order?"""
    X2, y2 = separable(seed=5)
    runs = []
    for _ in range(2):
        neuron = NeuronPlayground(X2, y2, w1=1.0, w2=-1.0, seed=7)
        runs.append([neuron.learn_step() for _ in range(6)])
    assert runs[0] == runs[1]
    other = NeuronPlayground(X2, y2, w1=1.0, w2=-1.0, seed=8)
    assert [other.learn_step() for _ in range(6)] != runs[0]


def test_change_events_fire_from_code_and_can_be_removed():
    """Does on_change fire once per set_weights call, and stop after remove=True?"""
    neuron = NeuronPlayground(X, y)
    seen = []
    neuron.on_change(lambda widget: seen.append((widget.w1, widget.b)))
    neuron.set_weights(w1=2.0, b=-1.0)
    assert seen == [(2.0, -1.0)]
    neuron.on_change(seen.append, remove=True)  # a callback never added: nothing happens
    callback = seen.append
    neuron.on_change(callback)
    neuron.on_change(callback, remove=True)
    neuron.b = 0.5
    assert len(seen) == 2


def test_measures_cannot_be_written_and_points_cannot_be_moved():
    """Can code write accuracy, mistakes or steps, or move a point to fake a better score?"""
    neuron = NeuronPlayground(X, y, w1=-1.0, w2=0.0, b=2.0)
    with pytest.raises(AttributeError):
        neuron.accuracy = 1.0
    with pytest.raises(AttributeError):
        neuron.mistakes = 0
    with pytest.raises(TraitError):
        neuron.steps = 99
    with pytest.raises(ValueError):
        neuron._X[0, 0] = 50.0
    assert neuron.mistakes == 4


def test_state_round_trips_through_get_state():
    """Does a second playground given the first one's state show the same line and words?"""
    neuron = NeuronPlayground(X, y, w1=0.7, w2=-0.3, b=1.1)
    state = neuron.get_state()
    copy = NeuronPlayground(X, y)
    copy.set_state({name: state[name] for name in ("w1", "w2", "b")})
    assert (copy.w1, copy.w2, copy.b) == (0.7, -0.3, 1.1)
    assert copy.text == neuron.text and copy._picture.value == neuron._picture.value
    assert "accuracy" not in state and "steps" not in state  # a browser cannot set them


def test_sliders_follow_the_weights_and_stay_in_range():
    """Are weights kept within the sliders' range, and does moving a slider move the line?"""
    neuron = NeuronPlayground(X, y, weight_limit=5.0)
    neuron.w1 = 50.0
    assert neuron.w1 == 5.0 and neuron._sliders["w1"].value == 5.0
    neuron._sliders["w2"].value = -2.5
    assert neuron.w2 == -2.5
    assert "− 2.5 × x2" in neuron.text


def test_controls_are_labelled_and_classes_have_a_shape_and_a_colour():
    """Are the three sliders and the button labelled, and does each class get its own shape?"""
    neuron = NeuronPlayground(X, y, feature_names=("ears", "tail"))
    sliders = [c for c in neuron.children if isinstance(c, ipw.FloatSlider)]
    assert [s.description for s in sliders] == ["weight of ears", "weight of tail", "bias"]
    buttons = [c for c in neuron.children if isinstance(c, ipw.Button)]
    assert [b.description for b in buttons] == ["Learn one step"]
    picture = neuron._picture.value
    assert "<circle" in picture and "<polygon" in picture  # circle for "no", triangle for "yes"
    assert "aria-label='The line:" in picture


def test_bad_data_is_refused():
    """Are points with the wrong shape or a third class refused with a clear message?"""
    with pytest.raises(ValueError, match="exactly two features"):
        NeuronPlayground(np.ones((3, 3)), ["a", "b", "a"])
    with pytest.raises(ValueError, match="same number"):
        NeuronPlayground(X, ["a"])
    with pytest.raises(ValueError, match="exactly two classes"):
        NeuronPlayground(X, ["a", "b", "c", "a"])
