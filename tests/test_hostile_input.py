"""Bad input gets a clear French error next to its field (or a flashed reason), never a 500, and
nothing is written: one test per reproduction found, on the demo data."""
from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlmodel import select

from fsi.accounts.models import User
from fsi.applications.models import Application, CostLine
from fsi.applications.operations import save_section
from fsi.calls.models import Call
from fsi.db import StaleObject, bump_version, db
from fsi.errors import Refused
from fsi.review.models import AgendaItem, CommitteeSession, SessionStatus
from tests.hostile import DEMO_PASSWORD, field_error, flashed, snapshot


@pytest.fixture(scope="module")
def app(demo_app):
    return demo_app


@pytest.fixture(scope="module")
def demo(app):
    with app.app_context():
        applicant = db.session.exec(select(User).where(User.email == "porteur@demo.fsi")).one()
        draft = db.session.exec(select(Application).where(Application.state == "draft",
                                                          Application.organisation_id == applicant.organisation_id)).first()
        planned = db.session.exec(select(CommitteeSession).where(CommitteeSession.status == SessionStatus.planned)).first()
        item = db.session.exec(select(AgendaItem).where(AgendaItem.session_id == planned.id)).first()
        call = db.session.get(Call, planned.call_id)
        return dict(draft=draft.id, planned=planned.id, scheduled=item.application_id, call=call.id,
                    submitted=db.session.exec(select(Application).where(Application.state == "submitted")).first().id)


@pytest.fixture
def as_user(client):
    def sign_in(email):
        client.post("/logout")
        response = client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302
        return client
    return sign_in


@pytest.fixture
def unchanged(app):
    """Call it after the requests: nothing was written meanwhile."""
    with app.app_context():
        before = snapshot()

    def check():
        with app.app_context():
            assert snapshot() == before
    return check


def version_of(app, model, ident):
    with app.app_context():
        return db.session.get(model, ident).version


HUGE = ["1E+30", "1e400", "12345678901234567890", "10000000000", "٣٠٠", "３００", "1_000"]


@pytest.mark.parametrize("value", HUGE)
def test_an_amount_beyond_the_column_or_not_in_ascii_digits_is_refused_next_to_the_field(app, as_user, demo,
                                                                                          unchanged, value):
    client = as_user("porteur@demo.fsi")
    url = f"/applications/{demo['draft']}/section/budget"
    version = version_of(app, Application, demo["draft"])
    response = client.post(url, data={"version": version, "requested_amount": value})
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "requested_amount")
    response = client.post(url, data={"version": version, "cost_lines-0-category": "works", "cost_lines-0-label": "x",
                                      "cost_lines-0-amount_excl_tax": value, "cost_lines-0-amount_incl_tax": value})
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "cost_lines-0-amount_excl_tax")
    unchanged()


def call_data(**changes):
    data = {"title": "Appel hostile", "opens_at": "2027-01-01T10:00", "closes_at": "2027-02-01T10:00",
            "envelope": "100 000", "min_project_cost": "1", "public_funding_max_rate": "50",
            "organisation_ceiling": "1", "ceiling_months": "12", "agreement_threshold": "1",
            "max_duration_months": "12", "max_extensions": "2", "progress_reports": "1", "advance_share": "50", "progress_share": "0", "circuit": "application"}
    data.update(changes)
    return data


@pytest.mark.parametrize("value, message", [("1E+30", "Saisissez un montant"), ("12345678901234567890", "trop grand"),
                                            ("0", "supérieur à zéro"), ("٣٠٠", "Saisissez un montant")])
def test_an_envelope_must_be_a_positive_amount_the_column_holds(as_user, unchanged, value, message):
    response = as_user("instructeur@demo.fsi").post("/calls/new", data=call_data(envelope=value))
    assert response.status_code == 422
    assert message in field_error(response.get_data(as_text=True), "envelope")
    unchanged()


def test_a_requested_amount_of_zero_is_refused(app, as_user, demo, unchanged):
    client = as_user("porteur@demo.fsi")
    response = client.post(f"/applications/{demo['draft']}/section/budget",
                           data={"version": version_of(app, Application, demo["draft"]), "requested_amount": "0"})
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "requested_amount") == "Le montant doit être supérieur à zéro."
    unchanged()


