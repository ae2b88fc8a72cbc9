"""Explore fairness: one decision threshold per group, confusion matrices and parity measures.

:class:`FairnessExplorer` shows examples from two groups, each with a true answer (yes or
no) and a score. The model says "yes" when the score reaches the group's threshold. One
slider per group moves its threshold (Tab to one, then the arrow keys); for each group a
table counts "said yes, was yes" and the other three cases, and the words compare the
groups: how often each gets "yes" (selection rate, demographic parity) and how often the
people who really were "yes" get it (true positive rate, equal opportunity).

In the picture each example sits on its group's row at its score; true "yes" examples are
orange triangles above the middle, true "no" examples blue circles below it, so shape and
place carry the meaning as well as colour. The measures are recomputed from the examples
each time they are read: code cannot write them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import ipywidgets as ipw
import numpy as np
from traitlets import Dict, TraitError, observe, validate

from widgets import draw
from widgets.i18n import _, language

__all__ = ["Confusion", "FairnessExplorer"]


@dataclass(frozen=True)
class Confusion:
    """One group's four counts."""

    said_yes_was_yes: int  #: true positives
    said_yes_was_no: int  #: false positives
    said_no_was_yes: int  #: false negatives
    said_no_was_no: int  #: true negatives

    @property
    def total(self) -> int:
        return self.said_yes_was_yes + self.said_yes_was_no + self.said_no_was_yes + self.said_no_was_no

    @property
    def selection_rate(self) -> float:
        """The share of the group the model says "yes" to."""
        return (self.said_yes_was_yes + self.said_yes_was_no) / self.total if self.total else math.nan

    @property
    def true_positive_rate(self) -> float:
        """The share of the group's real "yes" examples the model says "yes" to (nan if none)."""
        real_yes = self.said_yes_was_yes + self.said_no_was_yes
        return self.said_yes_was_yes / real_yes if real_yes else math.nan

    @property
    def accuracy(self) -> float:
        """The share of the group the model is right about."""
        return (self.said_yes_was_yes + self.said_no_was_no) / self.total if self.total else math.nan


def _percent(rate: float) -> str:
    return "–" if math.isnan(rate) else str(round(100 * rate))


