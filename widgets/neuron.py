"""Play with one artificial neuron: two weights and a bias draw a line between two classes.

:class:`NeuronPlayground` is a threshold unit with two inputs. It says "yes" (the second
class) when ``w1*x1 + w2*x2 + b > 0`` and "no" (the first class) otherwise, so the line
``w1*x1 + w2*x2 + b = 0`` splits the plane in two. Sliders move the line (Tab to one, then
the arrow keys); the "Learn one step" button applies the perceptron rule to one point on the
wrong side, taken in a seeded order, so the same data always learn the same way.

Every class has a colour *and* a shape, points on the wrong side wear a dashed ring, and the
accuracy is said in words. Accuracy and mistakes are recomputed from the points each time
they are read: code cannot write them.
"""

from __future__ import annotations

import math

import ipywidgets as ipw
import numpy as np
from traitlets import Float, Int, observe, validate

from widgets import draw
from widgets.i18n import _, language

__all__ = ["NeuronPlayground"]


def _fmt(value: float) -> str:
    """A number as a child reads it: at most two decimals, no "-0"."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _equation(terms) -> str:
    """``[(2, " × a"), (-1, "")]`` as ``"2 × a − 1"`` (signs between the terms)."""
    words = ""
    for number, (value, name) in enumerate(terms):
        sign = "−" if value < 0 else "+"
        if number == 0:
            words = ("−" if value < 0 else "") + _fmt(abs(value)) + name
        else:
            words += f" {sign} {_fmt(abs(value))}{name}"
    return words



class NeuronPlayground(ipw.VBox):
    """Labelled points with two features and the line one neuron draws through them.

    Parameters
    ----------
    X : array of shape (n, 2)
        The points' two features (``x1``, ``x2``).
    y : sequence of n labels, two different ones
        The class of each point. The neuron says the second class (``classes[1]``) when
        ``w1*x1 + w2*x2 + b > 0``.
    classes : the two labels in the order (no, yes); default: sorted labels of ``y``
    feature_names : the two axis names
    seed : the order in which "Learn one step" looks at the points

    ``learn_step()`` does what the button does; ``on_change(callback)`` calls
    ``callback(widget)`` after the weights or the bias change, ``on_learn(callback)`` calls
    ``callback(index)`` with the point a learning step learnt from.
    """

    w1 = Float(1.0, help="Weight of the first feature.").tag(sync=True)
    w2 = Float(1.0, help="Weight of the second feature.").tag(sync=True)
    b = Float(0.0, help="The bias: moves the line without turning it.").tag(sync=True)
    learning_rate = Float(0.1, help="How far one learning step moves the weights.")
    steps = Int(0, read_only=True, help="How many learning steps changed the line.")

    def __init__(self, X, y, classes=None, feature_names=("x1", "x2"), seed: int = 0,
                 weight_limit: float = 10.0, **kwargs):
        X = np.array(X, dtype=float)
        if X.ndim != 2 or X.shape[1] != 2 or len(X) == 0:
            raise ValueError("NeuronPlayground needs points with exactly two features")
        labels = [str(label) for label in y]
        if len(labels) != len(X):
            raise ValueError("X and y must have the same number of points")
        classes = tuple(str(c) for c in (classes if classes is not None else sorted(set(labels))))
        if len(classes) != 2 or not set(labels) <= set(classes):
            raise ValueError("NeuronPlayground needs exactly two classes, and every label among them")
        X.setflags(write=False)
        self._X = X
        self._target = np.array([classes.index(label) for label in labels])
        self._target.setflags(write=False)
        self.classes = classes
        self.feature_names = tuple(str(name) for name in feature_names)
        self._order = np.random.default_rng(seed).permutation(len(X))
        self._cursor = 0
        self._weight_limit = float(weight_limit)
        reach = float(np.abs(X[:, 0]).max() + np.abs(X[:, 1]).max()) or 1.0
        self._bias_limit = float(math.ceil(self._weight_limit * reach))
        x_min, x_max, x_ticks = draw.nice_range(X[:, 0].min(), X[:, 0].max())
        y_min, y_max, self._y_ticks = draw.nice_range(X[:, 1].min(), X[:, 1].max())
        self._x_ticks = x_ticks
        self._scale = draw.Scale(x_min, x_max, y_min, y_max, width=380, height=320, margin=40)
        if "b" not in kwargs:  # start with the line through the middle of the points
            kwargs["b"] = -(kwargs.get("w1", 1.0) * X[:, 0].mean() + kwargs.get("w2", 1.0) * X[:, 1].mean())
            kwargs["b"] = round(float(kwargs["b"]), 1)
        self._start = {}
        self._marks: dict = {}
        self._ready = self._quiet = False
        style = {"description_width": "initial"}
        self._sliders = {
            "w1": ipw.FloatSlider(description=_("weight of {name}", name=self.feature_names[0]),
                                  min=-self._weight_limit, max=self._weight_limit, step=0.1,
                                  style=style),
            "w2": ipw.FloatSlider(description=_("weight of {name}", name=self.feature_names[1]),
                                  min=-self._weight_limit, max=self._weight_limit, step=0.1,
                                  style=style),
            "b": ipw.FloatSlider(description=_("bias"), min=-self._bias_limit, max=self._bias_limit,
                                 step=0.1, style=style),
        }
        self._button = ipw.Button(description=_("Learn one step"), icon="graduation-cap",
                                  layout={"width": "auto"},
                                  tooltip=_("Move the line a little to fix one point on the wrong side"))
        self._button.on_click(lambda _button: self.learn_step())
        self._picture = ipw.HTML()
        self._words = ipw.HTML()
        self._change_callbacks = ipw.CallbackDispatcher()
        self._learn_callbacks = ipw.CallbackDispatcher()
        super().__init__(children=[self._picture, self._words, *self._sliders.values(), self._button],
                         **kwargs)
        for name, slider in self._sliders.items():
            ipw.link((self, name), (slider, "value"))
        self._start = {"w1": self.w1, "w2": self.w2, "b": self.b}
        self._ready = True
        self._draw()

    # --- state -------------------------------------------------------------------------------
    @validate("w1", "w2")
    def _valid_weight(self, proposal):
        return float(min(self._weight_limit, max(-self._weight_limit, proposal["value"])))

    @validate("b")
    def _valid_bias(self, proposal):
        limit = getattr(self, "_bias_limit", math.inf)
        return float(min(limit, max(-limit, proposal["value"])))

    @observe("w1", "w2", "b")
    def _on_weights(self, _change):
        if self._ready and not self._quiet:
            self._draw()
            self._change_callbacks(self)

    def _scores(self) -> np.ndarray:
        return self._X @ np.array([self.w1, self.w2]) + self.b

    def _wrong(self) -> np.ndarray:
        return (self._scores() > 0).astype(int) != self._target

    @property
    def mistakes(self) -> int:
        """How many points are on the wrong side of the line (read only)."""
        return int(self._wrong().sum())

    @property
    def accuracy(self) -> float:
        """The share of points on their own side, from 0 to 1 (read only)."""
        return 1.0 - self.mistakes / len(self._X)

    def predict(self, x1: float, x2: float) -> str:
        """The class the neuron gives to the point ``(x1, x2)``."""
        return self.classes[int(self.w1 * x1 + self.w2 * x2 + self.b > 0)]

    # --- events ------------------------------------------------------------------------------
    def on_change(self, callback, remove: bool = False) -> None:
        """Call ``callback(widget)`` after the weights or the bias change (or stop calling it)."""
        self._change_callbacks.register_callback(callback, remove=remove)

    def on_learn(self, callback, remove: bool = False) -> None:
        """Call ``callback(index)`` after a learning step learnt from point ``index``."""
        self._learn_callbacks.register_callback(callback, remove=remove)

    def set_weights(self, w1: float | None = None, w2: float | None = None,
                    b: float | None = None) -> None:
        """Move the sliders from code (fires ``on_change`` once)."""
        self._quiet = True
        try:
            for name, value in (("w1", w1), ("w2", w2), ("b", b)):
                if value is not None:
                    setattr(self, name, value)
        finally:
            self._quiet = False
        self._draw()
        self._change_callbacks(self)

    def learn_step(self) -> int | None:
        """Apply the perceptron rule to the next point on the wrong side; return its index.

        Returns None (and changes nothing) when every point is already on its own side.
        """
        wrong = self._wrong()
        n = len(self._X)
        for offset in range(n):
            index = int(self._order[(self._cursor + offset) % n])
            if wrong[index]:
                self._cursor = (self._cursor + offset + 1) % n
                push = self.learning_rate * (1 if self._target[index] == 1 else -1)
                x1, x2 = self._X[index]
                self.set_trait("steps", self.steps + 1)
                self.set_weights(w1=self.w1 + push * x1, w2=self.w2 + push * x2, b=self.b + push)
                self._learn_callbacks(index)
                return index
        return None

    def reset(self) -> None:
        """Put the line back where it started."""
        self.set_trait("steps", 0)
        self._cursor = 0
        self.set_weights(**self._start)

    # --- words and picture -------------------------------------------------------------------
    def _lines(self) -> list[str]:
        n, wrong = len(self._X), self.mistakes
        names = self.feature_names
        lines = [
            _("The line: {equation} = 0.", equation=_equation(
                [(self.w1, f" × {names[0]}"), (self.w2, f" × {names[1]}"), (self.b, "")])),
            _("On the shaded side the neuron says {yes}; on the white side it says {no}.",
              yes=self.classes[1], no=self.classes[0]),
            _("{right} of {total} points are on their own side: {percent} % right. Mistakes: {wrong}.",
              right=n - wrong, total=n, percent=round(100 * (n - wrong) / n), wrong=wrong),
        ]
        if wrong == 0:
            lines.append(_("Every point is on its own side!"))
        if self.steps:
            lines.append(_("Learning steps so far: {steps}.", steps=self.steps))
        return lines

    @property
    def text(self) -> str:
        """What the widget shows, in words."""
        return " ".join(self._lines())

    def _mark(self, index: int, wrong: bool) -> str:
        (x1, x2), target = self._X[index], int(self._target[index])
        px, py = self._scale.px(x1), self._scale.py(x2)
        title = _("{label} at ({x1}, {x2})", label=self.classes[target], x1=_fmt(x1), x2=_fmt(x2))
        ring = ""
        if wrong:
            ring = (f"<circle cx='{px:.1f}' cy='{py:.1f}' r='11' fill='none' stroke='#000' "
                    "stroke-width='1.5' stroke-dasharray='3 2'/>")
            title = _("{point}: on the wrong side", point=title)
        return ring + draw.marker(draw.SHAPES[target], px, py, fill=draw.PALETTE[target], title=title)

    def _draw(self) -> None:
        scale = self._scale
        box = (scale.x_min, scale.x_max, scale.y_min, scale.y_max)
        parts = scale.axes(self.feature_names[0], self.feature_names[1], ticks=self._x_ticks,
                           y_ticks=self._y_ticks)
        side = draw.half_plane(self.w1, self.w2, self.b, *box)
        if side:
            parts.append(draw.polygon([(scale.px(x), scale.py(y)) for x, y in side],
                                      fill=draw.PALETTE[1], opacity=0.18))
        ends = draw.clip_line(self.w1, self.w2, self.b, *box)
        if ends:
            (ax, ay), (bx, by) = ends
            parts.append(draw.line(scale.px(ax), scale.py(ay), scale.px(bx), scale.py(by),
                                   width=2.5))
        wrong = self._wrong()
        lang = language()
        for index, is_wrong in enumerate(wrong.tolist()):
            key = (index, is_wrong, lang)
            if key not in self._marks:  # a point looks one of two ways: draw each once
                self._marks[key] = self._mark(index, is_wrong)
            parts.append(self._marks[key])
        legend_x = scale.margin
        for number, label in enumerate(self.classes):
            parts.append(draw.marker(draw.SHAPES[number], legend_x + 6, 16, fill=draw.PALETTE[number]))
            parts.append(draw.text(legend_x + 16, 20, label, anchor="start"))
            legend_x += 24 + 7 * len(label)
        parts.append(f"<circle cx='{legend_x + 6:.1f}' cy='16' r='8' fill='none' stroke='#000' "
                     "stroke-dasharray='3 2'/>")
        parts.append(draw.text(legend_x + 18, 20, _("wrong side"), anchor="start"))
        lines = self._lines()
        self._picture.value = draw.svg(scale.width, scale.height, parts, label=" ".join(lines[:3]))
        self._words.value = "".join(f"<div>{draw.escape(line)}</div>" for line in lines)
