"""Frozen versions of an application and their side-by-side comparison.

A snapshot is plain JSON (strings only), so a version reads the same whatever changes later in
the lists it refers to (themes renamed, lines edited...).
"""
import difflib
import re

from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlmodel import select

from fsi.accounts.models import Organisation, Territory
from fsi.applications import budget
from fsi.applications.models import ApplicationVersion, Attachment, CoApplicant, Milestone
from fsi.calls.models import Theme
from fsi.calls.rules import kind_label
from fsi.db import db, utcnow
from fsi.formatting import day, money
from fsi.i18n import lazy_gettext as _l
from fsi.i18n import pick

#: (snapshot key, French label) in the order of the form
FIELDS = (
    ("contact_name", _l("Personne à contacter")), ("contact_role", _l("Fonction")),
    ("contact_email", _l("Adresse de courriel")), ("contact_phone", _l("Téléphone")),
    ("co_applicants", _l("Organismes co-porteurs")),
    ("title", _l("Titre")), ("summary", _l("Résumé")), ("description", _l("Description")),
    ("innovation", _l("Caractère innovant")), ("beneficiaries", _l("Locataires et personnels concernés")),
    ("territory", _l("Territoire")), ("partners", _l("Partenaires")), ("kind", _l("Type de projet")),
    ("theme", _l("Thème")),
    ("cost_lines", _l("Dépenses")), ("cofundings", _l("Cofinancements")),
    ("vat", _l("TVA")), ("requested_amount", _l("Montant demandé")),
    ("start_date", _l("Début")), ("end_date", _l("Fin")), ("milestones", _l("Étapes clés")),
    ("expected_results", _l("Résultats attendus")), ("indicators", _l("Indicateurs d'évaluation")),
    ("attachments", _l("Pièces jointes")),
)


def _text(value):
    return "" if value is None else str(value)


def _euros(value, language):
    return money(value, locale=language) if value is not None else ""


def _cost_line(line, language):
    category = pick(budget.CATEGORY_LABELS.get(line.category, {}), language) or line.category
    eligible = "" if line.eligible else " " + _("(non éligible)")
    return (_("%(category)s — %(label)s : %(excl)s HT / %(incl)s TTC", category=category, label=line.label,
              excl=_euros(line.amount_excl_tax, language), incl=_euros(line.amount_incl_tax, language))
            + eligible)


def _cofunding(line, language):
    nature = _("public") if line.public else _("privé")
    return _("%(funder)s (%(nature)s) : %(amount)s", funder=line.funder, nature=nature,
             amount=_euros(line.amount, language))


def snapshot(application, language="fr"):
    """The answers and the attachments list as plain text, one entry per FIELDS key, in
    ``language`` (frozen versions are kept in French, the fund's language; pages show the
    current answers in the reader's)."""
    with force_locale(language):
        return _snapshot(application, language)


def _snapshot(application, language):
    territory = db.session.get(Territory, application.territory_id) if application.territory_id else None
    theme = db.session.get(Theme, application.theme_id) if application.theme_id else None
    co_names = db.session.exec(select(Organisation.name).join(
        CoApplicant, CoApplicant.organisation_id == Organisation.id)
        .where(CoApplicant.application_id == application.id).order_by(Organisation.name)).all()
    milestones = db.session.exec(select(Milestone).where(Milestone.application_id == application.id)
                                 .order_by(Milestone.position)).all()
    attachments = db.session.exec(select(Attachment).where(Attachment.application_id == application.id)
                                  .order_by(Attachment.id)).all()
    data = {name: _text(getattr(application, name)) for name in (
        "contact_name", "contact_role", "contact_email", "contact_phone", "title", "summary", "description",
        "innovation", "beneficiaries", "partners", "expected_results", "indicators")}
    data.update({
        "requested_amount": _euros(application.requested_amount, language),
        "vat": _("Récupérée : coût éligible compté HT") if application.vat_recoverable
        else _("Non récupérée : coût éligible compté TTC"),
        "start_date": day(application.start_date, language) if application.start_date else "",
        "end_date": day(application.end_date, language) if application.end_date else "",
        "co_applicants": "\n".join(co_names),
        "territory": f"{territory.department} — {territory.epci}" if territory else "",
        "kind": pick(kind_label(application.kind), language) if application.kind else "",
        "theme": pick(theme.label, language) if theme else "",
        "cost_lines": "\n".join(_cost_line(line, language) for line in budget.cost_lines(application.id)),
        "cofundings": "\n".join(_cofunding(line, language) for line in budget.cofundings(application.id)),
        "milestones": "\n".join(f"{day(m.due_on, language) if m.due_on else ''} {m.label}".strip()
                                for m in milestones),
        "attachments": "\n".join(f"{a.label or _('Autre pièce')} : {a.filename} (sha256 {a.sha256[:12]}…)"
                                 for a in attachments),
    })
    return data


def freeze_version(application, actor, trigger):
    """Keep the submitted answers as the next version number."""
    application.revision = (application.revision or 0) + 1
    version = ApplicationVersion(application_id=application.id, number=application.revision, trigger=trigger,
                                 snapshot=snapshot(application), created_by_id=getattr(actor, "id", None),
                                 created_at=utcnow())
    db.session.add(version)
    db.session.flush()
    return version


def versions_of(application_id):
    return db.session.exec(select(ApplicationVersion).where(ApplicationVersion.application_id == application_id)
                           .order_by(ApplicationVersion.number)).all()


_TOKENS = re.compile(r"\s+|[^\s]+")


def _highlight(old, new):
    """(old_html, new_html) with removed words in .diff-removed and added ones in .diff-added."""
    old_tokens, new_tokens = _TOKENS.findall(old), _TOKENS.findall(new)
    left, right = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False).get_opcodes():
        before, after = "".join(old_tokens[i1:i2]), "".join(new_tokens[j1:j2])
        if op == "equal":
            left.append(escape(before))
            right.append(escape(after))
            continue
        if before:
            left.append(Markup('<del class="diff-removed">%s</del>') % before)
        if after:
            right.append(Markup('<ins class="diff-added">%s</ins>') % after)
    return Markup("").join(left), Markup("").join(right)


def compare(old_snapshot, new_snapshot):
    """Rows (label, old_html, new_html, changed) for every field of the form."""
    rows = []
    for key, label in FIELDS:
        old, new = old_snapshot.get(key, ""), new_snapshot.get(key, "")
        left, right = _highlight(old, new) if old != new else (escape(old), escape(new))
        rows.append((label, left, right, old != new))
    return rows
