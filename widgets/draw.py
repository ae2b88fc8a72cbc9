"""Shared drawing for the widgets: a colour-blind-safe palette, marker shapes and SVG.

Widgets draw with inline SVG (no matplotlib, no fonts, no network), so a redraw costs well
under a millisecond. Colour never carries meaning alone: every class has a colour *and* a
shape (:data:`SHAPES`), and every picture has a text description (``aria-label``).
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

__all__ = ["PALETTE", "SHAPES", "Scale", "clip_line", "escape", "grid", "half_plane", "line", "marker",
           "nice_range", "polygon", "svg", "text"]

#: Okabe and Ito's colour-blind-safe palette (black left out: it is used for outlines).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
#: Marker shapes, one per class, in the same order as :data:`PALETTE`.
SHAPES = ("circle", "triangle", "square", "diamond", "star", "cross", "hexagon")


def escape(value) -> str:
    """``value`` as text that is safe inside SVG or HTML (quotes too)."""
    return html.escape(str(value), quote=True)


def _polygon(cx: float, cy: float, r: float, corners: int, turn: float = -90.0,
             inner: float | None = None) -> str:
    points = []
    count = corners * (2 if inner else 1)
    for i in range(count):
        radius = (inner if inner and i % 2 else r)
        angle = math.radians(turn + 360.0 * i / count)
        points.append(f"{cx + radius * math.cos(angle):.1f},{cy + radius * math.sin(angle):.1f}")
    return " ".join(points)


def marker(shape: str, x: float, y: float, size: float = 6.0, fill: str = PALETTE[0],
           stroke: str = "#222", title: str = "", stroke_width: float = 1.0) -> str:
    """One marker of ``shape`` centred on ``(x, y)`` pixels, with an optional tooltip."""
    common = f"fill='{fill}' stroke='{stroke}' stroke-width='{stroke_width}'"
    if shape == "circle":
        body = f"<circle cx='{x:.1f}' cy='{y:.1f}' r='{size:.1f}' {common}>"
        end = "</circle>"
    elif shape == "square":
        s = size * 0.9
        body = f"<rect x='{x - s:.1f}' y='{y - s:.1f}' width='{2 * s:.1f}' height='{2 * s:.1f}' {common}>"
        end = "</rect>"
    else:
        points = {
            "triangle": lambda: _polygon(x, y, size * 1.2, 3),
            "diamond": lambda: _polygon(x, y, size * 1.2, 4),
            "hexagon": lambda: _polygon(x, y, size * 1.05, 6, turn=0),
            "star": lambda: _polygon(x, y, size * 1.3, 5, inner=size * 0.55),
            "cross": lambda: _polygon(x, y, size * 1.2, 4, turn=-45, inner=size * 0.45),
        }.get(shape)
        if points is None:
            raise ValueError(f"unknown marker shape {shape!r}; use one of {', '.join(SHAPES)}")
        body = f"<polygon points='{points()}' {common}>"
        end = "</polygon>"
    tip = f"<title>{escape(title)}</title>" if title else ""
    return body + tip + end


def text(x: float, y: float, words, size: int = 12, anchor: str = "middle",
         colour: str = "#222", weight: str = "normal") -> str:
    """A line of text at ``(x, y)`` pixels (always left to right: numbers and code)."""
    return (f"<text x='{x:.1f}' y='{y:.1f}' font-size='{size}' text-anchor='{anchor}' "
            f"fill='{colour}' font-weight='{weight}' font-family='sans-serif' "
            f"direction='ltr'>{escape(words)}</text>")


def svg(width: int, height: int, parts, label: str) -> str:
    """An SVG picture made of ``parts`` (strings), described in words by ``label``."""
    return (f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
            f"viewBox='0 0 {width} {height}' role='img' aria-label='{escape(label)}' "
            f"style='direction:ltr'><title>{escape(label)}</title>"
            + "".join(parts) + "</svg>")


def grid(rows: int, cols: int, size: float, fill, *, x0: float = 0.0, y0: float = 0.0,
         stroke: str = "#555", title=None) -> list[str]:
    """A ``rows`` × ``cols`` grid of squares of ``size`` pixels, top-left corner at ``(x0, y0)``.

    ``fill(row, col)`` gives each square's colour; ``title(row, col)``, if given, its tooltip
    (what a mouse pointer or a screen reader tells about it). Returns SVG parts.
    """
    parts = []
    for row in range(rows):
        for col in range(cols):
            x, y = x0 + col * size, y0 + row * size
            tip = title(row, col) if title else ""
            body = (f"<rect x='{x:.1f}' y='{y:.1f}' width='{size:.1f}' height='{size:.1f}' "
                    f"fill='{fill(row, col)}' stroke='{stroke}'")
            parts.append(body + (f"><title>{escape(tip)}</title></rect>" if tip else "/>"))
    return parts


@dataclass(frozen=True)
class Scale:
    """Maps data coordinates to pixels inside a ``width`` × ``height`` picture with margins.

    ``y`` grows upwards in data and downwards on screen, as in every maths class.
    """

    x_min: float
    x_max: float
    y_min: float
    y_max: float
    width: int = 360
    height: int = 300
    margin: int = 36

    def px(self, x: float) -> float:
        span = (self.x_max - self.x_min) or 1.0
        return self.margin + (x - self.x_min) / span * (self.width - 2 * self.margin)

    def py(self, y: float) -> float:
        span = (self.y_max - self.y_min) or 1.0
        return self.height - self.margin - (y - self.y_min) / span * (self.height - 2 * self.margin)

    def axes(self, x_label: str = "", y_label: str = "", ticks: int = 5,
             y_ticks: int | None = None) -> list[str]:
        """The frame, tick labels and axis names, as SVG parts (``y_ticks``: default ``ticks``)."""
        left, right = self.margin, self.width - self.margin
        top, bottom = self.margin, self.height - self.margin
        parts = [f"<rect x='{left}' y='{top}' width='{right - left}' height='{bottom - top}' "
                 "fill='#fff' stroke='#555'/>"]
        for i in range(ticks + 1):
            vx = round(self.x_min + (self.x_max - self.x_min) * i / ticks, 10)
            parts.append(text(self.px(vx), bottom + 14, f"{vx:g}", size=10))
        y_ticks = ticks if y_ticks is None else y_ticks
        for i in range(y_ticks + 1):
            vy = round(self.y_min + (self.y_max - self.y_min) * i / y_ticks, 10)
            parts.append(text(left - 4, self.py(vy) + 4, f"{vy:g}", size=10, anchor="end"))
        if x_label:
            parts.append(text((left + right) / 2, self.height - 4, x_label, size=12))
        if y_label:
            parts.append(f"<g transform='translate(11 {(top + bottom) / 2:.1f}) rotate(-90)'>"
                         + text(0, 0, y_label, size=12) + "</g>")
        return parts


def line(x1: float, y1: float, x2: float, y2: float, colour: str = "#222", width: float = 1.5,
         dash: str = "") -> str:
    """A straight line between two points in pixels (``dash`` like ``"4 3"`` for a dashed one)."""
    dashes = f" stroke-dasharray='{dash}'" if dash else ""
    return (f"<line x1='{x1:.1f}' y1='{y1:.1f}' x2='{x2:.1f}' y2='{y2:.1f}' stroke='{colour}' "
            f"stroke-width='{width}'{dashes}/>")


def polygon(points, fill: str = "#eee", stroke: str = "none", opacity: float = 1.0) -> str:
    """A filled polygon through ``points`` (pairs of pixels)."""
    corners = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    return f"<polygon points='{corners}' fill='{fill}' stroke='{stroke}' fill-opacity='{opacity}'/>"


def _box(x_min, x_max, y_min, y_max):
    return [(x_min, y_min), (x_max, y_min), (x_max, y_max), (x_min, y_max)]


def half_plane(a: float, b: float, c: float, x_min: float, x_max: float, y_min: float,
               y_max: float) -> list[tuple[float, float]]:
    """The corners of the part of the box where ``a*x + b*y + c >= 0`` (data coordinates).

    Empty when no part of the box is on that side; the whole box when all of it is.
    """
    corners = _box(x_min, x_max, y_min, y_max)
    inside = []
    for i, (x, y) in enumerate(corners):
        nx, ny = corners[(i + 1) % 4]
        here, there = a * x + b * y + c, a * nx + b * ny + c
        if here >= 0:
            inside.append((x, y))
        if (here >= 0) != (there >= 0):
            t = here / (here - there)
            inside.append((x + t * (nx - x), y + t * (ny - y)))
    return inside


def clip_line(a: float, b: float, c: float, x_min: float, x_max: float, y_min: float,
              y_max: float):
    """The two ends of the line ``a*x + b*y + c = 0`` inside the box, or None if it misses it."""
    if a == 0 and b == 0:
        return None
    corners = _box(x_min, x_max, y_min, y_max)
    ends = []
    for i, (x, y) in enumerate(corners):
        nx, ny = corners[(i + 1) % 4]
        here, there = a * x + b * y + c, a * nx + b * ny + c
        if here == 0:
            ends.append((x, y))
        elif here * there < 0:
            t = here / (here - there)
            ends.append((x + t * (nx - x), y + t * (ny - y)))
    if len(ends) < 2:
        return None
    return ends[0], ends[-1]


def nice_range(low: float, high: float, most: int = 8) -> tuple[float, float, int]:
    """A range a little wider than ``low`` … ``high`` cut into at most ``most`` round steps.

    Returns ``(start, end, steps)``; each step is 1, 2, 2.5 or 5 times a power of ten, so the
    labels of :meth:`Scale.axes` (``ticks=steps``) read 0, 2, 4 rather than 0, 1.2, 2.4.
    """
    pad = (high - low) * 0.05 or 1.0
    low, high = low - pad, high + pad
    base = 10.0 ** math.floor(math.log10((high - low) / most))
    for factor in (1, 2, 2.5, 5, 10, 20, 25, 50):
        step = factor * base
        start, end = math.floor(low / step) * step, math.ceil(high / step) * step
        steps = round((end - start) / step)
        if steps <= most:
            break
    return float(round(start, 10)), float(round(end, 10)), int(steps)
