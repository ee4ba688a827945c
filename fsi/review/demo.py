"""Demo data of the review domain: about twenty applications on the demo call at every stage of
assessment, reviewers with assignments and reviews (comite3 shares porteur's organisation: an
organisational conflict), a closed past session with its minutes and letters, a planned session.

Every state change goes through the workflow service, so ``flask fsi audit verify`` passes.
Idempotent: applications are found by title, sessions by title."""
from datetime import timedelta
from decimal import Decimal

from flask import current_app
from sqlmodel import select

from fsi.accounts.models import User
from fsi.applications.demo import OPEN_CALL, fill_demo_application
from fsi.applications.models import Application
from fsi.applications.operations import create_draft
from fsi.calls.models import Call
from fsi.db import db, utcnow
from fsi.review import decisions
from fsi.review import sessions as ops
from fsi.review.assignments import assign, call_load
from fsi.review.conflicts import conflicts_by_application
from fsi.review.eligibility import items_for_call, record_checks, record_opinion
from fsi.review.letters import release_all
from fsi.review.models import CommitteeSession, Opinion, Recommendation
from fsi.review.models.sessions import DECISIONS
from fsi.review.scoring import criteria_of, save_review
from fsi.workflow.service import fire

PAST_SESSION = "Comité de sélection — session d'automne"
NEXT_SESSION = "Comité de sélection — session d'hiver"
STAFF = "instructeur@demo.fsi"
REVIEWERS = ("comite@demo.fsi", "comite2@demo.fsi", "comite3@demo.fsi")

#: title, applicant email, kind, eligible costs, requested, and the last step taken (a trigger of
#: workflows/application.yaml)
PROJECTS = [
    ("Médiation numérique en pied d'immeuble", "porteur2@demo.fsi", "innovation", ["40000"], "15000", "submit"),
    ("Plateforme d'échanges de services entre voisins", "porteur@demo.fsi", "innovation", ["50000"], "20000", "submit"),
    ("Réemploi des matériaux de déconstruction", "porteur2@demo.fsi", "modernisation",
     ["30000"], "9000", "return_for_completion"),
    ("Cours de cuisine anti-gaspillage", "porteur@demo.fsi", "modernisation", ["8000"], "1000", "declare_ineligible"),
    ("Gardiens référents bien vieillir", "porteur2@demo.fsi", "innovation", ["60000"], "25000", "declare_eligible"),
    ("Chaufferie biomasse mutualisée", "porteur@demo.fsi", "innovation", ["90000"], "35000", "declare_eligible"),
    ("Jardins partagés et compostage collectif", "porteur2@demo.fsi", "innovation", ["36000"], "15000", "start_review"),
    ("Application de signalement des pannes", "porteur@demo.fsi", "modernisation", ["45000"], "15000", "start_review"),
    ("Colocation intergénérationnelle", "porteur2@demo.fsi", "innovation", ["70000"], "30000", "start_review"),
    ("Accompagnement des locataires aux économies d'énergie", "porteur@demo.fsi", "innovation",
     ["64000"], "28000", "complete_review"),
    ("Ateliers d'autoréhabilitation accompagnée", "porteur2@demo.fsi", "innovation",
     ["56000"], "24000", "complete_review"),
    ("Bornes de recharge partagées", "porteur2@demo.fsi", "modernisation", ["50000"], "18000", "complete_review"),
    ("Logements modulaires pour l'hébergement d'urgence", "porteur@demo.fsi", "innovation",
     ["100000"], "40000", "schedule"),
    ("Budget participatif des locataires", "porteur2@demo.fsi", "innovation", ["40000"], "18000", "schedule"),
    ("Domotique pour le maintien à domicile", "porteur2@demo.fsi", "innovation", ["80000"], "35000", "schedule"),
    ("Tiers-lieu solidaire en rez-de-chaussée", "porteur2@demo.fsi", "innovation", ["60000"], "25000", "approve"),
    ("Vidéoprotection des parkings", "porteur@demo.fsi", "modernisation", ["40000"], "12000", "reject"),
    ("Habitat partagé pour jeunes actifs", "porteur2@demo.fsi", "innovation", ["72000"], "30000", "defer"),
]
MOTIVATIONS = {
    "approve": "Projet exemplaire, fort potentiel d'essaimage.",
    "reject": "Le projet relève de l'entretien courant, pas de l'innovation.",
    "defer": "Préciser le modèle économique après la première année et les partenaires engagés.",
}


def _user(email):
    return db.session.exec(select(User).where(User.email == email)).first()


def seed_review():
    with current_app.test_request_context():  # French formatting and workflow mails need a locale
        return _seed()


