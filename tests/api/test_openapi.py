"""The OpenAPI document: it validates (openapi-spec-validator), each of its models has its own
name, its readable page lists every path in both languages, and schemathesis, fed with it, finds
no 500 and no response outside it (status, content type, body) on any operation — with a staff
token and without a token, with values it makes up and with the demo's real ids; and the actions
each row offers, fired through the API, answer inside the document too.

The run is bounded (a fixed number of examples per operation, derandomized, no shrinking) so that
it takes well under a minute on either database."""
import importlib
import inspect
import os
import pkgutil
import traceback
from collections import defaultdict

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from openapi_spec_validator import validate
from pydantic import BaseModel
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import select

import fsi.api
from fsi.accounts.models import Role, User
from fsi.api import tokens
from fsi.applications.models import Application
from fsi.calls.models import Call
from fsi.db import db
from fsi.dissemination.catalogue.queries import published_sheets
from fsi.funding.models import Project, Report, Tranche
from fsi.i18n import today

DOCUMENT = "/api/v1/openapi.json"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
#: examples per operation, per mode (made-up values / the demo's ids), per caller; a deeper run:
#: ``FSI_API_FUZZ_SCALE=10 pytest tests/api/test_openapi.py`` (ten times as many)
SCALE = int(os.environ.get("FSI_API_FUZZ_SCALE") or 1)
EXAMPLES = {GenerationMode.POSITIVE: 25 * SCALE, GenerationMode.NEGATIVE: 12 * SCALE}
KNOWN_EXAMPLES = 15 * SCALE
BOUNDED = settings(deadline=None, database=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
                   suppress_health_check=list(HealthCheck), print_blob=False)


@pytest.fixture(scope="module")
def app(demo_app):
    return demo_app


@pytest.fixture(scope="module")
def known(demo_app):
    """Real values for each path parameter of the document: the demo's rows (a few of each)."""
    with demo_app.app_context(), demo_app.test_request_context():
        values = {
            "application_id": db.session.scalars(select(Application.id).order_by(Application.id).limit(4)).all(),
            "call_id": db.session.scalars(select(Call.id).order_by(Call.id).limit(2)).all(),
            "project_id": db.session.scalars(select(Project.id).order_by(Project.id).limit(3)).all(),
            "tranche_id": db.session.scalars(select(Tranche.id).order_by(Tranche.id).limit(3)).all(),
            "report_id": db.session.scalars(select(Report.id).order_by(Report.id).limit(3)).all(),
            "slug": [sheet.slug for sheet in db.session.scalars(published_sheets().limit(2))],
        }
    assert all(values.values()), values  # the demo has rows of each kind
    return values


@pytest.fixture(scope="module")
def staff_token(demo_app):
    with demo_app.app_context(), demo_app.test_request_context():
        staff = db.session.scalars(select(User).where(User.role == Role.staff, User.active.is_(True))
                                   .order_by(User.id)).first()
        _token, text = tokens.create(staff, "schemathesis")
        db.commit()
    return text


@pytest.fixture
def document(client):
    response = client.get(DOCUMENT)
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.get_json()


def test_the_document_is_valid_openapi_3_1(document):
    validate(document)  # raises on an invalid document
    assert document["openapi"].startswith("3.1")
    paths = set(document["paths"])
    assert {"/api/v1/sheets", "/api/v1/sheets/{slug}", "/api/v1/events"} <= paths
    assert document["paths"]["/api/v1/sheets"]["get"]["security"] == []  # no token needed
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert "429" in operation["responses"], f"{method} {path}"
            for status, response in operation["responses"].items():
                if status.startswith(("4", "5")):
                    assert response["content"]["application/json"]["schema"] == {
                        "$ref": "#/components/schemas/ErrorBody"}, f"{method} {path} {status}"


def test_each_model_of_the_api_has_a_name_of_its_own():
    """The document names a schema after its model's class: two models of one name would share one
    schema (the last one registered replacing the others), so that an operation would be documented
    with another's body."""
    models = defaultdict(set)
    for info in pkgutil.walk_packages(fsi.api.__path__, "fsi.api."):
        module = importlib.import_module(info.name)
        for _name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, BaseModel) and value.__module__.startswith("fsi.api"):
                models[value.__name__].add(f"{value.__module__}.{value.__qualname__}")
    assert {name: sorted(where) for name, where in models.items() if len(where) > 1} == {}


@pytest.mark.parametrize("language, heading", [("fr", "lang=\"fr\""), ("en", "lang=\"en\"")])
def test_the_docs_page_lists_every_path_in_both_languages(client, document, language, heading):
    client.post("/language", data={"lang": language})
    response = client.get("/api/v1/docs")
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert heading in html
    for path, operations in document["paths"].items():
        assert path in html, path
        for method in operations:
            assert method.upper() in html, f"{method} {path}"
    assert "<script" not in html and "cdn" not in html.lower()  # nothing loaded from elsewhere


