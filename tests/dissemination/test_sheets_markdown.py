"""What a lead writes in Markdown stays text and harmless structure on the sheet: no script, no
event handler, no javascript: link, no SVG, no image fetched from anywhere."""
import re
from html.parser import HTMLParser

import pytest

from fsi.accounts.models import User
from fsi.dissemination.sheets.models import PracticeSheet
from fsi.markdown import render
from tests.dissemination.sheets_setup import get, make_closed, published_sheet

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">clic</a>',
    "[clic](javascript:alert(1))",
    "[clic](JaVaScRiPt:alert(1))",
    "[clic](  javascript:alert(1))",
    "[clic](java\tscript:alert(1))",
    "[clic](&#106;avascript:alert(1))",
    "[clic](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[clic](vbscript:msgbox(1))",
    "<svg onload=alert(1)><circle r=1/></svg>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<iframe src="https://example.org"></iframe>',
    "<style>body{display:none}</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "![x](javascript:alert(1))",
    '![x" onerror="alert(1)](https://example.org/a.png)',
    "<details open ontoggle=alert(1)>",
    '<form action="https://evil.example"><button>ok</button></form>',
    "<!-- <script>alert(1)</script> -->",
    '[clic](https://example.org "titre" onclick="alert(1)")',
]
#: the tags harmless text may come as
SAFE_TAGS = {"p", "br", "hr", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "a", "h3", "h4", "h5",
             "h6", "table", "thead", "tbody", "tr", "th", "td"}


class Elements(HTMLParser):
    """Every element a browser would build from the HTML, with its attributes."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.found = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def live_parts(html, allowed_tags=SAFE_TAGS):
    """What in ``html`` could run or fetch: unexpected tags, event handlers, sources, styles,
    links other than http(s) and mailto."""
    live = []
    for tag, attrs in Elements(html).found:
        if tag not in allowed_tags:
            live.append(tag)
        for name, value in attrs.items():
            if name.startswith("on") or name in ("src", "style", "srcset", "formaction", "xlink:href"):
                live.append(f"{tag}[{name}]")
            if name == "href" and not re.match(r"^(https?:|mailto:|/)", (value or "").strip(), re.IGNORECASE):
                live.append(f"{tag}[href={value}]")
    return live


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_markdown_stays_inert(payload):
    html = str(render(f"Avant\n\n{payload}\n\nAprès", heading_offset=2))
    assert live_parts(html) == [], html
    assert "Avant" in html and "Après" in html


def test_harmless_structure_is_kept():
    html = str(render("# Titre\n\n**gras** *italique* [lien](https://example.org) [écrire](mailto:a@b.fr)\n\n"
                      "- un\n- deux\n\n| a | b |\n|---|---|\n| 1 | 2 |", heading_offset=2))
    assert "<h3>Titre</h3>" in html and "<strong>gras</strong>" in html and "<em>italique</em>" in html
    assert '<a href="https://example.org" rel="nofollow noopener noreferrer">lien</a>' in html
    assert 'href="mailto:a@b.fr"' in html and "<li>un</li>" in html and "<td>1</td>" in html


def test_a_markdown_image_shows_its_text_only():
    assert str(render("![Une photo](https://tracker.example/pixel.png)")) == "<p>Une photo</p>\n"


def test_the_published_page_keeps_every_field_inert(in_db, client, login):
    with in_db():
        closed = make_closed()
        payload = "\n\n".join(HOSTILE)
        sheet = published_sheet(closed, problem=payload, actions=payload, novelty=payload, budget=payload,
                                results=payload, lessons=payload, reproduce=payload,
                                summary="<script>alert(1)</script>", contact_name="<img src=x onerror=alert(1)>")
        sheet_id = sheet.id
        assert get(PracticeSheet, sheet_id).problem == payload  # kept as written: rendering makes it inert
        lead = get(User, closed.lead_id)
    login(lead)
    page = client.get(f"/sheets/{sheet_id}").get_data(as_text=True)
    body = page.split('<div class="sheet-body">', 1)[1].split('<section class="card workflow-actions"', 1)[0]
    # the only images are the chosen attachments' (with their alternative text)
    images = [attrs for tag, attrs in Elements(body).found if tag == "img"]
    assert images == [{"src": f"/sheets/{sheet_id}/files/{closed.photo_id}", "alt": "La loge rénovée",
                       "loading": "lazy"}]
    page_tags = SAFE_TAGS | {"div", "section", "h2", "dl", "dt", "dd", "figure", "figcaption", "caption", "img", "span"}
    assert [part for part in live_parts(body, page_tags) if not part.startswith("img[src")] == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body

