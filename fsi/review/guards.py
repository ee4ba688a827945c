"""The review domain's workflow guards (names used in workflows/application.yaml).

Each returns None when the transition may happen, else the reason in French. Lists of many
applications preload what the guards need in a few queries (``preload`` functions).
"""
from decimal import Decimal

from flask_babel import gettext as _
from sqlmodel import select

from fsi.calls.models import Call
from fsi.db import db
from fsi.formatting import money
from fsi.review.assignments import assignments_of
from fsi.review.conflicts import conflicts_by_application
from fsi.review.eligibility import eligibility_summary
from fsi.review.envelope import awarded_total
from fsi.review.models import Review
from fsi.workflow.registry import guard


def _cached(ctx, key, loader):
    """The preloaded value for this row, or load it for this row alone."""
    cache = ctx.cache.get(key)
    if cache is None or ctx.row.id not in cache:
        cache = loader([ctx.row])
    return cache[ctx.row.id]


# --- Eligibility --------------------------------------------------------------------------

def preload_eligibility(rows, cache):
    cache["review.eligibility"] = eligibility_summary(rows)


@guard("eligibility_checked", preload=preload_eligibility)
def eligibility_checked(ctx):
    items, answered, _passed = _cached(ctx, "review.eligibility", eligibility_summary)
    if answered < items:
        return _("La grille de recevabilité n'est pas complète : %(missing)s point(s) sans réponse.",
                 missing=items - answered)
    return None


@guard("eligibility_passed", preload=preload_eligibility)
def eligibility_passed(ctx):
    items, answered, passed = _cached(ctx, "review.eligibility", eligibility_summary)
    if answered < items:
        return _("La grille de recevabilité n'est pas complète : %(missing)s point(s) sans réponse.",
                 missing=items - answered)
    if passed < items:
        return _("%(failed)s point(s) de la grille de recevabilité ne sont pas satisfaits.", failed=items - passed)
    return None


# --- Reviewers ----------------------------------------------------------------------------

def review_status(applications):
    """{application id: (non-conflicted assignments, of which submitted)}"""
    applications = list(applications)
    ids = [a.id for a in applications]
    assignments = assignments_of(ids)
    conflicts = conflicts_by_application(applications)
    every = [a.id for rows in assignments.values() for a in rows]
    submitted = set()
    if every:
        submitted = set(db.session.exec(select(Review.assignment_id).where(
            Review.assignment_id.in_(every), Review.submitted_at.is_not(None))))
    result = {}
    for app_id, rows in assignments.items():
        valid = [a for a in rows if a.reviewer_id not in conflicts[app_id]]
        result[app_id] = (len(valid), len([a for a in valid if a.id in submitted]))
    return result


def preload_reviews(rows, cache):
    cache["review.status"] = review_status(rows)


@guard("reviewers_assigned", preload=preload_reviews)
def reviewers_assigned(ctx):
    assigned, _submitted = _cached(ctx, "review.status", review_status)
    if assigned == 0:
        return _("Aucun membre du comité n'est désigné pour évaluer ce dossier.")
    return None


@guard("reviews_submitted", preload=preload_reviews)
def reviews_submitted(ctx):
    assigned, submitted = _cached(ctx, "review.status", review_status)
    if assigned == 0:
        return _("Aucun membre du comité n'est désigné pour évaluer ce dossier.")
    if submitted < assigned:
        return _("%(waiting)s évaluation(s) sur %(total)s ne sont pas encore soumises.",
                 waiting=assigned - submitted, total=assigned)
    return None


# --- Committee session --------------------------------------------------------------------

def open_items(applications):
    """{application id: (AgendaItem, CommitteeSession) or None}, in one query."""
    from fsi.review.models import AgendaItem, CommitteeSession, SessionStatus

    ids = [a.id for a in applications]
    result = {app_id: None for app_id in ids}
    if ids:
        rows = db.session.exec(select(AgendaItem, CommitteeSession)
                               .join(CommitteeSession, CommitteeSession.id == AgendaItem.session_id)
                               .where(AgendaItem.application_id.in_(ids), AgendaItem.outcome.is_(None),
                                      CommitteeSession.status == SessionStatus.planned)
                               .order_by(AgendaItem.id))
        for item, session in rows:  # the latest item wins
            result[item.application_id] = (item, session)
    return result


