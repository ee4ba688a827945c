"""What is still missing before an application may be submitted, section by section.

``problems(application)`` lists every problem at once (the applicant sees them all, grouped
by section, each linking to its field); the ``application_complete`` guard refuses the
submission while the list is not empty.
"""
from dataclasses import dataclass

from sqlmodel import select

from fsi.applications import budget
from fsi.applications.calculator import kind_for, maximum_grant, months_before
from fsi.applications.models import Attachment, CoApplicant, Milestone
from fsi.calls.models import Call, CallTheme
from fsi.calls.rules import KINDS_BY_CODE
from fsi.db import db
from fsi.formatting import money
from fsi.i18n import lazy_gettext as _


@dataclass(frozen=True)
class Problem:
    section: str
    #: the id of the field in its section's page (links: #field_id)
    field_id: str
    message: str


def problems(application):
    call = db.session.get(Call, application.call_id)
    found = []
    for check in (_organisation, _project, _budget, _timeline, _results, _attachments):
        found.extend(check(application, call))
    return found


def problems_by_section(application):
    grouped = {}
    for problem in problems(application):
        grouped.setdefault(problem.section, []).append(problem)
    return grouped


def _required(section, application, names_and_messages):
    return [Problem(section, name, message) for name, message in names_and_messages
            if not (str(getattr(application, name) or "")).strip()]


def _organisation(application, call):
    found = _required("organisation", application, [
        ("contact_name", _("Indiquez la personne à contacter.")),
        ("contact_email", _("Indiquez l'adresse de courriel de la personne à contacter.")),
    ])
    info = KINDS_BY_CODE.get(application.kind)
    if info and info.joint:
        partners = db.session.exec(select(CoApplicant).where(CoApplicant.application_id == application.id)).first()
        if partners is None:
            found.append(Problem("organisation", "co_applicants",
                                 _("Un projet inter-organismes doit compter au moins un organisme co-porteur.")))
    return found


def _project(application, call):
    found = _required("project", application, [
        ("title", _("Indiquez le titre du projet.")),
        ("summary", _("Rédigez le résumé du projet.")),
        ("description", _("Décrivez le projet.")),
        ("innovation", _("Expliquez ce que le projet a d'innovant.")),
        ("beneficiaries", _("Indiquez les locataires et les personnels concernés.")),
        ("territory_id", _("Choisissez le territoire du projet.")),
        ("kind", _("Choisissez le type de projet.")),
        ("theme_id", _("Choisissez le thème du projet.")),
    ])
    if application.kind:
        kind = kind_for(call.id, application.kind)
        if kind is None or not kind.enabled:
            found.append(Problem("project", "kind", _("Ce type de projet n'est pas ouvert dans cet appel.")))
    if application.theme_id:
        themes = set(db.session.exec(select(CallTheme.theme_id).where(CallTheme.call_id == call.id)).all())
        if themes and application.theme_id not in themes:
            found.append(Problem("project", "theme_id", _("Ce thème n'est pas retenu par cet appel.")))
    return found


def _budget(application, call):
    found = []
    lines = budget.cost_lines(application.id)
    totals = budget.compute_totals(lines, budget.cofundings(application.id), application.vat_recoverable)
    if not lines:
        found.append(Problem("budget", "cost_lines", _("Ajoutez au moins une dépense.")))
    elif budget.below_minimum_cost(call, totals):
        found.append(Problem("budget", "cost_lines", budget.minimum_cost_message(call, totals)))
    elif totals.eligible_cost <= 0:
        found.append(Problem("budget", "cost_lines", _("Aucune dépense n'est éligible.")))
    requested = application.requested_amount
    if requested is None or requested <= 0:
        found.append(Problem("budget", "requested_amount", _("Indiquez le montant demandé.")))
        return found
    calculation = maximum_grant(application)
    if calculation.complete and requested > calculation.maximum:
        found.append(Problem("budget", "requested_amount", _(
            "Le montant demandé dépasse la subvention maximale permise (%(max)s).", max=money(calculation.maximum))))
    if requested + totals.cofunding > totals.total_incl_tax:
        found.append(Problem("budget", "cofundings", _(
            "Le montant demandé et les cofinancements dépassent le coût total du projet.")))
    return found


def _timeline(application, call):
    found = _required("timeline", application, [
        ("start_date", _("Indiquez la date de début.")),
        ("end_date", _("Indiquez la date de fin.")),
    ])
    start, end = application.start_date, application.end_date
    if start and end:
        if end <= start:
            found.append(Problem("timeline", "end_date", _("La date de fin doit suivre la date de début.")))
        elif end > months_before(start, -call.max_duration_months):
            found.append(Problem("timeline", "end_date", _(
                "Le projet ne peut pas durer plus de %(months)d mois.", months=call.max_duration_months)))
    milestone = db.session.exec(select(Milestone).where(Milestone.application_id == application.id)).first()
    if milestone is None:
        found.append(Problem("timeline", "milestones", _("Ajoutez au moins une étape clé.")))
    return found


def _results(application, call):
    return _required("results", application, [
        ("expected_results", _("Décrivez les résultats attendus.")),
        ("indicators", _("Indiquez les indicateurs d'évaluation.")),
    ])


def _attachments(application, call):
    present = set(db.session.exec(select(Attachment.label).where(Attachment.application_id == application.id)).all())
    return [Problem("attachments", "label", _("Pièce manquante : %(label)s.", label=label))
            for label in call.required_attachments or [] if label not in present]
