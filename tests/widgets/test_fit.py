"""Tests for widgets/fit.py: the line fitter, without a browser."""

from __future__ import annotations

import ipywidgets as ipw
import numpy as np
import pytest
from traitlets import TraitError

from widgets import LineFitter
from widgets.fit import best_line

# Three points on y = 2x + 1, and one more that is 3 above it.
x = [0.0, 1.0, 2.0, 3.0]
y = [1.0, 3.0, 5.0, 10.0]


def test_loss_is_the_mean_of_squared_residuals():
    """Is the loss of y = 2x + 1 on these points (0² + 0² + 0² + 3²) / 4, and does it follow the line?"""
    fitter = LineFitter(x, y, slope=2.0, intercept=1.0)
    assert fitter.loss == pytest.approx(9 / 4)
    fitter.set_line(slope=0.0, intercept=0.0)
    assert fitter.loss == pytest.approx((1 + 9 + 25 + 100) / 4)
    assert "The loss (mean of the squared misses) is 33.75" in fitter.text
    assert fitter.predict(10) == 0.0


def test_gradient_steps_lower_the_loss_towards_the_best_line():
    """Does each gradient step lower the loss, and do many steps reach the least-squares line?"""
    rng = np.random.default_rng(2)
    xs = rng.uniform(0, 10, 30)
    ys = 0.5 * xs + 4 + rng.normal(0, 1, 30)
    fitter = LineFitter(xs, ys, slope=-1.0, intercept=0.0)
    losses = [fitter.loss]
    seen = []
    fitter.on_step(seen.append)
    for _ in range(3000):
        losses.append(fitter.gradient_step())
    # Never up (beyond rounding in the last digit, once the line sits on the best one).
    assert all(after <= before + 1e-12 for before, after in zip(losses, losses[1:], strict=False))
    assert losses[-1] < losses[0] / 10
    assert fitter.steps == 3000 and seen == losses[1:]
    assert (fitter.slope, fitter.intercept) == pytest.approx(fitter.best, abs=1e-3)
    assert fitter.loss == pytest.approx(fitter.best_loss, rel=1e-6)


def test_one_gradient_step_follows_the_formula():
    """Does one step move slope and intercept by rate × the loss's two partial derivatives?"""
    fitter = LineFitter(x, y, slope=0.0, intercept=0.0)
    residuals = np.array(y)
    fitter.gradient_step(learning_rate=0.01)
    assert fitter.slope == pytest.approx(0.01 * 2 * np.mean(residuals * np.array(x)))
    assert fitter.intercept == pytest.approx(0.01 * 2 * np.mean(residuals))


def test_best_line_is_least_squares():
    """Does best_line agree with numpy's polyfit, and does the reveal say it in words?"""
    assert best_line(x, y) == pytest.approx(tuple(np.polyfit(x, y, 1)))
    fitter = LineFitter(x, y)
    assert "best line" not in fitter.text
    fitter._best_box.value = True
    assert fitter.show_best and "The best line (dotted green) is y = 2.9 × x + 0.4" in fitter.text
    assert fitter._picture.value.count("stroke-dasharray='2 3'") == 1


def test_measures_cannot_be_written():
    """Can code write the loss, the best line or the step count?"""
    fitter = LineFitter(x, y)
    for name, value in (("loss", 0.0), ("best", (2.0, 1.0)), ("best_loss", 0.0)):
        with pytest.raises(AttributeError):
            setattr(fitter, name, value)
    with pytest.raises(TraitError):
        fitter.steps = 0
    with pytest.raises(ValueError):
        fitter._y[3] = 7.0


def test_state_round_trips_through_get_state():
    """Does a second fitter given the first one's state show the same line, loss and words?"""
    fitter = LineFitter(x, y, slope=1.5, intercept=-0.5, show_best=True)
    state = fitter.get_state()
    copy = LineFitter(x, y)
    copy.set_state({name: state[name] for name in ("slope", "intercept", "show_best")})
    assert (copy.slope, copy.intercept, copy.show_best) == (1.5, -0.5, True)
    assert copy.loss == fitter.loss and copy.text == fitter.text
    assert "loss" not in state and "steps" not in state


def test_residuals_are_drawn_and_sliders_follow_the_line():
    """Is there one dashed residual per point, and do the sliders and change events follow?"""
    fitter = LineFitter(x, y)
    assert fitter._picture.value.count("stroke-dasharray='4 3'") == len(x)
    moved = []
    fitter.on_change(moved.append)
    fitter._sliders["slope"].value = 2.0
    assert fitter.slope == 2.0 and moved == [fitter]
    fitter.slope = 1e9
    assert fitter.slope == fitter._sliders["slope"].max


def test_controls_are_labelled():
    """Are the sliders, the button and the reveal box labelled for a screen reader?"""
    fitter = LineFitter(x, y)
    sliders = [c for c in fitter.children if isinstance(c, ipw.FloatSlider)]
    assert [s.description for s in sliders] == ["slope", "intercept"]
    assert fitter._step_button.description == "Gradient step"
    assert fitter._best_box.description == "Show the best line"
    assert "aria-label='The line: y = 0 × x + 4.8" in fitter._picture.value


def test_bad_data_is_refused():
    """Are lists of different lengths, one point or a bad learning rate refused clearly?"""
    with pytest.raises(ValueError, match="same length"):
        LineFitter([1, 2], [1])
    with pytest.raises(ValueError, match="different x"):
        LineFitter([1, 1], [1, 2])
    with pytest.raises(TraitError, match="above 0"):
        LineFitter(x, y, learning_rate=-1)
