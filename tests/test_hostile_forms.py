"""Every form, posted with random and hostile values by the role that may use it, on the demo data:
never a 5xx; a refusal shows its reason (next to the field, in the page's error summary, or
flashed) and writes nothing.

The forms are found, not listed: each role crawls the pages its links lead to and every
``<form method="post">`` found is read (its action, its fields and their values); every POST route
of ``app.url_map`` must be among them, or be posted blind (its URL built from the demo's ids, the
field names of the forms the project uses) with form data and with JSON.
"""
import os
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func
from sqlmodel import select
from werkzeug.routing import BuildError

from fsi.accounts.models import User
from fsi.applications.models import Application
from fsi.db import db
from fsi.dissemination.events.models import Event
from fsi.dissemination.sheets.models import PracticeSheet
from fsi.funding.models import Clawback, Project, Report
from fsi.review.models import AgendaItem, Assignment, CommitteeSession, NationalSession
from fsi.tracking.models import OutsideGrant
from tests.hostile import DEMO_PASSWORD, flashed, signed_in, snapshot

#: examples per form (FSI_HOSTILE_EXAMPLES=200 for a longer hunt)
EXAMPLES = int(os.environ.get("FSI_HOSTILE_EXAMPLES", "8"))
LOGINS = ("porteur@demo.fsi", "comite@demo.fsi", "instructeur@demo.fsi", "admin@demo.fsi")
#: pages not crawled: leaving, downloads, the frozen versions, the ranking's many sort orders
SKIPPED = re.compile(r"/logout|/language|/static/|/attachments/\d+$|\.(csv|xlsx|ics|atom)\b|/versions|/password/|\.json$|\?sort=")
#: POST routes of other slices (sign-in and passwords, uploads) or that end the test's session
OUT_OF_SCOPE = {"accounts.login", "accounts.logout", "accounts.forgot_password", "accounts.reset_password",
                "accounts.change_password", "accounts.set_language", "accounts.sign_out_everywhere",
                "admin.reset_two_factor", "applications.attachments", "applications.delete_attachment",
                "review.national_decision"}


def out_of_scope(endpoint):
    # the API's POSTs take a bearer token and JSON: tests/api/test_openapi.py posts hostile bodies to them
    return endpoint in OUT_OF_SCOPE or endpoint.startswith(("two_factor.", "api."))
#: forms whose refusal of a read-only page says why in the page's own words (the reviews slice)
REASON_IN_PAGE = {"/review/assignments/"}
#: a form field's hostile values: beyond the columns, other scripts' digits, control characters,
#: markup, implausible dates, huge and negative numbers, nothing
HOSTILE = st.one_of(
    st.sampled_from(["1E+30", "1e400", "12345678901234567890", "9" * 40, "-1", "-0,01", "0", "٣٠٠", "３００",
                     "1_000", "NaN", "inf", "0001-01-01", "9999-12-31", "0001-01-01T00:00", "31/02/2027",
                     "a\x00b", "\x07\x1b[31m", "\r\n", "<script>alert(1)</script>", "' OR 1=1 --", "",
                     "x" * 201, "é" * 5001, "x" * 20001, "x" * 100_000, "/\r\nSet-Cookie: x=1", "//evil.example"]),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=40),
    st.integers().map(str),
)


