"""What the review domain lends the workflow engine: its guards (names used in
workflows/application.yaml and application_fsi.yaml), its effects, and the pages of the
national circuit's steps (transmission, national decision).

Each guard returns None when the transition may happen, else the reason in French. Lists of many
applications preload what the guards need in a few queries (``preload`` functions).
"""
from decimal import Decimal

from flask_babel import gettext as _
from sqlmodel import select

from fsi.applications.calculator import maximum_grant
from fsi.calls.models import Call
from fsi.db import bump_version, db
from fsi.formatting import money
from fsi.i18n import N_
from fsi.i18n import lazy_gettext as _l
from fsi.review import national
from fsi.review.assignments import review_status
from fsi.review.decisions import next_planned_sessions, open_items, quorum_counts, record_decision
from fsi.review.eligibility import apply_rules, eligibility_summary, opinion_of
from fsi.review.envelope import awarded_total
from fsi.review.models import Assignment, Review
from fsi.review.models.scoring import COUNTED_REVIEW
from fsi.workflow import Provides
from fsi.workflow.registry import SYSTEM, Reason, Remedy
from fsi.workflow.service import fire

provides = Provides("review")


def _to_assessment(ctx, label, anchor):
    """The remedy of a reason fixed on the application's assessment page."""
    return Remedy(label, "review.assessment", {"application_id": ctx.row.id, "_anchor": anchor})


def _cached(ctx, key, loader):
    """The preloaded value for this row, or load it for this row alone."""
    cache = ctx.cache.get(key)
    if cache is None or ctx.row.id not in cache:
        cache = loader([ctx.row])
    return cache[ctx.row.id]


# --- Eligibility --------------------------------------------------------------------------

def preload_eligibility(rows, cache):
    cache["review.eligibility"] = eligibility_summary(rows)


@provides.guard("eligibility_checked", _l("la grille de recevabilité est remplie"), preload=preload_eligibility)
def eligibility_checked(ctx):
    items, answered, _passed = _cached(ctx, "review.eligibility", eligibility_summary)
    if answered < items:
        return Reason(_("La grille de recevabilité n'est pas complète : %(missing)s point(s) sans réponse.",
                        missing=items - answered),
                      _to_assessment(ctx, _l("Compléter la grille de recevabilité"), "eligibility-title"))
    return None


@provides.guard("eligibility_passed", _l("chaque point de la grille de recevabilité est satisfait"),
                 preload=preload_eligibility)
def eligibility_passed(ctx):
    incomplete = eligibility_checked(ctx)
    if incomplete:
        return incomplete
    items, _answered, passed = _cached(ctx, "review.eligibility", eligibility_summary)
    if passed < items:
        return Reason(_("%(failed)s point(s) de la grille de recevabilité ne sont pas satisfaits.",
                        failed=items - passed),
                      _to_assessment(ctx, _l("Revoir la grille de recevabilité"), "eligibility-title"))
    return None


# --- Reviewers ----------------------------------------------------------------------------

def preload_reviews(rows, cache):
    cache["review.status"] = review_status(rows)


@provides.guard("reviewers_assigned", _l("des évaluateurs sont désignés"), preload=preload_reviews)
def reviewers_assigned(ctx):
    assigned, _submitted = _cached(ctx, "review.status", review_status)
    if assigned == 0:
        return Reason(_("Aucun membre du comité n'est désigné pour évaluer ce dossier."),
                      _to_assessment(ctx, _l("Désigner les évaluateurs"), "reviewers-title"))
    return None


@provides.guard("reviews_submitted", _l("toutes les évaluations sont soumises"), preload=preload_reviews)
def reviews_submitted(ctx):
    blocked = reviewers_assigned(ctx)
    if blocked:
        return blocked
    assigned, submitted = _cached(ctx, "review.status", review_status)
    if submitted < assigned:
        return Reason(_("%(waiting)s évaluation(s) sur %(total)s ne sont pas encore soumises.",
                        waiting=assigned - submitted, total=assigned),
                      _to_assessment(ctx, _l("Suivre les évaluations"), "reviewers-title"))
    return None


