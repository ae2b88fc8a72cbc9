"""Tests for widgets/fairness.py: the fairness explorer, without a browser."""

from __future__ import annotations

import ipywidgets as ipw
import pytest
from traitlets import TraitError

from widgets import FairnessExplorer
from widgets.fairness import Confusion

# Group A: scores 0.2 0.4 0.6 0.8, truly no yes no yes. Group B: 0.3 0.5 0.7 0.9, no no yes yes.
scores = [0.2, 0.4, 0.6, 0.8, 0.3, 0.5, 0.7, 0.9]
truth = [0, 1, 0, 1, 0, 0, 1, 1]
groups = ["A"] * 4 + ["B"] * 4


def explorer(**kwargs):
    return FairnessExplorer(scores, truth, groups, thresholds={"A": 0.5, "B": 0.5}, **kwargs)


def test_confusion_matrices_and_parity_by_hand():
    """At threshold 0.5 for both, are the counts and measures those worked out by hand?

    A says yes to 0.6 (was no) and 0.8 (was yes): selection 2/4, true positive rate 1/2.
    B says yes to 0.5 (no), 0.7 and 0.9 (yes): selection 3/4, true positive rate 2/2.
    """
    fair = explorer()
    assert fair.confusion("A") == Confusion(said_yes_was_yes=1, said_yes_was_no=1, said_no_was_yes=1,
                                            said_no_was_no=1)
    assert fair.confusion("B") == Confusion(2, 1, 0, 1)
    assert fair.selection_rates == {"A": 0.5, "B": 0.75}
    assert fair.true_positive_rates == {"A": 0.5, "B": 1.0}
    assert fair.demographic_parity_difference == pytest.approx(0.25)
    assert fair.equal_opportunity_difference == pytest.approx(0.5)
    assert "Group A gets 'yes' 50 % of the time, group B 75 %." in fair.text
    assert "group A got 'yes' 50 % of the time, group B 100 %." in fair.text


def test_moving_one_threshold_updates_its_group_only():
    """Does raising B's threshold to 0.8 close the opportunity gap and leave A's counts alone?

    B then says yes to 0.9 only: selection 1/4, true positive rate 1/2, the same as A's 1/2.
    """
    fair = explorer()
    seen = []
    fair.on_change(lambda group, value: seen.append((group, value)))
    fair.set_threshold("B", 0.8)
    assert seen == [("B", 0.8)]
    assert fair.confusion("A") == Confusion(1, 1, 1, 1) and fair.confusion("B") == Confusion(1, 0, 1, 2)
    assert fair.demographic_parity_difference == pytest.approx(0.25)
    assert fair.equal_opportunity_difference == pytest.approx(0.0)
    assert fair._sliders["B"].value == 0.8
    assert "Equal opportunity difference (gap for those who really were 'yes'): 0 %." in fair.text


def test_a_slider_moves_its_threshold():
    """Does moving group A's slider change A's threshold, fire on_change and redraw the tables?"""
    fair = explorer()
    seen = []
    fair.on_change(lambda group, value: seen.append(group))
    before = fair._tables.value
    fair._sliders["A"].value = 0.1
    assert fair.thresholds["A"] == 0.1 and seen == ["A"]
    assert fair.selection_rates["A"] == 1.0 and fair._tables.value != before


def test_tables_use_words_and_the_picture_uses_shape_as_well_as_colour():
    """Do the tables say "said yes" / "was yes", and are true answers drawn as two shapes?"""
    fair = explorer(yes="loan", no="no loan")
    tables = fair._tables.value
    for words in ("said loan", "said no loan", "was loan", "was no loan", "Group A: 4 examples"):
        assert words in tables
    assert "<th scope='row'" in tables
    picture = fair._picture.value
    assert picture.count("<circle") == 4 + 1 and picture.count("<polygon") == 4 + 1  # + the legend


def test_measures_cannot_be_written_and_thresholds_stay_valid():
    """Can code write the measures, or give a threshold to a group that does not exist?"""
    fair = explorer()
    for name in ("selection_rates", "true_positive_rates", "demographic_parity_difference",
                 "equal_opportunity_difference"):
        with pytest.raises(AttributeError):
            setattr(fair, name, 0.0)
    with pytest.raises(ValueError, match="no group 'C'"):
        fair.set_threshold("C", 0.5)
    with pytest.raises(TraitError, match="one number for each group"):
        fair.thresholds = {"A": 0.5}
    with pytest.raises(ValueError):
        fair._scores[0] = 1.0
    fair.set_threshold("A", 7.0)
    assert fair.thresholds["A"] == fair._sliders["A"].max == 1.0
    assert fair.selection_rates["A"] == 0.0


def test_state_round_trips_through_get_state():
    """Does a second explorer given the first one's state show the same thresholds and words?"""
    fair = explorer()
    fair.set_threshold("A", 0.35)
    state = fair.get_state()
    copy = explorer()
    copy.set_state({"thresholds": state["thresholds"]})
    assert copy.thresholds == {"A": 0.35, "B": 0.5} and copy.text == fair.text
    assert copy._sliders["A"].value == 0.35


def test_sliders_are_labelled_per_group():
    """Is there one labelled slider per group?"""
    fair = explorer()
    sliders = [c for c in fair.children if isinstance(c, ipw.FloatSlider)]
    assert [s.description for s in sliders] == ["threshold for A", "threshold for B"]


def test_a_group_without_real_yes_has_no_true_positive_rate():
    """When a group has no real "yes" example, is its rate shown as a dash rather than a number?"""
    fair = FairnessExplorer([0.1, 0.9, 0.4, 0.6], [0, 0, 1, 1], ["A", "A", "B", "B"])
    assert fair.confusion("A").true_positive_rate != fair.confusion("A").true_positive_rate  # nan
    assert "group A got 'yes' – % of the time" in fair.text


def test_bad_data_is_refused():
    """Are mismatched lengths or a number of groups other than two refused clearly?"""
    with pytest.raises(ValueError, match="same length"):
        FairnessExplorer([0.1], [0, 1], ["A", "B"])
    with pytest.raises(ValueError, match="exactly two groups"):
        FairnessExplorer([0.1, 0.2, 0.3], [0, 1, 0], ["A", "B", "C"])
