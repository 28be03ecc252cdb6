"""Charts drawn on the server as SVG: no script, readable without colour (every bar carries its number),
and each one is followed on the page by a table of the same numbers for screen readers."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

BAR, GAP, HEIGHT, LABEL_WIDTH = 22, 6, 160, 130


def columns(items, *, chart_id: str) -> SafeString:
    """Vertical bars, one per (label, value, link), with the value above each bar."""
    items = list(items)
    top = max((value for _label, value, _link in items), default=0) or 1
    width = max(len(items) * (BAR + GAP) + GAP, 200)
    label_every = max(1, len(items) // 15)
    bars = []
    for i, (label, value, link) in enumerate(items):
        x = GAP + i * (BAR + GAP)
        h = round(HEIGHT * value / top)
        bars.append(_linked(link, format_html(
            '<g><title>{label}: {value}</title><rect x="{x}" y="{y}" width="{w}" height="{h}" class="bar"></rect>'
            '<text x="{cx}" y="{ty}" class="value">{value}</text></g>',
            label=label, value=value, x=x, y=20 + HEIGHT - h, w=BAR, h=h, cx=x + BAR / 2, ty=16 + HEIGHT - h,
        )))
        if i % label_every == 0:
            bars.append(format_html('<text x="{}" y="{}" class="axis">{}</text>', x + BAR / 2, HEIGHT + 36, label))
    return _chart(chart_id, width, HEIGHT + 44, bars)


def rows(items, *, chart_id: str, suffix: str = "") -> SafeString:
    """Horizontal bars, one per (label, value, link); a missing value (None) is drawn as "–"."""
    items = list(items)
    top = max((value or 0 for _label, value, _link in items), default=0) or 1
    width, bar_room = 560, 560 - LABEL_WIDTH - 70
    bars = []
    for i, (label, value, link) in enumerate(items):
        y = 6 + i * (BAR + GAP)
        w = round(bar_room * (value or 0) / top)
        bars.append(_linked(link, format_html(
            '<g><title>{label}: {shown}</title>'
            '<text x="0" y="{ty}" class="axis-left">{label}</text>'
            '<rect x="{x}" y="{y}" width="{w}" height="{h}" class="bar"></rect>'
            '<text x="{vx}" y="{ty}" class="value-left">{shown}</text></g>',
            label=label, shown="–" if value is None else f"{value}{suffix}", ty=y + BAR * 0.7,
            x=LABEL_WIDTH, y=y, w=w, h=BAR, vx=LABEL_WIDTH + w + 6,
        )))
    return _chart(chart_id, width, len(items) * (BAR + GAP) + 10, bars)


def _linked(link: str | None, bar: SafeString) -> SafeString:
    """A bar leads to the requests it counts; one that counts nothing to open is not a link."""
    return format_html('<a href="{}">{}</a>', link, bar) if link else bar


def _chart(chart_id: str, width: int, height: int, parts) -> SafeString:
    # A named group of links, not role="img": an image's content is hidden from assistive technology, links too.
    return format_html(
        '<svg class="chart" role="group" aria-labelledby="{id}" viewBox="0 0 {w} {h}" width="100%" '
        'preserveAspectRatio="xMinYMin meet">{parts}</svg>',
        id=chart_id, w=width, h=height, parts=format_html_join("", "{}", ((part,) for part in parts)),
    )
