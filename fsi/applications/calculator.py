"""The award calculator: the most an application may be granted under its call's rules.

maximum = min(rate × eligible cost, the kind's cap, the organisation's remaining ceiling over
the rolling period, public-funding ceiling × eligible cost − other public co-financing),
never below zero, rounded down to the cent. Each term is kept with a French label so that the
applicant and the committee see why.
"""
from dataclasses import dataclass, field
from datetime import UTC
from decimal import ROUND_DOWN, Decimal

from sqlalchemy import func, union
from sqlmodel import select

from fsi.applications.budget import totals_for
from fsi.applications.models import Application, CoApplicant
from fsi.applications.signals import committed, outside_grants
from fsi.calls.models import Call, FundingKind
from fsi.calls.rules import kind_label
from fsi.db import db, utcnow
from fsi.formatting import money, percent
from fsi.i18n import PARIS, pick
from fsi.i18n import lazy_gettext as _
from fsi.workflow import tagged

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
#: the grants that count: a withdrawn, abandoned or renounced grant no longer does
AWARDED = tagged("application", "awarded")


@dataclass
class AwardTerm:
    label: str
    value: Decimal
    binding: bool = False


@dataclass
class AwardCalculation:
    maximum: Decimal
    terms: list = field(default_factory=list)
    #: False when the kind is not chosen (or not open in the call): no maximum can be computed
    complete: bool = True
    eligible_cost: Decimal = ZERO


def months_before(moment, months):
    """The same day and time ``months`` calendar months earlier (clamped to the month's end)."""
    year, month = divmod(moment.year * 12 + (moment.month - 1) - months, 12)
    month += 1
    day = moment.day
    while True:
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            day -= 1


def carriers_of(application_ids):
    """{application id: number of organisations carrying it (the applicant and co-applicants)}."""
    counts = dict.fromkeys(application_ids, 1)
    if application_ids:
        for application_id, number in db.session.exec(
                select(CoApplicant.application_id, func.count()).where(CoApplicant.application_id.in_(application_ids))
                .group_by(CoApplicant.application_id)):
            counts[application_id] += number
    return counts


def committed_amounts(applications):
    """{application id: what its grant commits}: the approved amount while awarded, nothing once
    withdrawn, abandoned or renounced, unless a higher domain answers the ``committed`` hook (the
    funding domain: what is finally due, what an abandoned project was paid)."""
    answered = {}
    for _receiver, answer in committed.send(None, application_ids=[a.id for a in applications]):
        answered.update(answer or {})
    return {a.id: Decimal(answered[a.id]) if a.id in answered
            else (a.approved_amount or ZERO) if a.state in AWARDED else ZERO for a in applications}


def ceiling_share(application, call, organisation_id, carriers, amount=None):
    """The part of the application's grant (``amount``: what it commits, by default its approved
    amount) that counts against ``organisation_id``'s ceiling: all of it for the applicant (the
    lead) and nothing for co-applicants, or equal shares when the call splits joint grants."""
    amount = (application.approved_amount if amount is None else amount) or ZERO
    if call.joint_grant_split == "equal":
        return _down(amount / carriers)
    return amount if application.organisation_id == organisation_id else ZERO


def outside_within(organisation_id, since):
    """What the organisation was granted outside FSI since the instant ``since`` (the
    ``outside_grants`` hook; its grants are dated by day, in Europe/Paris)."""
    day = (since if since.tzinfo else since.replace(tzinfo=UTC)).astimezone(PARIS).date()
    return sum((Decimal(answer or 0) for _receiver, answer
                in outside_grants.send(None, organisation_id=organisation_id, since=day)), ZERO)


def awarded_within(organisation_id, months, now=None, exclude_id=None):
    """What counts against the organisation's ceiling, all calls together: what the grants decided
    in the last ``months`` still commit (``committed_amounts``; see ``ceiling_share`` for joint
    projects), and the grants it obtained outside FSI over the same months (``outside_within``)."""
    since = months_before(now or utcnow(), months)
    # one set of ids from two indexed lookups: "organisation_id = x OR id IN (...)" reads every row
    carried = union(select(Application.id).where(Application.organisation_id == organisation_id),
                    select(CoApplicant.application_id).where(CoApplicant.organisation_id == organisation_id))
    query = (select(Application, Call).join(Call, Call.id == Application.call_id)
             .where(Application.id.in_(carried),
                    Application.approved_amount.is_not(None), Application.approved_at >= since))
    if exclude_id is not None:
        query = query.where(Application.id != exclude_id)
    rows = db.session.exec(query).all()
    carriers = carriers_of([application.id for application, _call in rows])
    amounts = committed_amounts([application for application, _call in rows])
    fsi_grants = sum((ceiling_share(application, call, organisation_id, carriers[application.id],
                                    amounts[application.id]) for application, call in rows), ZERO)
    return (fsi_grants + outside_within(organisation_id, since)).quantize(CENT)


def _down(value):
    return value.quantize(CENT, rounding=ROUND_DOWN)


def compute(call, kind, organisation_id, eligible_cost, other_public, *, exclude_id=None, now=None):
    """The calculation from plain figures (the budget form uses it on unsaved input)."""
    if kind is None or not kind.enabled:
        return AwardCalculation(ZERO, [AwardTerm(_("Type de projet non renseigné"), ZERO, True)],
                                complete=False, eligible_cost=eligible_cost)
    already = awarded_within(organisation_id, call.ceiling_months, now, exclude_id)
    terms = [
        AwardTerm(_("Taux d'intervention (%(rate)s) × coût éligible (%(cost)s)",
                    rate=percent(kind.rate), cost=money(eligible_cost)),
                  _down(kind.rate * eligible_cost)),
        AwardTerm(_("Plafond du type « %(kind)s »", kind=pick(kind_label(kind.code))),
                  _down(kind.cap)),
        AwardTerm(_("Reste du plafond de l'organisme sur %(months)d mois "
                    "(%(ceiling)s − %(already)s déjà accordés)",
                    months=call.ceiling_months, ceiling=money(call.organisation_ceiling), already=money(already)),
                  _down(call.organisation_ceiling - already)),
        AwardTerm(_("Financements publics au plus %(rate)s du coût éligible, "
                    "moins les autres financements publics (%(other)s)",
                    rate=percent(call.public_funding_max_rate), other=money(other_public)),
                  _down(call.public_funding_max_rate * eligible_cost - other_public)),
    ]
    lowest = min(t.value for t in terms)
    for term in terms:
        term.binding = term.value == lowest
    return AwardCalculation(max(lowest, ZERO), terms, complete=True, eligible_cost=eligible_cost)


def kind_for(call_id, code):
    if not code:
        return None
    return db.session.exec(select(FundingKind).where(FundingKind.call_id == call_id,
                                                     FundingKind.code == code)).first()


def maximum_grant(application, now=None):
    """The AwardCalculation for a saved application (used by the budget page, staff and the
    committee's approve decision)."""
    call = db.session.get(Call, application.call_id)
    totals = totals_for(application)
    return compute(call, kind_for(call.id, application.kind), application.organisation_id,
                   totals.eligible_cost, totals.public_cofunding, exclude_id=application.id, now=now)


__all__ = ["AwardCalculation", "AwardTerm", "compute", "maximum_grant", "awarded_within", "outside_within",
           "months_before", "committed_amounts"]
