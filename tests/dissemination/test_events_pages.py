"""The event pages: public list and page (only published sheets, only awarded projects), the
iCalendar file and feed (parsed with icalendar), who may register and who may organise, the staff's
form in Paris time, and a list that costs the same for one event as for three."""
from datetime import UTC, datetime, timedelta

import icalendar
import pytest
from sqlmodel import select

from fsi.accounts.models import Role
from fsi.db import db
from fsi.dissemination.events.models import Event, Registration, RegistrationStatus
from fsi.dissemination.sheets.models import PracticeSheet
from fsi.workflow import tagged
from tests.dissemination.events_helpers import make_event
from tests.factories import create_application, create_user
from tests.queries import count_statements

PUBLIC = tagged("sheet", "public")
AWARDED = tagged("application", "awarded")


def _sheet(state, title):
    application = create_application(state=AWARDED.states[0], title=f"Projet de {title}")
    sheet = PracticeSheet(application_id=application.id, slug=f"{application.id}-{title.lower()}", state=state,
                          title=title)
    db.session.add(sheet)
    db.session.flush()
    return sheet


@pytest.fixture
def event_ids(in_db):
    """An upcoming atelier presenting a published and a draft sheet, an awarded and a draft project;
    a past club."""
    with in_db():
        published, draft = _sheet(PUBLIC.states[0], "Publiee"), _sheet("draft", "Brouillon")
        awarded, undecided = create_application(state=AWARDED.states[0], title="Conciergerie"), \
            create_application(state="draft", title="Projet secret")
        upcoming = make_event(capacity=1, sheet_ids=[published.id, draft.id],
                              application_ids=[awarded.id, undecided.id],
                              description="Programme <script>alert(1)</script> [x](javascript:alert(1))",
                              video_url="https://visio.example.org/a")
        past = make_event(title="Club passé", starts_in=timedelta(days=-30))
        return upcoming.id, past.id


def test_anonymous_visitors_see_the_list_and_the_page_with_only_what_is_public(client, event_ids):
    upcoming_id, past_id = event_ids
    listing = client.get("/events/").get_data(as_text=True)
    assert "Atelier : l&#39;énergie partagée" in listing and "Club passé" in listing
    assert listing.index("Atelier : l&#39;énergie") < listing.index("Club passé")  # upcoming before past
    page = client.get(f"/events/{upcoming_id}")
    assert page.status_code == 301
    page = client.get(page.headers["Location"])
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Publiee" in html and "Brouillon" not in html
    assert "Conciergerie" in html and "Projet secret" not in html
    assert "<script>alert" not in html and 'href="javascript:' not in html
    assert "https://visio.example.org/a" not in html  # the link is for those registered
    assert "Connectez-vous pour vous inscrire" in html


def test_the_ics_file_and_the_feed_parse(client, event_ids):
    upcoming_id, past_id = event_ids
    response = client.get(f"/events/{upcoming_id}.ics")
    assert response.mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(response.data)
    (vevent,) = calendar.walk("VEVENT")
    with db_session(client):
        event = db.session.get(Event, upcoming_id)
        assert vevent.decoded("dtstart") == event.starts_at.replace(microsecond=0)  # iCalendar counts seconds
        assert vevent.decoded("dtend") == event.ends_at.replace(microsecond=0)
    assert str(vevent["summary"]) == "Atelier : l'énergie partagée"
    assert str(vevent["url"]).startswith(f"http://fsi.test/events/{upcoming_id}-")
    assert str(vevent["status"]) == "CONFIRMED"
    assert vevent["uid"] and calendar["version"] == "2.0" and calendar["prodid"]
    feed = icalendar.Calendar.from_ical(client.get("/events/upcoming.ics").data)
    assert [str(e["uid"]) for e in feed.walk("VEVENT")] == [f"event-{upcoming_id}@fsi.test"]
    assert client.get("/events/999999.ics").status_code == 404


def db_session(client):
    return client.application.test_request_context()


