"""The FSI's funding rules: the project kinds and the defaults every new call starts with.

The values are data on each call (editable by staff); this module only holds the defaults
and the names of the kinds.
"""
from dataclasses import dataclass
from decimal import Decimal

from sqlmodel import select

from fsi.calls.models import Axis, FundingKind, Theme
from fsi.db import db


@dataclass(frozen=True)
class KindInfo:
    code: str
    label: dict
    #: carried by several organisations together (co-applicants required)
    joint: bool
    default_rate: Decimal
    default_cap: Decimal
    #: national circuit: the file goes on through the organisation's federation (innovation);
    #: otherwise the association instructs it and sends it to the CGLLS (modernisation)
    through_federation: bool = False


KINDS = (
    KindInfo("innovation", {"fr": "Projet d'innovation", "en": "Innovation project"},
             False, Decimal("0.50"), Decimal("200000"), through_federation=True),
    KindInfo("modernisation", {"fr": "Projet de modernisation", "en": "Modernisation project"},
             False, Decimal("0.40"), Decimal("100000")),
    KindInfo("joint_modernisation", {"fr": "Projet de modernisation inter-organismes",
                                     "en": "Joint modernisation project"},
             True, Decimal("0.50"), Decimal("150000")),
    KindInfo("joint_innovation", {"fr": "Projet d'innovation inter-organismes",
                                  "en": "Joint innovation project"},
             True, Decimal("0.50"), Decimal("250000"), through_federation=True),
)
KINDS_BY_CODE = {k.code: k for k in KINDS}

DEFAULT_AXES = (
    ("Partenariats avec les territoires", "Partnerships with territories"),
    ("Intelligence collective", "Collective intelligence"),
    ("Diffusion des pratiques innovantes", "Dissemination of innovative practices"),
)
DEFAULT_THEMES = (
    ("Qualité du service aux locataires", "Quality of service to residents"),
    ("Vieillissement et handicap", "Ageing and disability"),
    ("Énergie et précarité énergétique", "Energy and fuel poverty"),
    ("Services numériques", "Digital services"),
    ("Innovation sociale", "Social innovation"),
    ("Construction et gestion patrimoniale", "Construction and asset management"),
)


def kind_label(code):
    info = KINDS_BY_CODE.get(code)
    return info.label if info else {"fr": code or "—", "en": code or "—"}


def add_default_kinds(call):
    """The four FSI kinds with their default rate and cap, for a new call."""
    for info in KINDS:
        db.session.add(FundingKind(call_id=call.id, code=info.code, rate=info.default_rate,
                                   cap=info.default_cap))
    db.session.flush()


def call_kinds(call_id, enabled_only=False):
    """The call's kinds in the order of KINDS."""
    rows = db.session.exec(select(FundingKind).where(FundingKind.call_id == call_id)).all()
    order = {k.code: i for i, k in enumerate(KINDS)}
    rows = sorted(rows, key=lambda r: order.get(r.code, 99))
    return [r for r in rows if r.enabled] if enabled_only else rows


def ensure_default_taxonomy():
    """Seed the axes and themes lists when they are empty; returns how many rows were added."""
    added = 0
    for model, defaults in ((Axis, DEFAULT_AXES), (Theme, DEFAULT_THEMES)):
        if db.session.exec(select(model)).first() is not None:
            continue
        for position, (fr, en) in enumerate(defaults):
            db.session.add(model(label_fr=fr, label_en=en, position=position))
            added += 1
    db.session.flush()
    return added


__all__ = ["KINDS", "KINDS_BY_CODE", "kind_label", "add_default_kinds", "call_kinds",
           "ensure_default_taxonomy"]
