"""The events' demo data (``flask fsi seed-demo``, after the sheets', order 61): a past Atelier
presenting the published sheet of « Résidence intergénérationnelle connectée », its attendance
recorded; an upcoming Club de réflexion with two registered; an upcoming webinar of three seats,
full, with a waiting list. Run twice, it adds nothing (an event already there is left alone)."""
from datetime import UTC, datetime, time, timedelta

from flask import current_app
from sqlmodel import select

from fsi.accounts.models import User
from fsi.applications.models import Application
from fsi.db import db
from fsi.dissemination.events import registrations, services
from fsi.dissemination.events.models import Event, EventKind, Registration, RegistrationStatus
from fsi.dissemination.sheets.models import PracticeSheet
from fsi.i18n import PARIS, today

STAFF = "instructeur@demo.fsi"
PROJECT = "Résidence intergénérationnelle connectée"
MEMBERS = ("porteur2@demo.fsi", "porteur3@demo.fsi", "porteur4@demo.fsi", "porteur5@demo.fsi", "porteur6@demo.fsi",
           "comite@demo.fsi")
ATELIER = "Atelier : vivre ensemble dans une résidence intergénérationnelle"
CLUB = "Club de réflexion : la sobriété énergétique dans le parc social"
WEBINAR = "Webinaire : réhabiliter en site occupé"


def _at(days, hour):
    """``days`` from today (Paris) at ``hour`` o'clock, Paris time, as UTC."""
    return datetime.combine(today() + timedelta(days=days), time(hour), tzinfo=PARIS).astimezone(UTC)


def seed_events():
    with current_app.test_request_context():  # French formatting and mails need a locale
        return _seed()


def _seed():
    staff = db.session.exec(select(User).where(User.email == STAFF)).first()
    members = [user for email in MEMBERS
               if (user := db.session.exec(select(User).where(User.email == email)).first()) is not None]
    if staff is None or len(members) < 5:
        return []
    application = db.session.exec(select(Application).where(Application.title == PROJECT)).first()
    sheet = db.session.exec(select(PracticeSheet).where(PracticeSheet.application_id == application.id)).first() \
        if application is not None else None
    lines = []
    if not _exists(ATELIER):
        event = services.create_event(
            {"kind": EventKind.atelier, "title": ATELIER, "starts_at": _at(-20, 9), "ends_at": _at(-20, 12),
             "place": "Maison de l'habitat, 12 rue de la République, 13001 Marseille",
             "description": "Le porteur présente la **résidence intergénérationnelle connectée** : ce qui a "
                            "marché, ce qui a coûté, ce qu'il referait.\n\n- retour d'expérience\n- visite "
                            "virtuelle\n- questions", "capacity": 30},
            staff, sheet_ids=[sheet.id] if sheet else [], application_ids=[application.id] if application else [])
        for user in members[:4]:  # registered before it took place
            db.session.add(Registration(event_id=event.id, user_id=user.id, status=RegistrationStatus.registered,
                                        queued_at=_at(-30, 10), created_at=_at(-30, 10), updated_at=_at(-30, 10)))
        db.session.flush()
        rows = db.session.exec(select(Registration).where(Registration.event_id == event.id)
                               .order_by(Registration.id)).all()
        present = registrations.record_attendance(event, [row.id for row in rows[:3]])
        lines.append(f"Événements : atelier passé « {ATELIER} », {present} présents sur {len(rows)} inscrits")
    if not _exists(CLUB):
        event = services.create_event(
            {"kind": EventKind.club, "title": CLUB, "starts_at": _at(21, 14), "ends_at": _at(21, 17),
             "place": "Siège de l'association régionale, Aix-en-Provence", "video_url": "https://visio.example.org/club",
             "description": "Échanges entre organismes sur la **sécurité** et l'**énergie** dans les résidences."},
            staff, sheet_ids=[sheet.id] if sheet else [])
        for user in members[:2]:
            registrations.register(event, user)
        lines.append(f"Événements : club de réflexion « {CLUB} » à venir, 2 inscrits")
    if not _exists(WEBINAR):
        event = services.create_event(
            {"kind": EventKind.webinar, "title": WEBINAR, "starts_at": _at(35, 11), "ends_at": _at(35, 12),
             "video_url": "https://visio.example.org/webinaire", "capacity": 3,
             "description": "Une heure pour partager les méthodes de chantier en site occupé."}, staff)
        statuses = [registrations.register(event, user).status for user in members[:5]]
        waiting = statuses.count(RegistrationStatus.waitlisted)
        lines.append(f"Événements : webinaire « {WEBINAR} » complet (3 places), {waiting} en liste d'attente")
    return lines


def _exists(title):
    return db.session.exec(select(Event.id).where(Event.title == title)).first() is not None
