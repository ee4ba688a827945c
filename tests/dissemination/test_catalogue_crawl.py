"""Nothing unpublished is public. On the demo data, markers are planted in a draft sheet, an
unpublished sheet (left in the search index by mistake), an application, review comments, reports,
payments and a user's e-mail; an anonymous visitor then follows every link reachable from the public
pages (pages, feeds, calendars, open data) and no response may show a marker, nor any e-mail address
but a published sheet's chosen contact. Every other route, tried on the planted objects' ids, sends
the visitor to the login page or answers 404."""
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from sqlalchemy import select, update

from fsi.accounts.models import Role, User
from fsi.applications.models import Application
from fsi.db import db
from fsi.dissemination.catalogue.search_index import index_sheet
from fsi.dissemination.sheets.models import PracticeSheet
from fsi.funding.models import Report, Tranche
from fsi.review.models.scoring import Assignment, Review, ReviewScore
from fsi.workflow import tagged
from tests.dissemination.catalogue_helpers import create_sheet, draft_state, unpublished_state
from tests.factories import create_application

MARKERS = ("MARQUEUR-BROUILLON", "MARQUEUR-DEPUBLIEE", "MARQUEUR-DOSSIER", "MARQUEUR-DESCRIPTION",
           "MARQUEUR-AVIS", "MARQUEUR-RAPPORT", "MARQUEUR-VERSEMENT", "marqueur.courriel@example.org")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
UID = re.compile(r"^UID:.*$", re.M)
#: query-string variants of one path the crawl follows (the catalogue's facets multiply them)
VARIANTS_PER_PATH = 25
MAX_URLS = 600


@pytest.fixture(scope="module")
def app(demo_app):
    return demo_app


@pytest.fixture(scope="module")
def planted(demo_app):
    with demo_app.app_context(), demo_app.test_request_context():
        session = db.session
        draft = create_sheet(state=draft_state(), title="MARQUEUR-BROUILLON", lessons="MARQUEUR-BROUILLON sécurité")
        gone = create_sheet(state=unpublished_state(), title="MARQUEUR-DEPUBLIEE",
                            lessons="MARQUEUR-DEPUBLIEE sécurité")
        index_sheet(gone)  # an index out of step with the sheets still shows nothing
        hidden = create_application(state="draft", title="MARQUEUR-DOSSIER")
        counts = {
            "application": session.execute(update(Application).values(
                description="MARQUEUR-DESCRIPTION", innovation="MARQUEUR-DESCRIPTION",
                contact_phone="0600000000")).rowcount,
            "review": session.execute(update(Review).values(general_comment="MARQUEUR-AVIS")).rowcount,
            "review_score": session.execute(update(ReviewScore).values(comment="MARQUEUR-AVIS")).rowcount,
            "report": session.execute(update(Report).values(achievements="MARQUEUR-RAPPORT",
                                                            difficulties="MARQUEUR-RAPPORT")).rowcount,
            "tranche": session.execute(update(Tranche).values(label="MARQUEUR-VERSEMENT")).rowcount,
        }
        lead = session.scalars(select(User).where(User.role == Role.applicant).order_by(User.id)).first()
        lead.email = "marqueur.courriel@example.org"
        ids = {
            "sheet_id": [draft.id, gone.id], "slug": [draft.slug, gone.slug], "application_id": [hidden.id],
            "report_id": list(session.scalars(select(Report.id).limit(2))),
            "tranche_id": list(session.scalars(select(Tranche.id).limit(2))),
            "assignment_id": list(session.scalars(select(Assignment.id).limit(2))),
        }
        public = session.scalars(select(PracticeSheet).where(
            PracticeSheet.state.in_(tagged("sheet", "public")))).all()
        contacts = {sheet.contact_email.lower() for sheet in public if sheet.contact_email}
        slugs = [sheet.slug for sheet in public]
        db.commit()
    assert all(counts.values()), counts  # the demo has rows of each kind to plant in
    assert slugs, "the demo publishes a sheet"
    return {"ids": ids, "contacts": contacts, "slugs": slugs}


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("a", "link") and attrs.get("href"):
            self.found.append(attrs["href"])
        elif tag in ("img", "script") and attrs.get("src"):
            self.found.append(attrs["src"])
        elif tag == "form" and (attrs.get("method") or "get").lower() == "get" and attrs.get("action"):
            self.found.append(attrs["action"])


