"""Admin pages for users: role guards, invitation end to end, edits, deactivation."""
import pytest
from sqlmodel import select

from fsi.accounts.models import Role, User
from tests.accounts.helpers import link_token, outbox, page
from tests.factories import create_organisation, create_user
from tests.queries import count_statements

ADMIN_PAGES = [
    ("get", "/admin/users"),
    ("get", "/admin/users/invite"),
    ("post", "/admin/users/invite"),
    ("get", "/admin/users/{id}"),
    ("post", "/admin/users/{id}"),
    ("post", "/admin/users/{id}/active"),
    ("post", "/admin/users/{id}/invite"),
    ("get", "/admin/organisations/new"),
    ("post", "/admin/organisations/new"),
]


@pytest.mark.parametrize("method,url", ADMIN_PAGES)
def test_anonymous_is_sent_to_login(client, in_db, method, url):
    with in_db():
        target = create_user()
    response = getattr(client, method)(url.format(id=target.id))
    assert response.status_code == 302
    assert "/login?next=" in response.headers["Location"]


@pytest.mark.parametrize("role", [Role.applicant, Role.reviewer, Role.staff])
@pytest.mark.parametrize("method,url", ADMIN_PAGES)
def test_other_roles_are_forbidden(client, in_db, login, role, method, url):
    with in_db():
        user = create_user(role=role)
        target = create_user(full_name="Cible")
    login(user)
    response = getattr(client, method)(url.format(id=target.id), data={"full_name": "Changé", "role": "admin",
                                                                       "active": "0", "version": "1"})
    assert response.status_code == 403
    assert "Accès refusé" in page(response)
    with in_db() as session:
        stored = session.get(User, target.id)
        assert (stored.full_name, stored.active) == ("Cible", True)


def admin_login(in_db, login):
    with in_db():
        admin = create_user(role=Role.admin, full_name="Admin Istrateur")
    login(admin)
    return admin


def test_invitation_end_to_end(app, client, in_db, login):
    admin = admin_login(in_db, login)
    with in_db():
        org = create_organisation(name="Habitat Test")
    response = client.post("/admin/users/invite", data={
        "email": "New.Person@Example.org", "full_name": "Nouvelle Personne", "role": "applicant",
        "organisation_id": str(org.id)})
    assert response.status_code == 302
    with in_db() as session:
        user = session.exec(select(User).where(User.email == "new.person@example.org")).one()
        assert (user.role, user.organisation_id, user.password_hash) == (Role.applicant, org.id, None)
        [mail] = outbox(session, "new.person@example.org")
        assert mail.subject == "Invitation à rejoindre FSI"
        assert "Admin Istrateur vous invite" in mail.body and "7 jour(s)" in mail.body
        raw = link_token(mail)
    client.post("/logout")
    # the invited person follows the link, chooses a password, signs in
    assert "new.person@example.org" in page(client.get(f"/password/reset/{raw}"))
    client.post(f"/password/reset/{raw}", data={"password": "mon mot de passe", "confirm": "mon mot de passe"})
    response = client.post("/login", data={"email": "new.person@example.org", "password": "mon mot de passe"})
    assert response.status_code == 302
    assert "Habitat Test" in page(client.get("/"))
    assert client.get(f"/password/reset/{raw}").status_code == 404
    assert admin.id != user.id


def test_invite_bad_input_says_why_per_field_and_stores_nothing(client, in_db, login):
    admin_login(in_db, login)
    text = page(client.post("/admin/users/invite", data={
        "email": "pas-une-adresse", "full_name": "", "role": "", "organisation_id": ""}))
    assert "Cette adresse de courriel n'est pas valide." in text
    assert "Saisissez le nom complet." in text
    assert "Choisissez un rôle." in text
    text = page(client.post("/admin/users/invite", data={
        "email": "a@example.org", "full_name": "A", "role": "applicant", "organisation_id": ""}))
    assert "Un porteur de projet doit être rattaché à un organisme." in text
    text = page(client.post("/admin/users/invite", data={
        "email": "a@example.org", "full_name": "A", "role": "superuser", "organisation_id": "999"}))
    assert text.count("Choisissez une valeur de la liste.") == 4  # next to both fields, and in the summary
    with in_db() as session:
        assert session.exec(select(User).where(User.email == "a@example.org")).first() is None
        assert outbox(session) == []


def test_invite_refuses_an_existing_email_whatever_the_case(client, in_db, login):
    admin_login(in_db, login)
    with in_db():
        existing = create_user(role=Role.staff)
    text = page(client.post("/admin/users/invite", data={
        "email": existing.email.upper(), "full_name": "Doublon", "role": "staff", "organisation_id": ""}))
    assert "Un compte existe déjà avec cette adresse de courriel." in text
    with in_db() as session:
        assert outbox(session) == []


