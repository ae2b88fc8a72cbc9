"""Play with k nearest neighbours: move a new point, change k, see the vote.

:class:`NeighbourExplorer` draws labelled examples with two features, a new point that
sliders move, and rings around its ``k`` nearest neighbours; a text line says the vote in
words. Sliders work with the keyboard (Tab to one, then the arrow keys). The drawing is a
PNG made by matplotlib, so it needs no extra front-end extension and no network.
"""

from __future__ import annotations

import io
from collections import Counter

import ipywidgets as ipw
import numpy as np
from traitlets import Float, Int, List, Unicode, observe, validate

__all__ = ["NeighbourExplorer", "k_nearest"]

_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"]


def k_nearest(X, point, k: int) -> np.ndarray:
    """Indices of the ``k`` rows of ``X`` closest to ``point`` (Euclidean), nearest first.

    Ties keep the order of the rows (a stable sort), so the result is reproducible.
    """
    X = np.asarray(X, dtype=float)
    distances = np.sqrt(((X - np.asarray(point, dtype=float)) ** 2).sum(axis=1))
    return np.argsort(distances, kind="stable")[:k]


class NeighbourExplorer(ipw.VBox):
    """Two-feature examples, a movable new point and its ``k`` nearest neighbours.

    Parameters
    ----------
    X : array of shape (n, 2)
        The examples' two features.
    y : sequence of n labels
    feature_names : the two axis names
    """

    point_x = Float(0.0, help="The new point's first feature.")
    point_y = Float(0.0, help="The new point's second feature.")
    k = Int(3, help="How many neighbours vote.")
    prediction = Unicode("", help="The label that wins the vote (read it, don't set it).")
    neighbours = List(help="Indices of the k nearest examples, nearest first.")

    def __init__(self, X, y, feature_names=("feature 1", "feature 2"), **kwargs):
        self.X = np.asarray(X, dtype=float)
        if self.X.ndim != 2 or self.X.shape[1] != 2:
            raise ValueError("NeighbourExplorer needs examples with exactly two features")
        self.y = [str(label) for label in y]
        if len(self.y) != len(self.X):
            raise ValueError("X and y must have the same number of examples")
        self.feature_names = tuple(feature_names)
        self.labels = sorted(set(self.y))
        low, high = self.X.min(axis=0), self.X.max(axis=0)
        kwargs.setdefault("point_x", float(round((low[0] + high[0]) / 2, 1)))
        kwargs.setdefault("point_y", float(round((low[1] + high[1]) / 2, 1)))
        self._sliders = {
            "point_x": ipw.FloatSlider(description=self.feature_names[0], min=float(low[0]),
                                       max=float(high[0]), step=0.1, continuous_update=False,
                                       style={"description_width": "initial"}),
            "point_y": ipw.FloatSlider(description=self.feature_names[1], min=float(low[1]),
                                       max=float(high[1]), step=0.1, continuous_update=False,
                                       style={"description_width": "initial"}),
            "k": ipw.IntSlider(description="k (neighbours)", min=1,
                               max=min(15, len(self.X)), continuous_update=False,
                               style={"description_width": "initial"}),
        }
        self._image = ipw.Image(format="png", layout=ipw.Layout(max_width="480px"))
        self._words = ipw.Label()
        self._ready = False  # draw once, after every starting value is set
        super().__init__(children=[self._image, self._words, *self._sliders.values()], **kwargs)
        for name, slider in self._sliders.items():
            ipw.link((self, name), (slider, "value"))
        self._ready = True
        self._update()

    @validate("k")
    def _valid_k(self, proposal):
        return max(1, min(int(proposal["value"]), len(self.X)))

    @observe("point_x", "point_y", "k")
    def _on_change(self, _change):
        if getattr(self, "_ready", False):
            self._update()

    @property
    def text(self) -> str:
        """The vote in words."""
        return self._words.value

    def _update(self) -> None:
        nearest = [int(i) for i in k_nearest(self.X, (self.point_x, self.point_y), self.k)]
        votes = Counter(self.y[i] for i in nearest)
        top = max(votes.values())
        # A tie goes to the label of the nearest neighbour among the tied ones.
        winner = next(self.y[i] for i in nearest if votes[self.y[i]] == top)
        self.neighbours = nearest
        self.prediction = winner
        counted = ", ".join(f"{count} × {label}" for label, count in votes.most_common())
        self._words.value = (
            f"New point at ({self.point_x:.1f}, {self.point_y:.1f}). "
            f"Its {self.k} nearest neighbours: {counted}. Prediction: {winner}."
        )
        self._image.value = self._draw(nearest)

    def _draw(self, nearest) -> bytes:
        from matplotlib.figure import Figure

        figure = Figure(figsize=(5, 3.6), dpi=80)
        axes = figure.subplots()
        for number, label in enumerate(self.labels):
            rows = [i for i, name in enumerate(self.y) if name == label]
            axes.scatter(self.X[rows, 0], self.X[rows, 1], s=22, label=label,
                         color=_COLOURS[number % len(_COLOURS)])
        axes.scatter(self.X[nearest, 0], self.X[nearest, 1], s=140, facecolors="none",
                     edgecolors="black", linewidths=1.5, label="nearest")
        axes.scatter([self.point_x], [self.point_y], marker="*", s=300, color="black",
                     label="new point")
        axes.set_xlabel(self.feature_names[0])
        axes.set_ylabel(self.feature_names[1])
        axes.legend(loc="best", fontsize=8)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        return buffer.getvalue()