def local(base, href):
    url = urljoin(base, href)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https", "") or parts.netloc not in ("", "fsi.test"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def check_public(body, where, contacts):
    for marker in MARKERS:
        assert marker.lower() not in body.lower(), f"{marker} shown at {where}"
    body = UID.sub("", body)  # an iCalendar event's UID looks like an address and is none
    emails = {e.lower().rstrip(".") for e in EMAIL.findall(body)}
    assert emails <= contacts, f"personal data at {where}: {emails - contacts}"


def crawl(client, contacts, start=("/",)):
    seen, queue, variants, visited = set(start), list(start), {}, []
    while queue:
        url = queue.pop(0)
        if url.startswith("/static/"):
            continue  # our own stylesheets and scripts
        response = client.get(url)
        body = response.get_data().decode("utf-8", "replace")
        response.close()
        visited.append((url, response.status_code))
        if response.status_code in (301, 302, 303):
            location = response.headers["Location"]
            assert "/login" in location, f"{url} redirects to {location}"
            continue
        assert response.status_code == 200, f"{url}: {response.status_code}"
        check_public(body, url, contacts)
        if response.mimetype != "text/html":
            continue
        parser = Links()
        parser.feed(body)
        for href in parser.found:
            target = local("http://fsi.test" + url, href)
            if target is None or target in seen or target.startswith("/login") or len(seen) >= MAX_URLS:
                continue
            path = target.split("?")[0]
            variants[path] = variants.get(path, 0) + 1
            if variants[path] > VARIANTS_PER_PATH:
                continue
            seen.add(target)
            queue.append(target)
    return visited


def test_every_public_link_shows_only_what_is_published(app, planted, client):
    visited = crawl(client, planted["contacts"])
    pages = {url for url, status in visited if status == 200}
    assert {"/", "/catalogue", "/open-data", "/open-data/sheets.csv", "/open-data/grants.json",
            "/catalogue/feed.atom", "/events/"} <= pages
    assert any(url == f"/catalogue/{slug}" for url in pages for slug in planted["slugs"])
    assert any(url.startswith("/catalogue?") and "theme=" in url for url in pages)  # the facets
    assert any(url.startswith("/events/") and url.endswith(".ics") for url in pages)
    # the search itself: a word of the planted sheets finds only published ones
    for query in ("sécurité", "securite", "MARQUEUR"):
        check_public(client.get(f"/catalogue?q={query}").get_data(as_text=True), query, planted["contacts"])
    # the demo's sheet, published through its workflow (whose effect indexed it), found without accents
    found = client.get("/catalogue?q=securite energie").get_data(as_text=True)
    assert f'href="/catalogue/{planted["slugs"][0]}"' in found


def test_the_unpublished_sheets_are_not_found_by_their_slug(app, planted, client):
    for slug in planted["ids"]["slug"]:
        assert client.get(f"/catalogue/{slug}").status_code == 404


def test_every_other_route_sends_anonymous_visitors_to_the_login_page(app, planted, client):
    """Each GET route, on the planted objects' ids: the login page, 404, or a public page without
    any marker."""
    ids = planted["ids"]
    samples = {"name": ["summary"], "code": ["13"], "token": ["x"]}
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        values = [{}]
        for argument in rule.arguments:
            choices = ids.get(argument) or samples.get(argument) or [1]
            values = [{**v, argument: choice} for v in values for choice in choices]
        for arguments in values:
            with app.test_request_context():
                url = app.url_map.bind("fsi.test").build(rule.endpoint, arguments)
            response = client.get(url)
            body = response.get_data().decode("utf-8", "replace")
            response.close()
            where = f"{rule.endpoint} {url}"
            if response.status_code in (301, 302, 303):
                location = response.headers["Location"]
                if "/login" not in location:  # a public page's canonical address: shown as public
                    followed = client.get(location)
                    assert followed.status_code == 200, where
                    check_public(followed.get_data(as_text=True), where, planted["contacts"])
            elif rule.endpoint == "operations.healthz":  # 503: the suite's schema carries no revision
                assert response.status_code in (200, 503) and set(response.get_json()) >= {"status"}, where
            elif url.startswith("/api/") and response.status_code == 401:
                assert response.is_json and "error" in response.get_json(), where  # the API asks for its token
            else:
                assert response.status_code in (200, 400, 404, 405), where
                check_public(body, where, planted["contacts"])
    # the planted objects' own pages, by name
    for url in (f"/applications/{ids['application_id'][0]}", f"/sheets/{ids['sheet_id'][0]}",
                f"/projects/reports/{ids['report_id'][0]}", f"/projects/tranches/{ids['tranche_id'][0]}"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url
