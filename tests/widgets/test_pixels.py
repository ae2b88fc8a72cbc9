"""Tests for widgets/pixels.py: the PixelPad, driven by its methods and buttons, headless."""

from __future__ import annotations

import ipywidgets as ipw
import numpy as np
import pytest
from traitlets import TraitError

from tests.widgets.fake_catalog import fake_catalog
from widgets.pixels import PixelPad


def test_paint_toggle_and_the_array_agree():
    """Do paint() and toggle() change the array get_array() gives, and only that pixel?"""
    pad = PixelPad(3, 4)
    pad.paint(1, 2)
    pad.paint(0, 0, 0.5)
    want = np.zeros((3, 4))
    want[1, 2], want[0, 0] = 1.0, 0.5
    assert np.array_equal(pad.get_array(), want)
    pad.toggle(1, 2)  # painted with the brush already: rubbed out
    pad.toggle(2, 3)
    want[1, 2], want[2, 3] = 0.0, 1.0
    assert np.array_equal(pad.get_array(), want)
    copy = pad.get_array()
    copy[:] = 1
    assert pad.get_array().sum() == 1.5, "get_array() must give a copy, not the pad's own array"


def test_grey_levels_from_0_to_255():
    """With maximum=255, is the brush a grey level and the array made of integers 0 to 255?"""
    pad = PixelPad(2, 2, maximum=255)
    pad.brush = 127.6
    pad.paint(0, 1)
    array = pad.get_array()
    assert array.dtype == np.uint8 and array.tolist() == [[0, 128], [0, 0]]
    pad.invert()
    assert pad.get_array().tolist() == [[255, 127], [255, 255]]
    with pytest.raises(TraitError, match="from 0 to 255"):
        pad.brush = 300
    with pytest.raises(ValueError, match="maximum must be 1"):
        PixelPad(maximum=10)


def test_set_array_takes_a_picture_and_refuses_a_wrong_one():
    """Does set_array() show a NumPy picture, and refuse a wrong shape or a value too big?"""
    pad = PixelPad(2, 3)
    picture = np.array([[0, 1, 0], [1, 0.5, 1]])
    pad.set_array(picture)
    assert np.array_equal(pad.get_array(), picture)
    assert "0.5" in pad._matrix.value and "Pixels with ink: 4" in pad.text
    with pytest.raises(ValueError, match="2 rows and 3 columns, not 3×2"):
        pad.set_array(picture.T)
    with pytest.raises(ValueError, match="from 0 to 1"):
        pad.set_array(picture * 2)
    assert np.array_equal(pad.get_array(), picture), "a refused picture must change nothing"


def test_invert_and_clear():
    """Does invert() swap ink and paper and clear() rub out everything?"""
    pad = PixelPad(2, 2)
    pad.paint(0, 0)
    pad.invert()
    assert pad.get_array().tolist() == [[0, 1], [1, 1]]
    pad._buttons["clear"].click()
    assert not pad.get_array().any()


def test_clicking_a_pixel_button_paints_it_and_moves_the_cursor():
    """Does clicking a pixel's button (mouse, or Space/Enter on it) paint it and put the cursor there?"""
    pad = PixelPad(3, 3)
    button = pad._cells[1 * 3 + 2]
    button.click()
    assert pad.get_array()[1, 2] == 1 and pad.cursor == (1, 2)
    assert button.style.button_color == "#000000" and button.description == "+"
    assert button.tooltip == "Row 1, column 2: 1"
    button.click()
    assert pad.get_array()[1, 2] == 0 and button.style.button_color == "#ffffff"


def test_keyboard_cursor_moves_with_sliders_and_paints_here():
    """Do the Row and Column sliders (arrow keys) and move() drive the cursor that "Paint here" uses?"""
    pad = PixelPad(4, 4)
    pad._row.value = 2  # what an arrow key on the focused Row slider does
    pad._col.value = 3
    assert pad.cursor == (2, 3)
    pad._buttons["paint_here"].click()
    assert pad.get_array()[2, 3] == 1
    pad.move("up")
    pad.move("right")  # already at the right edge: stays
    assert pad.cursor == (1, 3) and (pad._row.value, pad._col.value) == (1, 3)
    pad.paint_here()
    assert pad.get_array()[1, 3] == 1
    assert "   [1]" in pad._matrix.value, "the matrix marks the cursor with brackets"
    assert pad._cells[1 * 4 + 3].description == "+" and pad._cells[2 * 4 + 3].description == ""
    with pytest.raises(ValueError, match="moves up, down, left or right, not .north."):
        pad.move("north")


def test_painting_outside_the_pad_is_a_kind_index_error():
    """Does painting a pixel that does not exist say which rows and columns there are?"""
    pad = PixelPad(2, 2)
    with pytest.raises(IndexError, match="rows go from 0 to 1"):
        pad.paint(5, 0)


def test_on_change_and_the_read_only_counter():
    """Is every change announced to on_change callbacks, and is the change counter read-only?"""
    pad = PixelPad(2, 2)
    heard = []

    def listen(p):
        heard.append(p.get_array().sum())

    pad.on_change(listen)
    pad.paint(0, 0)
    pad.invert()
    assert heard == [1.0, 3.0] and pad.changes == 2
    pad.on_change(listen, remove=True)
    pad.clear()
    assert len(heard) == 2 and pad.changes == 3
    with pytest.raises(TraitError, match="read-only"):
        pad.changes = 0
    with pytest.raises(TraitError, match="read-only"):
        pad.prediction = "seven"


def test_live_prediction_and_a_broken_model():
    """Is the model asked after each change, and does a model that fails give a kind line?"""
    pad = PixelPad(2, 2, predict=lambda a: "dark" if a.sum() >= 2 else "light")
    assert pad.prediction == "light"
    pad.paint(0, 0)
    pad.paint(1, 1)
    assert pad.prediction == "dark" and "The model thinks this is: dark" in pad._guess.value
    assert "dark" in pad.text
    broken = PixelPad(2, 2, predict=lambda a: a.nothing)
    assert broken.prediction == ""
    assert "could not look at the picture: AttributeError" in broken._guess.value


def test_state_round_trip_of_what_the_browser_shows():
    """Do a pixel's button style, the matrix and the words survive get_state()/set_state()?"""
    pad = PixelPad(2, 2)
    pad.paint(0, 1, 0.5)
    style = pad._cells[1].style
    fresh = ipw.ButtonStyle()
    fresh.set_state(style.get_state())
    assert fresh.button_color == "#808080"
    for part in (pad._matrix, pad._words):
        copy = ipw.HTML()
        copy.set_state(part.get_state())
        assert copy.value == part.value
    assert "dir='auto'" in pad._words.value


def test_controls_are_named_and_texts_are_translated():
    """Has every control a name and a tooltip, and do texts come through the translation function?"""
    with fake_catalog() as mark:
        pad = PixelPad(2, 2)
        for control in (pad._brush, pad._row, pad._col, *pad._buttons.values()):
            assert control.description.startswith(mark) and control.tooltip.startswith(mark)
        assert not any(b.icon for b in pad._buttons.values()), "an icon glyph would join the name"
        assert pad._cells[0].tooltip.startswith(mark) and pad.text.startswith(mark)
    assert PixelPad(2, 2)._buttons["invert"].description == "Invert"
