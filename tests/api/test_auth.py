"""Who calls the API: only a bearer token counts under /api/ (a session cookie is ignored); every
answer there is JSON in the one error shape; the rate limit is per token."""
import pytest

from fsi import create_app
from fsi.accounts.models import Role, User
from fsi.api import tokens
from fsi.api.ratelimit import limiter
from tests.conftest import TEST_CONFIG
from tests.factories import create_user

CALLS = "/api/v1/calls"


def error_of(response):
    body = response.get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    return body["error"]


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer fsi_unknown", "Basic dXNlcjpwYXNz", "Bearer " + "x" * 500])
def test_no_or_bad_token_is_401_with_the_bearer_challenge(client, header):
    response = client.get(CALLS, headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert error_of(response)["code"] == "unauthorized"


def test_a_session_cookie_is_ignored_under_api(client, in_db, login):
    with in_db():
        user = create_user(role=Role.staff)
    login(user)
    assert client.get("/calls/").status_code == 200  # signed in on the site
    assert client.get(CALLS).status_code == 401  # but the API wants its token


def test_a_token_creates_no_session(api_client, in_db):
    with in_db():
        user = create_user()
    response = api_client(user).get(CALLS)
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


def test_an_inactive_users_token_stops_working(api_client, in_db):
    with in_db():
        user = create_user()
    api = api_client(user)
    assert api.get(CALLS).status_code == 200
    with in_db() as session:
        session.get(User, user.id).active = False
    assert api.get(CALLS).status_code == 401


def test_every_api_error_is_json(api_client, in_db):
    with in_db():
        user = create_user()
    api = api_client(user)
    missing = api.get("/api/v1/nowhere")
    assert missing.status_code == 404 and error_of(missing)["code"] == "not_found"
    wrong_method = api.open(CALLS, method="DELETE")
    assert wrong_method.status_code == 405 and error_of(wrong_method)["code"] == "method_not_allowed"
    assert "GET" in wrong_method.headers["Allow"]
    absent = api.get("/api/v1/calls/2147483647")
    assert absent.status_code == 404 and absent.content_type == "application/json"
    beyond = api.get("/api/v1/calls/99999999999")  # beyond an id column: 404, never an overflow
    assert beyond.status_code == 404 and error_of(beyond)["code"] == "not_found"


@pytest.mark.parametrize("query, field", [("per_page=101", "per_page"), ("per_page=0", "per_page"),
                                          ("page=0", "page"), ("page=abc", "page"), ("page=1e3", "page")])
def test_invalid_queries_are_422_with_each_reason(api_client, in_db, query, field):
    with in_db():
        user = create_user()
    response = api_client(user).get(f"{CALLS}?{query}")
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "invalid" and any(field in detail for detail in error["details"])


def test_an_unexpected_error_is_a_json_500(new_app, in_db):
    def boom():
        raise RuntimeError("bug")

    new_app.add_url_rule("/api/v1/boom", "api_boom", boom)
    new_app.config["PROPAGATE_EXCEPTIONS"] = False
    response = new_app.test_client().get("/api/v1/boom")
    assert response.status_code == 500 and error_of(response)["code"] == "internal_server_error"


def test_the_rate_limit_is_per_token(app, api_client, in_db):
    app.config["API_RATE_LIMIT"] = "2 per minute"
    with in_db():
        user = create_user()
    first, second = api_client(user), api_client(user)
    answers = [first.get(CALLS) for _ in range(2)]
    assert [answer.status_code for answer in answers] == [200, 200]
    assert answers[1].headers["X-RateLimit-Remaining"] == "0" and "Retry-After" not in answers[1].headers
    limited = first.get(CALLS)
    assert limited.status_code == 429
    assert error_of(limited)["code"] == "too_many_requests"
    assert int(limited.headers["Retry-After"]) > 0
    assert second.get(CALLS).status_code == 200  # another token has its own allowance


def test_the_rate_limit_is_one_allowance_for_the_whole_api(app, api_client, in_db):
    app.config["API_RATE_LIMIT"] = "2 per minute"
    with in_db():
        user = create_user()
    caller = api_client(user)
    assert caller.get(CALLS).status_code == 200
    assert caller.get("/api/v1/applications").status_code == 200
    assert caller.get("/api/v1/applications/999999").status_code == 429  # another route, the same count


def test_the_rate_limit_counts_requests_without_a_token_by_address(app, client):
    app.config["API_RATE_LIMIT"] = "1 per minute"
    assert client.get(CALLS).status_code == 401
    assert client.get(CALLS).status_code == 429


def test_made_up_tokens_count_against_their_address(app, client):
    app.config["API_RATE_LIMIT"] = "2 per minute"
    answers = [client.get(CALLS, headers={"Authorization": f"Bearer fsi_made-up-{n}"}).status_code for n in range(3)]
    assert answers == [401, 401, 429]  # each text is new: the address's count refuses the third


def test_the_app_starts_with_the_rate_limit_off(schema, database_url, shared_app, in_db):
    try:
        unlimited = create_app({**TEST_CONFIG, "DATABASE_URL": database_url, "RATELIMIT_ENABLED": False,
                                "API_RATE_LIMIT": "1 per minute"})
        with in_db():
            _token, text = tokens.create(create_user(), "intégration")
        headers = {"Authorization": f"Bearer {text}"}
        assert [unlimited.test_client().get(CALLS, headers=headers).status_code for _ in range(3)] == [200] * 3
        unlimited.extensions["fsi.db"].dispose()
    finally:
        limiter.init_app(shared_app)  # the limiter is one per process: back to the suite's


def test_the_document_and_its_page(client):
    document = client.get("/api/v1/openapi.json")
    assert document.status_code == 200
    spec = document.get_json()
    assert spec["openapi"] == "3.1.0" and spec["info"]["title"] == "FSI API"
    assert spec["components"]["securitySchemes"]["bearer"] == {"type": "http", "scheme": "bearer"}
    for language, heading in (("fr", "Documentation de l'API"), ("en", "API documentation")):
        page = client.get("/api/v1/docs", headers={"Accept-Language": language})
        html = page.get_data(as_text=True)
        assert page.status_code == 200 and "<script" not in html.split("<footer")[0].split("</header>")[-1]
        assert "GET /api/v1/applications/{application_id}" in html
        assert heading in html or language == "en"  # English needs the lead's translations merged
