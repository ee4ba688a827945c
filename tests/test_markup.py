"""What people write never becomes markup: an HTML payload put into every free-text column of every
table (over the demo data) is shown inert on every page each role reaches (the crawl of
tests/test_english.py), and a lazily translated text holding it stays text wherever it goes (a
form's label, a flash, Markup)."""
import re

import pytest
from flask import render_template_string
from markupsafe import Markup, escape
from sqlalchemy import JSON, select, update
from sqlmodel import SQLModel
from wtforms import Form, TextAreaField

from fsi.db import db
from fsi.i18n import lazy_gettext as _l
from tests.test_english import LOGINS, SKIPPED, Page, _is_text, crawl

PAYLOAD = ('<meta http-equiv="refresh" content="0;url=https://evil.example/">"\'>'
           "<script>alert(1)</script><img src=x onerror=alert(1)>")
#: for the few columns too short for the whole payload (a phone number)
SHORT_PAYLOAD = "<img src=x onerror=alert(1)>"
#: what the payload looks like once escaped: it must show somewhere, or the crawl proved nothing
ESCAPED = str(escape("<script>alert(1)</script>"))
#: the payload's pieces as live markup, as they would appear in a page that did not escape them
LIVE = ("<script>alert(1)", "<img src=x onerror=alert", '<meta http-equiv="refresh"')

#: columns that hold no free text, by name: workflow states, names and actions (the definitions
#: name them), codes (a department's, a kind's), e-mail addresses (validated), hashes and secrets
NOT_FREE_TEXT_NAMES = re.compile(r"(^|_)(state|circuit|workflow|trigger|code|email|hash|secret|language|slug)$")
#: and the few others, each read by code: codes of FSI's own lists, identifiers FSI makes or checks,
#: an IP address, an upload's name on disk and its sniffed type
NOT_FREE_TEXT = {
    "application.kind", "cost_line.category", "eligibility_item.rule", "call.joint_grant_split",
    "application.reference", "organisation.siren", "login_attempt.address", "outbox_message.recipient",
    "attachment.sha256", "attachment.stored_name", "attachment.content_type",
    "event.video_url",  # an http(s) address the event form checks, shown as a link
}
#: JSON columns holding text people wrote: a checklist item's {"fr", "en"} label, a call's list
#: of required attachments
JSON_TEXTS = {"eligibility_item.label", "call.required_attachments"}
#: the crawl opens the versions too: their comparison highlights words with markup
CRAWL_SKIPPED = re.compile(SKIPPED.pattern.replace("|/versions", ""))
COMPARE_FORM = re.compile(r'action="(/applications/\d+/versions)"')


def free_text_columns():
    """[(table, column)] of every text column but those that hold no free text."""
    return [(table, column) for table in SQLModel.metadata.sorted_tables for column in table.columns
            if (_is_text(column) and not NOT_FREE_TEXT_NAMES.search(column.name)
                and f"{table.name}.{column.name}" not in NOT_FREE_TEXT)
            or f"{table.name}.{column.name}" in JSON_TEXTS]


def poisoned(value, column, row_key):
    """``value`` with the payload in front, within the column's length; a unique column gets the
    row's key instead of its text, so that no two rows collide once cut."""
    if isinstance(column.type, JSON):
        if isinstance(value, dict):
            return {language: PAYLOAD + text for language, text in value.items()}
        return [PAYLOAD + text for text in value or []]
    length = column.type.length
    payload = PAYLOAD if length is None or length >= len(PAYLOAD) + 10 else SHORT_PAYLOAD
    tail = str(row_key) if column.unique else value or ""
    return f"{payload} {tail}"[:length]


def poison_every_text():
    """Put the payload into every free-text column of every row."""
    by_table = {}
    for table, column in free_text_columns():
        by_table.setdefault(table, []).append(column)
    for table, columns in by_table.items():
        key = list(table.primary_key.columns)
        for row in db.session.execute(select(*key, *columns)).all():
            values = {c.name: poisoned(row._mapping[c], c, "-".join(str(row._mapping[k]) for k in key))
                      for c in columns}
            db.session.execute(update(table).where(*(k == row._mapping[k] for k in key)).values(values))
    db.commit()


def test_the_exclusions_name_existing_columns():
    columns = {f"{t.name}.{c.name}" for t in SQLModel.metadata.sorted_tables for c in t.columns}
    assert (NOT_FREE_TEXT | JSON_TEXTS) - columns == set()


