"""Demo data of the review domain: about twenty applications on the regional call at every stage
of assessment (one of them carried jointly by two organisations), reviewers with assignments and
reviews (comite3 shares porteur's organisation: an organisational conflict), a closed past session
with its minutes and letters, a planned session; and, on the national call, files at every step
of the FSI's circuit (the association's opinion, transmissions, the CGLLS's decisions) with the
calendar of the comité des aides.

Every state change goes through the workflow service, so ``flask fsi audit verify`` passes.
Idempotent: applications are found by title, sessions by title or date."""
import io
from datetime import timedelta
from decimal import Decimal

from flask import current_app
from sqlmodel import select
from werkzeug.datastructures import FileStorage

from fsi.accounts.models import Organisation, User
from fsi.applications.demo import NATIONAL_CALL, OPEN_CALL, PDF, fill_demo_application
from fsi.applications.models import Application, CoApplicant
from fsi.applications.operations import create_draft
from fsi.calls.models import Call
from fsi.db import db, utcnow
from fsi.i18n import today
from fsi.review import decisions, national
from fsi.review import sessions as ops
from fsi.review.assignments import assign, call_load
from fsi.review.conflicts import conflicts_by_application
from fsi.review.eligibility import items_for_call, record_checks, record_opinion
from fsi.review.letters import release_all
from fsi.review.models import CommitteeSession, NationalSession, Opinion, Recommendation
from fsi.review.models.sessions import DECISIONS
from fsi.review.scoring import criteria_of, save_review
from fsi.workflow.service import fire

PAST_SESSION = "Comité de sélection — session d'automne"
NEXT_SESSION = "Comité de sélection — session d'hiver"
OPINION_SESSION = "Comité régional FSI — avis d'automne"
STAFF = "instructeur@demo.fsi"
REVIEWERS = ("comite@demo.fsi", "comite2@demo.fsi", "comite3@demo.fsi")