def test_only_members_of_housing_bodies_register_and_only_staff_organise(app, client, login, in_db, event_ids):
    upcoming_id, _past = event_ids
    assert client.post(f"/events/{upcoming_id}/register").status_code == 302  # to the login page
    assert client.get(f"/events/{upcoming_id}/manage").headers["Location"].startswith("/login")
    with in_db():
        member, other = create_user(), create_user()
        reviewer = create_user(role=Role.reviewer)
        staff = create_user(role=Role.staff)
    login(reviewer)
    assert client.post(f"/events/{upcoming_id}/register").status_code == 403
    client.post("/logout")
    login(staff)
    assert client.post(f"/events/{upcoming_id}/register").status_code == 403
    client.post("/logout")
    login(member)
    for url in ("/events/new", f"/events/{upcoming_id}/edit", f"/events/{upcoming_id}/manage"):
        assert client.get(url).status_code == 403
    assert client.post(f"/events/{upcoming_id}/invite").status_code == 403
    assert client.post(f"/events/{upcoming_id}/register").status_code == 302
    page = client.get(f"/events/{upcoming_id}", follow_redirects=True).get_data(as_text=True)
    assert "Vous êtes inscrit." in page and "https://visio.example.org/a" in page
    client.post("/logout")
    login(other)
    client.post(f"/events/{upcoming_id}/register")
    with in_db():
        found = {r.user_id: r.status for r in db.session.exec(select(Registration)).all()}
    assert found == {member.id: RegistrationStatus.registered, other.id: RegistrationStatus.waitlisted}


def test_staff_create_an_event_in_paris_time_and_refuse_what_is_not_a_link(app, client, login, in_db):
    with in_db():
        staff = create_user(role=Role.staff)
    login(staff)
    data = {"kind": "club", "title": "Club : l'habitat inclusif", "starts_at": "2027-07-01T10:00",
            "ends_at": "2027-07-01T12:00", "place": "", "video_url": "javascript:alert(1)", "theme": "",
            "description": "", "capacity": ""}
    refused = client.post("/events/new", data=data)
    assert refused.status_code == 422 and "https://" in refused.get_data(as_text=True)
    done = client.post("/events/new", data={**data, "video_url": "https://visio.example.org/club"})
    assert done.status_code == 302
    with in_db():
        event = db.session.exec(select(Event)).one()
        assert event.starts_at == datetime(2027, 7, 1, 8, 0, tzinfo=UTC)  # summer time: UTC+2
        assert event.capacity is None and event.slug == "club-l-habitat-inclusif"
    assert client.get(f"/events/{event.id}/edit").status_code == 200
    edited = client.post(f"/events/{event.id}/edit", data={**data, "video_url": "https://v.example.org",
                                                           "capacity": "5", "version": "1"})
    assert edited.status_code == 302
    stale = client.post(f"/events/{event.id}/edit", data={**data, "video_url": "https://v.example.org",
                                                          "capacity": "5", "version": "1"})
    assert stale.status_code == 422
    with in_db():
        assert db.session.get(Event, event.id).capacity == 5


def test_staff_record_attendance_and_cancel(app, client, login, in_db):
    from fsi.dissemination.events import registrations

    with in_db():
        staff = create_user(role=Role.staff)
        event = make_event(starts_in=timedelta(days=2))
        rows = [registrations.register(event, create_user()) for _ in range(2)]
        event.starts_at = event.starts_at - timedelta(days=3)  # it has begun
        event.ends_at = event.starts_at + timedelta(hours=2)
        db.session.add(event)
    login(staff)
    assert client.get(f"/events/{event.id}/manage").status_code == 200
    assert client.post(f"/events/{event.id}/manage", data={"present": [str(rows[1].id)]}).status_code == 302
    with in_db():
        assert [db.session.get(Registration, r.id).attended for r in rows] == [False, True]
    assert client.post(f"/events/{event.id}/cancel", data={"version": "1", "reason": ""}).status_code == 302
    with in_db():
        assert db.session.get(Event, event.id).cancelled_at is None
    client.post(f"/events/{event.id}/cancel", data={"version": "1", "reason": "Salle indisponible."})
    with in_db():
        assert db.session.get(Event, event.id).cancel_reason == "Salle indisponible."
    assert "Cet événement est annulé." in client.get(f"/events/{event.id}", follow_redirects=True).get_data(as_text=True)


def test_the_list_costs_the_same_for_one_event_as_for_three(app, client, in_db):
    with in_db():
        make_event(sheet_ids=[_sheet(PUBLIC.states[0], "Une").id])
    client.get("/events/")
    with count_statements(app) as one:
        client.get("/events/")
    with in_db():
        for n in range(2):
            make_event(sheet_ids=[_sheet(PUBLIC.states[0], f"Autre{n}").id],
                       application_ids=[create_application(state=AWARDED.states[0]).id])
    with count_statements(app) as three:
        assert client.get("/events/").get_data(as_text=True).count('class="card event-item"') == 3
    assert len(one) == len(three)
