"""Small charts rendered on the server as inline SVG: no JavaScript, no vendored library.
Every text is escaped; the numbers come from the selectors."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Colours say what a figure is, the same on every chart: overdue is red, waiting (stuck, not
# necessarily late) amber, open work blue, anything else grey (Bootstrap's danger, warning, primary
# and secondary).
OVERDUE = "#dc3545"
STUCK = "#fd7e14"
OPEN = "#0d6efd"
NEUTRAL = "#6c757d"


def bar_chart(
    rows: list[tuple[str, int]], *, title: str, width: int = 520, colour: str = NEUTRAL
) -> SafeString:
    """Horizontal bars, one per (label, value), longest first as given, in the colour of what they count."""
    bar_h, gap, label_w, top = 20, 6, 190, 8
    height = top + len(rows) * (bar_h + gap) + 4
    peak = max((v for _l, v in rows), default=0) or 1
    span = width - label_w - 50
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="wuyi-chart" width="100%" '
        f'viewBox="0 0 {width} {max(height, 30)}" aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    for i, (label, value) in enumerate(rows):
        y = top + i * (bar_h + gap)
        w = max(1, round(span * value / peak)) if value else 0
        short = label if len(label) <= 14 else label[:13] + "…"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end" font-size="12">{escape(short)}</text>'
            f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar_h}" fill="{colour}">'
            f"<title>{escape(label)}: {int(value)}</title></rect>"
            f'<text x="{label_w + w + 4}" y="{y + 14}" font-size="12">{int(value)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every interpolated text is escaped above


def line_chart(
    labels: list[str],
    series: list[tuple],
    *,
    title: str,
    width: int = 560,
    height: int = 220,
) -> SafeString:
    """Lines over months, one per series (name, values[, colour]; grey without one), with a legend;
    y from 0 to the peak."""
    left, right, top, bottom = 40, 28, 24, 28  # right: room for half of the last month's label
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max((v for _name, values, *_colour in series for v in values), default=0) or 1
    n = max(len(labels) - 1, 1)

    def point(i: int, v: int) -> str:
        return f"{left + plot_w * i / n:.1f},{top + plot_h - plot_h * v / peak:.1f}"

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="wuyi-chart" width="100%" '
        f'viewBox="0 0 {width} {height}" aria-label="{escape(title)}"><title>{escape(title)}</title>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#adb5bd"/>',
        f'<text x="{left - 4}" y="{top + 4}" text-anchor="end" font-size="11">{int(peak)}</text>',
        f'<text x="{left - 4}" y="{top + plot_h}" text-anchor="end" font-size="11">0</text>',
    ]
    for i, label in enumerate(labels):
        if (len(labels) - 1 - i) % 2 == 0:  # every other month, counted back from the latest
            x = left + plot_w * i / n
            parts.append(
                f'<text x="{x:.1f}" y="{height - 8}" text-anchor="middle" font-size="10">'
                f"{escape(label)}</text>"
            )
    for s, (name, values, *chosen) in enumerate(series):
        colour = chosen[0] if chosen else NEUTRAL
        points = " ".join(point(i, v) for i, v in enumerate(values))
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}"/>')
        for i, v in enumerate(values):
            x, y = point(i, v).split(",")
            parts.append(
                f'<circle cx="{x}" cy="{y}" r="3" fill="{colour}"><title>{escape(labels[i])} '
                f"{escape(name)}: {int(v)}</title></circle>"
            )
        parts.append(
            f'<rect x="{left + 10 + s * 120}" y="6" width="10" height="10" fill="{colour}"/>'
            f'<text x="{left + 24 + s * 120}" y="15" font-size="11">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every interpolated text is escaped above