class MarkupPage(Page):
    """A page that also keeps its HTML and notes any element the payload would have made live;
    crawled in French, the default language (a Page leaves what is lang="fr" aside)."""

    def feed(self, data):
        self.html = data
        self.live = [piece for piece in LIVE if piece in data]
        super().feed(data)

    def handle_starttag(self, tag, attrs):
        names = {name for name, _value in attrs}
        if (tag == "meta" and "http-equiv" in names) or any(name.startswith("on") for name in names):
            self.live.append(self.get_starttag_text())
        super().handle_starttag(tag, [(name, value) for name, value in attrs if name != "lang"])

    def handle_data(self, data):
        if self.lasttag == "script" and "alert(" in data:
            self.live.append(data)
        super().handle_data(data)


@pytest.fixture(scope="module")
def app(demo_app):
    with demo_app.app_context():
        poison_every_text()
    return demo_app


def comparisons(client, pages):
    """{path: page} of the comparisons of the last version with the current answers, which the
    application pages offer through a form, not a link."""
    compared = {}
    for path in {match for page in pages.values() for match in COMPARE_FORM.findall(page.html)}:
        response = client.get(f"{path}?new=current")
        assert response.status_code == 200, path
        compared[f"{path}?new=current"] = page = MarkupPage()
        page.feed(response.get_data(as_text=True))
    return compared


@pytest.mark.parametrize("email", LOGINS)
def test_every_page_shows_what_people_wrote_as_text(client, email):
    assert client.post("/login", data={"email": email, "password": "demo-fsi-2026"}).status_code == 302
    pages = crawl(client, skipped=CRAWL_SKIPPED, page_class=MarkupPage)
    pages.update(comparisons(client, pages))
    live = {path: sorted(set(page.live))[:2] for path, page in pages.items() if page.live}
    assert live == {}, "\n".join(f"{path}: {pieces}" for path, pieces in sorted(live.items()))
    assert sum(ESCAPED in page.html for page in pages.values()) > 3, "the payload shows nowhere: nothing was tested"


def test_the_reviewer_sees_a_criterion_label_as_text(client):
    """The reported case: the label of a criterion, in the scoring grid's comment label."""
    assert client.post("/login", data={"email": LOGINS[1], "password": "demo-fsi-2026"}).status_code == 302
    queue = MarkupPage()
    queue.feed(client.get("/review/queue").get_data(as_text=True))
    grids = [link for link in queue.links if re.fullmatch(r"/review/assignments/\d+/review", link)]
    assert grids
    for link in grids:
        page = MarkupPage()
        page.feed(client.get(link).get_data(as_text=True))
        assert (page.live, ESCAPED in page.html) == ([], True), link


# --- A translated text holding someone's words stays text, wherever it goes -------------------

def label_with_payload():
    return _l("Commentaire sur « %(label)s »", label=PAYLOAD)


def test_a_lazy_translation_is_escaped_as_text(shared_app):
    with shared_app.test_request_context():
        html = str(escape(label_with_payload()))
        assert "<script>" not in html and ESCAPED in html
        assert "<script>" not in Markup("<p>%s</p>") % label_with_payload()
        assert str(label_with_payload()).startswith("Commentaire sur « <meta")  # still text, not entities


def test_a_form_label_and_description_from_a_lazy_translation_are_text(shared_app):
    class GridForm(Form):
        comment = TextAreaField(label_with_payload(), description=label_with_payload())

    with shared_app.test_request_context():
        form = GridForm()
        rendered = [str(form.comment.label()), str(escape(form.comment.label.text)), str(escape(form.comment.description))]
    assert [ESCAPED in html and "<script>" not in html for html in rendered] == [True, True, True]


def test_a_flashed_lazy_translation_comes_back_as_text(shared_app):
    """Flask's session cookie keeps anything with ``__html__`` as Markup: a flashed lazy string
    comes back from it as what its ``__html__`` gave."""
    with shared_app.test_request_context():
        serializer = shared_app.session_interface.serializer
        (_category, message), = serializer.loads(serializer.dumps({"_flashes": [("error", label_with_payload())]}))[
            "_flashes"]
        html = render_template_string("{{ message }}", message=message)
    assert ESCAPED in html and "<script>" not in html