@pytest.mark.parametrize("opens_at", ["0001-01-01T10:00", "1900-01-01T10:00", "9999-01-01T10:00"])
def test_a_call_date_outside_2000_2100_is_refused(as_user, unchanged, opens_at):
    response = as_user("instructeur@demo.fsi").post("/calls/new", data=call_data(opens_at=opens_at))
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "opens_at") == "Saisissez une date entre 2000 et 2100."
    unchanged()


@pytest.mark.parametrize("field, value", [("start_date", "0001-01-01"), ("start_date", "01/01/1900"),
                                          ("end_date", "9999-12-31"), ("milestones-0-due_on", "0001-01-01")])
def test_a_project_date_outside_2000_2100_is_refused(app, as_user, demo, unchanged, field, value):
    client = as_user("porteur@demo.fsi")
    response = client.post(f"/applications/{demo['draft']}/section/timeline", data={
        "version": version_of(app, Application, demo["draft"]), field: value, "milestones-0-label": "Étape"})
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), field) == "Saisissez une date entre 2000 et 2100."
    unchanged()


@pytest.mark.parametrize("field, value", [("title", "a\x00b"), ("title", "a\x07b"), ("summary", "nul\x00"),
                                          ("description", "échap\x1b[31m")])
def test_a_control_character_is_refused(app, as_user, demo, unchanged, field, value):
    client = as_user("porteur@demo.fsi")
    response = client.post(f"/applications/{demo['draft']}/section/project",
                           data={"version": version_of(app, Application, demo["draft"]), field: value})
    assert response.status_code == 422
    assert "caractère invisible" in field_error(response.get_data(as_text=True), field)
    unchanged()


def test_a_long_text_keeps_its_line_breaks_and_tabs(app, as_user, demo):
    client = as_user("porteur@demo.fsi")
    response = client.post(f"/applications/{demo['draft']}/section/project",
                           data={"version": version_of(app, Application, demo["draft"]),
                                 "description": "Ligne 1\r\n\tLigne 2"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Application, demo["draft"]).description == "Ligne 1\r\n\tLigne 2"


def test_a_call_description_has_a_length_limit(as_user, unchanged):
    response = as_user("instructeur@demo.fsi").post("/calls/new", data=call_data(description="x" * 500_000))
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "description") == "20000 caractères au plus."
    unchanged()


@pytest.mark.parametrize("version", ["abc", "٣", "9" * 30, "-1", "1e3"])
def test_a_version_that_is_not_a_number_is_refused_as_stale(app, as_user, demo, unchanged, version):
    client = as_user("porteur@demo.fsi")
    response = client.post(f"/applications/{demo['draft']}/section/project", data={"version": version, "title": "T"})
    assert response.status_code == 422
    assert "modifiées entre-temps" in response.get_data(as_text=True)
    response = client.post(f"/applications/{demo['draft']}/submit", data={"expected_version": version})
    assert response.status_code in (302, 409, 422)
    client = as_user("instructeur@demo.fsi")
    response = client.post(f"/calls/{demo['call']}/edit", data=call_data(version=version))
    assert response.status_code == 422
    assert "modifiées entre-temps" in response.get_data(as_text=True)
    response = client.post(f"/workflow/application/{demo['submitted']}/declare_ineligible",
                           data={"declare_ineligible-expected_version": version,
                                 "declare_ineligible-comment": "Motif"})
    assert response.status_code in (302, 409, 422)
    assert any(category == "error" for category, _message in flashed(client))
    unchanged()


def test_the_operations_refuse_a_version_that_is_not_a_number(app, demo):
    with app.test_request_context():
        call = db.session.get(Call, demo["call"])
        for version in ("abc", 10**30, "٣", None):
            with pytest.raises(StaleObject):
                bump_version(call, version, title="T")
        db.rollback()


@pytest.mark.parametrize("target", ["/\r\nSet-Cookie: x=1", "/%0d%0aSet-Cookie:%20x=1", "//evil.example/", "/\x00",
                                    "/\tx", "/\\evil.example"])
def test_a_next_with_cr_lf_or_a_host_is_ignored(client, target):
    response = client.post("/login", data={"email": "porteur@demo.fsi", "password": DEMO_PASSWORD, "next": target})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert "\r" not in location and "\n" not in location and "evil" not in location
    if any(char in target for char in "\r\x00\t\\"):
        assert location == "/"
    assert client.get(f"/login?next={target}").status_code in (200, 302)


