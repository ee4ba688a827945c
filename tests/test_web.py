"""The request boundary (fsi.web): one transaction per request, committed only after a successful
POST; refusals become the flashed reasons and a redirect back, or a JSON error under /api/."""
import pytest
from flask import redirect
from sqlalchemy.exc import OperationalError
from sqlmodel import select

from fsi.accounts.models import Territory
from fsi.db import StaleObject, db
from fsi.errors import Refused
from fsi.web import back_to, render_form, safe_next
from tests.accounts.helpers import page


@pytest.fixture
def app(new_app):
    """These tests add routes: an application of their own."""
    return new_app


def add_territory(name):
    db.session.add(Territory(department_code="13", department="Bouches-du-Rhône", region="PACA",
                             epci_kind="Métropole", epci=name))
    db.session.flush()


def territories(in_db):
    with in_db() as session:
        return sorted(session.exec(select(Territory.epci)).all())


@pytest.fixture
def routes(app):
    """Views that write a territory, then answer in every way a view can."""
    def writes_then(answer):
        def view():
            add_territory(answer)
            if answer == "refused":
                back_to("/somewhere")
                raise Refused(["Pas maintenant.", "Ni plus tard."])
            if answer == "stale":
                raise StaleObject(None)
            if answer == "crash":
                raise RuntimeError("boom")
            if answer == "form":
                return render_form("errors/error.html", code=422, error=None)
            return redirect("/")
        return view

    for answer in ("redirect", "refused", "stale", "crash", "form"):
        app.add_url_rule(f"/test/{answer}", answer, writes_then(answer), methods=["GET", "POST"])
        app.add_url_rule(f"/api/test/{answer}", f"api_{answer}", writes_then(answer), methods=["POST"])
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app


def test_a_database_that_does_not_answer_is_a_503_page_and_nothing_is_kept(app, client, in_db):
    def unanswered():
        add_territory("lost")
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection unexpectedly"))

    app.add_url_rule("/test/unanswered", "unanswered", unanswered, methods=["POST"])
    app.add_url_rule("/api/test/unanswered", "api_unanswered", unanswered, methods=["POST"])
    response = client.post("/test/unanswered")
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert "Rechargez la page dans un instant" in response.get_data(as_text=True)
    api = client.post("/api/test/unanswered")
    assert api.status_code == 503 and api.get_json()["error"]["code"] == "database_unavailable"
    assert territories(in_db) == []


def test_a_successful_post_commits_once(client, in_db, routes):
    assert client.post("/test/redirect").status_code == 302
    assert territories(in_db) == ["redirect"]


def test_a_get_never_writes(client, in_db, routes):
    """A GET that writes is a bug: it fails loudly (500) and keeps nothing."""
    assert client.get("/test/redirect").status_code == 500
    assert territories(in_db) == []


def test_a_form_shown_again_with_its_errors_keeps_nothing(client, in_db, routes):
    assert client.post("/test/form").status_code == 422
    assert territories(in_db) == []


def test_an_exception_undoes_everything(client, in_db, routes):
    assert client.post("/test/crash").status_code == 500
    assert territories(in_db) == []


def test_a_refusal_is_flashed_and_redirects_back(client, in_db, routes):
    response = client.post("/test/refused")
    assert (response.status_code, response.headers["Location"]) == (302, "/somewhere")
    assert territories(in_db) == []
    with client.session_transaction() as session:
        assert [message for _category, message in session["_flashes"]] == ["Pas maintenant.", "Ni plus tard."]


def test_without_back_to_a_refusal_returns_to_the_page_of_the_form(client, routes):
    response = client.post("/test/stale", headers={"Referer": "http://fsi.test/calls/?page=2"})
    assert response.headers["Location"] == "/calls/?page=2"
    response = client.post("/test/stale", headers={"Referer": "https://evil.example/x"})
    assert response.headers["Location"] == "/"
    assert "modifiées entre-temps" in page(client.get("/login"))


def test_under_api_a_refusal_is_a_json_error(client, in_db, routes):
    refused = client.post("/api/test/refused")
    assert refused.status_code == 422
    assert refused.get_json() == {"error": {"code": "refused", "message": "Pas maintenant. Ni plus tard.",
                                            "details": ["Pas maintenant.", "Ni plus tard."]}}
    stale = client.post("/api/test/stale")
    assert (stale.status_code, stale.get_json()["error"]["code"]) == (409, "stale")
    assert territories(in_db) == []


def test_a_concurrent_duplicate_at_commit_is_a_conflict_not_a_500(app, client, in_db):
    with in_db():
        add_territory("Déjà là")

    def duplicate():
        add_territory("Déjà là")  # unique: refused when flushed
        return redirect("/")

    app.add_url_rule("/test/duplicate", "duplicate", duplicate, methods=["POST"])
    response = client.post("/test/duplicate", headers={"Referer": "http://fsi.test/calls/"})
    assert (response.status_code, response.headers["Location"]) == (302, "/calls/")
    assert "en conflit avec une autre" in page(client.get("/login"))
    assert territories(in_db) == ["Déjà là"]


@pytest.mark.parametrize("target, expected", [
    ("/applications/3", "/applications/3"), ("https://evil.example/", "/"), ("//evil.example/", "/"),
    ("/\\evil.example", "/"), ("/ok%0d%0aSet-Cookie:x=1", "/ok%0d%0aSet-Cookie:x=1"), ("/a\r\nb", "/"), ("", "/"),
])
def test_safe_next_keeps_local_paths_only(app, target, expected):
    with app.test_request_context():
        assert safe_next(target) == expected
