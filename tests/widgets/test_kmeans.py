"""Tests for widgets/kmeans.py: the k-means stepper, without a browser."""

from __future__ import annotations

import ipywidgets as ipw
import numpy as np
import pytest
from traitlets import TraitError

from widgets import KMeansStepper


def blobs(seed: int = 4, n: int = 15):
    rng = np.random.default_rng(seed)
    centres = np.array([[1.0, 1.0], [8.0, 2.0], [4.0, 8.0]])
    return np.vstack([centre + rng.normal(0, 0.8, (n, 2)) for centre in centres])


def test_inertia_never_rises_and_run_ends_stable():
    """Over assign and move steps from several starts, does the inertia never rise, and does
    "repeat until stable" end with nothing left to change?"""
    X = blobs()
    for seed in range(5):
        stepper = KMeansStepper(X, k=3, seed=seed)
        inertias = [stepper.inertia]
        for _ in range(10):
            stepper.assign()
            inertias.append(stepper.inertia)
            stepper.move()
            inertias.append(stepper.inertia)
        assert all(after <= before + 1e-9 for before, after in zip(inertias, inertias[1:], strict=False))
        stepper.run()
        assert stepper.stable
        assert stepper.assign() == 0 and stepper.move() == pytest.approx(0.0)


def test_steps_by_hand_on_four_points():
    """On four corners of a wide box, do the two starts give the two results worked out by hand:
    left and right halves (inertia 4) or bottom and top halves (inertia 100)?"""
    X = [[0.0, 0.0], [0.0, 2.0], [10.0, 0.0], [10.0, 2.0]]
    results = {}
    for seed in range(30):
        stepper = KMeansStepper(X, k=2, seed=seed)
        start = stepper.centres
        assert len({tuple(c) for c in start}) == 2 and all(list(c) in X for c in start.tolist())
        assert stepper.labels is None and not stepper.stable
        across = start[0, 0] != start[1, 0]  # one centre on each side
        stepper.run()
        assert stepper.stable and "k-means has finished" in stepper.text
        results[bool(across)] = (sorted(map(tuple, stepper.centres.tolist())), stepper.inertia)
    assert results[True] == ([(0.0, 1.0), (10.0, 1.0)], pytest.approx(4.0))
    assert results[False] == ([(5.0, 0.0), (5.0, 2.0)], pytest.approx(100.0))


def test_the_start_is_seeded_and_reset_goes_back_to_it():
    """Do the same seed and k give the same start, and does reset() put the centres back?"""
    X = blobs()
    first, second = KMeansStepper(X, seed=11), KMeansStepper(X, seed=11)
    assert np.array_equal(first.centres, second.centres)
    start = first.centres
    first.run()
    assert first.iteration > 0
    first.reset()
    assert np.array_equal(first.centres, start) and first.iteration == 0 and first.labels is None
    first.reset(seed=12)
    assert first.seed == 12 and not np.array_equal(first.centres, start)


def test_move_before_assign_changes_nothing_and_says_why():
    """Does pressing "Move centres" first leave the centres alone, with a kind hint?"""
    stepper = KMeansStepper(blobs(), seed=1)
    start = stepper.centres
    assert stepper.move() == 0.0 and np.array_equal(stepper.centres, start)
    assert stepper.iteration == 0 and "First press Assign" in stepper.text


def test_k_slider_restarts_with_that_many_centres():
    """Does moving the k slider start again with k centres, kept between 1 and 7?"""
    stepper = KMeansStepper(blobs(), k=3)
    stepper._k_slider.value = 5
    assert stepper.k == 5 and len(stepper.centres) == 5
    stepper.k = 50
    assert stepper.k == 7 and stepper._k_slider.value == 7


def test_steps_fire_events_and_the_buttons_do_the_same():
    """Do the buttons and the methods fire on_step with the step's name?"""
    stepper = KMeansStepper(blobs(), seed=2)
    seen = []
    stepper.on_step(seen.append)
    buttons = {b.description: b for b in stepper._buttons.children}
    buttons["Assign"].click()
    buttons["Move centres"].click()
    buttons["Start again"].click()
    assert seen == ["assign", "move", "reset"]
    buttons["Repeat until stable"].click()
    assert stepper.stable and seen[-2:] == ["assign", "move"]


def test_measures_cannot_be_written():
    """Can code write the inertia, the iteration count, stable or the points?"""
    stepper = KMeansStepper(blobs())
    for name, value in (("inertia", 0.0), ("stable", True), ("centres", [[0, 0]])):
        with pytest.raises(AttributeError):
            setattr(stepper, name, value)
    with pytest.raises(TraitError):
        stepper.iteration = 9
    with pytest.raises(ValueError):
        stepper._X[0, 0] = 1.0
    stepper.centres[0, 0] = 999.0  # a copy: the stepper's own centre stays
    assert stepper.centres[0, 0] != 999.0


def test_state_round_trips_through_get_state():
    """Does a second stepper given the first one's state start from the same centres?"""
    stepper = KMeansStepper(blobs(), k=4, seed=9)
    state = stepper.get_state()
    copy = KMeansStepper(blobs())
    copy.set_state({name: state[name] for name in ("k", "seed")})
    assert (copy.k, copy.seed) == (4, 9)
    assert np.array_equal(copy.centres, stepper.centres) and copy.text == stepper.text
    assert "iteration" not in state


def test_clusters_have_colour_shape_and_letter_in_picture_and_words():
    """After assigning, does each cluster have its own shape, and do centres carry letters?"""
    stepper = KMeansStepper(blobs(), k=3, seed=0)
    stepper.assign()
    picture = stepper._picture.value
    assert "<circle" in picture and "<rect" in picture and "<polygon" in picture
    for letter in "ABC":
        assert f"font-weight='bold' font-family='sans-serif' direction='ltr'>{letter}</text>" in picture
    assert "Points in cluster A (blue circles)" in stepper.text
    assert "Points in cluster B (orange triangles)" in stepper.text


def test_controls_are_labelled():
    """Are the slider and the four buttons labelled?"""
    stepper = KMeansStepper(blobs())
    assert stepper._k_slider.description == "k (clusters)"
    assert isinstance(stepper._k_slider, ipw.IntSlider)
    assert [b.description for b in stepper._buttons.children] == [
        "Assign", "Move centres", "Repeat until stable", "Start again"]


def test_bad_data_is_refused():
    """Are points with the wrong shape refused with a clear message?"""
    with pytest.raises(ValueError, match="exactly two features"):
        KMeansStepper(np.ones((4, 3)))
