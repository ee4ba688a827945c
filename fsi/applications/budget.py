"""The budget of an application: cost categories and the totals the server trusts.

Totals are always recomputed here from the lines (the browser's live totals are a courtesy).
Eligible cost = the eligible lines' amounts excluding tax, or including it when the applicant
cannot recover the VAT.
"""
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _
from sqlmodel import select

from fsi.applications.models import CoFunding, CostLine
from fsi.db import db
from fsi.formatting import money

ZERO = Decimal("0.00")

COST_CATEGORIES = (
    ("studies", {"fr": "Études et ingénierie", "en": "Studies and engineering"}),
    ("works", {"fr": "Travaux et équipements", "en": "Works and equipment"}),
    ("digital", {"fr": "Développements numériques", "en": "Digital development"}),
    ("staff", {"fr": "Temps de personnel dédié", "en": "Dedicated staff time"}),
    ("support", {"fr": "Accompagnement et prestations", "en": "Support and services"}),
    ("evaluation", {"fr": "Évaluation", "en": "Evaluation"}),
    ("communication", {"fr": "Communication et diffusion", "en": "Communication and dissemination"}),
    ("other", {"fr": "Autres dépenses", "en": "Other costs"}),
)
CATEGORY_LABELS = dict(COST_CATEGORIES)


@dataclass(frozen=True)
class BudgetTotals:
    total_excl_tax: Decimal
    total_incl_tax: Decimal
    eligible_cost: Decimal
    public_cofunding: Decimal
    private_cofunding: Decimal

    @property
    def cofunding(self):
        return self.public_cofunding + self.private_cofunding


def compute_totals(cost_lines, cofundings, vat_recoverable=True):
    """``cost_lines``/``cofundings``: rows or anything with the same attributes."""
    total_excl = sum((line.amount_excl_tax or ZERO for line in cost_lines), ZERO)
    total_incl = sum((line.amount_incl_tax or ZERO for line in cost_lines), ZERO)
    counted = "amount_excl_tax" if vat_recoverable else "amount_incl_tax"
    eligible = sum((getattr(line, counted) or ZERO for line in cost_lines if line.eligible), ZERO)
    public = sum((f.amount or ZERO for f in cofundings if f.public), ZERO)
    private = sum((f.amount or ZERO for f in cofundings if not f.public), ZERO)
    return BudgetTotals(total_excl, total_incl, eligible, public, private)


def cost_lines(application_id):
    return db.session.exec(select(CostLine).where(CostLine.application_id == application_id)
                           .order_by(CostLine.position, CostLine.id)).all()


def cofundings(application_id):
    return db.session.exec(select(CoFunding).where(CoFunding.application_id == application_id)
                           .order_by(CoFunding.position, CoFunding.id)).all()


def project_cost(call, totals):
    """The project's cost as the call's minimum reads it: tax included (the fund's rule) or not."""
    return totals.total_incl_tax if call.min_cost_includes_tax else totals.total_excl_tax


def below_minimum_cost(call, totals):
    return project_cost(call, totals) < call.min_project_cost


def minimum_cost_message(call, totals):
    if call.min_cost_includes_tax:
        return _("Le coût du projet (%(cost)s TTC) est inférieur au minimum de l'appel (%(min)s TTC).",
                 cost=money(totals.total_incl_tax), min=money(call.min_project_cost))
    return _("Le coût du projet (%(cost)s HT) est inférieur au minimum de l'appel (%(min)s HT).",
             cost=money(totals.total_excl_tax), min=money(call.min_project_cost))


def totals_for(application):
    return compute_totals(cost_lines(application.id), cofundings(application.id), application.vat_recoverable)