class FairnessExplorer(ipw.VBox):
    """Examples from two groups, a threshold per group, and what each threshold does.

    Parameters
    ----------
    scores : n numbers, the model's score for each example
    truth : n true answers (True/1 for "yes", False/0 for "no")
    groups : n group names, exactly two different ones
    thresholds : ``{group: threshold}`` to start with (default: the middle of the scores)
    yes, no : the words for the two answers (for example "loan" and "no loan")

    ``set_threshold(group, value)`` does what a slider does; ``on_change(callback)`` calls
    ``callback(group, value)`` after a threshold changes.
    """

    thresholds = Dict(help="The decision threshold of each group.").tag(sync=True)

    def __init__(self, scores, truth, groups, thresholds=None, yes: str | None = None,
                 no: str | None = None, **kwargs):
        scores = np.array(scores, dtype=float)
        truth = np.array([bool(value) for value in truth])
        names = [str(group) for group in groups]
        if scores.ndim != 1 or not len(scores) == len(truth) == len(names):
            raise ValueError("FairnessExplorer needs scores, truth and groups of the same length")
        self.groups = tuple(dict.fromkeys(names))
        if len(self.groups) != 2:
            raise ValueError("FairnessExplorer needs exactly two groups")
        for array in (scores, truth):
            array.setflags(write=False)
        self._scores, self._truth = scores, truth
        self._members = {group: np.array([name == group for name in names]) for group in self.groups}
        self.yes, self.no = yes or _("yes"), no or _("no")
        # Sliders from 0 to 1 for the usual scores, wider when scores go further; the top end
        # lies above every score, so a threshold can say "no" to everyone.
        low = min(0.0, math.floor(scores.min() * 10) / 10)
        high = max(1.0, math.ceil(scores.max() * 10) / 10)
        if scores.max() >= high:
            high += 0.1
        self._low, self._high = low, high
        middle = round((low + high) / 2, 2)
        start = {group: middle for group in self.groups}
        start.update({str(group): float(value) for group, value in (thresholds or {}).items()})
        self._ready = False
        self._drawn: dict = {}
        self._sliders = {
            group: ipw.FloatSlider(description=_("threshold for {group}", group=group), min=low, max=high,
                                   step=0.01, style={"description_width": "initial"})
            for group in self.groups}
        self._picture = ipw.HTML()
        self._tables = ipw.HTML()
        self._words = ipw.HTML()
        self._callbacks = ipw.CallbackDispatcher()
        super().__init__(children=[self._picture, *self._sliders.values(), self._tables, self._words],
                         thresholds=start, **kwargs)
        for group, slider in self._sliders.items():
            slider.value = self.thresholds[group]
            slider.observe(lambda change, group=group: self.set_threshold(group, change["new"]), "value")
        self._ready = True
        self._draw()

    # --- state -------------------------------------------------------------------------------
    @validate("thresholds")
    def _valid_thresholds(self, proposal):
        value = {str(group): float(threshold) for group, threshold in proposal["value"].items()}
        if set(value) != set(self.groups):
            raise TraitError(f"thresholds must give one number for each group: {', '.join(self.groups)}")
        return {group: min(self._high, max(self._low, threshold)) for group, threshold in value.items()}

    @observe("thresholds")
    def _on_thresholds(self, change):
        if not self._ready:
            return
        for group, value in change["new"].items():
            if self._sliders[group].value != value:
                self._sliders[group].value = value  # calls set_threshold, which changes nothing
        self._draw()
        for group, value in change["new"].items():
            if change["old"].get(group) != value:
                self._callbacks(group, value)

    def set_threshold(self, group: str, value: float) -> None:
        """Move ``group``'s threshold to ``value`` (as its slider does)."""
        group = str(group)
        if group not in self.groups:
            raise ValueError(f"no group {group!r}: the groups are {', '.join(self.groups)}")
        if self.thresholds[group] != min(self._high, max(self._low, float(value))):
            self.thresholds = {**self.thresholds, group: float(value)}

    def on_change(self, callback, remove: bool = False) -> None:
        """Call ``callback(group, value)`` after a group's threshold changes (or stop calling it)."""
        self._callbacks.register_callback(callback, remove=remove)

    # --- measures (read only) ----------------------------------------------------------------
    def said_yes(self, group: str) -> np.ndarray:
        """For each of ``group``'s examples, whether the model says "yes" (a copy)."""
        return self._scores[self._members[group]] >= self.thresholds[group]

    def confusion(self, group: str) -> Confusion:
        """``group``'s four counts at its threshold."""
        said = self.said_yes(group)
        was = self._truth[self._members[group]]
        return Confusion(int((said & was).sum()), int((said & ~was).sum()),
                         int((~said & was).sum()), int((~said & ~was).sum()))

    @property
    def selection_rates(self) -> dict[str, float]:
        """Each group's share of "yes" answers (read only)."""
        return {group: self.confusion(group).selection_rate for group in self.groups}

    @property
    def true_positive_rates(self) -> dict[str, float]:
        """Each group's share of real "yes" examples that get "yes" (read only)."""
        return {group: self.confusion(group).true_positive_rate for group in self.groups}

    @property
    def demographic_parity_difference(self) -> float:
        """How far apart the groups' selection rates are, from 0 (equal) to 1 (read only)."""
        first, second = self.selection_rates.values()
        return abs(first - second)

    @property
    def equal_opportunity_difference(self) -> float:
        """How far apart the groups' true positive rates are, from 0 (equal) to 1 (read only)."""
        first, second = self.true_positive_rates.values()
        return abs(first - second)

    # --- words, tables and picture -----------------------------------------------------------
    def _lines(self) -> list[str]:
        (a, b), rates, tprs = self.groups, self.selection_rates, self.true_positive_rates
        lines = [
            _("Group {a} gets '{yes}' {ra} % of the time, group {b} {rb} %.", a=a, b=b, yes=self.yes,
              ra=_percent(rates[a]), rb=_percent(rates[b])),
            _("Of those who really were '{yes}', group {a} got '{yes}' {ta} % of the time, group {b} {tb} %.",
              a=a, b=b, yes=self.yes, ta=_percent(tprs[a]), tb=_percent(tprs[b])),
            _("Demographic parity difference (gap in '{yes}' rates): {dp}.", yes=self.yes,
              dp=_percent(self.demographic_parity_difference) + " %"),
            _("Equal opportunity difference (gap for those who really were '{yes}'): {eo}.", yes=self.yes,
              eo=_percent(self.equal_opportunity_difference) + " %"),
        ]
        return lines

    @property
    def text(self) -> str:
        """What the widget shows, in words."""
        thresholds = " ".join(_("Threshold for {group}: {value}.", group=group, value=format(value, ".2f"))
                              for group, value in self.thresholds.items())
        return thresholds + " " + " ".join(self._lines())

    def _table(self, group: str) -> str:
        counts = self.confusion(group)
        e = draw.escape
        said_yes, said_no = _("said {answer}", answer=self.yes), _("said {answer}", answer=self.no)
        was_yes, was_no = _("was {answer}", answer=self.yes), _("was {answer}", answer=self.no)
        cell = "<td style='border:1px solid #888;padding:2px 8px;text-align:center'>{}</td>"
        head = "<th scope='{}' style='border:1px solid #888;padding:2px 8px'>{}</th>"
        rows = [
            "<tr>" + head.format("col", "") + head.format("col", e(said_yes)) + head.format("col", e(said_no))
            + "</tr>",
            "<tr>" + head.format("row", e(was_yes)) + cell.format(counts.said_yes_was_yes)
            + cell.format(counts.said_no_was_yes) + "</tr>",
            "<tr>" + head.format("row", e(was_no)) + cell.format(counts.said_yes_was_no)
            + cell.format(counts.said_no_was_no) + "</tr>",
        ]
        caption = _("Group {group}: {n} examples, right about {percent} %.", group=group, n=counts.total,
                    percent=_percent(counts.accuracy))
        return (f"<table style='border-collapse:collapse;margin:4px 16px 4px 0'><caption>{e(caption)}"
                "</caption>" + "".join(rows) + "</table>")

    def _examples(self, scale, group: str, base: float) -> str:
        """The group's examples as SVG; they never move, so they are drawn once per language."""
        key = (group, language())
        if key not in self._drawn:
            parts = []
            for order, index in enumerate(np.flatnonzero(self._members[group])):
                was = bool(self._truth[index])
                lane = 0.22 if was else -0.22
                wobble = ((order * 7) % 5 - 2) * 0.05  # spread equal scores a little, the same every time
                score = format(self._scores[index], "g")
                title = _("{group}: score {score}, was {answer}", group=group, score=score,
                          answer=self.yes if was else self.no)
                parts.append(draw.marker("triangle" if was else "circle", scale.px(self._scores[index]),
                                         scale.py(base + lane + wobble), size=4.5,
                                         fill=draw.PALETTE[1] if was else draw.PALETTE[0], title=title))
            self._drawn[key] = "".join(parts)
        return self._drawn[key]

    def _draw(self) -> None:
        scale = draw.Scale(self._low, self._high, 0, 2, width=420, height=220, margin=40)
        parts = scale.axes(_("score"), ticks=5)[:1]  # the frame; ticks only along x
        for i in range(6):
            value = self._low + (self._high - self._low) * i / 5
            parts.append(draw.text(scale.px(value), scale.height - scale.margin + 14, f"{value:g}", size=10))
        parts.append(draw.text(scale.width / 2, scale.height - 6, _("score"), size=12))
        for row, group in enumerate(self.groups):
            base = 1.5 - row  # group A on top
            top, bottom = scale.py(base + 0.5), scale.py(base - 0.5)
            threshold = self.thresholds[group]
            x = scale.px(min(max(threshold, self._low), self._high))
            parts.append(f"<rect x='{x:.1f}' y='{top:.1f}' width='{scale.width - scale.margin - x:.1f}' "
                         f"height='{bottom - top:.1f}' fill='{draw.PALETTE[2]}' fill-opacity='0.15'/>")
            parts.append(draw.line(scale.margin, bottom, scale.width - scale.margin, bottom, colour="#555",
                                   width=1))
            parts.append(draw.line(x, top, x, bottom, width=2.5))
            parts.append(draw.text(x + 4, top + 12, _("said {answer} →", answer=self.yes), size=10,
                                   anchor="start"))
            parts.append(draw.text(scale.margin - 4, scale.py(base) + 4, group, size=12, anchor="end",
                                   weight="bold"))
            parts.append(self._examples(scale, group, base))
        legend = [(1, "triangle", _("was {answer}", answer=self.yes)),
                  (0, "circle", _("was {answer}", answer=self.no))]
        x = scale.margin
        for colour, shape, words in legend:
            parts.append(draw.marker(shape, x + 6, 16, size=5, fill=draw.PALETTE[colour]))
            parts.append(draw.text(x + 15, 20, words, anchor="start", size=11))
            x += 30 + 6 * len(words)
        lines = self._lines()
        self._picture.value = draw.svg(scale.width, scale.height, parts, label=" ".join(lines[:2]))
        self._tables.value = ("<div style='display:flex;flex-wrap:wrap'>"
                              + "".join(self._table(group) for group in self.groups) + "</div>")
        self._words.value = "".join(f"<div>{draw.escape(line)}</div>" for line in lines)
