"""Teach a computer to sort points: the child's own examples, nearest neighbours, mistakes.

:class:`TeachableSorter` shows labelled examples with two features as points (each label a
colour *and* a shape), a new point the sliders move (Tab to a slider, then the arrow keys),
the ``k`` nearest examples ringed, and the regions the model gives to each label (a coarse
grid of tinted cells, each with a small shape). "Add as <label>" buttons and
:meth:`~TeachableSorter.add` add examples; "Test as <label>" buttons and
:meth:`~TeachableSorter.add_test` add test points, and the widget counts the model's
mistakes on them. Drawn as SVG (a redraw takes about a millisecond).
"""

from __future__ import annotations

import ipywidgets as ipw
import numpy as np
from traitlets import Bool, Float, Int, List, Unicode, observe, validate

from widgets import draw
from widgets.i18n import N_, _

__all__ = ["TeachableSorter", "k_nearest", "vote"]

# Feature and label names the Explorers' "Teach the computer" lesson gives the sorter in
# English; the sorter shows them in the class's language.
_LESSON_WORDS = (N_("size"), N_("colour"), N_("lemon"), N_("orange"))


def k_nearest(X, point, k: int) -> np.ndarray:
    """Indices of the ``k`` rows of ``X`` closest to ``point`` (Euclidean), nearest first.

    Ties keep the order of the rows (a stable sort), so the result is reproducible.
    """
    X = np.asarray(X, dtype=float)
    distances = np.sqrt(((X - np.asarray(point, dtype=float)) ** 2).sum(axis=1))
    return np.argsort(distances, kind="stable")[:k]


def vote(codes: np.ndarray, order: np.ndarray, k: int, n_labels: int) -> np.ndarray:
    """The winning label code for each row of ``order`` (indices nearest first): the label
    with most votes among the first ``k``; a tie goes to the nearest of the tied labels."""
    top = codes[order[:, :k]]  # (points, k)
    counts = np.zeros((len(order), n_labels), dtype=int)
    np.add.at(counts, (np.arange(len(order))[:, None], top), 1)
    best = counts.max(axis=1)
    is_best = counts[np.arange(len(order))[:, None], top] == best[:, None]
    return top[np.arange(len(order)), is_best.argmax(axis=1)]


