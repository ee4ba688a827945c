"""The eligibility checklist (recevabilité): items per call, staff's answers per application,
FSI's own answers to the items it can check from the file (automatic items), and the regional
association's opinion."""
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlmodel import func, select

from fsi.applications.budget import below_minimum_cost, minimum_cost_message, project_cost, totals_for
from fsi.applications.calculator import awarded_within
from fsi.calls.models import Call
from fsi.db import db, utcnow
from fsi.formatting import day, money
from fsi.i18n import PARIS
from fsi.review.errors import ReviewError
from fsi.review.models import EligibilityCheck, EligibilityItem, RegionalOpinion


def default_items(call):
    """The FSI's own checklist for a new call, (label, rule) each; the ceiling reads the call's."""
    ceiling = {language: money(call.organisation_ceiling, locale=language, cents=False) for language in ("fr", "en")}
    return [
        ({"fr": "L'organisme cotise au fonds et est à jour de ses cotisations",
          "en": "The organisation contributes to the fund and is up to date"}, None),
        ({"fr": "L'organisme dispose d'un plan stratégique de patrimoine (PSP) adopté",
          "en": "The organisation has an adopted asset strategy plan (PSP)"}, None),
        ({"fr": "Le projet n'a pas commencé avant la réception du dossier",
          "en": "The project had not started before the application was received"}, "started_after_receipt"),
        ({"fr": f"Plafond de {ceiling['fr']} d'aides FSI sur {call.ceiling_months} mois glissants respecté",
          "en": f"Within the ceiling of {ceiling['en']} of FSI grants over {call.ceiling_months} rolling months"},
         "ceiling"),
        ({"fr": "Le coût du projet atteint le minimum du règlement", "en": "Project cost at least the minimum"},
         "minimum_cost"),
        ({"fr": "Le projet est évaluable et reproductible", "en": "The project can be evaluated and reproduced"},
         None),
        ({"fr": "Le projet ne se limite pas à une mise en conformité réglementaire (modernisation)",
          "en": "The project is more than bringing into regulatory compliance (modernisation)"},
         "modernisation_only"),
    ]


def create_default_checklist(call):
    """The FSI's checklist for a new call (connected to calls' ``call_created``)."""
    db.session.add_all([EligibilityItem(call_id=call.id, position=n, label=label, rule=rule)
                        for n, (label, rule) in enumerate(default_items(call))])
    db.session.flush()


# --- What FSI checks itself -----------------------------------------------------------------------

@dataclass(frozen=True)
class Finding:
    """FSI's answer to an automatic item, and why (in the reader's language)."""

    passed: bool
    text: str


def _started_after_receipt(application, call):
    if application.received_at is None:
        return Finding(False, _("Le dossier n'a pas encore été reçu."))
    received = application.received_at.astimezone(PARIS).date()
    if application.start_date is None:
        return Finding(False, _("La date de début du projet n'est pas renseignée."))
    text = _("Début du projet le %(start)s ; dossier reçu le %(received)s.", start=day(application.start_date),
             received=day(received))
    return Finding(application.start_date >= received, text)


def _minimum_cost(application, call):
    totals = totals_for(application)
    if below_minimum_cost(call, totals):
        return Finding(False, minimum_cost_message(call, totals))
    return Finding(True, _("Coût du projet : %(cost)s (minimum %(min)s).", cost=money(project_cost(call, totals)),
                           min=money(call.min_project_cost)))


def _ceiling(application, call):
    already = awarded_within(application.organisation_id, call.ceiling_months, exclude_id=application.id)
    left = call.organisation_ceiling - already
    requested = application.requested_amount or 0
    return Finding(requested <= left, _("Déjà accordé à l'organisme sur %(months)d mois : %(already)s ; il reste "
                                        "%(left)s pour %(requested)s demandés.", months=call.ceiling_months,
                                        already=money(already), left=money(left), requested=money(requested)))


def _modernisation_only(application, call):
    """Staff judge a modernisation project; for another kind the item does not apply."""
    if application.kind in ("modernisation", "joint_modernisation"):
        return None
    return Finding(True, _("Sans objet : ce n'est pas un projet de modernisation."))


#: rule name -> (application, call) -> Finding, or None when staff answer the item themselves
RULES = {"started_after_receipt": _started_after_receipt, "minimum_cost": _minimum_cost, "ceiling": _ceiling,
         "modernisation_only": _modernisation_only}


def findings(application, items=None):
    """{item id: Finding} of the call's automatic items FSI answers for this application."""
    call = db.session.get(Call, application.call_id)
    found = {}
    for item in items if items is not None else items_for_call(application.call_id):
        rule = RULES.get(item.rule)
        finding = rule(application, call) if rule else None
        if finding is not None:
            found[item.id] = finding
    return found