#: title, applicant email, kind, eligible costs, requested, and the last step taken (a trigger of
#: workflows/application.yaml)
PROJECTS = [
    ("Médiation numérique en pied d'immeuble", "porteur2@demo.fsi", "innovation", ["40000"], "15000", "submit"),
    ("Plateforme d'échanges de services entre voisins", "porteur@demo.fsi", "innovation", ["50000"], "20000", "submit"),
    ("Réemploi des matériaux de déconstruction", "porteur3@demo.fsi", "modernisation",
     ["30000"], "9000", "return_for_completion"),
    ("Cours de cuisine anti-gaspillage", "porteur@demo.fsi", "modernisation", ["8000"], "1000", "declare_ineligible"),
    ("Gardiens référents bien vieillir", "porteur6@demo.fsi", "innovation", ["60000"], "25000", "declare_eligible"),
    ("Chaufferie biomasse mutualisée", "porteur@demo.fsi", "innovation", ["90000"], "35000", "declare_eligible"),
    ("Jardins partagés et compostage collectif", "porteur4@demo.fsi", "innovation", ["36000"], "15000",
     "start_review"),
    ("Application de signalement des pannes", "porteur@demo.fsi", "modernisation", ["45000"], "15000", "start_review"),
    # carried with Coopérative Camargue Logis: a joint project
    ("Colocation intergénérationnelle", "porteur@demo.fsi", "joint_innovation", ["70000"], "30000", "start_review"),
    ("Accompagnement des locataires aux économies d'énergie", "porteur@demo.fsi", "innovation",
     ["64000"], "28000", "complete_review"),
    ("Ateliers d'autoréhabilitation accompagnée", "porteur7@demo.fsi", "innovation",
     ["56000"], "24000", "complete_review"),
    ("Bornes de recharge partagées", "porteur8@demo.fsi", "modernisation", ["50000"], "18000", "complete_review"),
    ("Logements modulaires pour l'hébergement d'urgence", "porteur@demo.fsi", "innovation",
     ["100000"], "40000", "schedule"),
    ("Budget participatif des locataires", "porteur2@demo.fsi", "innovation", ["40000"], "18000", "schedule"),
    ("Domotique pour le maintien à domicile", "porteur9@demo.fsi", "innovation", ["80000"], "35000", "schedule"),
    ("Tiers-lieu solidaire en rez-de-chaussée", "porteur2@demo.fsi", "innovation", ["60000"], "25000", "approve"),
    ("Vidéoprotection des parkings", "porteur@demo.fsi", "modernisation", ["40000"], "12000", "reject"),
    ("Habitat partagé pour jeunes actifs", "porteur2@demo.fsi", "innovation", ["72000"], "30000", "defer"),
]
JOINT_PARTNER = "Coopérative Camargue Logis"
#: the national circuit: title, applicant, kind, costs, requested, the last step taken
NATIONAL_PROJECTS = [
    ("Tiers-lieu numérique en Haute-Provence", "porteur5@demo.fsi", "innovation", ["60000"], "25000", "submit"),
    ("Réseau de chaleur partagé à Gap", "porteur6@demo.fsi", "modernisation", ["80000"], "30000",
     "declare_eligible"),
    ("Repérage de la fragilité des aînés", "porteur7@demo.fsi", "innovation", ["50000"], "20000", "give_opinion"),
    ("Plateforme de mobilité solidaire", "porteur8@demo.fsi", "innovation", ["70000"], "30000",
     "transmit_to_federation"),
    ("Rénovation des halls avec les locataires", "porteur3@demo.fsi", "modernisation", ["60000"], "22000",
     "transmit_to_cglls"),
    ("Maisons partagées pour malades d'Alzheimer", "porteur9@demo.fsi", "innovation", ["120000"], "50000",
     "record_national_grant"),
    ("Ascenseurs connectés", "porteur4@demo.fsi", "modernisation", ["90000"], "30000", "record_national_refusal"),
    # granted for the funding demo (fsi.funding.demo): 60 000 € with an agreement, two below its threshold
    ("Résidence intergénérationnelle connectée", "porteur5@demo.fsi", "innovation", ["150000"], "66667",
     "record_national_grant"),
    ("Conciergerie solidaire de quartier", "porteur8@demo.fsi", "modernisation", ["60000"], "20000",
     "record_national_grant"),
    ("Ateliers numériques des aînés", "porteur3@demo.fsi", "modernisation", ["60000"], "22000",
     "record_national_grant"),
    # granted, its agreement left to sign: the browser journey of funded projects (tests/e2e) starts it
    ("Jardins partagés en pied d'immeuble", "porteur9@demo.fsi", "innovation", ["150000"], "66667",
     "record_national_grant"),
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
        application, applicant = _new_application(call, title, email)
        if application is None:
            continue
        if kind == "joint_innovation":
            partner = db.session.exec(select(Organisation).where(Organisation.name == JOINT_PARTNER)).first()
            if partner is not None:
                db.session.add(CoApplicant(application_id=application.id, organisation_id=partner.id))
        fill_demo_application(application, kind, costs, requested, applicant)
        _walk(application, target, applicant, staff, reviewers, past if target in DECISIONS else upcoming)
        created += 1
    if past.status.value == "planned" and all(i.outcome for i, _a in ops.agenda_of(past)) and ops.agenda_of(past):
        release_all(past)
        decisions.close_session(past)
    return [f"Instruction : {created} dossier(s) ajoutés à « {OPEN_CALL} » à tous les stades, "
            f"séances « {PAST_SESSION} » (close) et « {NEXT_SESSION} » (prévue)", *_seed_national(staff, reviewers)]


def _new_application(call, title, email):
    """A new draft titled ``title`` by the demo user ``email``, and that user; (None, None) when the
    call already has it (the demo is idempotent) or the user is missing."""
    applicant = _user(email)
    if applicant is None or db.session.exec(select(Application).where(
            Application.call_id == call.id, Application.title == title)).first() is not None:
        return None, None
    application = create_draft(call, applicant)
    application.title = title
    return application, applicant


def _seed_national(staff, reviewers):
    """The national call's files, each taken as far as its step; the calendar of the comité des aides."""
    call = db.session.exec(select(Call).where(Call.title == NATIONAL_CALL)).first()
    if call is None:
        return []
    calendar = _national_calendar()
    session = _session(call, OPINION_SESSION, utcnow() - timedelta(days=25), staff, reviewers)
    created = 0
    for title, email, kind, costs, requested, target in NATIONAL_PROJECTS:
        application, applicant = _new_application(call, title, email)
        if application is None:
            continue
        fill_demo_application(application, kind, costs, requested, applicant)
        _walk_national(application, target, applicant, staff, reviewers, session, calendar)
        created += 1
    if session.status.value == "planned" and ops.agenda_of(session) \
            and all(i.outcome for i, _a in ops.agenda_of(session)):
        release_all(session)
        decisions.close_session(session)
    return [f"Circuit national : {created} dossier(s) ajoutés à « {NATIONAL_CALL} », séance « {OPINION_SESSION} » "
            f"(close), {len(calendar)} séances du comité des aides au calendrier"]


def _national_calendar():
    """Five sessions of the comité des aides: one just held, four to come."""
    start = today()
    wanted = [(start - timedelta(days=5), "Comité des aides de la CGLLS — session d'automne"),
              (start + timedelta(days=50), "Comité des aides de la CGLLS — session d'hiver"),
              (start + timedelta(days=120), "Comité des aides de la CGLLS — session de printemps"),
              (start + timedelta(days=200), "Comité des aides de la CGLLS — session d'été"),
              (start + timedelta(days=300), "Comité des aides de la CGLLS — session de rentrée")]
    calendar = []
    for meets_on, label in wanted:
        found = db.session.exec(select(NationalSession).where(NationalSession.label == label)).first()
        calendar.append(found or national.save_national_session(None, meets_on, label,
                                                                "Dossiers à transmettre un mois avant."))
    return calendar


def _walk_national(application, stage, applicant, staff, reviewers, session, calendar):
    """The national circuit, up to ``stage`` (a trigger of application_fsi.yaml)."""
    held, coming = calendar[0], calendar[1]
    if stage in ("submit", "declare_eligible"):
        _walk(application, stage, applicant, staff, reviewers, session)
        return
    _walk(application, "give_opinion", applicant, staff, reviewers, session)
    if stage == "give_opinion":
        return
    decided = stage.startswith("record_national")
    aimed_at = held if decided else coming
    sent_on = aimed_at.meets_on - timedelta(days=30) if decided else today() - timedelta(days=3)
    if national.goes_through_federation(application):
        national.transmit(application, "transmit_to_federation", sent_on, aimed_at, staff)
        if stage == "transmit_to_federation":
            return
        sent_on += timedelta(days=7)
    national.transmit(application, "transmit_to_cglls", sent_on, aimed_at, staff)
    if not decided:
        return
    notification = FileStorage(io.BytesIO(PDF), filename="notification-cglls.pdf")
    granted = stage == "record_national_grant"
    national.record_national_decision(
        application, stage, held.meets_on, notification, staff,
        amount=(application.requested_amount * Decimal("0.9")).quantize(Decimal("1")) if granted else None,
        comment=None if granted else "Le comité des aides n'a pas retenu le projet : il relève de l'entretien.")


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
        decisions.decide(item, application, stage, staff, comment=MOTIVATIONS.get(stage), data=data)


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
    opinion = [Opinion.favourable, Opinion.favourable, Opinion.reserved][application.id % 3]
    record_opinion(application, opinion, "Avis rendu après échange avec l'organisme et le territoire.", staff)
