"""The sheets' demo data (``flask fsi seed-demo``, after funding's, whose completed project has
its final report accepted and its balance paid): staff close that project, its lead writes the
sheet from the prefill, submits it, staff publish it (the application becomes disseminated),
and another housing body declares it reproduced the practice. Run twice, it adds nothing."""
import io
import struct
import zlib
from datetime import timedelta

from flask import current_app
from sqlmodel import select
from werkzeug.datastructures import FileStorage

from fsi.accounts.models import Organisation, Role, User
from fsi.applications import attachments as store
from fsi.applications.models import Application
from fsi.db import db
from fsi.dissemination.sheets import sheets
from fsi.dissemination.sheets.flow import dissemination_of
from fsi.funding.demo import COMPLETED, STAFF
from fsi.i18n import today
from fsi.workflow.service import fire

TEXT = {
    "summary": "Une résidence où aînés et jeunes actifs partagent des services connectés et des espaces communs, "
               "avec un suivi de la consommation d'énergie logement par logement.",
    "problem": "Les locataires âgés de la résidence vivaient **isolés**, et les charges d'énergie pesaient sur des "
               "budgets modestes.",
    "actions": "- réhabilitation de deux logements en espace partagé ;\n- capteurs de consommation et tablette "
               "dans chaque logement ;\n- une animatrice deux jours par semaine.",
    "novelty": "Le couplage entre le suivi de l'énergie et l'animation d'une vie collective intergénérationnelle.",
    "budget": "Les dépenses réelles sont restées sous le budget prévu : les équipements ont coûté moins cher.",
    "results": "L'espace partagé est occupé presque tous les jours ; la consommation d'énergie a baissé plus que "
               "prévu, surtout l'hiver.",
    "lessons": "La **sécurité** des données des locataires se prépare dès la conception ; les économies "
               "d'**énergie** viennent autant des gestes que des équipements ; une **réhabilitation** légère suffit "
               "si les locataires choisissent eux-mêmes l'usage des espaces partagés.",
    "reproduce": "Un gardien ou une animatrice présents chaque semaine ; l'accord des locataires sur les capteurs ; "
                 "deux logements libérables pour l'espace commun.",
}

INDICATORS = [
    {"label": "Occupation de l'espace partagé (jours par semaine)", "target": "4", "measured": "5"},
    {"label": "Baisse de la consommation d'énergie", "target": "10 %", "measured": "14 %"},
]


def seed_sheets():
    with current_app.test_request_context():  # French formatting and workflow mails need a locale
        return _seed()


def _seed():
    staff = db.session.exec(select(User).where(User.email == STAFF)).first()
    application = db.session.exec(select(Application).where(Application.title == COMPLETED)).first()
    if staff is None or application is None or sheets.sheet_of(application.id) is not None:
        return []
    lead = db.session.exec(select(User).where(User.organisation_id == application.organisation_id,
                                              User.role == Role.applicant).order_by(User.id)).first()
    may_disseminate, _already = dissemination_of(application)
    if not may_disseminate:
        fire(application, "close", staff, data={"date": today() - timedelta(days=3)},
             comment="Solde versé, projet terminé.")
    sheet = sheets.start_sheet(application, lead)
    sheets.save_sheet(sheet, lead, dict(TEXT, contact_name=sheet.contact_name or "Claire Martin",
                                        contact_email=sheet.contact_email or "contact@demo.fsi"),
                      indicators=INDICATORS)
    photo = store.add_attachment(application, lead, FileStorage(io.BytesIO(_png()), filename="espace-partage.png"),
                                 "Photo de l'espace partagé")
    sheets.set_attachments(sheet, lead, [{"attachment_id": photo.id, "caption": "L'espace partagé au rez-de-chaussée",
                                          "alt_text": "Une salle commune lumineuse, avec une grande table et des "
                                                      "fauteuils, ouverte sur le jardin de la résidence."}])
    fire(sheet, "submit", lead)
    fire(sheet, "publish", staff, comment="Fiche claire et complète : publiée.")
    lines = [f"Fiches : « {sheet.title} » publiée ({application.reference} capitalisé)"]
    other = _other_member(application)
    if other is not None:
        organisation = db.session.get(Organisation, other.organisation_id)
        sheets.declare_reproduction(sheet, other, reproduced_on=today() - timedelta(days=30),
                                    territory_id=organisation.territory_id,
                                    note="Nous avons repris l'espace partagé et l'animation, sans les capteurs.",
                                    contact_name=other.full_name, contact_email=other.email)
        lines.append(f"Fiches : reproduction déclarée par « {organisation.name} »")
    return lines


def _other_member(application):
    """A user of another housing body than the sheet's (the first one)."""
    return db.session.exec(select(User).where(User.role == Role.applicant, User.organisation_id.is_not(None),
                                              User.organisation_id != application.organisation_id, User.active)
                           .order_by(User.id)).first()


def _png(width=240, height=160):
    """A small PNG (a green floor under a blue sky) for the sheet's photo."""
    rows = b"".join(b"\x00" + (bytes((70, 130, 200)) if y < height * 2 // 3 else bytes((90, 160, 80))) * width
                    for y in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
