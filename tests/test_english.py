"""« English » is complete: each role, in English, crawls every page its links lead to (on the
demo data), and no page shows a French label of the catalogs or of the domain's choices.

What is French on purpose is left aside: what people wrote (every text column of the database but
the mails and FSI's own comments), what is marked lang="fr" (the language switch, the French
column of the lists) and the frozen versions of an application."""
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from sqlalchemy import Enum, String, TypeDecorator, select
from sqlmodel import SQLModel

from fsi.db import db
from fsi.workflow.models import WorkflowEvent
from tests.wording import catalog, domain_labels

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%%|%[sd]")
#: pages a crawl does not open: leaving, downloads, the raw export and the frozen French versions
SKIPPED = re.compile(r"/logout|/language|/static/|/attachments/\d+$|\.(csv|xlsx|ics|atom)\b|/versions|/password/|\.json$")
LOGINS = ("porteur@demo.fsi", "comite@demo.fsi", "instructeur@demo.fsi", "admin@demo.fsi")


def catalog_fragments():
    """The French pieces of every translated message (the parts between its placeholders)."""
    fragments = set()
    for french_id, english_id in catalog().items():
        ids = french_id if isinstance(french_id, tuple) else (french_id,)
        strings = english_id if isinstance(english_id, tuple) else (english_id,)
        for french, english in zip(ids, strings, strict=False):
            if french != english:
                fragments |= {piece.strip(" .,:;«»()") for piece in PLACEHOLDER.split(french)}
    return {piece for piece in fragments if len(piece) >= 12 and " " in piece}


def label_fragments():
    """The French labels of the domain's choices that differ from their English ones."""
    return {label["fr"] for label in domain_labels() if label["fr"] != label["en"] and len(label["fr"]) >= 6}


def _is_text(column):
    kind = column.type.impl if isinstance(column.type, TypeDecorator) else column.type
    return isinstance(kind, String) and not isinstance(kind, Enum)


def written_texts():
    """What people wrote, in whatever language: the text columns of every table but the outbox
    (FSI's mails) and the comments FSI writes itself (events without an actor)."""
    texts = set()
    for table in SQLModel.metadata.sorted_tables:
        if table.name == "outbox_message":
            continue
        for column in table.columns:
            if _is_text(column):
                query = select(column)
                if table.name == WorkflowEvent.__tablename__:
                    query = query.where(table.c.actor_id.is_not(None))
                texts |= {value for value in db.session.execute(query).scalars() if value and len(value) >= 4}
    return sorted(texts, key=len, reverse=True)


def leaked(text, fragment, written):
    """Whether ``fragment`` is in ``text`` once what people wrote is taken out of it."""
    if fragment not in text:
        return False
    if any(text.strip().removesuffix("…") in value for value in written):
        return False  # a piece of a text someone wrote (a paragraph of a description, a chart's cut label)
    for value in written:
        text = text.replace(value, "")
    return fragment in text


class Page(HTMLParser):
    """The text a reader meets (text, accessible names, hints), less what is marked lang="fr";
    and the links."""

    SKIP = {"script", "style"}
    SPOKEN = ("aria-label", "title", "placeholder", "alt")

    def __init__(self):
        super().__init__()
        self.texts, self.links, self._stack = [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        french = attrs.get("lang") == "fr" or (self._stack and self._stack[-1])
        if tag not in ("br", "img", "input", "meta", "link", "hr", "source"):
            self._stack.append(bool(french) or tag in self.SKIP)
        if french:
            return
        self.texts += [attrs[name] for name in self.SPOKEN if attrs.get(name)]
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if self._stack and tag not in ("br", "img", "input", "meta", "link", "hr", "source"):
            self._stack.pop()

    def handle_data(self, data):
        if not (self._stack and self._stack[-1]) and data.strip():
            self.texts.append(data)


@pytest.fixture(scope="module")
def app(demo_app):
    return demo_app


@pytest.fixture(scope="module")
def written(app):
    with app.app_context():
        return written_texts()


def crawl(client, start="/", limit=400, skipped=SKIPPED, page_class=Page):
    """{path: page} of every page reachable from ``start`` through the links pages show, each
    read by a ``page_class`` (a Page)."""
    seen, todo = {}, [start]
    while todo and len(seen) < limit:
        path = todo.pop(0)
        if path in seen:
            continue
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        page = page_class()
        page.feed(response.get_data(as_text=True))
        seen[path] = page
        for href in page.links:
            parts = urlsplit(urljoin(f"http://fsi.test{path}", href))
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if (parts.scheme in ("", "http") and parts.netloc in ("", "fsi.test") and not skipped.search(target)
                    and target not in seen):  # not mailto: links
                todo.append(target)
    return seen


@pytest.mark.parametrize("email", LOGINS)
def test_every_page_reads_in_english(client, written, email):
    french = catalog_fragments() | label_fragments()
    assert client.post("/login", data={"email": email, "password": "demo-fsi-2026"}).status_code == 302
    client.post("/language", data={"lang": "en"})
    pages = crawl(client)
    assert len(pages) > 5
    leaks = sorted({(path, fragment) for path, page in pages.items()
                    for text in page.texts for fragment in french if leaked(text, fragment, written)})
    assert leaks == [], "\n".join(f"{path}: {fragment}" for path, fragment in leaks)
