"""Charts of a track (matplotlib, PNG bytes): score distribution, progress, mastery.

Colours and hatches come from a colour-blind-safe palette and each series also differs by
its hatch or marker, so the charts read in grey print too.
"""

from __future__ import annotations

import io

from autograder.reports.model import TrackReport

__all__ = ["distribution_png", "mastery_png", "progress_png"]

_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"]
_HATCHES = ["", "//", "..", "xx", "\\\\", "++", "oo"]


def _figure(width=7.0, height=3.6):
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=100)
    return figure, figure.subplots()


def _png(figure) -> bytes:
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def distribution_png(track: TrackReport) -> bytes:
    """How many learners scored in each tenth of each unit's points."""
    figure, axes = _figure()
    bins = list(range(0, 101, 10))
    for index, unit in enumerate(track.units):
        possible = unit.max_score or 1.0
        values = [min(100.0, 100.0 * s / possible) for s in track.scored(unit.id)]
        axes.hist(values, bins=bins, histtype="bar", alpha=0.75, label=unit.id,
                  color=_COLOURS[index % len(_COLOURS)], hatch=_HATCHES[index % len(_HATCHES)],
                  edgecolor="black", linewidth=0.5)
    axes.set_xlabel("score (% of the unit's points)")
    axes.set_ylabel("learners")
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.set_title(f"{track.title}: score distribution per unit")
    axes.set_xticks(bins)
    if track.units:
        axes.legend(fontsize=8)
    return _png(figure)


def progress_png(track: TrackReport) -> bytes:
    """The class average per unit, in teaching order, and the share of learners scored."""
    figure, axes = _figure()
    names = [unit.id for unit in track.units]
    averages, shares = [], []
    for unit in track.units:
        average = track.average(unit.id)
        averages.append(0.0 if average is None or not unit.max_score
                        else 100.0 * average / unit.max_score)
        shares.append(100.0 * len(track.scored(unit.id)) / max(1, len(track.rows)))
    positions = list(range(len(names)))
    axes.plot(positions, averages, marker="o", color=_COLOURS[0], label="class average (% of points)")
    axes.plot(positions, shares, marker="s", linestyle="--", color=_COLOURS[1],
              label="learners with a score (%)")
    axes.set_xticks(positions, names, rotation=20, fontsize=8)
    axes.set_ylim(0, 105)
    axes.set_ylabel("%")
    axes.set_title(f"{track.title}: progress over the units")
    axes.legend(fontsize=8)
    return _png(figure)


def mastery_png(track: TrackReport) -> bytes:
    """Class mastery of each big idea of the track (percent of the points of its units)."""
    ideas = track.ideas()
    figure, axes = _figure(height=1.4 + 0.45 * max(1, len(ideas)))
    values = [track.class_idea(idea)[0] or 0.0 for idea in ideas]
    labels = [f"{idea} {track.big_ideas.get(idea, '')}" for idea in ideas]
    axes.barh(range(len(ideas)), values, color=_COLOURS[2], edgecolor="black", hatch="//")
    axes.set_yticks(range(len(ideas)), labels, fontsize=8)
    axes.set_xlim(0, 100)
    axes.axvline(track.needs_help_below, color="black", linestyle=":", linewidth=1)
    axes.set_xlabel("mastery (% of the points, class average)")
    axes.set_title(f"{track.title}: mastery by AI4K12 big idea")
    return _png(figure)