# --- Committee session --------------------------------------------------------------------

def preload_sessions(rows, cache):
    cache["review.quorum"] = quorum_counts(rows)
    cache["review.planned"] = next_planned_sessions({row.call_id for row in rows})


def _agenda_remedy(ctx):
    """The call's next planned session, where the application goes on the agenda, or planning one."""
    planned = ctx.cache.get("review.planned")
    if planned is None or ctx.row.call_id not in planned:
        planned = next_planned_sessions({ctx.row.call_id})
    session = planned[ctx.row.call_id]
    if session is None:
        return Remedy(_l("Programmer une séance"), "review.new_session", {"call_id": ctx.row.call_id})
    return Remedy(_l("Inscrire à l'ordre du jour de « %(title)s »", title=session.title), "review.session_detail",
                  {"session_id": session.id, "_anchor": "agenda"})


@provides.guard("session_planned", _l("le dossier est à l'ordre du jour d'une séance prévue"),
                 preload=preload_sessions)
def session_planned(ctx):
    if _cached(ctx, "review.quorum", quorum_counts) is None:
        return Reason(_("Le dossier n'est inscrit à l'ordre du jour d'aucune séance prévue."), _agenda_remedy(ctx))
    return None


@provides.guard("quorum_present", _l("la séance a commencé et le quorum est atteint"), preload=preload_sessions)
def quorum_present(ctx):
    found = _cached(ctx, "review.quorum", quorum_counts)
    if found is None:
        return session_planned(ctx)
    (_item, session), counted = found
    if not session.has_started():
        return Reason(_("La séance « %(title)s » n'a pas encore commencé.", title=session.title),
                      Remedy(_l("Ouvrir la séance"), "review.session_run", {"session_id": session.id}))
    if counted < session.quorum:
        return Reason(_("Quorum non atteint : %(counted)s membre(s) présent(s) sans conflit d'intérêts, %(quorum)s "
                        "requis.", counted=counted, quorum=session.quorum),
                      Remedy(_l("Enregistrer les présences"), "review.session_run",
                             {"session_id": session.id, "_anchor": "attendance"}))
    return None


# --- The association's opinion and the national circuit --------------------------------------

@provides.guard("regional_opinion_recorded", _l("l'avis de l'association régionale est enregistré"))
def regional_opinion_recorded(ctx):
    if opinion_of(ctx.row.id) is None:
        return Reason(_("L'avis de l'association régionale n'est pas encore enregistré."),
                      _to_assessment(ctx, _l("Donner l'avis de l'association régionale"), "opinion-title"))
    return None


@provides.guard("routed_to_federation", _l("le projet passe par la fédération de l'organisme (innovation)"))
def routed_to_federation(ctx):
    if not national.goes_through_federation(ctx.row):
        return _("Ce type de projet est instruit par l'association régionale et transmis directement à la CGLLS.")
    return None


@provides.guard("routed_to_cglls", _l("le dossier va à la CGLLS (directement, ou par la fédération)"))
def routed_to_cglls(ctx):
    if ctx.row.state not in national.TRANSMITTED and national.goes_through_federation(ctx.row):
        return _("Un projet d'innovation passe d'abord par la fédération de l'organisme.")
    return None


@provides.guard("transmission_recorded", _l("la date d'envoi et la séance nationale visée sont enregistrées"))
def transmission_recorded(ctx):
    if national.current_transmission(ctx.row, national.TRANSMISSIONS[ctx.trigger]) is None:
        return Reason(_("La transmission s'enregistre avec sa date et la séance du comité des aides visée."),
                      Remedy(_l("Enregistrer la transmission"), "review.transmit", {"object_id": ctx.row.id}))
    return None


