"""``flask fsi remind``: the lead is mailed 30 and 7 days before a report is due and weekly once it
is overdue, each staff member gets one digest a day; Paris days across the DST changes; a second
run, or two servers at once, send nothing twice."""
import threading
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlmodel import func, select

from fsi.accounts.models import Role
from fsi.applications.models import Application
from fsi.db import db
from fsi.funding import reminders, reports
from fsi.funding.models import Project, ReminderSent, Report, Tranche
from fsi.mail.models import OutboxMessage
from tests.factories import create_user
from tests.funding.test_reports import make_project


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def outbox():
    return db.session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all()


@pytest.fixture
def project_due(in_db):
    """A project whose only report is due on ``due_on`` (set per test), its lead (English) and two
    staff members."""
    def make(due_on):
        with in_db():
            project = make_project(progress_reports=0)
            report = reports.reports_of(project.id)[0]
            report.due_on = due_on
            application = db.session.get(Application, project.application_id)
            from fsi.accounts.models import Organisation

            lead = create_user(organisation=db.session.get(Organisation, application.organisation_id),
                               language="en", email="lead@example.org")
            create_user(role=Role.staff, email="staff1@example.org")
            create_user(role=Role.staff, email="staff2@example.org", language="en")
            return {"project": project.id, "report": report.id, "lead": lead.id,
                    "reference": application.reference}
    return make


def run(in_db, now):
    with in_db():
        return reminders.remind(now)


def test_thirty_and_seven_days_before_then_weekly_overdue(in_db, project_due):
    ids = project_due(date(2027, 6, 15))
    assert run(in_db, utc(2027, 5, 15, 6)) == (0, 0)  # 31 days before
    assert run(in_db, utc(2027, 5, 16, 6)) == (1, 0)  # 30 days before
    assert run(in_db, utc(2027, 5, 17, 6)) == (0, 0)
    assert run(in_db, utc(2027, 6, 8, 6)) == (1, 0)  # 7 days before
    assert run(in_db, utc(2027, 6, 15, 6)) == (0, 0)  # due today: not late yet
    assert run(in_db, utc(2027, 6, 16, 6)) == (1, 2)  # late: the lead, and one digest per staff member
    assert run(in_db, utc(2027, 6, 17, 6)) == (0, 2)  # staff: a digest a day; the lead: once a week
    assert run(in_db, utc(2027, 6, 23, 6)) == (1, 2)
    with in_db():
        mails = [(m.recipient, m.subject) for m in outbox()]
        lead_mails = [subject for recipient, subject in mails if recipient == "lead@example.org"]
        assert len(lead_mails) == 4
        # in the lead's language (the dates at least, until the English catalog has these texts)
        assert ids["reference"] in lead_mails[0] and "15 Jun 2027" in lead_mails[0]
        assert sum(1 for recipient, _ in mails if recipient == "staff1@example.org") == 3


def test_a_second_run_the_same_day_sends_nothing(in_db, project_due):
    project_due(date(2027, 6, 1))
    assert run(in_db, utc(2027, 6, 2, 5)) == (1, 2)
    assert run(in_db, utc(2027, 6, 2, 20)) == (0, 0)
    with in_db():
        assert len(outbox()) == 3
        assert db.session.exec(select(func.count()).select_from(ReminderSent)).one() == 3


def test_a_filed_or_cancelled_report_is_not_recalled(in_db, project_due):
    ids = project_due(date(2027, 6, 1))
    with in_db():
        db.session.get(Report, ids["report"]).state = "submitted"
    assert run(in_db, utc(2027, 6, 2, 5))[0] == 0


def test_an_extension_moving_the_due_date_recalls_again(in_db, project_due):
    ids = project_due(date(2027, 6, 15))
    assert run(in_db, utc(2027, 6, 8, 6)) == (1, 0)
    with in_db():
        db.session.get(Report, ids["report"]).due_on = date(2028, 6, 15)
    assert run(in_db, utc(2028, 5, 16, 6)) == (1, 0)


