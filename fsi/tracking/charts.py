"""Bar charts drawn on the server as accessible SVG: a title and a description the screen reader
reads, and the same figures as a table beside the drawing (``templates/tracking/_charts.html``).

Every length is computed here, in Python: the template only prints them. No script, no CDN."""
from dataclasses import dataclass, field
from decimal import Decimal

from fsi.formatting import money, number

#: the drawing's coordinates (viewBox units): labels on the left, bars, then the value
WIDTH = 640
LABEL_WIDTH = 220
BAR_AREA = 300
ROW_HEIGHT = 26
BAR_HEIGHT = 18
MAX_LABEL = 32


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | int
    formatted: str
    #: the bar's length as a share of the longest one, 0 to 100
    percent: float
    url: str | None = None
    #: where the drawing puts it (viewBox units)
    y: int = 0
    width: float = 0.0

    @property
    def short_label(self):
        """The label as drawn (the table beside gives it whole)."""
        return self.label if len(self.label) <= MAX_LABEL else self.label[:MAX_LABEL - 1] + "…"


@dataclass(frozen=True)
class Chart:
    title: str
    description: str
    value_label: str
    bars: list[Bar] = field(default_factory=list)
    label_header: str = ""

    width = WIDTH
    label_width = LABEL_WIDTH
    bar_height = BAR_HEIGHT

    @property
    def height(self):
        return max(1, len(self.bars)) * ROW_HEIGHT + 4

    @property
    def bar_x(self):
        return LABEL_WIDTH

    @property
    def text_y_offset(self):
        return BAR_HEIGHT - 5

    @property
    def slug(self):
        """A stable id for aria-labelledby, from the title."""
        return "chart-" + "".join(ch if ch.isalnum() else "-" for ch in str(self.title).lower())[:48]


def format_value(value):
    """Money for a Decimal, a plain number for a count."""
    if isinstance(value, Decimal):
        return money(value, cents=False)
    return number(value)


def bar_chart(title, description, rows, value_label, label_header=""):
    """``rows``: ``[(label, value, url or None)]`` (the url may be left out), value a Decimal
    (euros) or an int (a count). Bars are sized on the largest value; a negative or missing value
    draws no bar."""
    rows = [tuple(row) + (None,) * (3 - len(row)) for row in rows]
    values = [max(Decimal(value or 0), Decimal(0)) for _label, value, _url in rows]
    top = max(values, default=Decimal(0))
    bars = []
    for index, ((label, value, url), size) in enumerate(zip(rows, values, strict=True)):
        share = float(size / top * 100) if top > 0 else 0.0
        bars.append(Bar(label=str(label), value=value if value is not None else 0,
                        formatted=format_value(value if value is not None else 0),
                        percent=round(share, 1), url=url, y=index * ROW_HEIGHT + 2,
                        width=round(BAR_AREA * share / 100, 1)))
    return Chart(title=str(title), description=str(description), value_label=str(value_label),
                 bars=bars, label_header=str(label_header))
