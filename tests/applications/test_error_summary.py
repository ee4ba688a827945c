"""A section page has one error summary: a change made meanwhile is announced once, not twice."""
from fsi.accounts.models import Role
from fsi.applications.models import Application
from fsi.db import db
from tests.factories import create_application, create_open_call, create_organisation, create_user


def test_stale_section_save_is_announced_once(client, in_db, login):
    with in_db():
        organisation = create_organisation()
        user = create_user(role=Role.applicant, organisation=organisation)
        application = create_application(call=create_open_call(), organisation=organisation, title="Titre gardé")
        application_id, version = application.id, application.version
    login(user)
    url = f"/applications/{application_id}/section/project"
    assert client.post(url, data={"version": version, "title": "Premier"}).status_code == 302
    response = client.post(url, data={"version": version, "title": "Second"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert page.count("modifiées entre-temps") == 1
    assert page.count('role="alert"') == 1
    assert "None" not in page.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    with in_db():
        assert db.session.get(Application, application_id).title == "Premier"
