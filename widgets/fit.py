"""Fit a straight line by hand, then let gradient descent fit it step by step.

:class:`LineFitter` draws points and the line ``y = slope * x + intercept``. Two sliders move
the line (Tab to one, then the arrow keys); each point's residual, how far the line misses
it, is drawn as a dashed vertical segment; the loss (the mean of the squared residuals) is
said in words. "Gradient step" moves both numbers a little downhill on the loss; "Show the
best line" reveals the least-squares line. The loss is recomputed from the points each time
it is read: code cannot write it.
"""

from __future__ import annotations

import math

import ipywidgets as ipw
import numpy as np
from traitlets import Bool, Float, Int, TraitError, observe, validate

from widgets import draw
from widgets.i18n import _

__all__ = ["LineFitter", "best_line"]


def _fmt(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text.replace("-", "−")


def _line_words(slope: float, intercept: float) -> str:
    sign = "−" if intercept < 0 else "+"
    return f"y = {_fmt(slope)} × x {sign} {_fmt(abs(intercept))}"


def best_line(x, y) -> tuple[float, float]:
    """The least-squares line through the points: ``(slope, intercept)``."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    design = np.column_stack([x, np.ones_like(x)])
    (slope, intercept), *_rest = np.linalg.lstsq(design, y, rcond=None)
    return float(slope), float(intercept)



class LineFitter(ipw.VBox):
    """Points ``(x, y)`` and a line the child moves, with its residuals and its loss.

    Parameters
    ----------
    x, y : sequences of n numbers (n ≥ 2, not all x the same)
    x_name, y_name : the axis names
    learning_rate : how far one gradient step goes; by default the largest rate that is
        sure to lower the loss at every step for these points

    ``gradient_step()`` does what the button does; ``on_change(callback)`` calls
    ``callback(widget)`` after the line moves; ``on_step(callback)`` calls ``callback(loss)``
    after each gradient step.
    """

    slope = Float(0.0, help="How much y grows when x grows by 1.").tag(sync=True)
    intercept = Float(0.0, help="Where the line crosses x = 0.").tag(sync=True)
    show_best = Bool(False, help="Draw the least-squares line too.").tag(sync=True)
    learning_rate = Float(help="How far one gradient step goes.")
    steps = Int(0, read_only=True, help="How many gradient steps were taken.")

    def __init__(self, x, y, x_name: str = "x", y_name: str = "y", **kwargs):
        x, y = np.array(x, dtype=float), np.array(y, dtype=float)
        if x.ndim != 1 or x.shape != y.shape:
            raise ValueError("LineFitter needs two lists of numbers of the same length")
        if len(x) < 2 or np.ptp(x) == 0:
            raise ValueError("LineFitter needs at least two points with different x")
        x.setflags(write=False)
        y.setflags(write=False)
        self._x, self._y = x, y
        self.x_name, self.y_name = str(x_name), str(y_name)
        self._best = best_line(x, y)
        # The loss's curvature is 2 × the largest eigenvalue of mean([x, 1]ᵀ[x, 1]); a rate of
        # 1 / curvature lowers the loss at every step.
        design = np.column_stack([x, np.ones_like(x)])
        curvature = 2 * float(np.linalg.eigvalsh(design.T @ design / len(x)).max())
        kwargs.setdefault("learning_rate", 1.0 / curvature)
        steepness = np.ptp(y) / np.ptp(x)
        self._slope_limit = float(math.ceil(2 * max(abs(self._best[0]), steepness, 1.0)))
        self._intercept_limit = float(math.ceil(np.abs(y).max() + self._slope_limit * np.abs(x).max()))
        x_min, x_max, x_ticks = draw.nice_range(x.min(), x.max())
        y_min, y_max, self._y_ticks = draw.nice_range(y.min(), y.max())
        self._x_ticks = x_ticks
        self._scale = draw.Scale(x_min, x_max, y_min, y_max, width=380, height=320, margin=40)
        kwargs.setdefault("intercept", round(float(y.mean()), 1))  # a flat line through the middle
        self._ready = self._quiet = False
        self._points: str | None = None
        style = {"description_width": "initial"}
        self._sliders = {
            "slope": ipw.FloatSlider(description=_("slope"), min=-self._slope_limit,
                                     max=self._slope_limit, step=0.1, style=style),
            "intercept": ipw.FloatSlider(description=_("intercept"), min=-self._intercept_limit,
                                         max=self._intercept_limit, step=0.1, style=style),
        }
        self._step_button = ipw.Button(description=_("Gradient step"), icon="arrow-down",
                                       layout={"width": "auto"},
                                       tooltip=_("Move the line a little so the loss gets smaller"))
        self._step_button.on_click(lambda _button: self.gradient_step())
        self._best_box = ipw.Checkbox(description=_("Show the best line"), indent=False)
        self._picture = ipw.HTML()
        self._words = ipw.HTML()
        self._change_callbacks = ipw.CallbackDispatcher()
        self._step_callbacks = ipw.CallbackDispatcher()
        super().__init__(children=[self._picture, self._words, *self._sliders.values(),
                                   ipw.HBox([self._step_button, self._best_box])], **kwargs)
        for name, slider in self._sliders.items():
            ipw.link((self, name), (slider, "value"))
        ipw.link((self, "show_best"), (self._best_box, "value"))
        self._ready = True
        self._draw()

    # --- state -------------------------------------------------------------------------------
    @validate("slope")
    def _valid_slope(self, proposal):
        return float(min(self._slope_limit, max(-self._slope_limit, proposal["value"])))

    @validate("intercept")
    def _valid_intercept(self, proposal):
        return float(min(self._intercept_limit, max(-self._intercept_limit, proposal["value"])))

    @validate("learning_rate")
    def _valid_rate(self, proposal):
        if not proposal["value"] > 0:
            raise TraitError("the learning rate must be a number above 0")
        return float(proposal["value"])

    @observe("slope", "intercept", "show_best")
    def _on_line(self, _change):
        if self._ready and not self._quiet:
            self._draw()
            self._change_callbacks(self)

    def _residuals(self, slope: float | None = None, intercept: float | None = None) -> np.ndarray:
        slope = self.slope if slope is None else slope
        intercept = self.intercept if intercept is None else intercept
        return self._y - (slope * self._x + intercept)

    @property
    def loss(self) -> float:
        """The mean squared error of the line on the points (read only)."""
        return float(np.mean(self._residuals() ** 2))

    @property
    def best(self) -> tuple[float, float]:
        """The least-squares line ``(slope, intercept)`` (read only)."""
        return self._best

    @property
    def best_loss(self) -> float:
        """The smallest loss any line can have on these points (read only)."""
        return float(np.mean(self._residuals(*self._best) ** 2))

    def predict(self, x: float) -> float:
        """The line's ``y`` at ``x``."""
        return self.slope * x + self.intercept

    # --- events ------------------------------------------------------------------------------
    def on_change(self, callback, remove: bool = False) -> None:
        """Call ``callback(widget)`` after the line moves (or stop calling it)."""
        self._change_callbacks.register_callback(callback, remove=remove)

    def on_step(self, callback, remove: bool = False) -> None:
        """Call ``callback(loss)`` after each gradient step (or stop calling it)."""
        self._step_callbacks.register_callback(callback, remove=remove)

    def set_line(self, slope: float | None = None, intercept: float | None = None) -> None:
        """Move the line from code (fires ``on_change`` once)."""
        self._quiet = True
        try:
            if slope is not None:
                self.slope = slope
            if intercept is not None:
                self.intercept = intercept
        finally:
            self._quiet = False
        self._draw()
        self._change_callbacks(self)

    def gradient_step(self, learning_rate: float | None = None) -> float:
        """Move slope and intercept one step against the loss's gradient; return the new loss."""
        rate = self.learning_rate if learning_rate is None else float(learning_rate)
        residuals = self._residuals()
        d_slope = -2.0 * float(np.mean(residuals * self._x))
        d_intercept = -2.0 * float(np.mean(residuals))
        self.set_trait("steps", self.steps + 1)
        self.set_line(slope=self.slope - rate * d_slope, intercept=self.intercept - rate * d_intercept)
        loss = self.loss
        self._step_callbacks(loss)
        return loss

    # --- words and picture -------------------------------------------------------------------
    def _lines(self) -> list[str]:
        lines = [
            _("The line: {equation}.", equation=_line_words(self.slope, self.intercept)),
            _("The dashed red segments show how far the line misses each point."),
            _("The loss (mean of the squared misses) is {loss}. Smaller is better.",
              loss=_fmt(self.loss)),
        ]
        if self.steps:
            lines.append(_("Gradient steps so far: {steps}.", steps=self.steps))
        if self.show_best:
            lines.append(_("The best line (dotted green) is {equation}, with loss {loss}.",
                           equation=_line_words(*self._best), loss=_fmt(self.best_loss)))
        return lines

    @property
    def text(self) -> str:
        """What the widget shows, in words."""
        return " ".join(self._lines())

    def _line_part(self, slope, intercept, colour, width, dash="") -> str:
        scale = self._scale
        ends = draw.clip_line(slope, -1.0, intercept, scale.x_min, scale.x_max, scale.y_min, scale.y_max)
        if not ends:
            return ""
        (ax, ay), (bx, by) = ends
        return draw.line(scale.px(ax), scale.py(ay), scale.px(bx), scale.py(by), colour=colour,
                         width=width, dash=dash)

    def _draw(self) -> None:
        scale = self._scale
        parts = scale.axes(self.x_name, self.y_name, ticks=self._x_ticks, y_ticks=self._y_ticks)
        low, high = scale.y_min, scale.y_max
        for x, y in zip(self._x, self._y, strict=True):
            on_line = min(high, max(low, self.slope * x + self.intercept))
            parts.append(draw.line(scale.px(x), scale.py(y), scale.px(x), scale.py(on_line),
                                   colour=draw.PALETTE[5], width=1.5, dash="4 3"))
        if self.show_best:
            parts.append(self._line_part(*self._best, colour=draw.PALETTE[2], width=2.5, dash="2 3"))
        parts.append(self._line_part(self.slope, self.intercept, colour="#222", width=2.5))
        if self._points is None:  # the points never move: draw them once
            self._points = "".join(
                draw.marker("circle", scale.px(x), scale.py(y), size=5, fill=draw.PALETTE[0],
                            title=f"({_fmt(x)}, {_fmt(y)})")
                for x, y in zip(self._x, self._y, strict=True))
        parts.append(self._points)
        parts.append(draw.text(scale.margin, 20, _("loss: {loss}", loss=_fmt(self.loss)), anchor="start",
                               weight="bold"))
        lines = self._lines()
        label = " ".join(lines[:1] + lines[2:3])
        self._picture.value = draw.svg(scale.width, scale.height, parts, label=label)
        self._words.value = "".join(f"<div>{draw.escape(line)}</div>" for line in lines)
