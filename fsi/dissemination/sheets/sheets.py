"""Operations on practice sheets: start one from its prefill (the application and its accepted
final report), save what the lead writes, choose the attachments shown, declare a reproduction.
Moved by workflows/sheet.yaml through ``fsi.workflow.service.fire``; operations flush, never
commit."""
import re
import unicodedata
import uuid

from flask_babel import gettext as _
from sqlmodel import select

from fsi.applications.models import Application, Attachment
from fsi.db import bump_version, db, utcnow
from fsi.dissemination.sheets.access import EDITABLE, can_declare_reproduction, is_application_lead, is_sheet_lead
from fsi.dissemination.sheets.models import PracticeSheet, Reproduction, SheetAttachment
from fsi.dissemination.sheets.prefill import final_report_of, prefill
from fsi.errors import Refused
from fsi.i18n import today
from fsi.limits import TITLE_MAX

#: what the lead writes on the sheet's form (the rest is set by the workflow)
SHEET_FIELDS = ("title", "summary", "problem", "actions", "novelty", "budget", "results", "lessons", "reproduce",
                "contact_name", "contact_role", "contact_email")
#: the attachments a browser may show inline: images whose type was sniffed on upload (never SVG)
IMAGE_TYPES = frozenset({"image/png", "image/jpeg"})


def is_image(attachment):
    return attachment.content_type in IMAGE_TYPES


def slugify(text):
    """« Conciergerie solidaire ! » -> "conciergerie-solidaire" (ASCII, for a stable URL)."""
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def slug_for(sheet_id, title):
    """"12-conciergerie-solidaire": the id keeps it unique, the title makes it readable."""
    prefix = f"{sheet_id}-"
    return (prefix + slugify(title)[:TITLE_MAX - len(prefix)]).strip("-")


def sheet_of(application_id):
    return db.session.exec(select(PracticeSheet).where(PracticeSheet.application_id == application_id)).first()


def start_sheet(application, actor):
    """The sheet of ``application``, prefilled; its lead starts it once the final report is
    accepted (a second call returns the sheet already started)."""
    existing = sheet_of(application.id)
    if existing is not None:
        return existing
    if not is_application_lead(application, actor):
        raise Refused(_("Seul l'organisme porteur du projet rédige sa fiche d'expérience."))
    report = final_report_of(application)
    if report is None:
        raise Refused(_("La fiche d'expérience se rédige une fois le bilan final du projet accepté."))
    values, attachment_ids = prefill(application, report)
    # a unique placeholder until the id is known: the slug is made of the id and the title
    sheet = PracticeSheet(application_id=application.id, slug=f"new-{uuid.uuid4().hex}", created_by_id=actor.id,
                          **values)
    db.session.add(sheet)
    db.session.flush()
    sheet.slug = slug_for(sheet.id, sheet.title)
    attachments = db.session.exec(select(Attachment).where(Attachment.application_id == application.id,
                                                           Attachment.id.in_(attachment_ids or [-1]))).all()
    for position, attachment in enumerate(sorted(attachments, key=lambda a: attachment_ids.index(a.id))):
        db.session.add(SheetAttachment(sheet_id=sheet.id, attachment_id=attachment.id, position=position,
                                       caption=attachment.label or ""))
    db.session.add(sheet)
    db.session.flush()
    return sheet


def _check_editable(sheet, actor):
    if sheet.state not in EDITABLE:
        raise Refused(_("Cette fiche n'est pas en cours de rédaction : elle ne change plus, sauf si elle vous est "
                        "retournée ou reprise."))
    if not is_sheet_lead(sheet, actor):
        raise Refused(_("Seul l'organisme porteur du projet rédige sa fiche d'expérience."))


def clean_indicators(indicators):
    """[{"label", "target", "measured"}] as stripped strings, rows without a label left out."""
    rows = [{key: str(item.get(key) or "").strip() for key in ("label", "target", "measured")} for item in indicators]
    return [row for row in rows if row["label"]]


def save_sheet(sheet, actor, values, *, indicators=None, expected_version=None):
    """Keep what the lead wrote, complete or not (``submit`` checks completeness). The slug
    follows the title until the sheet is first published, then stays."""
    _check_editable(sheet, actor)
    changes = {key: (values.get(key) or "").strip() for key in SHEET_FIELDS if key in values}
    if "title" in changes and not changes["title"]:
        raise Refused(_("Donnez un titre à la fiche."), field="title")
    if indicators is not None:
        changes["indicators"] = clean_indicators(indicators)
    if sheet.published_at is None and changes.get("title"):
        changes["slug"] = slug_for(sheet.id, changes["title"])
    expected_version = sheet.version if expected_version is None else expected_version
    bump_version(sheet, expected_version, updated_at=utcnow(), **changes)
    db.session.flush()
    return sheet


# --- Attachments ----------------------------------------------------------------------------------