def test_edit_user(client, in_db, login):
    admin_login(in_db, login)
    with in_db():
        org = create_organisation()
        user = create_user(role=Role.staff)
    response = client.post(f"/admin/users/{user.id}", data={
        "full_name": "Jean Comité", "role": "reviewer", "organisation_id": str(org.id), "version": "1"})
    assert response.status_code == 302
    with in_db() as session:
        stored = session.get(User, user.id)
        assert (stored.full_name, stored.role, stored.organisation_id, stored.version) == \
            ("Jean Comité", Role.reviewer, org.id, 2)


def test_edit_user_on_a_stale_page_is_refused(client, in_db, login):
    admin_login(in_db, login)
    with in_db():
        user = create_user(role=Role.staff, full_name="Avant")
    client.post(f"/admin/users/{user.id}", data={"full_name": "Premier", "role": "staff", "version": "1"})
    text = page(client.post(f"/admin/users/{user.id}", data={"full_name": "Second", "role": "staff",
                                                            "version": "1"}))
    assert "modifiées entre-temps par quelqu'un d'autre" in text
    with in_db() as session:
        assert session.get(User, user.id).full_name == "Premier"


def test_edit_user_bad_input(client, in_db, login):
    admin_login(in_db, login)
    with in_db():
        user = create_user(role=Role.staff, full_name="Inchangé")
    text = page(client.post(f"/admin/users/{user.id}", data={"full_name": "", "role": "applicant",
                                                            "organisation_id": "", "version": "1"}))
    assert "Saisissez le nom complet." in text
    assert "Un porteur de projet doit être rattaché à un organisme." in text
    with in_db() as session:
        stored = session.get(User, user.id)
        assert (stored.full_name, stored.role, stored.version) == ("Inchangé", Role.staff, 1)


def test_admin_cannot_demote_or_deactivate_themselves(client, in_db, login):
    admin = admin_login(in_db, login)
    text = page(client.post(f"/admin/users/{admin.id}", data={"full_name": "X", "role": "staff", "version": "1"}))
    assert "Vous ne pouvez pas changer votre propre rôle." in text
    response = client.post(f"/admin/users/{admin.id}/active", data={"active": "0", "version": "1"})
    assert "Vous ne pouvez pas désactiver votre propre compte." in page(client.get(response.headers["Location"]))
    with in_db() as session:
        stored = session.get(User, admin.id)
        assert (stored.role, stored.active) == (Role.admin, True)


def test_deactivate_then_reactivate(app, in_db):
    with in_db():
        admin = create_user(role=Role.admin)
        user = create_user()
    # plain clients: pytest-flask's ``client`` keeps its last context (and ``g``) pushed
    client, victim = app.test_client(), app.test_client()
    client.post("/login", data={"email": admin.email, "password": "password"})
    victim.post("/login", data={"email": user.email, "password": "password"})
    client.post(f"/admin/users/{user.id}/active", data={"active": "0", "version": "1"})
    with in_db() as session:
        assert session.get(User, user.id).active is False
    assert victim.get("/profile").status_code == 302
    assert victim.post("/login", data={"email": user.email, "password": "password"}).status_code == 422
    client.post(f"/admin/users/{user.id}/active", data={"active": "1", "version": "2"})
    assert victim.post("/login", data={"email": user.email, "password": "password"}).status_code == 302


def test_resend_invitation_replaces_the_link(client, in_db, login):
    admin_login(in_db, login)
    client.post("/admin/users/invite", data={"email": "late@example.org", "full_name": "En Retard",
                                            "role": "staff", "organisation_id": ""})
    with in_db() as session:
        user = session.exec(select(User).where(User.email == "late@example.org")).one()
    client.post(f"/admin/users/{user.id}/invite", data={"version": "1"})
    with in_db() as session:
        first, second = [link_token(m) for m in outbox(session, "late@example.org")]
    assert client.get(f"/password/reset/{first}").status_code == 404
    assert client.get(f"/password/reset/{second}").status_code == 200


def test_user_list_search_and_statement_count(app, client, in_db, login):
    admin_login(in_db, login)
    with in_db():
        create_user(full_name="Zoé Lambda", organisation=create_organisation(name="Logis du Sud"))
    assert "Zoé Lambda" in page(client.get("/admin/users?q=logis"))
    assert "Zoé Lambda" not in page(client.get("/admin/users?q=personne-de-ce-nom"))

    with count_statements(app) as one:
        client.get("/admin/users")
    with in_db():
        for _ in range(2):
            create_user()
    with count_statements(app) as three:
        text = page(client.get("/admin/users"))
    assert text.count("/admin/users/") >= 4
    assert len(one) == len(three)  # no query per row


def test_edit_pages_show_the_current_values(client, in_db, login):
    admin_login(in_db, login)
    with in_db():
        org = create_organisation(name="Habitat Présélectionné")
        user = create_user(role=Role.reviewer, organisation=org, full_name="Rémi Relecteur")
    text = page(client.get(f"/admin/users/{user.id}"))
    assert 'value="Rémi Relecteur"' in text
    assert '<option selected value="reviewer">' in text
    assert f'<option selected value="{org.id}">Habitat Présélectionné</option>' in text
    assert 'name="version" type="hidden" value="1"' in text
    assert "Désactiver le compte" in text
