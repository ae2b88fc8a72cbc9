"""Tests for the child's side helpers: widgets.i18n and widgets.draw."""

from __future__ import annotations

import pytest

from widgets import draw, i18n


def test_text_without_translation_stays_english_and_fills_fields():
    """Does a text with no catalog entry come back in English, with its fields filled?"""
    i18n.set_language("en")
    assert i18n._("The robot is at {square}.", square=(2, 3)) == "The robot is at (2, 3)."
    assert not i18n.is_rtl()


def test_unknown_language_is_refused():
    """Is a language outside en, fr, ar refused with a clear message?"""
    with pytest.raises(ValueError, match="unknown language"):
        i18n.set_language("xx")


def test_every_shape_draws_and_labels_are_escaped():
    """Does every marker shape draw, and is a label with quotes kept out of the markup?"""
    parts = [draw.marker(shape, 10, 10, title="a'b") for shape in draw.SHAPES]
    picture = draw.svg(40, 40, parts, label="x<y 'quoted'")
    assert picture.count("<title>") == len(draw.SHAPES) + 1
    assert "x<y" not in picture and "&#x27;quoted&#x27;" in picture
    with pytest.raises(ValueError, match="unknown marker shape"):
        draw.marker("blob", 0, 0)


def test_scale_puts_larger_y_higher_on_screen():
    """Does the scale map data to pixels with y growing upwards?"""
    scale = draw.Scale(0, 10, 0, 10, width=100, height=100, margin=10)
    assert scale.px(0) == 10 and scale.px(10) == 90
    assert scale.py(0) == 90 and scale.py(10) == 10


def test_half_plane_and_clipped_line_stay_inside_the_box():
    """Does the line x = 5 cut the box 0..10 in two halves, with both ends on the box's edges?"""
    assert sorted(draw.clip_line(1, 0, -5, 0, 10, 0, 10)) == [(5.0, 0.0), (5.0, 10.0)]
    right = draw.half_plane(1, 0, -5, 0, 10, 0, 10)
    assert sorted(right) == [(5.0, 0.0), (5.0, 10.0), (10, 0), (10, 10)]
    assert draw.clip_line(1, 0, -50, 0, 10, 0, 10) is None
    assert draw.half_plane(1, 0, -50, 0, 10, 0, 10) == []
    assert len(draw.half_plane(1, 0, 50, 0, 10, 0, 10)) == 4
    assert "stroke-dasharray='4 3'" in draw.line(0, 0, 1, 1, dash="4 3")


def test_nice_range_gives_round_tick_labels():
    """Does nice_range widen 1 … 5 to 0 … 6 in six steps of 1, and do the axes then read 0, 1, 2 …?"""
    assert draw.nice_range(1, 5) == (0.0, 6.0, 6)
    assert draw.nice_range(0.2, 0.9) == (0.0, 1.0, 5)
    start, end, steps = draw.nice_range(-3, 120)
    assert start <= -3 and end >= 120 and steps <= 8
    parts = "".join(draw.Scale(0, 6, 0, 1, width=100, height=100).axes(ticks=6, y_ticks=5))
    assert ">0.4</text>" in parts and ">5</text>" in parts and ">1.2</text>" not in parts
