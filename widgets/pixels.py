"""Paint a small picture pixel by pixel and see the numbers a computer sees.

:class:`PixelPad` is a grid of buttons, one per pixel, beside the same picture written as a
matrix of numbers. A click (or Tab to a pixel, then Space or Enter) paints it with the brush
or rubs it out. The keyboard also drives a cursor: the "Row" and "Column" sliders move it with
the arrow keys and "Paint here" paints under it; the cursor is marked with ``+`` on the grid
and with brackets in the matrix, not by colour alone.

Pixel values go from 0 (white, no ink) to ``maximum`` (black, full ink): ``maximum=1`` for
values between 0 and 1, ``maximum=255`` for the 256 grey levels of a photo. ``get_array()``
gives the picture as a NumPy array and ``set_array()`` takes one; ``predict`` (a function
from that array to a label) is asked after every change and its answer shown under the pad.
"""

from __future__ import annotations

import ipywidgets as ipw
import numpy as np
from traitlets import Float, Int, TraitError, Tuple, Unicode, observe, validate

from widgets import draw
from widgets.i18n import N_, _

__all__ = ["PixelPad"]

_MOVES = {"up": (-1, 0), "down": (1, 0), "left": (0, -1), "right": (0, 1)}
_BIGGEST = 28  # 28 × 28 is the size of the handwritten digits children meet later