def quorum_counts(applications):
    """{application id: members present and free of conflict on its open item (or None)}"""
    from fsi.review.models import SessionMember

    applications = list(applications)
    found = open_items(applications)
    session_ids = {pair[1].id for pair in found.values() if pair}
    present = {}
    if session_ids:
        for member in db.session.exec(select(SessionMember).where(SessionMember.session_id.in_(session_ids),
                                                                  SessionMember.present.is_(True))):
            present.setdefault(member.session_id, set()).add(member.user_id)
    conflicts = conflicts_by_application(applications)
    return {app_id: None if pair is None else (pair, len(present.get(pair[1].id, set()) - set(conflicts[app_id])))
            for app_id, pair in found.items()}


def preload_sessions(rows, cache):
    cache["review.quorum"] = quorum_counts(rows)


@guard("session_planned", preload=preload_sessions)
def session_planned(ctx):
    if _cached(ctx, "review.quorum", quorum_counts) is None:
        return _("Le dossier n'est inscrit à l'ordre du jour d'aucune séance prévue.")
    return None


@guard("quorum_present", preload=preload_sessions)
def quorum_present(ctx):
    found = _cached(ctx, "review.quorum", quorum_counts)
    if found is None:
        return _("Le dossier n'est inscrit à l'ordre du jour d'aucune séance prévue.")
    (_item, session), counted = found
    if counted < session.quorum:
        return _("Quorum non atteint : %(counted)s membre(s) présent(s) sans conflit d'intérêts, %(quorum)s requis.",
                 counted=counted, quorum=session.quorum)
    return None


# --- Amount -------------------------------------------------------------------------------

def award_calculation(application):
    """The award calculator's result, or None while the applications domain has none."""
    try:
        from fsi.applications.calculator import maximum_grant as calculator
    except ImportError:
        return None
    return calculator(application)


@guard("amount_allowed")
def amount_allowed(ctx):
    """Amount ≤ requested, ≤ the calculator's maximum, ≤ what remains of the call's envelope.
    Without an amount (e.g. when listing actions) there is nothing to check yet."""
    amount = (ctx.data or {}).get("amount")
    if amount is None:
        return None
    amount = Decimal(amount)
    application = ctx.row
    if amount <= 0:
        return _("Le montant accordé doit être positif.")
    if application.requested_amount is not None and amount > application.requested_amount:
        return _("Le montant accordé (%(amount)s) dépasse le montant demandé (%(requested)s).",
                 amount=money(amount), requested=money(application.requested_amount))
    calculation = award_calculation(application)
    if calculation is not None and not getattr(calculation, "complete", True):
        return _("La subvention maximale ne peut pas être calculée (type de projet non renseigné) : "
                 "aucun montant ne peut être accordé.")
    if calculation is not None and amount > calculation.maximum:
        return _("Le montant accordé (%(amount)s) dépasse la subvention maximale autorisée par le règlement "
                 "(%(maximum)s).", amount=money(amount), maximum=money(calculation.maximum))
    # The call's version is read before the sum: the approve effect bumps exactly this version,
    # so if another approval commits after this point, this one fails as stale.
    version, envelope = db.session.exec(select(Call.version, Call.envelope).where(Call.id == application.call_id)).one()
    ctx.cache["review.call_version"] = version
    remaining = Decimal(envelope) - awarded_total(application.call_id)
    if amount > remaining:
        return _("Le montant accordé (%(amount)s) dépasserait l'enveloppe de l'appel : il reste %(remaining)s.",
                 amount=money(amount), remaining=money(remaining))
    return None


import fsi.review.effects  # noqa: E402,F401  (the approve effect registers with the guards)