class TeachableSorter(ipw.VBox):
    """Labelled points, a movable new point, its nearest neighbours and the model's regions.

    Parameters
    ----------
    labels : the names of the groups (two to seven)
    X, y : optional starting examples (``n`` rows of two features) and their labels
    feature_names : the two axis names
    x_range, y_range : the limits of the picture (default: the examples' range, or 0 to 10)
    regions : draw the regions the model gives to each label
    editable : show the "Add as" and "Test as" buttons
    """

    point_x = Float(0.0, help="The new point's first feature.")
    point_y = Float(0.0, help="The new point's second feature.")
    k = Int(1, help="How many nearest examples vote.")
    prediction = Unicode("", read_only=True, help="The label that wins the vote.")
    neighbours = List(read_only=True, help="Indices of the k nearest examples, nearest first.")
    regions = Bool(True, help="Tint each part of the picture with the label the model gives it.")

    def __init__(self, labels=None, X=None, y=None, feature_names=("feature 1", "feature 2"),
                 x_range=None, y_range=None, regions: bool = True, editable: bool = True,
                 resolution: int = 24, step: float = 0.1, **kwargs):
        X = np.zeros((0, 2)) if X is None else np.asarray(X, dtype=float)
        if X.ndim != 2 or X.shape[1] != 2:
            raise ValueError("a sorter needs examples with exactly two features")
        y = [] if y is None else [str(label) for label in y]
        if len(y) != len(X):
            raise ValueError("X and y must have the same number of examples")
        self.labels = [str(label) for label in labels] if labels is not None else sorted(set(y))
        if not 1 <= len(self.labels) <= len(draw.SHAPES):
            raise ValueError(f"a sorter needs 1 to {len(draw.SHAPES)} labels")
        unknown = set(y) - set(self.labels)
        if unknown:
            raise ValueError(f"labels not in the list: {', '.join(sorted(unknown))}")
        self.feature_names = tuple(feature_names)
        low = X.min(axis=0) if len(X) else np.zeros(2)
        high = X.max(axis=0) if len(X) else np.full(2, 10.0)
        self._x_range = tuple(x_range) if x_range else (float(np.floor(low[0])),
                                                        float(np.ceil(high[0])))
        self._y_range = tuple(y_range) if y_range else (float(np.floor(low[1])),
                                                        float(np.ceil(high[1])))
        self._scale = draw.Scale(*self._x_range, *self._y_range, width=400, height=320)
        self._examples = [(float(a), float(b), label) for (a, b), label in zip(X, y, strict=True)]
        self._tests: list[tuple[float, float, str]] = []
        self._resolution = int(resolution)
        self._changed = ipw.CallbackDispatcher()
        kwargs.setdefault("point_x", round(sum(self._x_range) / 2, 1))
        kwargs.setdefault("point_y", round(sum(self._y_range) / 2, 1))
        style = {"description_width": "initial"}
        self._sliders = {
            "point_x": ipw.FloatSlider(description=_(self.feature_names[0]),
                                       min=self._x_range[0], max=self._x_range[1], step=step,
                                       continuous_update=False, style=style),
            "point_y": ipw.FloatSlider(description=_(self.feature_names[1]),
                                       min=self._y_range[0], max=self._y_range[1], step=step,
                                       continuous_update=False, style=style),
            "k": ipw.IntSlider(description=_("k (neighbours)"), min=1,
                               max=min(15, len(self._examples) or 15),
                               continuous_update=False, style=style),
        }
        self._picture = ipw.HTML()
        self._words = ipw.Label()
        rows = []
        if editable:
            adds, tests = [], []
            for label in self.labels:
                add = ipw.Button(description=_("Add as {label}", label=_(label)),
                                 tooltip=_("Add the new point as an example of {label}",
                                           label=_(label)))
                add.on_click(lambda _b, label=label: self.add_here(label))
                adds.append(add)
                test = ipw.Button(description=_("Test as {label}", label=_(label)),
                                  tooltip=_("Keep the new point to test the model: it is "
                                            "really {label}", label=_(label)))
                test.on_click(lambda _b, label=label: self.add_test(self.point_x, self.point_y,
                                                                     label))
                tests.append(test)
            undo = ipw.Button(description=_("Remove last example"))
            undo.on_click(lambda _b: self.remove_last())
            rows = [ipw.HBox(adds), ipw.HBox([*tests, undo])]
        self._ready = False
        self._regions_cache: tuple = (None, "")
        self._version = 0  # counts changes of the examples, for the regions' cache
        super().__init__(children=[self._picture, self._words, *self._sliders.values(), *rows],
                         regions=regions, **kwargs)
        for name, slider in self._sliders.items():
            ipw.link((self, name), (slider, "value"))
        self._ready = True
        self._update()

    # --- what the model knows ---------------------------------------------------------------
    @property
    def X(self) -> np.ndarray:
        """The examples' features (a copy)."""
        return np.array([(a, b) for a, b, _label in self._examples], dtype=float).reshape(-1, 2)

    @property
    def y(self) -> list[str]:
        """The examples' labels (a copy)."""
        return [label for _a, _b, label in self._examples]

    @property
    def tests(self) -> list[tuple[float, float, str]]:
        """The test points: ``(x, y, true label)``."""
        return list(self._tests)

    @property
    def mistakes(self) -> int:
        """How many test points the model labels wrongly."""
        if not self._tests:
            return 0
        points = np.array([(a, b) for a, b, _label in self._tests], dtype=float)
        return sum(guess != label for guess, (_a, _b, label)
                   in zip(self._predict_many(points), self._tests, strict=True))

    @property
    def text(self) -> str:
        """What the widget shows, in words."""
        return self._words.value

    def predict(self, x: float, y: float) -> str:
        """The label the ``k`` nearest examples vote for at ``(x, y)`` ("" with no examples)."""
        return self._predict_many(np.array([[x, y]], dtype=float))[0]

    def _codes(self) -> np.ndarray:
        index = {label: number for number, label in enumerate(self.labels)}
        return np.array([index[label] for label in self.y], dtype=int)

    def _predict_many(self, points: np.ndarray) -> list[str]:
        if not self._examples:
            return [""] * len(points)
        X = self.X
        k = max(1, min(self.k, len(X)))
        distances = ((points[:, None, :] - X[None, :, :]) ** 2).sum(axis=2)
        order = np.argsort(distances, axis=1, kind="stable")
        winners = vote(self._codes(), order, k, len(self.labels))
        return [self.labels[code] for code in winners]

    # --- what the child does ----------------------------------------------------------------
    def on_change(self, callback, remove: bool = False) -> None:
        """Call ``callback(sorter)`` after each change of examples or tests (or stop)."""
        self._changed.register_callback(callback, remove=remove)

    def _check_label(self, label) -> str:
        label = str(label)
        if label not in self.labels:
            raise ValueError(_("The label must be one of: {labels}.",
                               labels=", ".join(self.labels)))
        return label

    def add(self, x: float, y: float, label: str) -> None:
        """Add an example of ``label`` at ``(x, y)``."""
        self._examples.append((float(x), float(y), self._check_label(label)))
        self._after_change()

    def add_here(self, label: str) -> None:
        """Add the new point as an example of ``label`` (what the "Add as" button does)."""
        self.add(self.point_x, self.point_y, label)

    def add_test(self, x: float, y: float, label: str) -> None:
        """Keep ``(x, y)``, truly of ``label``, to test the model on."""
        self._tests.append((float(x), float(y), self._check_label(label)))
        self._after_change()

    def remove_last(self) -> None:
        """Take away the example added last (nothing happens when there is none)."""
        if self._examples:
            self._examples.pop()
            self._after_change()

    def clear(self) -> None:
        """Take away every example and every test point."""
        self._examples.clear()
        self._tests.clear()
        self._after_change()

    def _after_change(self) -> None:
        self._version += 1
        self._update()
        self._changed(self)

    @validate("k")
    def _valid_k(self, proposal):
        examples = len(getattr(self, "_examples", ())) or 15
        return max(1, min(int(proposal["value"]), 15, examples))

    @observe("point_x", "point_y", "k", "regions")
    def _on_change(self, _change):
        if getattr(self, "_ready", False):
            self._update()

    # --- showing it -------------------------------------------------------------------------
    def _update(self) -> None:
        point = (self.point_x, self.point_y)
        if self._examples:
            k = max(1, min(self.k, len(self._examples)))
            nearest = [int(i) for i in k_nearest(self.X, point, k)]
        else:
            nearest = []
        self.set_trait("neighbours", nearest)
        self.set_trait("prediction", self.predict(*point))
        self._words.value = self._describe(nearest)
        self._picture.value = self._draw(nearest)

    def _describe(self, nearest) -> str:
        x, y = format(self.point_x, ".1f"), format(self.point_y, ".1f")
        where = _("New point at ({x}, {y}).", x=x, y=y)
        if not nearest:
            return where + " " + _("No examples yet: add some.")
        counts = {}
        for index in nearest:
            counts[self.y[index]] = counts.get(self.y[index], 0) + 1
        counted = ", ".join(f"{count} × {_(label)}" for label, count in
                            sorted(counts.items(), key=lambda item: -item[1]))
        text = where + " " + _("Its {k} nearest examples: {counted}. Prediction: {label}.",
                               k=len(nearest), counted=counted, label=_(self.prediction))
        if self._tests:
            text += " " + _("Test points: {mistakes} mistakes out of {total}.",
                            mistakes=self.mistakes, total=len(self._tests))
        return text

    def _look(self, label):
        number = self.labels.index(label)
        return draw.PALETTE[number], draw.SHAPES[number]

    def _draw_regions(self) -> str:
        """The regions as SVG: runs of cells with the same label, filled with that label's
        pattern (its colour, lightly, and its shape), so colour is never the only sign."""
        scale = self._scale
        cols = self._resolution
        rows = max(1, round(cols * (scale.height - 2 * scale.margin)
                            / (scale.width - 2 * scale.margin)))
        x0, x1 = self._x_range
        y0, y1 = self._y_range
        xs = x0 + (np.arange(cols) + 0.5) * (x1 - x0) / cols
        ys = y0 + (np.arange(rows) + 0.5) * (y1 - y0) / rows
        grid = np.array([(a, b) for b in ys for a in xs])
        labels = self._predict_many(grid)
        cell_w = (scale.width - 2 * scale.margin) / cols
        cell_h = (scale.height - 2 * scale.margin) / rows
        parts = ["<defs>"]
        for number, label in enumerate(self.labels):
            colour, shape = self._look(label)
            parts.append(
                f"<pattern id='jazari-region-{number}' width='14' height='14' "
                "patternUnits='userSpaceOnUse'>"
                f"<rect width='14' height='14' fill='{colour}' fill-opacity='0.18'/>"
                f"<g opacity='0.5'>{draw.marker(shape, 7, 7, size=2.4, fill=colour, stroke='none')}"
                "</g></pattern>")
        parts.append("</defs><g class='jazari-regions'>")
        for row in range(rows):
            start = 0
            for col in range(1, cols + 1):
                if col < cols and labels[row * cols + col] == labels[row * cols + start]:
                    continue
                number = self.labels.index(labels[row * cols + start])
                left = scale.px(x0) + start * cell_w
                top = scale.py(ys[row]) - cell_h / 2
                parts.append(f"<rect x='{left:.1f}' y='{top:.1f}' width='{(col - start) * cell_w:.1f}' "
                             f"height='{cell_h + 0.5:.1f}' fill='url(#jazari-region-{number})'>"
                             f"<title>{draw.escape(_(labels[row * cols + start]))}</title></rect>")
                start = col
        parts.append("</g>")
        return "".join(parts)

    def _draw(self, nearest) -> str:
        scale = self._scale
        parts = scale.axes(_(self.feature_names[0]), _(self.feature_names[1]))
        if self.regions and self._examples:
            key = (self._version, self.k)
            if self._regions_cache[0] != key:
                self._regions_cache = (key, self._draw_regions())
            parts.append(self._regions_cache[1])
        for index, (a, b, label) in enumerate(self._examples):
            colour, shape = self._look(label)
            parts.append(draw.marker(shape, scale.px(a), scale.py(b), size=5, fill=colour,
                                     title=f"{_(label)} ({a:g}, {b:g})"))
            if index in nearest:
                parts.append(f"<circle cx='{scale.px(a):.1f}' cy='{scale.py(b):.1f}' r='10' "
                             "fill='none' stroke='#000' stroke-width='1.6'/>")
        tested = self._predict_many(np.array([(a, b) for a, b, _l in self._tests],
                                             dtype=float).reshape(-1, 2))
        for (a, b, label), guess in zip(self._tests, tested, strict=True):
            colour, shape = self._look(label)
            wrong = guess != label
            parts.append(draw.marker(shape, scale.px(a), scale.py(b), size=6, fill="#fff",
                                     stroke=colour, stroke_width=2.5,
                                     title=_("test point, really {label}", label=_(label))))
            if wrong:
                parts.append(draw.text(scale.px(a) + 10, scale.py(b) - 8, "X", size=12,
                                       colour="#D55E00", weight="bold"))
        px, py = scale.px(self.point_x), scale.py(self.point_y)
        new_point = draw.escape(_("the new point"))
        parts.append(f"<g class='jazari-new-point'><circle cx='{px:.1f}' cy='{py:.1f}' r='8' "
                     "fill='#fff' stroke='#000' stroke-width='2.5'/>"
                     f"<path d='M{px - 5:.1f} {py:.1f} H{px + 5:.1f} M{px:.1f} {py - 5:.1f} "
                     f"V{py + 5:.1f}' stroke='#000' stroke-width='2.5'/>"
                     f"<title>{new_point}</title></g>")
        for number, label in enumerate(self.labels):
            colour, shape = self._look(label)
            x = scale.margin + 6 + number * 110
            parts.append(draw.marker(shape, x, 12, size=5, fill=colour))
            parts.append(draw.text(x + 9, 16, _(label), size=11, anchor="start"))
        return draw.svg(scale.width, scale.height, parts, self._words.value)
