"""``flask fsi remind`` (a daily cron): the project lead is mailed 30 and 7 days before a report is
due and weekly once it is overdue; each staff member gets ONE digest a day of what is overdue
(reports, payments awaiting staff, projects past their end date with money left).

Days are Paris calendar days, whatever the server's clock and the DST changes. Every mail is
sent once: its key (``ReminderSent``) is inserted first, in a transaction of its own that also
queues the mail, so a second run the same day, or another server running at the same moment,
meets the unique key and sends nothing (the key and its mail are committed together: a crash
loses neither one without the other)."""
from dataclasses import dataclass, field
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlmodel import func, select

from fsi.accounts.models import Role, User
from fsi.applications.models import Application
from fsi.applications.workflow import recipients
from fsi.db import db, utcnow
from fsi.formatting import day as format_day
from fsi.funding.models import REPORT_KIND_LABELS, Project, ReminderSent, Report, Tranche
from fsi.funding.reports import DUE
from fsi.i18n import PARIS
from fsi.mail.render import absolute_url, queue_template_mail
from fsi.workflow import tagged

AWARDED = tagged("application", "awarded")
PAYMENT_AWAITING_STAFF = tagged("payment", "awaiting_staff")
#: days before the due date the lead is reminded (the first one catches up if a run was missed)
BEFORE = (30, 7)
#: an overdue report is recalled once a week
OVERDUE_EVERY = 7


def paris_day(now=None):
    """The calendar day in Paris at ``now`` (an aware UTC instant; default: now)."""
    return (now or utcnow()).astimezone(PARIS).date()


def send_once(key, queue):
    """Insert ``key``, then call ``queue()`` to queue its mail, and commit both; False when the key
    was already there (sent by an earlier run or by another server right now)."""
    db.commit()  # a fresh transaction: on SQLite, a write from an old snapshot would fail at once
    db.session.add(ReminderSent(key=key))
    try:
        db.session.flush()
    except IntegrityError:
        db.rollback()
        return False
    queue()
    db.commit()
    return True


# --- The lead's reminders ----------------------------------------------------------------------

def open_reports(day):
    """(report, application) for the reports still to file of running projects, due within 30 days
    or overdue."""
    return db.session.exec(
        select(Report, Application).join(Project, Project.id == Report.project_id)
        .join(Application, Application.id == Project.application_id)
        .where(Report.state.in_(DUE), Report.due_on <= day + timedelta(days=BEFORE[0]),
               Project.lapsed_on.is_(None), Application.state.in_(AWARDED))
        .order_by(Report.due_on, Report.id)).all()


def step_of(report, day):
    """Which reminder ``report`` calls for on ``day``: "due-30", "due-7", "overdue-<week>"."""
    left = (report.due_on - day).days
    if left > BEFORE[1]:
        return f"due-{BEFORE[0]}"
    if left >= 0:
        return f"due-{BEFORE[1]}"
    return f"overdue-{(-left - 1) // OVERDUE_EVERY}"


def remind_leads(day):
    sent = 0
    for report, application in open_reports(day):
        step = step_of(report, day)
        # the due date is in the key: a final report moved by an extension is recalled again
        key = f"report:{report.id}:{report.due_on.isoformat()}:{step}"
        context = {"report": report, "application": application, "kind": REPORT_KIND_LABELS[report.kind],
                   "days_left": (report.due_on - day).days, "overdue": step.startswith("overdue"),
                   "url": absolute_url("funding.report", report_id=report.id)}
        sent += send_once(key, lambda context=context: _mail_lead(context))
    return sent


def _mail_lead(context):
    application = context["application"]
    for user in recipients(application, "applicant"):
        queue_template_mail(user, lambda language: (
            _("[FSI] %(reference)s : rapport en retard", reference=application.reference) if context["overdue"]
            else _("[FSI] %(reference)s : rapport à déposer avant le %(date)s", reference=application.reference,
                   date=format_day(context["report"].due_on, language))),
            "mail/funding/report_reminder.txt", **context)


# --- The staff digest --------------------------------------------------------------------------

@dataclass
class Digest:
    reports: list = field(default_factory=list)
    payments: list = field(default_factory=list)
    projects: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.reports or self.payments or self.projects)


def overdue(day):
    """What staff should act on, as (row, application) pairs: reports overdue, payments waiting for
    staff, running projects past their end date with money still to pay (three queries)."""
    running = (Project.lapsed_on.is_(None), Application.state.in_(AWARDED))
    reports = db.session.exec(
        select(Report, Application).join(Project, Project.id == Report.project_id)
        .join(Application, Application.id == Project.application_id)
        .where(Report.state.in_(DUE), Report.due_on < day, *running).order_by(Report.due_on, Report.id)).all()
    payments = db.session.exec(
        select(Tranche, Application).join(Project, Project.id == Tranche.project_id)
        .join(Application, Application.id == Project.application_id)
        .where(Tranche.state.in_(PAYMENT_AWAITING_STAFF), *running).order_by(Tranche.updated_at, Tranche.id)).all()
    still_due = func.coalesce(Project.due_amount, Project.granted_amount)
    projects = db.session.exec(
        select(Project, Application).join(Application, Application.id == Project.application_id)
        .where(Project.ends_on < day, Project.paid_total < still_due, *running)
        .order_by(Project.ends_on, Project.id)).all()
    return Digest(list(reports), list(payments), list(projects))


def remind_staff(day):
    digest = overdue(day)
    if not digest:
        return 0
    staff = db.session.exec(select(User).where(User.role == Role.staff, User.active.is_(True))
                            .order_by(User.id)).all()
    sent = 0
    for user in staff:
        sent += send_once(f"digest:{user.id}:{day.isoformat()}", lambda user=user: queue_template_mail(
            user, lambda language: _("[FSI] Suivi des projets financés : %(count)d point(s) en retard",
                                     count=len(digest.reports) + len(digest.payments) + len(digest.projects)),
            "mail/funding/staff_digest.txt", digest=digest, today=day, report_labels=REPORT_KIND_LABELS,
            home_url=absolute_url("home.index")))
    return sent


def remind(now=None):
    """Queue today's reminders (Paris day at ``now``); returns (mails to leads, staff digests)."""
    day = paris_day(now)
    return remind_leads(day), remind_staff(day)