def usable_attachments(sheet):
    """The application's attachments the lead may show on the sheet."""
    return db.session.exec(select(Attachment).where(Attachment.application_id == sheet.application_id)
                           .order_by(Attachment.uploaded_at, Attachment.id)).all()


def chosen_attachments(sheet_ids):
    """{sheet_id: [(SheetAttachment, Attachment), ...]} in their order, in one query."""
    rows = db.session.exec(select(SheetAttachment, Attachment)
                           .join(Attachment, Attachment.id == SheetAttachment.attachment_id)
                           .where(SheetAttachment.sheet_id.in_(list(sheet_ids) or [-1]))
                           .order_by(SheetAttachment.sheet_id, SheetAttachment.position, SheetAttachment.id)).all()
    found = {sheet_id: [] for sheet_id in sheet_ids}
    for chosen, attachment in rows:
        found[chosen.sheet_id].append((chosen, attachment))
    return found


def set_attachments(sheet, actor, choices):
    """Replace the chosen attachments. ``choices``: [{"attachment_id", "alt_text", "caption"}] in
    their order; an image needs its alternative text (what a screen reader says of it)."""
    _check_editable(sheet, actor)
    usable = {attachment.id: attachment for attachment in usable_attachments(sheet)}
    clean = []
    for choice in choices:
        attachment = usable.get(choice.get("attachment_id"))
        if attachment is None:
            raise Refused(_("Choisissez des pièces du dossier."), field="attachments")
        alt_text = (choice.get("alt_text") or "").strip()
        if is_image(attachment) and not alt_text:
            raise Refused(_("Décrivez l'image « %(name)s » (texte alternatif) : les lecteurs d'écran le lisent à "
                            "la place de l'image.", name=attachment.filename), field="attachments")
        clean.append((attachment.id, alt_text, (choice.get("caption") or "").strip()))
    if len({attachment_id for attachment_id, _alt, _caption in clean}) != len(clean):
        raise Refused(_("Une pièce n'est choisie qu'une fois."), field="attachments")
    for old in db.session.exec(select(SheetAttachment).where(SheetAttachment.sheet_id == sheet.id)).all():
        db.session.delete(old)
    db.session.flush()
    for position, (attachment_id, alt_text, caption) in enumerate(clean):
        db.session.add(SheetAttachment(sheet_id=sheet.id, attachment_id=attachment_id, alt_text=alt_text,
                                       caption=caption, position=position))
    sheet.updated_at = utcnow()
    db.session.add(sheet)
    db.session.flush()


def missing(sheet):
    """What the sheet still lacks to be submitted, in plain French (empty when complete)."""
    found = []
    for name, message in ((sheet.title, _("Donnez un titre à la fiche.")),
                          (sheet.summary, _("Résumez la pratique en quelques lignes.")),
                          (sheet.problem, _("Décrivez le problème auquel le projet répondait.")),
                          (sheet.actions, _("Décrivez ce qui a été fait.")),
                          (sheet.lessons, _("Dites ce que le projet a appris.")),
                          (sheet.reproduce, _("Indiquez les conditions pour reproduire la pratique.")),
                          (sheet.contact_name and sheet.contact_email,
                           _("Indiquez le contact de la fiche (nom et adresse électronique)."))):
        if not (name or "").strip():
            found.append(message)
    for chosen, attachment in chosen_attachments([sheet.id])[sheet.id]:
        if is_image(attachment) and not chosen.alt_text.strip():
            found.append(_("Décrivez l'image « %(name)s » (texte alternatif).", name=attachment.filename))
    return found


# --- Essaimage ----------------------------------------------------------------------------------

def declare_reproduction(sheet, actor, *, reproduced_on, territory_id=None, note="", contact_name="",
                         contact_email=""):
    """A housing body other than the sheet's own says it reproduced the practice."""
    if not can_declare_reproduction(sheet, actor):
        raise Refused(_("Seul un autre organisme peut déclarer avoir reproduit une pratique publiée."))
    if reproduced_on > today():
        raise Refused(_("La date ne peut pas être dans le futur."), field="reproduced_on")
    reproduction = Reproduction(sheet_id=sheet.id, organisation_id=actor.organisation_id, territory_id=territory_id,
                                reproduced_on=reproduced_on, note=(note or "").strip(),
                                contact_name=(contact_name or "").strip(), contact_email=(contact_email or "").strip(),
                                declared_by_id=actor.id)
    db.session.add(reproduction)
    db.session.flush()
    return reproduction


def sheets_for(user, *, staff):
    """The sheets a list shows: every sheet for staff, the organisation's own otherwise."""
    query = select(PracticeSheet, Application).join(Application, Application.id == PracticeSheet.application_id)
    if not staff:
        query = query.where(Application.organisation_id == user.organisation_id)
    return db.session.exec(query.order_by(PracticeSheet.updated_at.desc(), PracticeSheet.id.desc())).all()