class PixelPad(ipw.VBox):
    """A ``rows`` × ``cols`` picture to paint, beside its matrix of numbers.

    ``paint(row, col, value)``, ``toggle(row, col)``, ``invert()``, ``clear()``,
    ``set_array(array)`` and ``move(direction)`` do what the mouse and keyboard do;
    ``on_change(callback, remove=False)`` calls ``callback(pad)`` after every change.
    """

    maximum = Int(1, read_only=True,
                  help="The value of a full-ink pixel: 1 (values 0 to 1) or 255 (grey levels).")
    brush = Float(1.0, help="The value a click paints (0 rubs out).")
    cursor = Tuple(Int(), Int(), default_value=(0, 0), help="The pixel under the cursor, as (row, col).")
    changes = Int(0, read_only=True, help="How many times the picture has changed.")
    prediction = Unicode("", read_only=True, help="What the model says the picture is ('' without one).")

    def __init__(self, rows: int = 8, cols: int = 8, maximum: int = 1, predict=None, **kwargs):
        if not (1 <= int(rows) <= _BIGGEST and 1 <= int(cols) <= _BIGGEST):
            raise ValueError(f"a pixel pad has between 1 and {_BIGGEST} rows and columns")
        if maximum not in (1, 255):
            raise ValueError("maximum must be 1 (values 0 to 1) or 255 (grey levels 0 to 255)")
        self.rows, self.cols = int(rows), int(cols)
        self.set_trait("maximum", maximum)
        self.predict = predict
        self._array = np.zeros((self.rows, self.cols), dtype=float)
        self._callbacks = ipw.CallbackDispatcher()
        self._cells = []
        self._shown: dict = {}  # (row, col) -> (value, cursor here) as last drawn
        for row in range(self.rows):
            for col in range(self.cols):
                button = ipw.Button(layout=ipw.Layout(width="2.1em", height="2.1em", padding="0",
                                                      margin="0", border="1px solid #888"))
                button.on_click(lambda _button, row=row, col=col: self._click(row, col))
                self._cells.append(button)
        self._grid = ipw.GridBox(self._cells, layout=ipw.Layout(
            grid_template_columns=f"repeat({self.cols}, 2.1em)", grid_gap="1px"))
        self._matrix = ipw.HTML()
        self._words = ipw.HTML()
        self._guess = ipw.HTML()
        wide = {"description_width": "initial"}
        self._brush = ipw.FloatSlider(min=0, max=maximum, step=1 if maximum == 255 else 0.1,
                                      description=_("Brush"), style=wide,
                                      tooltip=_("How dark a click paints (0 rubs out)"))
        self._row = ipw.IntSlider(min=0, max=self.rows - 1, description=_("Row"), style=wide,
                                  tooltip=_("Move the cursor up and down with the arrow keys"))
        self._col = ipw.IntSlider(min=0, max=self.cols - 1, description=_("Column"), style=wide,
                                  tooltip=_("Move the cursor left and right with the arrow keys"))
        self._buttons = {}
        for name, label, tip in (
                ("paint_here", N_("Paint here"), N_("Paint or rub out the pixel under the cursor")),
                ("invert", N_("Invert"), N_("Swap ink and paper in every pixel")),
                ("clear", N_("Clear"), N_("Rub out every pixel"))):
            button = ipw.Button(description=_(label), tooltip=_(tip))
            button.on_click(lambda _button, name=name: getattr(self, name)())
            self._buttons[name] = button
        controls = ipw.VBox([self._brush, self._row, self._col, ipw.HBox(list(self._buttons.values()))])
        super().__init__(children=[controls, ipw.HBox([self._grid, self._matrix]), self._guess,
                                   self._words], brush=float(maximum), **kwargs)
        ipw.link((self, "brush"), (self._brush, "value"))
        self._row.observe(lambda change: self._move_to(change["new"], self.cursor[1]), "value")
        self._col.observe(lambda change: self._move_to(self.cursor[0], change["new"]), "value")
        for row in range(self.rows):
            for col in range(self.cols):
                self._draw_cell(row, col)
        self._update()

    # --- traits --------------------------------------------------------------------------
    @validate("brush")
    def _valid_brush(self, proposal):
        return self._level(proposal["value"])

    @validate("cursor")
    def _valid_cursor(self, proposal):
        row, col = proposal["value"]
        return (min(max(int(row), 0), self.rows - 1), min(max(int(col), 0), self.cols - 1))

    @observe("cursor")
    def _cursor_moved(self, change):
        self._row.value, self._col.value = change["new"]
        for square in {tuple(change["old"]), tuple(change["new"])}:
            self._draw_cell(*square)
        self._matrix.value = self._draw_matrix()
        self._words.value = self._say()

    def _level(self, value) -> float:
        value = float(value)
        if not 0 <= value <= self.maximum:
            raise TraitError(_("A pixel value goes from 0 to {maximum}, not {value}.",
                               maximum=self.maximum, value=value))
        return float(round(value)) if self.maximum == 255 else value

    # --- events --------------------------------------------------------------------------
    def on_change(self, callback, remove: bool = False) -> None:
        """Call ``callback(pad)`` after every change of the picture (or stop calling it)."""
        self._callbacks.register_callback(callback, remove=remove)

    # --- what the mouse and keyboard do --------------------------------------------------
    def paint(self, row: int, col: int, value=None) -> None:
        """Give pixel (``row``, ``col``) the ``value`` (the brush's value if not given)."""
        row, col = self._square(row, col)
        level = self.brush if value is None else self._level(value)
        self._array[row, col] = level
        self._draw_cell(row, col)
        self._changed()

    def toggle(self, row: int, col: int) -> None:
        """Paint pixel (``row``, ``col``) with the brush, or rub it out if it has that value already."""
        row, col = self._square(row, col)
        self.paint(row, col, 0.0 if self._array[row, col] == self.brush else self.brush)

    def paint_here(self) -> None:
        """Paint or rub out the pixel under the cursor (what "Paint here" does)."""
        self.toggle(*self.cursor)

    def move(self, direction: str) -> None:
        """Move the cursor one pixel ``up``, ``down``, ``left`` or ``right`` (it stops at the edge)."""
        if direction not in _MOVES:
            raise ValueError(_("The cursor moves up, down, left or right, not {direction}.",
                               direction=repr(direction)))
        step = _MOVES[direction]
        self.cursor = (self.cursor[0] + step[0], self.cursor[1] + step[1])

    def invert(self) -> None:
        """Swap ink and paper: every value becomes ``maximum`` minus it."""
        self._array = self.maximum - self._array
        self._redraw_all()

    def clear(self) -> None:
        """Rub out every pixel."""
        self._array[:] = 0
        self._redraw_all()

    def get_array(self) -> np.ndarray:
        """The picture as a new array of shape (rows, cols): floats 0–1, or integers 0–255."""
        if self.maximum == 255:
            return self._array.astype(np.uint8)
        return self._array.copy()

    def set_array(self, array) -> None:
        """Show ``array`` (shape (rows, cols), values from 0 to ``maximum``) on the pad."""
        values = np.asarray(array, dtype=float)
        if values.shape != self._array.shape:
            raise ValueError(_("The picture must have {rows} rows and {cols} columns, not {shape}.",
                               rows=self.rows, cols=self.cols, shape="×".join(map(str, values.shape))))
        if not np.isfinite(values).all() or values.min() < 0 or values.max() > self.maximum:
            raise ValueError(_("A pixel value goes from 0 to {maximum}.", maximum=self.maximum))
        self._array = np.round(values) if self.maximum == 255 else values.copy()
        self._redraw_all()

    @property
    def text(self) -> str:
        """What the pad shows, in words."""
        return self._say(html=False)

    # --- drawing -------------------------------------------------------------------------
    def _square(self, row, col) -> tuple[int, int]:
        row, col = int(row), int(col)
        if not (0 <= row < self.rows and 0 <= col < self.cols):
            raise IndexError(_("There is no pixel at row {row}, column {col}: rows go from 0 to "
                               "{last_row} and columns from 0 to {last_col}.", row=row, col=col,
                               last_row=self.rows - 1, last_col=self.cols - 1))
        return row, col

    def _click(self, row: int, col: int) -> None:
        self.cursor = (row, col)
        self.toggle(row, col)

    def _move_to(self, row: int, col: int) -> None:
        self.cursor = (row, col)

    def _format(self, value: float) -> str:
        return f"{int(value):3d}" if self.maximum == 255 else f"{value:4.2g}"

    def _draw_cell(self, row: int, col: int) -> None:
        value = float(self._array[row, col])
        here = (row, col) == tuple(self.cursor)
        if self._shown.get((row, col)) == (value, here):
            return  # already drawn so: no message to the browser
        self._shown[(row, col)] = (value, here)
        grey = int(round(255 * (1 - value / self.maximum)))
        button = self._cells[row * self.cols + col]
        with button.hold_sync(), button.style.hold_sync():
            button.style.button_color = f"#{grey:02x}{grey:02x}{grey:02x}"
            button.style.text_color = "#ffffff" if grey < 128 else "#000000"
            button.description = "+" if here else ""
            button.tooltip = _("Row {row}, column {col}: {value}", row=row, col=col,
                               value=self._format(value).strip())

    def _redraw_all(self) -> None:
        for row in range(self.rows):
            for col in range(self.cols):
                self._draw_cell(row, col)
        self._changed()

    def _changed(self) -> None:
        self.set_trait("changes", self.changes + 1)
        self._update()
        self._callbacks(self)

    def _update(self) -> None:
        if self.predict is not None:
            try:
                label = self.predict(self.get_array())
                guess = _("The model thinks this is: {label}", label=label)
            except Exception as problem:  # the child's model: say what went wrong, kindly
                label = ""
                what = f"{type(problem).__name__}: {problem}"
                guess = _("The model could not look at the picture: {problem}", problem=what)
            self.set_trait("prediction", str(label))
            self._guess.value = f"<div dir='auto'>{draw.escape(guess)}</div>"
        self._matrix.value = self._draw_matrix()
        self._words.value = self._say()

    def _draw_matrix(self) -> str:
        lines, width = [], 3 if self.maximum == 255 else 4
        for row in range(self.rows):
            cells = []
            for col in range(self.cols):
                number = self._format(self._array[row, col]).strip()
                here = (row, col) == tuple(self.cursor)
                cells.append((f"[{number}]" if here else f" {number} ").rjust(width + 2))
            lines.append("".join(cells))
        label = draw.escape(_("The picture as numbers, one row per line"))
        return (f"<pre role='img' aria-label='{label}' dir='ltr' style='margin:0 0 0 1em;"
                f"line-height:1.35;font-size:12px'>{draw.escape(chr(10).join(lines))}</pre>")

    def _say(self, html: bool = True) -> str:
        inked = int(np.count_nonzero(self._array))
        words = _("A picture of {rows} rows and {cols} columns. Pixels with ink: {inked}. "
                  "The cursor is on row {row}, column {col}.", rows=self.rows, cols=self.cols,
                  inked=inked, row=self.cursor[0], col=self.cursor[1])
        if self.prediction:
            words += " " + _("The model thinks this is: {label}", label=self.prediction)
        return f"<div dir='auto'>{draw.escape(words)}</div>" if html else words