class FormPage(HTMLParser):
    """A page's links and its POST forms: [(action, [(name, value)], {name: [options]})]."""

    def __init__(self):
        super().__init__()
        self.links, self.forms, self._form, self._select, self._textarea = [], [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._form = (attrs.get("action") or "", [], {})
            self.forms.append(self._form)
        elif self._form is None or not attrs.get("name"):
            return
        elif tag == "input" and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs:
                self._form[1].append((attrs["name"], attrs.get("value") or ""))
            self._form[2].setdefault(attrs["name"], []).append(attrs.get("value") or "")
        elif tag == "textarea":
            self._textarea = [attrs["name"], ""]
            self._form[1].append(self._textarea)
        elif tag == "select":
            self._select = attrs["name"]
        if tag == "option" and self._form is not None and self._select:
            self._form[2].setdefault(self._select, []).append(attrs.get("value") or "")
            if "selected" in attrs:
                self._form[1].append((self._select, attrs.get("value") or ""))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def crawl(client, adapter, seeds, per_route=2, limit=80):
    """{path: FormPage} of the ``seeds`` and the pages reachable from them: at most ``per_route``
    pages of each route, the routes least visited first."""
    seen, todo, visits = {}, dict.fromkeys(seeds), {}
    while todo and len(seen) < limit:
        path = min(todo, key=lambda candidate: visits.get(todo[candidate], 0) if todo[candidate] else -1)
        endpoint = todo.pop(path)
        if endpoint and visits.get(endpoint, 0) >= per_route:
            continue
        visits[endpoint] = visits.get(endpoint, 0) + 1
        response = client.get(path)
        if endpoint is None and response.status_code in (403, 404):  # a seed this role may not see
            continue
        assert response.status_code == 200, (path, response.status_code)
        page = seen[path] = FormPage()
        page.feed(response.get_data(as_text=True))
        for href in page.links:
            parts = urlsplit(urljoin(f"http://fsi.test{path}", href))
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if parts.netloc in ("", "fsi.test") and not SKIPPED.search(target) and target not in seen:
                try:
                    todo[target] = adapter.match(parts.path)[0]
                except Exception:  # noqa: BLE001 (not a page of the application)
                    continue
    return seen


@pytest.fixture(scope="module")
def app(demo_app):
    return demo_app


def seeds(app, email):
    """The home page and, as each state of an application shows other forms, one application
    the user may see in each state."""
    with app.app_context():
        user = db.session.exec(select(User).where(User.email == email)).one()
        rows = db.session.exec(select(Application.state, func.min(Application.id)).where(
            Application.organisation_id == user.organisation_id if user.organisation_id and
            user.role.value == "applicant" else True).group_by(Application.state)).all()
    return ["/"] + [f"/applications/{ident}" for _state, ident in rows]


def sign_in(client, email):
    client.post("/logout")
    assert client.post("/login", data={"email": email, "password": DEMO_PASSWORD}).status_code == 302


@pytest.fixture(scope="module")
def forms(app):
    """{(endpoint, role or None): (email, path, [(name, value)], {name: options})}: the first form
    found for each POST route (for the workflow's actions, for each role) and who found it."""
    found = {}
    adapter = app.url_map.bind("fsi.test")
    for email in LOGINS:
        client = app.test_client()
        sign_in(client, email)
        for path, page in crawl(client, adapter, seeds(app, email)).items():
            for action, fields, options in page.forms:
                target = urlsplit(urljoin(f"http://fsi.test{path}", action or path)).path
                try:
                    endpoint, _args = adapter.match(target, method="POST")
                except Exception:  # noqa: BLE001 (a form posting elsewhere, e.g. outside the app)
                    continue
                role = email if endpoint == "workflow.fire_action" else None  # each role's own actions
                found.setdefault((endpoint, role), (email, target, [tuple(f) for f in fields], options))
    return found


def demo_ids():
    """Arguments to build any route's URL from the demo data."""
    first = {name: db.session.exec(select(model.id).order_by(model.id)).first() for name, model in (
        ("application_id", Application), ("object_id", Application), ("session_id", CommitteeSession),
        ("item_id", AgendaItem), ("assignment_id", Assignment), ("user_id", User), ("row_id", User))}
    national = db.session.exec(select(NationalSession.id)).first()
    first["report_id"] = db.session.exec(select(Report.id).order_by(Report.id)).first()  # funding (F3)
    first["project_id"] = db.session.exec(select(Project.id).order_by(Project.id)).first()  # funding (F1)
    first["clawback_id"] = db.session.exec(select(Clawback.id).order_by(Clawback.id)).first() or 1  # funding (F2)
    first["grant_id"] = db.session.exec(select(OutsideGrant.id).order_by(OutsideGrant.id)).first() or 1  # tracking
    first["sheet_id"] = db.session.exec(select(PracticeSheet.id).order_by(PracticeSheet.id)).first() or 1
    first["event_id"] = db.session.exec(select(Event.id).order_by(Event.id)).first() or 1
    first["token_id"] = 1  # an API token of nobody: the revoke route answers 404
    return {**first, "call_id": 1, "organisation_id": 1, "attachment_id": 1, "national_session_id": national,
            "workflow": "application", "trigger": "approve", "kind": "axes", "name": "budget", "token": "x"}


def found_endpoints(forms):
    return {endpoint for endpoint, _email in forms}


def blind_targets(app, forms):
    """(endpoint, path) of the POST routes no crawled page showed a form for."""
    with app.test_request_context():
        ids = demo_ids()
        targets = []
        for rule in app.url_map.iter_rules():
            if "POST" not in rule.methods or rule.endpoint in found_endpoints(forms) or out_of_scope(rule.endpoint):
                continue
            if rule.endpoint == "static":
                continue
            try:
                path = app.url_map.bind("fsi.test").build(rule.endpoint, {k: ids[k] for k in rule.arguments},
                                                           method="POST")
            except (BuildError, KeyError):
                pytest.fail(f"no demo id to build {rule.rule}")
            targets.append((rule.endpoint, urlsplit(path).path))
        return targets


def post_and_check(app, client, path, data=None, json=None):
    flashed(client, clear=True)
    with app.app_context():
        before = snapshot()
    response = client.post(path, data=data, json=json)
    assert response.status_code < 500, (path, data, json)
    with app.app_context():
        after = snapshot()
    reasons = [message for category, message in flashed(client, clear=True) if category == "error"]
    if response.status_code >= 400 or reasons:
        assert after == before, f"{path} refused ({response.status_code}) but wrote: {data or json}"
    if response.status_code == 422 and response.mimetype == "text/html" and not path.startswith(tuple(REASON_IN_PAGE)):
        text = response.get_data(as_text=True)
        assert 'class="field-error"' in text or 'class="error-summary"' in text or reasons, \
            f"{path}: refused without saying why"
    if response.status_code == 200:
        assert after == before, f"{path} answered 200 to a POST and wrote"
    return response


def test_every_post_route_is_found_or_posted_blind(app, forms):
    found = {endpoint for endpoint in found_endpoints(forms) if not out_of_scope(endpoint)}
    assert {"calls.create", "calls.edit", "taxonomy.index", "applications.section", "review.edit_session",
            "review.add_agenda_item", "review.review", "review.new_session", "workflow.fire_action",
            "workflow.add_note", "admin.edit_user", "admin.edit_organisation"} <= found, sorted(found)
    blind = {endpoint for endpoint, _path in blind_targets(app, forms)}
    with app.test_request_context():
        posts = {rule.endpoint for rule in app.url_map.iter_rules()
                 if "POST" in rule.methods and not out_of_scope(rule.endpoint)}
    assert posts == found | blind


def _settings(examples=EXAMPLES):
    return settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.data_too_large])