@provides.guard("national_decision_recorded", _l("la décision de la CGLLS est enregistrée avec sa notification"))
def national_decision_recorded(ctx):
    if national.current_decision(ctx.row, national.NATIONAL_DECISIONS[ctx.trigger]) is None:
        return Reason(_("La décision nationale s'enregistre avec la notification reçue de la CGLLS."),
                      Remedy(_l("Enregistrer la décision nationale"), "review.national_decision",
                             {"object_id": ctx.row.id}))
    return None


for _trigger in national.TRANSMISSIONS:
    provides.action_page("application", _trigger, "review.transmit", completes=("transmission_recorded",))
for _trigger in national.NATIONAL_DECISIONS:
    provides.action_page("application", _trigger, "review.national_decision",
                         completes=("national_decision_recorded",))


# --- Amount -------------------------------------------------------------------------------

@provides.guard("amount_allowed", _l("le montant respecte la demande, le règlement et l'enveloppe"))
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
    calculation = maximum_grant(application)
    if not calculation.complete:
        return _("La subvention maximale ne peut pas être calculée (type de projet non renseigné) : "
                 "aucun montant ne peut être accordé.")
    if amount > calculation.maximum:
        return _("Le montant accordé (%(amount)s) dépasse la subvention maximale autorisée par le règlement "
                 "(%(maximum)s).", amount=money(amount), maximum=money(calculation.maximum))
    # The call's version is read before the sum: the reserve_envelope effect bumps exactly this
    # version, so if another approval commits after this point, this one fails as stale.
    version, envelope = db.session.exec(select(Call.version, Call.envelope).where(Call.id == application.call_id)).one()
    ctx.cache["review.call_version"] = version
    remaining = Decimal(envelope) - awarded_total(application.call_id)
    if amount > remaining:
        return _("Le montant accordé (%(amount)s) dépasserait l'enveloppe de l'appel : il reste %(remaining)s.",
                 amount=money(amount), remaining=money(remaining))
    return None


# --- Effects ------------------------------------------------------------------------------

@provides.effect("reserve_envelope", _l("réserve le montant sur l'enveloppe de l'appel"))
def reserve_envelope(ctx):
    """Bump the call's version: two approvals on one call in concurrent transactions cannot both
    commit (the second gets StaleObject), so the envelope check made by the ``amount_allowed``
    guard always saw every other approval."""
    call = db.session.get(Call, ctx.row.call_id)
    bump_version(call, ctx.cache.get("review.call_version", call.version))


@provides.effect("record_decision_on_agenda", _l("inscrit la décision au procès-verbal de la séance"))
def record_decision_on_agenda(ctx):
    """The decision, the members counted for the quorum and the recusals, on the open item (so
    the minutes never miss one, whichever page fired the decision)."""
    found = open_items([ctx.row])[ctx.row.id]
    if found is None:  # the quorum guard makes this unreachable; nothing to record
        return
    item, session = found
    record_decision(item, session, ctx.row, ctx.trigger, ctx.actor, ctx.comment, (ctx.data or {}).get("amount"))


@provides.effect("check_eligibility_rules", _l("répond aux points de recevabilité que FSI vérifie lui-même"))
def check_eligibility_rules(ctx):
    """On each submission, FSI answers the checklist's automatic items from the file (the project's
    start against the date of receipt, the minimum cost, the ceiling)."""
    apply_rules(ctx.row)


@provides.effect("reopen_reviews", _l("rouvre les évaluations"))
def reopen_reviews(ctx):
    """A revised application goes back to review: its reviewers' reviews open again (their former
    scores as a starting point), so the review closes only once each has re-read and submitted."""
    reviews = db.session.exec(select(Review).join(Assignment, Assignment.id == Review.assignment_id)
                              .where(Assignment.application_id == ctx.row.id, Review.state.in_(COUNTED_REVIEW))
                              .order_by(Review.id)).all()
    for review in reviews:  # each reopening an event of the review's log, by FSI
        fire(review, "reopen", SYSTEM, comment=N_("Automatique : le dossier révisé a été déposé."))