def test_adding_an_application_to_an_agenda_twice_is_refused_with_a_message(app, as_user, demo, unchanged):
    client = as_user("instructeur@demo.fsi")
    response = client.post(f"/review/sessions/{demo['planned']}/agenda", data={"application_id": demo["scheduled"]})
    assert response.status_code in (302, 409, 422)
    assert any(category == "error" for category, _message in flashed(client))
    unchanged()


@pytest.mark.parametrize("page", ["99999999999999999999", "-1", "abc", "٣"])
def test_a_huge_page_number_shows_the_last_page(as_user, page):
    response = as_user("admin@demo.fsi").get(f"/admin/users?page={page}")
    assert response.status_code == 200
    assert "@demo.fsi" in response.get_data(as_text=True)


def test_a_nul_in_a_search_is_not_an_error(as_user):
    assert as_user("admin@demo.fsi").get("/admin/users?q=a%00b").status_code == 200


@pytest.mark.parametrize("url", ["/applications/99999999999999999999", "/calls/99999999999999999999",
                                 "/review/sessions/99999999999999999999/current.json"])
def test_an_id_beyond_the_column_is_not_found(as_user, url):
    assert as_user("instructeur@demo.fsi").get(url).status_code == 404


@pytest.mark.parametrize("item_id", ["99999999999999999999", "٣", "-5", "abc"])
def test_a_posted_id_beyond_the_column_is_ignored(as_user, demo, unchanged, item_id):
    client = as_user("instructeur@demo.fsi")
    response = client.post(f"/review/sessions/{demo['planned']}/current", data={"item_id": item_id})
    assert response.status_code == 302
    response = client.post(f"/review/sessions/{demo['planned']}/current", json={"item_id": item_id})
    assert response.status_code < 500
    assert client.get(f"/review/sessions/{demo['planned']}/current.json").status_code == 200


def test_a_scale_beyond_the_column_is_refused(as_user, demo, unchanged):
    response = as_user("instructeur@demo.fsi").post("/calls/new", data=call_data(**{
        "criteria-0-label": "Impact", "criteria-0-scale_max": "9" * 30, "criteria-0-scale_min": "٣"}))
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert field_error(text, "criteria-0-scale_max") and field_error(text, "criteria-0-scale_min")
    unchanged()


# --- The operations refuse too (a CLI, an API or a future view calling them directly) ----------

def test_the_operation_refuses_a_zero_requested_amount(app, demo):
    with app.test_request_context():
        application = db.session.get(Application, demo["draft"])
        with pytest.raises(Refused) as refused:
            save_section(application, application.version, "budget", {"requested_amount": Decimal("0")})
        assert refused.value.field == "requested_amount"
        db.rollback()


@pytest.mark.parametrize("values, field", [
    ({"title": "a\x00b"}, "title"), ({"title": "x" * 201}, "title"), ({"description": "x" * 20001}, "description"),
    ({"start_date": date(1, 1, 1)}, "start_date"), ({"requested_amount": Decimal("1E+11")}, "requested_amount"),
])
def test_the_operation_refuses_what_the_columns_cannot_hold(app, demo, values, field):
    with app.test_request_context():
        application = db.session.get(Application, demo["draft"])
        section = {"title": "project", "description": "project", "start_date": "timeline",
                   "requested_amount": "budget"}[field]
        with pytest.raises(Refused) as refused:
            save_section(application, application.version, section, values)
        assert refused.value.field == field
        db.rollback()


def test_a_flushed_row_is_checked_against_its_columns(app, demo):
    with app.test_request_context():
        db.session.add(CostLine(application_id=demo["draft"], position=9, category="works", label="x",
                                amount_excl_tax=Decimal("1E+11"), amount_incl_tax=Decimal("1")))
        with pytest.raises(Refused) as refused:
            db.session.flush()
        assert refused.value.field == "amount_excl_tax"
        db.rollback()
        call = db.session.get(Call, demo["call"])
        call.opens_at = datetime(1, 1, 2)
        with pytest.raises(Refused):
            db.session.flush()
        db.rollback()
