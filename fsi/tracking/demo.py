"""The tracking domain's demo data (``flask fsi seed-demo``, after the funding's): two grants
Phocéa Habitat obtained outside FSI, entered by the demo instructor, so that its record shows
them in its 36-month ceiling. Run twice, it adds nothing."""
from datetime import timedelta
from decimal import Decimal

from sqlmodel import select

from fsi.accounts.models import Organisation, User
from fsi.db import db
from fsi.i18n import today
from fsi.tracking.models import OutsideGrant
from fsi.tracking.organisations import add_outside_grant

STAFF = "instructeur@demo.fsi"
#: Phocéa Habitat (fsi.accounts.demo.DEMO_ORGANISATIONS)
SIREN = "009013012"
#: funder, label, amount, days ago, note
GRANTS = [
    ("Fédération nationale des Offices Publics de l'Habitat", "Fonds d'innovation sociale : conciergerie numérique",
     Decimal("40000.00"), 420, "Convention transmise par la fédération."),
    ("Région Sud", "Rénovation des locaux communs résidentiels", Decimal("25000.00"), 200, ""),
]


def seed_tracking():
    staff = db.session.exec(select(User).where(User.email == STAFF)).first()
    organisation = db.session.exec(select(Organisation).where(Organisation.siren == SIREN)).first()
    if staff is None or organisation is None:
        return []
    known = set(db.session.exec(select(OutsideGrant.funder, OutsideGrant.label)
                                .where(OutsideGrant.organisation_id == organisation.id)).all())
    lines = []
    for funder, label, amount, days_ago, note in GRANTS:
        if (funder, label) in known:
            continue
        add_outside_grant(organisation, staff, funder=funder, label=label, amount=amount,
                          granted_on=today() - timedelta(days=days_ago), note=note)
        lines.append(f"Subvention hors FSI : {organisation.name}, {funder}, {amount} €")
    return lines
