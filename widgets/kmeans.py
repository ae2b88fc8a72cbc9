"""Step through k-means on points with two features: assign, move the centres, repeat.

:class:`KMeansStepper` starts from ``k`` centres on ``k`` different points chosen with a
seed, so a class sees the same start. "Assign" gives each point to its nearest centre;
"Move centres" puts each centre at the middle (mean) of its points; "Repeat until stable"
does both until nothing changes. Clusters have a colour *and* a shape, centres are big
crosses with a letter, and the words say what changed. The inertia (how spread out the
clusters are) and whether k-means has finished are recomputed from the points each time
they are read: code cannot write them.
"""

from __future__ import annotations

import ipywidgets as ipw
import numpy as np
from traitlets import Int, observe, validate

from widgets import draw
from widgets.i18n import N_, _, language

__all__ = ["KMeansStepper"]

LETTERS = "ABCDEFG"
#: The palette's colours in words, so the text can say "blue circles".
COLOUR_NAMES = (N_("blue"), N_("orange"), N_("green"), N_("pink"), N_("sky blue"), N_("red"),
                N_("yellow"))
SHAPE_NAMES = (N_("circles"), N_("triangles"), N_("squares"), N_("diamonds"), N_("stars"),
               N_("crosses"), N_("hexagons"))