def hunt(app, client, email, path, fields, options):
    """Post the form as shown with one to three of its fields (or ``next``) made hostile."""
    names = sorted({name for name, _value in fields} | set(options)) or ["next"]

    @_settings()
    @given(changes=st.dictionaries(st.sampled_from(names), HOSTILE, min_size=1, max_size=3))
    def post_hostile(changes):
        data = {}
        for name, value in fields:
            data.setdefault(name, []).append(value)
        data.update({name: [value] for name, value in changes.items()})
        if not signed_in(client):  # a form may sign the user out (deactivating oneself)
            sign_in(client, email)
        post_and_check(app, client, path, data=data)

    post_hostile()


@pytest.mark.parametrize("email", LOGINS)
def test_every_form_refuses_hostile_values_cleanly(app, forms, email):
    client = app.test_client()
    sign_in(client, email)
    for (endpoint, _role), (found_by, path, fields, options) in sorted(forms.items(), key=str):
        if found_by == email and not out_of_scope(endpoint):
            hunt(app, client, email, path, fields, options)


def test_routes_without_a_form_on_the_demo_pages_and_json_bodies(app, forms):
    client = app.test_client()
    sign_in(client, "instructeur@demo.fsi")
    names = sorted({name for _e, _p, fields, options in forms.values() for name, _v in fields} | {
        "expected_version", "version", "item_id", "application_id", "amount", "date", "comment", "next"})
    targets = blind_targets(app, forms) + sorted({(endpoint, form[1]) for (endpoint, _role), form in forms.items()
                                                  if not out_of_scope(endpoint)})

    @_settings(examples=4 * len(targets))
    @given(target=st.sampled_from(targets), body=st.dictionaries(st.sampled_from(names), HOSTILE, max_size=4),
           as_json=st.booleans())
    def post_blind(target, body, as_json):
        post_and_check(app, client, target[1], json=body if as_json else None, data=None if as_json else body)

    post_blind()
    with app.test_request_context():
        session_id = db.session.exec(select(CommitteeSession.id)).first()
    response = client.get(f"/review/sessions/{session_id}/current.json")
    assert response.status_code == 200 and response.is_json