def _seed():
    call = db.session.exec(select(Call).where(Call.title == OPEN_CALL)).first()
    staff = _user(STAFF)
    reviewers = [r for r in (_user(e) for e in REVIEWERS) if r is not None]
    if call is None or staff is None or len(reviewers) < 2:
        return ["Instruction : données de démonstration des appels absentes, étape ignorée"]
    now = utcnow()
    past = _session(call, PAST_SESSION, now - timedelta(days=20), staff, reviewers)
    upcoming = _session(call, NEXT_SESSION, now + timedelta(days=14), staff, reviewers)
    created = 0
    for title, email, kind, costs, requested, target in PROJECTS:
        applicant = _user(email)
        if applicant is None or db.session.exec(select(Application).where(
                Application.call_id == call.id, Application.title == title)).first() is not None:
            continue
        application = create_draft(call, applicant)
        application.title = title
        fill_demo_application(application, kind, costs, requested, applicant)
        _walk(application, target, applicant, staff, reviewers, past if target in DECISIONS else upcoming)
        created += 1
    if past.status.value == "planned" and all(i.outcome for i, _a in ops.agenda_of(past)) and ops.agenda_of(past):
        release_all(past)
        decisions.close_session(past)
    return [f"Instruction : {created} dossier(s) ajoutés à « {OPEN_CALL} » à tous les stades, "
            f"séances « {PAST_SESSION} » (close) et « {NEXT_SESSION} » (prévue)"]


def _session(call, title, starts_at, staff, reviewers):
    session = db.session.exec(select(CommitteeSession).where(CommitteeSession.title == title)).first()
    if session is None:
        session = ops.create_session(call, title, starts_at, "Siège de l'association régionale, Marseille", 2,
                                     staff.id, [r.id for r in reviewers])
    return session


def _walk(application, stage, applicant, staff, reviewers, session):
    """Take the application through the workflow, up to ``stage`` (a trigger), as people would."""
    fire(application, "submit", applicant)
    if stage == "submit":
        return
    if stage == "return_for_completion":
        fire(application, stage, staff, comment="Joindre la délibération signée du conseil.")
        return
    _check_eligibility(application, staff, failing=stage == "declare_ineligible")
    if stage == "declare_ineligible":
        fire(application, stage, staff, comment="L'organisme n'est pas à jour de ses cotisations au fonds.")
        return
    fire(application, "declare_eligible", staff)
    if stage == "declare_eligible":
        return
    assignments = _assign_two(application, staff, reviewers)
    fire(application, "start_review", staff)
    _score(application, assignments, all_submitted=stage != "start_review")
    if stage == "start_review":
        return
    fire(application, "complete_review", staff)
    _opinion(application, staff)
    if stage == "complete_review":
        return
    ops.add_to_agenda(session, application, staff)
    if stage in DECISIONS:
        item = next(i for i, a in ops.agenda_of(session) if a.id == application.id)
        ops.record_attendance(session, {r.id for r in reviewers} | {staff.id})
        data = {"amount": (application.requested_amount * Decimal("0.8")).quantize(Decimal("1"))} \
            if stage == "approve" else None
        decisions.decide(item, application, stage, staff, comment=MOTIVATIONS[stage], data=data)


def _check_eligibility(application, staff, failing):
    """Every point satisfied, or the first one failed (unpaid contributions)."""
    items = items_for_call(application.call_id)
    failed = items[0].id if failing else None
    record_checks(application, {i.id: (i.id != failed, "Cotisations 2025 impayées" if i.id == failed else "")
                                for i in items}, staff)


def _assign_two(application, staff, reviewers):
    conflicts = conflicts_by_application([application])[application.id]
    load = call_load(application.call_id)
    free = sorted((r for r in reviewers if r.id not in conflicts), key=lambda r: (load[r.id], r.id))
    return [assign(application, r, (utcnow() + timedelta(days=21)).date(), staff, conflicts=conflicts)
            for r in free[:2]]


def _score(application, assignments, all_submitted):
    """Deterministic scores; the first reviewer of every third application disagrees strongly."""
    criteria = criteria_of(application.call_id)
    for n, assignment in enumerate(assignments):
        values = {"scores": {}, "recommendation": Recommendation.fund, "confidence": 2 + n % 2,
                  "general_comment": "Projet solide, attention au calendrier."}
        for k, criterion in enumerate(criteria):
            score = (application.id + k + 2 * n) % (criterion.scale_max + 1)
            if application.id % 3 == 0 and n == 0:
                score = criterion.scale_min if k % 2 else criterion.scale_max
            values["scores"][criterion.id] = (max(score, criterion.scale_min + 1), "Argumenté dans le dossier.")
        submit = all_submitted or n == 0
        save_review(assignment, criteria, values, submit=submit)


def _opinion(application, staff):
    opinion = [Opinion.favourable, Opinion.reserved, Opinion.unfavourable][application.id % 3]
    record_opinion(application, opinion, "Avis rendu après échange avec l'organisme et le territoire.", staff)