def apply_rules(application):
    """Write FSI's answers to the automatic items (no one ticks them; ``checked_by`` stays empty)."""
    existing = checks_for(application.id)
    for item_id, finding in findings(application).items():
        check = existing.get(item_id) or EligibilityCheck(application_id=application.id, item_id=item_id,
                                                          passed=finding.passed)
        check.passed, check.note, check.checked_by_id, check.checked_at = finding.passed, "", None, utcnow()
        db.session.add(check)
    db.session.flush()


def setup_checklists():
    """Setup step of ``flask fsi init-db``: a checklist for every call that has none (calls
    created before checklists came with the call)."""
    with_items = select(EligibilityItem.call_id)
    calls = db.session.exec(select(Call).where(Call.id.not_in(with_items))).all()
    for call in calls:
        create_default_checklist(call)
    return [f"Grilles de recevabilité : {len(calls)} appel(s) complété(s)."] if calls else []


def items_for_call(call_id, include_retired=False):
    """The call's checklist, in order."""
    items = db.session.exec(select(EligibilityItem).where(EligibilityItem.call_id == call_id)
                            .order_by(EligibilityItem.position, EligibilityItem.id)).all()
    return [i for i in items if include_retired or i.active]


def add_item(call_id, label_fr, label_en):
    items = items_for_call(call_id, include_retired=True)
    item = EligibilityItem(call_id=call_id, position=len(items), label={"fr": label_fr, "en": label_en or label_fr})
    db.session.add(item)
    db.session.flush()
    return item


def update_item(item, label_fr, label_en, active):
    item.label = {"fr": label_fr, "en": label_en or label_fr}
    item.active = active
    db.session.add(item)
    db.session.flush()


def opinion_of(application_id):
    return db.session.exec(select(RegionalOpinion).where(RegionalOpinion.application_id == application_id)).first()


def record_opinion(application, opinion, reasons, actor):
    """The regional association's opinion on the application (a new one replaces the previous)."""
    row = opinion_of(application.id) or RegionalOpinion(application_id=application.id, opinion=opinion,
                                                        recorded_by_id=actor.id)
    row.opinion, row.reasons = opinion, reasons.strip()
    row.recorded_by_id, row.recorded_at = actor.id, utcnow()
    db.session.add(row)
    db.session.flush()
    return row


def checks_for(application_id):
    """{item id: EligibilityCheck} for one application."""
    rows = db.session.exec(select(EligibilityCheck).where(EligibilityCheck.application_id == application_id))
    return {check.item_id: check for check in rows}


def record_checks(application, answers, actor):
    """``answers``: {item id: (passed: bool | None, note)}; None leaves the item unanswered. The
    automatic items are FSI's to answer: they are checked again instead."""
    items = {item.id: item for item in items_for_call(application.call_id)}
    automatic = findings(application, items.values())
    existing = checks_for(application.id)
    for item_id, (passed, note) in answers.items():
        if item_id not in items:
            raise ReviewError(_("Ce point de contrôle n'appartient pas à l'appel."))
        if passed is None or item_id in automatic:
            continue
        check = existing.get(item_id) or EligibilityCheck(application_id=application.id, item_id=item_id,
                                                          passed=passed, checked_by_id=actor.id)
        check.passed, check.note = passed, (note or "").strip()
        check.checked_by_id, check.checked_at = actor.id, utcnow()
        db.session.add(check)
    db.session.flush()
    apply_rules(application)


def eligibility_summary(applications):
    """{application id: (items, answered, passed)} in a few queries, for guards and lists."""
    applications = list(applications)
    result = {}
    call_items = {}
    for call_id in {a.call_id for a in applications}:
        call_items[call_id] = {i.id for i in items_for_call(call_id)}
    ids = [a.id for a in applications]
    counts = {}
    if ids:
        every_item = set().union(*call_items.values()) if call_items else set()
        rows = db.session.exec(
            select(EligibilityCheck.application_id, EligibilityCheck.passed, func.count())
            .where(EligibilityCheck.application_id.in_(ids), EligibilityCheck.item_id.in_(every_item))
            .group_by(EligibilityCheck.application_id, EligibilityCheck.passed))
        for application_id, passed, count in rows:
            answered, ok = counts.get(application_id, (0, 0))
            counts[application_id] = (answered + count, ok + (count if passed else 0))
    for application in applications:
        answered, ok = counts.get(application.id, (0, 0))
        result[application.id] = (len(call_items[application.call_id]), answered, ok)
    return result
