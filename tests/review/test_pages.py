"""Every review page renders for the right people on the demo data, and refuses the others."""
import re

import pytest
from sqlmodel import select

from fsi.accounts.models import User
from fsi.applications.models import Application
from fsi.calls.models import Call
from fsi.db import db
from fsi.review.models import AgendaItem, Assignment, CommitteeSession, SessionStatus


@pytest.fixture(scope="module")
def app(demo_app):
    return demo_app


@pytest.fixture(scope="module")
def demo(app):
    with app.app_context():
        def user(email):
            return db.session.exec(select(User).where(User.email == email)).one()

        call = db.session.exec(select(Call).where(Call.title.like("%Innovation 2026%"))).one()
        sessions = select(CommitteeSession).where(CommitteeSession.call_id == call.id)
        closed = db.session.exec(sessions.where(CommitteeSession.status == SessionStatus.closed)).one()
        planned = db.session.exec(sessions.where(CommitteeSession.status == SessionStatus.planned)).one()
        item = db.session.exec(select(AgendaItem).where(AgendaItem.session_id == closed.id)).first()
        assignment = db.session.exec(select(Assignment).join(User, User.id == Assignment.reviewer_id)
                                     .where(User.email == "comite@demo.fsi")).first()
        applications = db.session.exec(select(Application).where(Application.call_id == call.id)).all()
        return dict(staff=user("instructeur@demo.fsi"), reviewer=user("comite@demo.fsi"),
                    applicant=user("porteur@demo.fsi"), applicant2=user("porteur2@demo.fsi"),
                    call=call, closed=closed, planned=planned,
                    item=item, assignment=assignment, applications=applications)


def staff_urls(d):
    call = d["call"].id
    urls = ["/review/", f"/review/calls/{call}/applications", f"/review/calls/{call}/eligibility-items",
            f"/review/calls/{call}/sessions/new", "/review/sessions",
            f"/review/sessions/{d['planned'].id}", f"/review/sessions/{d['planned'].id}/run",
            f"/review/sessions/{d['planned'].id}/edit",
            f"/review/sessions/{d['closed'].id}/run", f"/review/sessions/{d['closed'].id}/minutes",
            f"/review/items/{d['item'].id}/letter", f"/review/sessions/{d['planned'].id}/live"]
    urls += [f"/review/calls/{call}/ranking?sort={s}&order={o}" for s in ("total", "z", "stdev", "reference", "requested")
             for o in ("asc", "desc")]
    urls += [f"/review/calls/{call}/ranking?disagreement=1&state=reviewed&min_total=20,5",
             f"/review/calls/{call}/ranking.csv?sort=z"]
    urls += [f"/review/applications/{a.id}" for a in d["applications"]]
    urls += [f"/review/applications/{a.id}/reviews" for a in d["applications"][:5]]
    return urls


def test_staff_pages_render(client, login, demo):
    login(demo["staff"], password="demo-fsi-2026")
    for url in staff_urls(demo):
        response = client.get(url)
        assert response.status_code == 200, url


def test_session_form_titles(client, login, demo):
    """Flask's own ``session`` is a template global: the form must not mistake it for a committee session."""
    login(demo["staff"], password="demo-fsi-2026")
    new = client.get(f"/review/calls/{demo['call'].id}/sessions/new").get_data(as_text=True)
    edit = client.get(f"/review/sessions/{demo['planned'].id}/edit").get_data(as_text=True)
    assert "<h1>Programmer une séance" in new and "Modifier la séance" not in new
    assert "<h1>Modifier la séance" in edit


def test_staff_pages_refused_to_others(client, login, demo):
    login(demo["reviewer"], password="demo-fsi-2026")
    for url in staff_urls(demo):
        if "/live" in url or url.endswith("/review/sessions") or "/reviews" in url:
            continue
        assert client.get(url).status_code in (403, 404), url


def test_reviewer_pages_render(client, login, demo):
    login(demo["reviewer"], password="demo-fsi-2026")
    for url in ("/review/queue", f"/review/assignments/{demo['assignment'].id}/review", "/review/conflicts/declare",
                "/review/sessions", f"/review/sessions/{demo['planned'].id}/live",
                f"/review/sessions/{demo['planned'].id}/current.json",
                f"/review/applications/{demo['assignment'].application_id}/reviews"):
        assert client.get(url).status_code == 200, url


def test_applicant_reads_released_letter_of_own_organisation_only(client, login, demo):
    with client.application.app_context():
        application = db.session.get(Application, demo["item"].application_id)
        owner = demo["applicant"] if application.organisation_id == demo["applicant"].organisation_id \
            else demo["applicant2"]
        other = demo["applicant2"] if owner is demo["applicant"] else demo["applicant"]
    login(owner, password="demo-fsi-2026")
    letters = client.get("/review/letters").get_data(as_text=True)
    assert f"/review/items/{demo['item'].id}/letter" in letters
    page = client.get(f"/review/items/{demo['item'].id}/letter")
    assert page.status_code == 200 and "Madame, Monsieur" in page.get_data(as_text=True)
    assert client.get("/review/queue").status_code == 403
    client.post("/logout")
    login(other, password="demo-fsi-2026")
    assert client.get(f"/review/items/{demo['item'].id}/letter").status_code == 404
    assert f"/review/items/{demo['item'].id}/letter" not in client.get("/review/letters").get_data(as_text=True)


def test_review_forms_carry_their_csrf_token(csrf_app, client, in_db, people):
    """With CSRF on, a post without the token is refused; the page's own form goes through."""
    import re

    with in_db():
        staff = db.session.get(User, people["staff"])
    login_page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"', login_page)
    token = token.group(1) or token.group(2)
    client.post("/login", data={"email": staff.email, "password": "password", "csrf_token": token})
    url = f"/review/calls/{people['call_id']}/assign"
    assert client.post(url, data={"per_application": "2", "deadline": "2030-01-31"}).status_code == 400
    page = client.get(f"/review/calls/{people['call_id']}/applications").get_data(as_text=True)
    token = re.search(r'id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(url, data={"per_application": "2", "deadline": "2030-01-31", "csrf_token": token})
    assert response.status_code == 302


def test_ranking_export(client, login, demo):
    login(demo["staff"], password="demo-fsi-2026")
    response = client.get(f"/review/calls/{demo['call'].id}/ranking.csv?state=scheduled&sort=reference&order=asc")
    assert response.mimetype == "text/csv"
    lines = response.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0].startswith("rang;référence;titre")
    assert len(lines) == 1 + 3 and all(";scheduled;" in line for line in lines[1:])


def test_decision_letter_page_has_a_heading_hidden_from_print(client, login, demo):
    login(demo["staff"], password="demo-fsi-2026")
    page = client.get(f"/review/items/{demo['item'].id}/letter").get_data(as_text=True)
    heading = re.search(r'<h1 id="letter-title" class="no-print">([^<]+)</h1>', page)
    assert heading and heading.group(1).startswith("Lettre de décision du dossier ")
    assert "Madame, Monsieur" in page


def test_link_to_edit_the_eligibility_grid_is_a_button(client, login, demo):
    login(demo["staff"], password="demo-fsi-2026")
    application = demo["applications"][0]
    page = client.get(f"/review/applications/{application.id}").get_data(as_text=True)
    link = re.search(r'<a class="([^"]+)" href="/review/calls/\d+/eligibility-items">'
                     r'Modifier les points de la grille de cet appel</a>', page)
    assert link and "button" in link.group(1).split()
