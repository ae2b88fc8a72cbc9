"""Play with k nearest neighbours on a fixed dataset: move a new point, change k, see the vote.

:class:`NeighbourExplorer` is one configuration of :class:`~widgets.sorter.TeachableSorter`:
the examples are given (the iris flowers, say), the child cannot add any, ``k`` starts at 3
and the regions are off until the lesson turns them on. Each species has a colour *and* a
shape; sliders work with the keyboard (Tab to one, then the arrow keys).
"""

from __future__ import annotations

from widgets.sorter import TeachableSorter, k_nearest

__all__ = ["NeighbourExplorer", "k_nearest"]


class NeighbourExplorer(TeachableSorter):
    """Two-feature examples ``X`` with labels ``y``, a movable new point and its ``k``
    nearest neighbours ringed; ``prediction`` and ``neighbours`` are read-only."""

    def __init__(self, X, y, feature_names=("feature 1", "feature 2"), **kwargs):
        kwargs.setdefault("k", 3)
        kwargs.setdefault("regions", False)
        super().__init__(X=X, y=y, feature_names=feature_names, editable=False, **kwargs)
