"""A small line plot drawn with Pillow: calibrated x axis with ticks, unit label and counts axis."""
import math

import numpy as np

from records.previews.canvas import FOREGROUND, as_real, font

LINE_COLOUR = (31, 119, 180)
MARK_COLOUR = (214, 39, 40)
TICK_LENGTH = 4
TICK_COUNT = 5
ZERO_PEAK_EV = 150.0


def nice_ticks(low: float, high: float, count: int = TICK_COUNT) -> list[float]:
    """Round tick positions (1, 2, 5 x 10^n steps) covering [low, high]."""
    if not math.isfinite(low) or not math.isfinite(high) or high <= low:
        return [low]
    raw = (high - low) / max(1, count)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.ceil(low / step) * step
    ticks = []
    value = first
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    return ticks


def _label(value: float) -> str:
    return f"{value:.4g}"


def _envelope(y: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Per-pixel-column minimum and maximum, so narrow peaks survive downsampling."""
    if len(y) <= width:
        return y, y
    edges = np.linspace(0, len(y), width + 1).astype(int)
    return np.minimum.reduceat(y, edges[:-1]), np.maximum.reduceat(y, edges[:-1])


def _zigzag(columns: np.ndarray, lows: np.ndarray, highs: np.ndarray) -> list[tuple[float, float]]:
    """One polyline covering each column from its low to its high row, alternating direction so that
    neighbouring columns join; drawn in one call instead of one line per column."""
    ends = np.stack([lows, highs], axis=1)
    ends[1::2] = ends[1::2, ::-1]
    return list(zip(np.repeat(columns, 2).tolist(), ends.ravel().tolist()))


def _without_zero_peak(y: np.ndarray, offset: float, scale: float, unit: str) -> np.ndarray:
    """The channels that set the vertical range: an X-ray spectrum's zero-energy peak (below
    ZERO_PEAK_EV) would otherwise flatten every real line."""
    per_ev = {"eV": 1.0, "keV": 1000.0}.get(unit)
    if per_ev is None:
        return y
    energies = (offset + scale * np.arange(len(y))) * per_ev
    kept = y[energies >= ZERO_PEAK_EV]
    return kept if kept.size > len(y) // 2 else y


def _mark_elements(draw, metadata: dict, axis: dict, span: tuple, plot: tuple, colour) -> None:
    """A dashed line and a label at each element line inside the plotted energy range."""
    from records.previews.lines import marks

    (x_low, x_high), (left, top, right, bottom) = span, plot
    small = font(10)
    for number, (label, position) in enumerate(sorted(marks(metadata, axis, x_low, x_high), key=lambda m: m[1])):
        x = left + (position - x_low) / ((x_high - x_low) or 1) * (right - left)
        for start in range(top + 14, bottom, 6):
            draw.line((x, start, x, min(start + 3, bottom)), fill=colour)
        draw.text((x + 2, top + 2 + (number % 3) * 11), label, fill=colour, font=small, anchor="la")


def draw_spectrum(draw, box: tuple[int, int, int, int], y, axis: dict, y_label: str = "counts",
                  ink=FOREGROUND, line=LINE_COLOUR, metadata: dict | None = None, mark=MARK_COLOUR) -> None:
    """Plot `y` against the calibrated `axis` (offset, scale, unit, name) inside `box` (l, t, r, b), with
    the lines of the elements `metadata` names marked; `ink`, `line` and `mark` are colours of the canvas
    mode (RGB tuples, or palette indices)."""
    y = as_real(np.asarray(y)).ravel()
    y = np.where(np.isfinite(y), y, 0)
    small, label_font = font(11), font(12)
    left, top, right, bottom = box
    plot_left, plot_right = left + 48, right - 10
    plot_top, plot_bottom = top + 8, bottom - 36
    width = max(2, plot_right - plot_left)
    height = max(2, plot_bottom - plot_top)
    draw.rectangle((plot_left, plot_top, plot_right, plot_bottom), outline=ink)
    offset, scale = float(axis.get("offset", 0.0)), float(axis.get("scale", 1.0)) or 1.0
    x_low, x_high = sorted((offset, offset + scale * (len(y) - 1 if len(y) > 1 else 1)))
    shown = _without_zero_peak(y, offset, scale, str(axis.get("unit") or ""))
    y_low, y_high = float(y.min(initial=0.0)), float(shown.max(initial=0.0))
    if y_high <= y_low:
        y_high = y_low + 1.0
    lows, highs = _envelope(y, width)
    columns = np.linspace(plot_left, plot_right, len(lows)) if len(lows) > 1 else np.array([plot_left])
    to_row = lambda v: np.clip(plot_bottom - (v - y_low) / (y_high - y_low) * height, plot_top, plot_bottom)  # noqa: E731
    if scale < 0:
        columns = columns[::-1]
    if len(lows) == len(y):
        draw.line(list(zip(columns.tolist(), to_row(y).tolist())), fill=line, width=1)
    else:
        draw.line(_zigzag(columns, to_row(lows), to_row(highs)), fill=line, width=1)
    for tick in nice_ticks(x_low, x_high):
        x = plot_left + (tick - x_low) / ((x_high - x_low) or 1) * width
        draw.line((x, plot_bottom, x, plot_bottom + TICK_LENGTH), fill=ink)
        draw.text((x, plot_bottom + TICK_LENGTH + 1), _label(tick), fill=ink, font=small, anchor="mt")
    for tick in nice_ticks(y_low, y_high, 4):
        row = to_row(tick)
        draw.line((plot_left - TICK_LENGTH, row, plot_left, row), fill=ink)
        draw.text((plot_left - TICK_LENGTH - 1, row), _label(tick), fill=ink, font=small, anchor="rm")
    _mark_elements(draw, metadata or {}, axis, (x_low, x_high), (plot_left, plot_top, plot_right, plot_bottom), mark)
    unit = axis.get("unit") or ""
    name = axis.get("name") or "channel"
    if len(name) == 1 and unit in ("eV", "keV"):
        name = "Energy"  # DM names a spectrum's axis "x"
    x_title = f"{name} ({unit})" if unit else name
    draw.text(((plot_left + plot_right) / 2, bottom - 2), x_title, fill=ink, font=label_font, anchor="mb")
    draw.text((plot_left + 4, plot_top + 2), y_label, fill=ink, font=small, anchor="la")