# --- Paris days across the DST changes (2027: 28 March and 31 October) ---------------------------

@pytest.mark.parametrize(("now", "sent"), [
    # spring forward: Paris is UTC+1 until 01:00 UTC on 28 March, then UTC+2
    (utc(2027, 3, 27, 22, 59), 0),  # 23:59 on the 27th in Paris: 31 days before
    (utc(2027, 3, 27, 23, 0), 1),  # 00:00 on the 28th in Paris: 30 days before
    # fall back: Paris is UTC+2 until 01:00 UTC on 31 October, then UTC+1
    (utc(2027, 10, 1, 21, 59), 0),  # 23:59 on 1 October (UTC+2): 31 days before
    (utc(2027, 10, 1, 22, 0), 1),  # 00:00 on 2 October
])
def test_the_thirty_day_reminder_starts_at_midnight_in_paris(in_db, project_due, now, sent):
    due = date(2027, 4, 27) if now.month == 3 else date(2027, 11, 1)
    project_due(due)
    assert run(in_db, now)[0] == sent


@pytest.mark.parametrize(("now", "late"), [
    (utc(2027, 10, 31, 22, 59), False),  # 23:59 on the 31st (UTC+1 since the night before)
    (utc(2027, 10, 31, 23, 0), True),  # 00:00 on 1 November
    (utc(2027, 3, 28, 21, 59), False),  # 23:59 on the 28th (UTC+2 since that night)
    (utc(2027, 3, 28, 22, 0), True),
])
def test_overdue_from_the_paris_day_after_the_due_date(in_db, project_due, now, late):
    project_due(date(2027, 10, 31) if now.month in (10, 11) else date(2027, 3, 28))
    leads, staff = run(in_db, now)
    assert (staff > 0) is late


def test_the_staff_digest_lists_reports_payments_and_projects_past_their_end(in_db, project_due):
    ids = project_due(date(2027, 6, 1))
    with in_db():
        project = db.session.get(Project, ids["project"])
        project.ends_on = date(2027, 5, 31)
        db.session.add(Tranche(project_id=project.id, position=1, label="Avance", amount=Decimal("4000.00"),
                               state="requested"))
    run(in_db, utc(2027, 6, 2, 6))
    with in_db():
        body = next(m.body for m in outbox() if m.recipient == "staff1@example.org")
        body = body.replace("\u202f", " ").replace("\xa0", " ")
        assert ids["reference"] in body
        assert "Rapports en retard" in body and "Avance : 4 000,00 €" in body
        assert "Projets arrivés à échéance" in body
        english = next(m for m in outbox() if m.recipient == "staff2@example.org")
        assert english.subject.startswith("[FSI]")


def test_nothing_overdue_sends_no_digest(in_db, project_due):
    project_due(date(2027, 6, 30))
    assert run(in_db, utc(2027, 6, 2, 6)) == (1, 0)  # the 30-day reminder, no digest


def test_two_servers_at_once_send_each_reminder_once(app, in_db, project_due):
    project_due(date(2027, 6, 1))
    barrier = threading.Barrier(2)
    results, errors = [], []

    def server():
        try:
            with app.app_context():
                barrier.wait()
                results.append(reminders.remind(utc(2027, 6, 2, 6)))
                db.commit()
        except Exception as error:  # noqa: BLE001  (reported below)
            errors.append(error)

    threads = [threading.Thread(target=server) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(results) == 2
    assert (sum(leads for leads, _ in results), sum(staff for _, staff in results)) == (1, 2)
    with in_db():
        assert len(outbox()) == 3


def test_the_command(app, in_db, project_due):
    project_due(date(2027, 6, 1))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["fsi", "remind", "--now", "2027-06-02T06:00"])
    assert result.exit_code == 0, result.output
    assert "1 rappel(s)" in result.output
    again = runner.invoke(args=["fsi", "remind", "--now", "2027-06-02T07:00"])
    assert "0 rappel(s) de rapport, 0 récapitulatif(s)" in again.output
