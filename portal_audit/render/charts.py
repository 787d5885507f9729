"""Charts of the national overview and the agency reports, as inline SVG: no script, nothing fetched,
black and white only (grey bars, black lines, dashes for reference lines), so a chart prints on any
office printer as it shows on screen. Every text drawn comes from the inputs (portal names, category
names, round labels) and is escaped; long names are shortened, with the whole name as the tooltip."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from portal_audit.render.html import esc

FONT = 'font-family="Times New Roman,Times,serif" font-size="12"'
WIDTH = 760
LABEL_WIDTH = 330  # the names' column of a bar chart: most category names fit whole
VALUE_WIDTH = 60  # the numbers right of the longest bar
ROW = 18
BAR_FILL = "#595959"  # a grey that stays a grey when printed
GRID = "#bfbfbf"
MAX_LABEL = 56


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: drawn empty, with `text` saying why
    text: str  # shown right of the bar, e.g. "87,5" or "không có điểm"


def number(value: float | None) -> str:
    """A score as Vietnamese readers write it (87,5); '—' when there is none."""
    if value is None:
        return "—"
    return f"{value:.1f}".replace(".", ",").removesuffix(",0")


def count_scale(largest: int, ticks: int = 4) -> int:
    """The end of a count axis: a multiple of `ticks` steps of 1, 2, 5, 10, 20 ... so every tick is a whole number."""
    magnitude = 1
    while True:
        for step in (magnitude, 2 * magnitude, 5 * magnitude):
            if step * ticks >= largest:
                return step * ticks
        magnitude *= 10


def short(label: str, limit: int = MAX_LABEL) -> str:
    return label if len(label) <= limit else label[:limit - 1].rstrip() + "…"


def _svg(kind: str, title: str, height: float, body: str, width: float = WIDTH) -> str:
    """One chart; `data-chart` names its kind for whoever checks the page (the self-tests)."""
    return (f'<figure class="chart"><svg xmlns="http://www.w3.org/2000/svg" role="img" data-chart="{esc(kind)}" '
            f'width="{width:.0f}" height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" {FONT}>'
            f"<title>{esc(title)}</title>{body}</svg><figcaption>{esc(title)}</figcaption></figure>")


def _axis(top: float, bottom: float, left: float, span: float, scale_max: float, ticks: int = 4) -> str:
    parts = []
    for i in range(ticks + 1):
        x = left + span * i / ticks
        value = scale_max * i / ticks
        parts.append(f'<line x1="{x:.1f}" y1="{top:.1f}" x2="{x:.1f}" y2="{bottom:.1f}" stroke="{GRID}" '
                     f'stroke-width="0.6"/><text x="{x:.1f}" y="{bottom + 13:.1f}" text-anchor="middle">'
                     f"{esc(number(value))}</text>")
    return "".join(parts)


def bar_chart(kind: str, title: str, bars: Sequence[Bar], scale_max: float,
              marker: tuple[float, str] | None = None) -> str:
    """Horizontal bars in the given order; `marker` is a reference line (value, its label)."""
    top, span = 22.0, WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bottom = top + ROW * len(bars) + 4
    scale_max = scale_max or 1.0
    parts = [_axis(top - 4, bottom, LABEL_WIDTH, span, scale_max)]
    for i, bar in enumerate(bars):
        y = top + ROW * i
        width = 0.0 if bar.value is None else span * max(0.0, min(bar.value, scale_max)) / scale_max
        parts.append(f'<g class="bar"><title>{esc(bar.label)}: {esc(bar.text)}</title>'
                     f'<text x="{LABEL_WIDTH - 6}" y="{y + 12.5:.1f}" text-anchor="end">{esc(short(bar.label))}</text>'
                     f'<rect x="{LABEL_WIDTH}" y="{y + 3:.1f}" width="{width:.1f}" height="{ROW - 6}" '
                     f'fill="{BAR_FILL}"/><text x="{LABEL_WIDTH + width + 4:.1f}" y="{y + 12.5:.1f}">'
                     f"{esc(bar.text)}</text></g>")
    if marker is not None:
        value, label = marker
        x = LABEL_WIDTH + span * max(0.0, min(value, scale_max)) / scale_max
        parts.append(f'<g class="marker"><line x1="{x:.1f}" y1="{top - 8:.1f}" x2="{x:.1f}" y2="{bottom:.1f}" '
                     f'stroke="#000" stroke-width="1.4" stroke-dasharray="5 3"/>'
                     f'<text x="{x:.1f}" y="{top - 10:.1f}" text-anchor="middle">{esc(label)}</text></g>')
    return _svg(kind, title, bottom + 22, "".join(parts))


def _points(values: Sequence[float | None], left: float, top: float, width: float, height: float) -> list[
        tuple[float, float, float] | None]:
    """Each round's (x, y, value) on a 0-100 scale; None where the portal had no score that round."""
    step = width / max(len(values) - 1, 1)
    return [None if v is None else (left + step * i, top + height * (1 - max(0.0, min(v, 100.0)) / 100), v)
            for i, v in enumerate(values)]


