"""The eligibility checklist (recevabilité): items per call, staff's answers per application,
and the regional association's opinion."""
from flask_babel import gettext as _
from sqlmodel import func, select

from fsi.calls.models import Call
from fsi.db import db, utcnow
from fsi.review.errors import ReviewError
from fsi.review.models import EligibilityCheck, EligibilityItem, RegionalOpinion

#: The FSI's own checklist, given to every call that has none yet (staff edit it per call).
DEFAULT_ITEMS = [
    {"fr": "L'organisme cotise au fonds et est à jour de ses cotisations",
     "en": "The organisation contributes to the fund and is up to date"},
    {"fr": "L'organisme dispose d'un plan stratégique de patrimoine (PSP) adopté",
     "en": "The organisation has an adopted asset strategy plan (PSP)"},
    {"fr": "Le projet n'a pas commencé avant le dépôt du dossier",
     "en": "The project had not started before the application was filed"},
    {"fr": "Le plafond de 36 mois est respecté", "en": "Within the 36-month ceiling"},
    {"fr": "Le coût du projet atteint le minimum du règlement", "en": "Project cost at least the minimum"},
]


def create_default_checklist(call):
    """The FSI's checklist for a new call (connected to calls' ``call_created``)."""
    db.session.add_all([EligibilityItem(call_id=call.id, position=n, label=label)
                        for n, label in enumerate(DEFAULT_ITEMS)])
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
    """``answers``: {item id: (passed: bool | None, note)}; None leaves the item unanswered."""
    items = {item.id: item for item in items_for_call(application.call_id)}
    existing = checks_for(application.id)
    for item_id, (passed, note) in answers.items():
        if item_id not in items:
            raise ReviewError(_("Ce point de contrôle n'appartient pas à l'appel."))
        if passed is None:
            continue
        check = existing.get(item_id) or EligibilityCheck(application_id=application.id, item_id=item_id,
                                                          passed=passed, checked_by_id=actor.id)
        check.passed, check.note = passed, (note or "").strip()
        check.checked_by_id, check.checked_at = actor.id, utcnow()
        db.session.add(check)
    db.session.flush()


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