def _fmt(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text



class KMeansStepper(ipw.VBox):
    """k-means on 2-D points, one step at a time.

    Parameters
    ----------
    X : array of shape (n, 2)
    k : number of clusters (1 to 7, at most n)
    seed : chooses the starting centres (``k`` different points)
    feature_names : the two axis names

    ``assign()``, ``move()`` and ``run()`` do what the buttons do; ``reset(seed)`` starts
    again; ``on_step(callback)`` calls ``callback(step)`` with ``"assign"``, ``"move"`` or
    ``"reset"`` after each step.
    """

    k = Int(3, help="How many clusters.").tag(sync=True)
    seed = Int(0, help="Chooses the starting centres.").tag(sync=True)
    iteration = Int(0, read_only=True, help="How many times the centres have moved.")

    def __init__(self, X, k: int = 3, seed: int = 0, feature_names=("x1", "x2"), **kwargs):
        X = np.array(X, dtype=float)
        if X.ndim != 2 or X.shape[1] != 2 or len(X) == 0:
            raise ValueError("KMeansStepper needs points with exactly two features")
        X.setflags(write=False)
        self._X = X
        self.feature_names = tuple(str(name) for name in feature_names)
        self._max_k = min(len(LETTERS), len(X))
        x_min, x_max, x_ticks = draw.nice_range(X[:, 0].min(), X[:, 0].max())
        y_min, y_max, self._y_ticks = draw.nice_range(X[:, 1].min(), X[:, 1].max())
        self._x_ticks = x_ticks
        self._scale = draw.Scale(x_min, x_max, y_min, y_max, width=380, height=320, margin=40)
        self._centres = np.zeros((0, 2))
        self._labels: np.ndarray | None = None
        self._said = ""
        self._marks: dict = {}
        self._ready = False
        self._k_slider = ipw.IntSlider(description=_("k (clusters)"), min=1, max=self._max_k,
                                       style={"description_width": "initial"})
        buttons = []
        for name, label, icon, tip in (
                ("assign", _("Assign"), "map-pin", _("Give each point to its nearest centre")),
                ("move", _("Move centres"), "arrows-alt", _("Put each centre in the middle of its points")),
                ("run", _("Repeat until stable"), "forward", _("Assign and move until nothing changes")),
                ("reset", _("Start again"), "undo", _("Put the centres back where they started"))):
            button = ipw.Button(description=label, icon=icon, tooltip=tip,
                                layout=ipw.Layout(width="auto"))  # whole words, in every language
            button.on_click(lambda _button, name=name: getattr(self, name)())
            buttons.append(button)
        self._buttons = ipw.HBox(buttons)
        self._picture = ipw.HTML()
        self._words = ipw.HTML()
        self._callbacks = ipw.CallbackDispatcher()
        super().__init__(children=[self._picture, self._words, self._k_slider, self._buttons],
                         k=k, seed=seed, **kwargs)
        ipw.link((self, "k"), (self._k_slider, "value"))
        self._ready = True
        self.reset()

    # --- state -------------------------------------------------------------------------------
    @validate("k")
    def _valid_k(self, proposal):
        return max(1, min(int(proposal["value"]), self._max_k))

    @observe("k", "seed")
    def _restart(self, _change):
        if self._ready:
            self.reset()

    def _distances(self) -> np.ndarray:
        return ((self._X[:, None, :] - self._centres[None, :, :]) ** 2).sum(axis=2)

    def _nearest(self) -> np.ndarray:
        return np.argmin(self._distances(), axis=1)

    def _means(self, labels) -> np.ndarray:
        means = self._centres.copy()
        for cluster in range(len(means)):
            members = self._X[labels == cluster]
            if len(members):
                means[cluster] = members.mean(axis=0)
        return means

    @property
    def centres(self) -> np.ndarray:
        """A copy of the centres, one row per cluster (A, B, …)."""
        return self._centres.copy()

    @property
    def labels(self) -> list[int] | None:
        """Each point's cluster number (0 for A), or None before the first "assign"."""
        return None if self._labels is None else [int(label) for label in self._labels]

    @property
    def inertia(self) -> float:
        """The sum of squared distances from each point to its centre (read only).

        Before the first "assign", each point counts with its nearest centre.
        """
        labels = self._nearest() if self._labels is None else self._labels
        return float(self._distances()[np.arange(len(self._X)), labels].sum())

    @property
    def stable(self) -> bool:
        """True when assigning and moving would change nothing: k-means has finished (read only)."""
        if self._labels is None:
            return False
        return bool(np.array_equal(self._labels, self._nearest())
                    and np.allclose(self._centres, self._means(self._labels)))

    # --- steps and events --------------------------------------------------------------------
    def on_step(self, callback, remove: bool = False) -> None:
        """Call ``callback(step)`` after each step: "assign", "move" or "reset"."""
        self._callbacks.register_callback(callback, remove=remove)

    def reset(self, seed: int | None = None) -> None:
        """Start again: centres on ``k`` different points chosen by ``seed`` (default: the same)."""
        if seed is not None and seed != self.seed:
            self.seed = seed  # observing "seed" calls reset() again
            return
        rng = np.random.default_rng(self.seed)
        self._centres = self._X[rng.choice(len(self._X), size=self.k, replace=False)].copy()
        self._labels = None
        self.set_trait("iteration", 0)
        self._said = _("New start: {k} centres on {k} points chosen at random.", k=self.k)
        self._draw()
        self._callbacks("reset")

    def assign(self) -> int:
        """Give each point to its nearest centre; return how many points changed cluster."""
        nearest = self._nearest()
        changed = len(nearest) if self._labels is None else int((nearest != self._labels).sum())
        self._labels = nearest
        self._said = (_("Points that changed cluster: {n}.", n=changed) if changed
                      else _("No point changed cluster."))
        self._draw()
        self._callbacks("assign")
        return changed

    def move(self) -> float:
        """Put each centre at the mean of its points; return how far the centres moved in all.

        Before the first "assign" nothing moves (a centre has no points yet).
        """
        if self._labels is None:
            self._said = _("First press Assign: the centres have no points yet.")
            self._draw()
            return 0.0
        means = self._means(self._labels)
        moved = float(np.sqrt(((means - self._centres) ** 2).sum(axis=1)).sum())
        self._centres = means
        self.set_trait("iteration", self.iteration + 1)
        self._said = (_("The centres moved to the middle of their points.") if moved > 1e-12
                      else _("The centres did not move."))
        self._draw()
        self._callbacks("move")
        return moved

    def run(self, max_rounds: int = 100) -> int:
        """Assign and move until stable (at most ``max_rounds`` rounds); return the rounds done."""
        rounds = 0
        while not self.stable and rounds < max_rounds:
            self.assign()
            self.move()
            rounds += 1
        if self.stable:
            self._said = _("Stable: nothing changes any more. Rounds just run: {rounds}.", rounds=rounds)
            self._draw()
        return rounds

    # --- words and picture -------------------------------------------------------------------
    def _lines(self) -> list[str]:
        lines = [self._said] if self._said else []
        counts = None if self._labels is None else np.bincount(self._labels, minlength=self.k)
        for cluster, (cx, cy) in enumerate(self._centres):
            where = _("Centre {letter} is at ({x}, {y}).", letter=LETTERS[cluster], x=_fmt(cx), y=_fmt(cy))
            if counts is not None:
                where += " " + _("Points in cluster {letter} ({colour} {shapes}): {n}.",
                                 letter=LETTERS[cluster], colour=_(COLOUR_NAMES[cluster]),
                                 shapes=_(SHAPE_NAMES[cluster]), n=int(counts[cluster]))
            lines.append(where)
        lines.append(_("Rounds: {iteration}. Inertia (how spread out the clusters are): {inertia}.",
                       iteration=self.iteration, inertia=_fmt(self.inertia)))
        if self.stable:
            lines.append(_("k-means has finished: the clusters are stable."))
        elif self._labels is None:
            lines.append(_("Next: press Assign to give each point to its nearest centre."))
        return lines

    @property
    def text(self) -> str:
        """What the widget shows, in words."""
        return " ".join(self._lines())

    def _mark(self, index: int, cluster: int | None) -> str:
        x, y = self._X[index]
        px, py = self._scale.px(x), self._scale.py(y)
        if cluster is None:
            return draw.marker("circle", px, py, size=4, fill="#bbb",
                               title=_("point ({x}, {y})", x=_fmt(x), y=_fmt(y)))
        return draw.marker(draw.SHAPES[cluster], px, py, size=5, fill=draw.PALETTE[cluster],
                           title=_("cluster {letter}", letter=LETTERS[cluster]))

    def _draw(self) -> None:
        scale = self._scale
        parts = scale.axes(self.feature_names[0], self.feature_names[1], ticks=self._x_ticks,
                           y_ticks=self._y_ticks)
        for cluster, (x, y) in enumerate(self._centres):
            px, py = scale.px(x), scale.py(y)
            colour = draw.PALETTE[cluster]
            for width, stroke in ((7, "#000"), (4, colour)):
                parts.append(draw.line(px - 11, py - 11, px + 11, py + 11, colour=stroke, width=width))
                parts.append(draw.line(px - 11, py + 11, px + 11, py - 11, colour=stroke, width=width))
            parts.append(f"<circle cx='{px + 17:.1f}' cy='{py - 15:.1f}' r='9' fill='#fff' stroke='#000'/>")
            parts.append(draw.text(px + 17, py - 11, LETTERS[cluster], size=12, weight="bold"))
        lang = language()
        for index in range(len(self._X)):
            cluster = None if self._labels is None else int(self._labels[index])
            key = (index, cluster, lang)
            if key not in self._marks:  # a point's look depends only on its cluster: draw it once
                self._marks[key] = self._mark(index, cluster)
            parts.append(self._marks[key])
        lines = self._lines()
        self._picture.value = draw.svg(scale.width, scale.height, parts, label=" ".join(lines))
        self._words.value = "".join(f"<div>{draw.escape(line)}</div>" for line in lines)
