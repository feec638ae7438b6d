"""Small line charts drawn straight onto a PNG with Pillow: the mastering report's figure.

matplotlib would take a second to import and half a second to draw; a report needs axes, ticks,
lines and a legend, which Pillow draws in a few milliseconds.

>>> import tempfile, pathlib
>>> canvas = Canvas(400, 300)
>>> panel = canvas.panel((0, 0, 400, 300), x_range=(20, 20000), y_range=(-60, 0), log_x=True, title="spectrum")
>>> panel.line([20, 200, 2000, 20000], [-10, -20, -30, -50], "#1f5fbf", "after")
>>> panel.finish("Hz", "dB")
>>> path = pathlib.Path(tempfile.mkdtemp()) / "c.png"
>>> canvas.save(path)
>>> path.read_bytes()[:4] == b"\\x89PNG"
True
"""
from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

INK, GRID, PAPER = "#222222", "#dddddd", "#ffffff"


def _font(size: int) -> ImageFont.ImageFont:
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow < 10.1 has only its bitmap font
        return ImageFont.load_default()


def nice_ticks(low: float, high: float, count: int = 6) -> list[float]:
    """Round tick values (1, 2, 5 x 10^n steps) across [low, high].

    >>> nice_ticks(-13.2, 0.5)
    [-12.5, -10.0, -7.5, -5.0, -2.5, 0.0]
    """
    span = max(high - low, 1e-9)
    raw = span / count
    step = 10 ** math.floor(math.log10(raw))
    step *= next(m for m in (1, 2, 2.5, 5, 10) if step * m >= raw)
    first = math.ceil(low / step) * step
    return [round(first + i * step, 10) for i in range(int((high - first) / step + 1e-9) + 1)]


class Canvas:
    """A white image holding one or more panels."""

    def __init__(self, width: int, height: int):
        self.image = Image.new("RGB", (width, height), PAPER)
        self.draw = ImageDraw.Draw(self.image)

    def panel(self, box: tuple[int, int, int, int], x_range: tuple[float, float], y_range: tuple[float, float],
              log_x: bool = False, title: str = "") -> Panel:
        return Panel(self, box, x_range, y_range, log_x, title)

    def save(self, path: Path) -> None:
        self.image.save(path, format="PNG", optimize=False)


class Panel:
    """Axes inside `box` (left, top, right, bottom pixels) with data ranges; lines clip to them."""

    MARGIN = (62, 28, 14, 44)  # left, top, right, bottom

    def __init__(self, canvas: Canvas, box, x_range, y_range, log_x: bool, title: str):
        self.draw = canvas.draw
        left, top, right, bottom = box
        self.area = (left + self.MARGIN[0], top + self.MARGIN[1], right - self.MARGIN[2], bottom - self.MARGIN[3])
        self.x_range, self.y_range, self.log_x = x_range, y_range, log_x
        self.font, self.small = _font(13), _font(11)
        self.legend: list[tuple[str, str]] = []
        if title:
            self.draw.text(((self.area[0] + self.area[2]) / 2, top + 6), title, fill=INK, font=self.font, anchor="mt")

    def _x(self, value: float) -> float:
        lo, hi = self.x_range
        if self.log_x:
            value, lo, hi = math.log10(max(value, 1e-9)), math.log10(lo), math.log10(hi)
        return self.area[0] + (value - lo) / (hi - lo) * (self.area[2] - self.area[0])

    def _y(self, value: float) -> float:
        lo, hi = self.y_range
        value = min(max(value, lo), hi)
        return self.area[3] - (value - lo) / (hi - lo) * (self.area[3] - self.area[1])

    def line(self, xs, ys, colour: str, label: str = "", width: int = 2) -> None:
        points = [(self._x(x), self._y(y)) for x, y in zip(xs, ys) if self.x_range[0] <= x <= self.x_range[1]]
        if len(points) > 1:
            self.draw.line(points, fill=colour, width=width, joint="curve")
        if label:
            self.legend.append((label, colour))

    def finish(self, x_label: str, y_label: str) -> None:
        """Grid, ticks, axis labels, frame and legend."""
        left, top, right, bottom = self.area
        if self.log_x:
            decades = range(math.floor(math.log10(self.x_range[0])), math.floor(math.log10(self.x_range[1])) + 1)
            x_ticks = [10.0 ** d * m for d in decades for m in (1, 2, 5) if self.x_range[0] <= 10.0 ** d * m <= self.x_range[1]]
        else:
            x_ticks = nice_ticks(*self.x_range)
        for x in x_ticks:
            px = self._x(x)
            self.draw.line([(px, top), (px, bottom)], fill=GRID)
            text = f"{x / 1000:g}k" if x >= 1000 else f"{x:g}"
            self.draw.text((px, bottom + 4), text, fill=INK, font=self.small, anchor="mt")
        for y in nice_ticks(*self.y_range):
            py = self._y(y)
            self.draw.line([(left, py), (right, py)], fill=GRID)
            self.draw.text((left - 5, py), f"{y:g}", fill=INK, font=self.small, anchor="rm")
        self.draw.rectangle([left, top, right, bottom], outline=INK)
        self.draw.text(((left + right) / 2, bottom + 22), x_label, fill=INK, font=self.font, anchor="mt")
        self.draw.text((left - self.MARGIN[0] + 4, top - 4), y_label, fill=INK, font=self.small, anchor="lb")
        if not self.legend:
            return
        width = max(self.draw.textlength(label, font=self.small) for label, _ in self.legend)
        x0 = right - width - 50
        self.draw.rectangle([x0, top + 4, right - 6, top + 20 + 16 * (len(self.legend) - 1)], fill=PAPER, outline=GRID)
        for i, (label, colour) in enumerate(self.legend):
            y = top + 12 + 16 * i
            self.draw.line([(x0 + 6, y), (x0 + 30, y)], fill=colour, width=3)
            self.draw.text((x0 + 36, y), label, fill=INK, font=self.small, anchor="lm")