def _polyline(points: list[tuple[float, float, float] | None], stroke_width: float, dot: float) -> str:
    """The line through the rounds with a score (a gap in the data is bridged), a dot at each."""
    drawn = [p for p in points if p is not None]
    if not drawn:
        return ""
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in drawn)
    dots = "".join(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{dot}" fill="#000"/>' for x, y, _ in drawn)
    return f'<polyline points="{line}" fill="none" stroke="#000" stroke-width="{stroke_width}"/>{dots}'


def line_chart(kind: str, title: str, labels: Sequence[str], values: Sequence[float | None],
               width: float = WIDTH, height: float = 200) -> str:
    """One series over the rounds, 0-100, each point with its value (the national trend, an agency's score)."""
    left, top, plot_w, plot_h = 40.0, 24.0, width - 80, height - 60  # room above for the top value
    parts = []
    for tick in (0, 25, 50, 75, 100):
        y = top + plot_h * (1 - tick / 100)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w:.1f}" y2="{y:.1f}" stroke="{GRID}" '
                     f'stroke-width="0.6"/><text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{tick}</text>')
    points = _points(values, left + 30, top, plot_w - 60, plot_h)
    parts.append(_polyline(points, 2, 3.5))
    step = (plot_w - 60) / max(len(labels) - 1, 1)
    for i, (label, point) in enumerate(zip(labels, points)):
        x = left + 30 + step * i
        parts.append(f'<text x="{x:.1f}" y="{top + plot_h + 18:.1f}" text-anchor="middle">{esc(short(label, 24))}'
                     "</text>")
        if point:
            parts.append(f'<text x="{x:.1f}" y="{point[1] - 8:.1f}" text-anchor="middle" font-weight="bold">'
                         f"{esc(number(point[2]))}</text>")
    return _svg(kind, title, height, "".join(parts), width)


def small_multiples(kind: str, title: str, labels: Sequence[str],
                    series: Sequence[tuple[str, Sequence[float | None]]], columns: int = 4) -> str:
    """A small line per portal over the same rounds (0-100), its name and latest score above it."""
    cell_w, cell_h = WIDTH / columns, 64.0
    parts = []
    for i, (name, values) in enumerate(series):
        left, top = cell_w * (i % columns), cell_h * (i // columns) + 4
        latest = next((v for v in reversed(values) if v is not None), None)
        frame = (f'<rect x="{left + 4:.1f}" y="{top + 16:.1f}" width="{cell_w - 12:.1f}" height="{cell_h - 24:.1f}" '
                 f'fill="none" stroke="{GRID}" stroke-width="0.6"/>')
        line = _polyline(_points(values, left + 10, top + 20, cell_w - 24, cell_h - 32), 1.4, 2)
        parts.append(f'<g class="portal"><title>{esc(name)}: '
                     f'{esc(", ".join(f"{lab} {number(v)}" for lab, v in zip(labels, values)))}</title>'
                     f'<text x="{left + 4:.1f}" y="{top + 11:.1f}">{esc(short(name, 26))}</text>'
                     f'<text x="{left + cell_w - 8:.1f}" y="{top + 11:.1f}" text-anchor="end" font-weight="bold">'
                     f"{esc(number(latest))}</text>{frame}{line}</g>")
    rows = (len(series) + columns - 1) // columns
    return _svg(kind, title, rows * cell_h + 8, "".join(parts))
