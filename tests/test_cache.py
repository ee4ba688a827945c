"""Aggregates kept until the data changes (fsi.cache): kept between requests, recomputed after any
committed write, by this app server or another one on the same database, never kept or read inside
a transaction that wrote; and the pages that use it stay bounded when the calls are many."""
import re
from datetime import timedelta

from sqlalchemy import text
from sqlmodel import select

from fsi.accounts.models import LoginAttempt, Role
from fsi.cache import DataGeneration
from fsi.db import db, utcnow
from fsi.tracking.calls import CALLS_LISTED
from fsi.tracking.figures import figures_by
from fsi.tracking.views.dashboard import RECENT_CALLS
from tests.factories import create_application, create_call, create_organisation, create_user
from tests.queries import count_statements


def applications_counted():
    return figures_by("all").get(0).applications


def generation():
    return db.session.exec(select(DataGeneration.value)).first()


def test_figures_are_kept_until_a_write(app, in_db):
    with in_db():
        create_application(state="submitted")
    with in_db():
        assert applications_counted() == 1
    with in_db(), count_statements(app, fresh=False) as seen:
        assert applications_counted() == 1
    assert len(seen) == 1 and "data_generation" in seen[0]  # kept: only the generation is read
    with in_db():
        create_application(state="submitted")
    with in_db(), count_statements(app, fresh=False) as seen:
        assert applications_counted() == 2
    assert len(seen) > 1


def test_every_committed_write_changes_the_generation_and_a_rollback_does_not(app, in_db):
    with in_db():
        create_call()
    with in_db():
        before = generation()
    with app.app_context(), app.test_request_context():
        create_call()
        db.rollback()
    with in_db():
        assert generation() == before
        db.session.execute(text("UPDATE call SET title = 'Renommé'"))  # a textual write counts too
        assert db.wrote()
    with in_db():
        assert generation() == before + 1


def test_writes_no_kept_result_reads_leave_the_generation(app, client, in_db):
    """A failed sign-in writes its attempt (throttling), a mail its outbox row: nothing kept reads
    them, so what is kept stays."""
    from fsi.mail.outbox import queue_mail

    with in_db():
        user = create_user(role=Role.staff)
        email = user.email
    with in_db():
        before = generation()
    assert client.post("/login", data={"email": email, "password": "not-the-password"}).status_code == 422
    with in_db():
        queue_mail(email, "Sujet", "Corps du message.")
    with in_db():
        assert generation() == before
        assert db.session.exec(select(LoginAttempt)).first() is not None  # the attempt was written
        create_call()
    with in_db():
        assert generation() == before + 1


def test_a_transaction_that_wrote_reads_its_own_figures(app, in_db):
    with in_db():
        create_application(state="submitted")
    with in_db():
        assert applications_counted() == 1
    with app.app_context(), app.test_request_context():
        create_application(state="submitted")  # flushed, not committed
        assert applications_counted() == 2
        db.rollback()
    with in_db():
        assert applications_counted() == 1


def test_another_app_server_sees_the_write_at_once(app, new_app, in_db):
    """Two servers on one database: each keeps its own copy, the counter in the database tells
    both when it is out of date."""
    with in_db():
        create_application(state="submitted")
    with in_db():
        assert applications_counted() == 1
    with new_app.app_context(), new_app.test_request_context():
        assert applications_counted() == 1
        create_application(state="submitted")
        db.commit()
    with in_db():
        assert applications_counted() == 2


def test_the_dashboard_details_the_most_recent_calls_and_all_on_demand(app, client, in_db, login):
    with in_db():
        staff = create_user(role=Role.staff)
        organisation = create_organisation()
        now = utcnow()
        for n in range(RECENT_CALLS + 2):
            call = create_call(title=f"Appel n°{n:02d}", opens_at=now - timedelta(days=40 - n))
            create_application(call, organisation, state="submitted")
    login(staff)
    page = client.get("/tracking/").get_data(as_text=True)
    listed = list(dict.fromkeys(re.findall(r">Appel n°(\d+)</a></th>", page)))  # the table, then the chart's
    assert listed == [f"{n:02d}" for n in range(RECENT_CALLS + 1, 1, -1)]  # the 12 most recent
    assert f"Les {RECENT_CALLS} appels les plus récents sur {RECENT_CALLS + 2}" in page
    every = client.get("/tracking/?calls=all").get_data(as_text=True)
    assert len(set(re.findall(r">Appel n°(\d+)</a></th>", every))) == RECENT_CALLS + 2
    assert "Seulement les appels les plus récents" in every


def test_the_call_chooser_lists_the_most_recent_calls_and_the_one_chosen(app, client, in_db, login):
    with in_db():
        staff = create_user(role=Role.staff)
        now = utcnow()
        calls = [create_call(title=f"Appel n°{n:02d}", opens_at=now - timedelta(days=200 - n))
                 for n in range(CALLS_LISTED + 3)]
        oldest = calls[0].id
    login(staff)
    for path in ("/tracking/", "/tracking/panorama", "/tracking/search"):
        options = re.findall(r'<option value="(\d+)"[^>]*>Appel n°', client.get(path).get_data(as_text=True))
        assert len(options) == CALLS_LISTED, path
        assert str(oldest) not in options
        chosen = client.get(f"{path}?call={oldest}").get_data(as_text=True)
        assert re.search(rf'<option value="{oldest}"\s*selected', chosen), path