# --- schemathesis ------------------------------------------------------------------------------

def _operations(app):
    schema = schemathesis.openapi.from_wsgi(DOCUMENT, app)
    operations = []
    for result in schema.get_all_operations():
        operations.append(result.ok())  # raises if an operation of the document cannot be read
    return operations


def _run(operation, strategy, headers, examples, statuses):
    """Run the checks on ``examples`` cases of ``strategy``; the failure's text, or None. The
    statuses answered are added to ``statuses``."""

    @settings(BOUNDED, max_examples=examples)
    @given(case=strategy)
    def check(case):
        response = case.call(headers=headers)
        statuses.add(response.status_code)
        case.validate_response(response, checks=CHECKS, headers=headers)
        content_type = (response.headers.get("content-type") or [""])[0]
        assert content_type.startswith("application/json"), f"{response.status_code} answered {content_type!r}"

    try:
        check()
    except Unsatisfiable:
        return None  # nothing to make of this mode here (no invalid value for a string in a path)
    except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 (schemathesis' FailureGroup is a
        # BaseExceptionGroup: each operation's failures are collected, then all reported together)
        if isinstance(error, BaseExceptionGroup):
            return str(error)  # schemathesis' report: each check failed, the response, a curl to replay
        return "".join(traceback.format_exception(error))[-4000:]  # an exception in the app (TESTING propagates)
    return None


def _known_strategy(operation, known, mode):
    names = [parameter.name for parameter in operation.path_parameters]
    if not names or not all(name in known for name in names):
        return None
    chosen = st.fixed_dictionaries({name: st.sampled_from(known[name]) for name in names})
    return chosen.flatmap(lambda values: operation.as_strategy(generation_mode=mode, path_parameters=values))


@pytest.mark.parametrize("caller", ["staff", "anonymous"])
def test_schemathesis_finds_no_500_and_no_response_outside_the_document(app, known, staff_token, caller):
    app.config["API_RATE_LIMIT"] = "100000 per minute"  # the run makes about a thousand requests
    headers = {"Authorization": f"Bearer {staff_token}"} if caller == "staff" else {}
    operations = _operations(app)
    assert len(operations) >= 3
    failures, answered = [], {}
    for operation in operations:
        statuses = answered.setdefault(operation.label, set())
        for mode, examples in EXAMPLES.items():
            failure = _run(operation, operation.as_strategy(generation_mode=mode), headers, examples, statuses)
            if failure:
                failures.append(f"{operation.label} [{caller}, {mode.value}, made-up values]\n{failure}")
        strategy = _known_strategy(operation, known, GenerationMode.POSITIVE)
        if strategy is not None:
            failure = _run(operation, strategy, headers, KNOWN_EXAMPLES, statuses)
            if failure:
                failures.append(f"{operation.label} [{caller}, positive, the demo's ids]\n{failure}")
    report = "\n\n".join(failures)
    assert not failures, f"{len(failures)} operation run(s) failed:\n\n{report}"
    public = {operation.label for operation in operations if operation.definition.raw.get("security") == []}
    assert {"GET /api/v1/sheets", "GET /api/v1/sheets/{slug}", "GET /api/v1/events"} <= public
    for operation in operations:
        statuses = answered[operation.label]
        if caller == "anonymous" and operation.label not in public:
            assert statuses and 200 not in statuses and 401 in statuses, (operation.label, statuses)
        elif operation.method.upper() == "GET":
            assert 200 in statuses, (operation.label, statuses)  # the run reached the endpoint's answer


#: requests schemathesis does not make (outside the document's types, or at their edges), and
#: what the API must answer: JSON, never a 500
HOSTILE = [
    ("GET", "/api/v1/applications?updated_since=0001-01-01T00:00:00%2B14:00", {}),
    ("GET", "/api/v1/applications?updated_since=9999-12-31T23:59:59-14:00", {}),
    ("GET", "/api/v1/applications?state=a%00b", {}),
    ("GET", "/api/v1/projects?state=%00", {}),
    ("GET", "/api/v1/sheets?q=%00", {}),
    ("GET", "/api/v1/sheets/a%00b", {}),
    ("GET", "/api/v1/applications?page=1&page=2", {}),
    ("PUT", "/api/v1/sheets", {}),
    ("GET", "/api/v1/no-such-thing", {}),
    ("POST", "/api/v1/applications/1/transitions", {"data": "{not json", "content_type": "application/json"}),
    ("POST", "/api/v1/applications/1/transitions", {"data": "trigger=submit&expected_version=1",
                                                    "content_type": "application/x-www-form-urlencoded"}),
    ("POST", "/api/v1/payments/1/transitions", {"data": "trigger=request", "content_type": "text/plain"}),
    ("POST", "/api/v1/payments/1/transitions", {"data": {"trigger": "request"}}),  # multipart/form-data
    ("POST", "/api/v1/reports/1/transitions", {"data": "trigger=submit", "content_type": "application/x-www-form-urlencoded"}),
    ("POST", "/api/v1/reports/1/transitions", {"data": b"\xff\xfe", "content_type": "application/json"}),
    ("POST", "/api/v1/applications/1/transitions", {"json": {"trigger": "x", "expected_version": 1,
                                                             "data": {"amount": 1e308}}}),
]


@pytest.mark.parametrize("method, url, kwargs", HOSTILE, ids=[f"{m} {u} {sorted(k)}" for m, u, k in HOSTILE])
def test_hostile_requests_get_a_json_error_never_a_500(app, staff_token, method, url, kwargs):
    app.config["API_RATE_LIMIT"] = "100000 per minute"
    response = app.test_client().open(url, method=method, headers={"Authorization": f"Bearer {staff_token}"},
                                      **kwargs)
    assert response.status_code < 500 and response.mimetype == "application/json", response.status_code
    if response.status_code >= 400:
        assert set(response.get_json()["error"]) == {"code", "message", "details"}


def _body(action, version):
    """A transition's body for ``action`` (from an ``actions`` list): a comment when it takes one,
    plausible values for the data it asks."""
    values = {"amount": "1000.00", "date": today().isoformat(), "document": "REF-API-1", "still_due": "0.00"}
    body = {"trigger": action["trigger"], "expected_version": version,
            "data": {name: values[name] for name in action["data"]}}
    if action["comment"] != "none":
        body["comment"] = "Par l'API."
    return body


def test_firing_the_actions_offered_answers_inside_the_document(app, staff_token):
    """Made-up triggers and versions rarely fire anything: here staff fire, through the API, the
    first action each row offers (with the row's version), and one it blocks; every answer — the
    new state, a guard's refusal, a stale version — conforms to the document. Last of the module:
    it changes the demo's rows."""
    app.config["API_RATE_LIMIT"] = "100000 per minute"
    client = app.test_client()
    headers = {"Authorization": f"Bearer {staff_token}"}
    schema = schemathesis.openapi.from_wsgi(DOCUMENT, app)
    failures, answered = [], defaultdict(set)

    def fire(path, template, identifier, row, action):
        operation = schema[template]["POST"]
        name = operation.path_parameters[0].name if operation.path_parameters else None
        case = operation.Case(path_parameters={name: identifier}, body=_body(action, row["version"]),
                              media_type="application/json")
        response = case.call(headers=headers)
        answered[template].add(response.status_code)
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001
            failures.append(f"POST {path} {case.body}\n{error}")
        return response

    def try_actions(path, template, identifier, row):
        actions = row.get("actions") or []
        enabled = [action for action in actions if action["enabled"]]
        blocked = [action for action in actions if not action["enabled"]]
        for action in blocked[:1] + enabled[:1]:  # the blocked one first: it changes nothing
            fire(path, template, identifier, row, action)
        if enabled:  # the same version again: stale now (409) or refused
            fire(path, template, identifier, row, enabled[0])

    # the projects first: an application's action (abandoning it...) would cancel their tranches
    projects = client.get("/api/v1/projects?per_page=100", headers=headers).get_json()["items"]
    assert projects
    for item in projects:
        project = client.get(f"/api/v1/projects/{item['id']}", headers=headers).get_json()
        for tranche in project["tranches"]:
            try_actions(f"/api/v1/payments/{tranche['id']}/transitions", "/api/v1/payments/{tranche_id}/transitions",
                        tranche["id"], tranche)
        for filed in project["reports"]:
            try_actions(f"/api/v1/reports/{filed['id']}/transitions", "/api/v1/reports/{report_id}/transitions",
                        filed["id"], filed)
    applications = client.get("/api/v1/applications?per_page=100", headers=headers).get_json()["items"]
    assert applications
    for item in applications:
        row = client.get(f"/api/v1/applications/{item['id']}", headers=headers).get_json()
        try_actions(f"/api/v1/applications/{item['id']}/transitions", "/api/v1/applications/{application_id}/transitions",
                    item["id"], row)
    assert not failures, f"{len(failures)} answer(s) outside the document:\n\n" + "\n\n".join(failures)
    assert 200 in answered["/api/v1/applications/{application_id}/transitions"], dict(answered)
    assert {409, 422} & answered["/api/v1/applications/{application_id}/transitions"], dict(answered)
    assert 200 in answered["/api/v1/payments/{tranche_id}/transitions"], dict(answered)
    assert 200 in answered["/api/v1/reports/{report_id}/transitions"], dict(answered)
