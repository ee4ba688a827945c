"""Demo organisations and one user per role."""
from sqlmodel import select

from fsi.accounts.models import Organisation, OrganisationKind, Role, Territory, User
from fsi.accounts.services import hash_password, load_territories
from fsi.db import db

DEMO_PASSWORD = "demo-fsi-2026"

DEMO_ORGANISATIONS = [
    # name, kind, siren (valid Luhn), department, EPCI
    ("Habitat Marseille Provence", OrganisationKind.oph, "732829320", "13", "Métropole d'Aix-Marseille-Provence"),
    ("Côte d'Azur Habitat", OrganisationKind.oph, "552100554", "06", "Métropole Nice Côte d'Azur"),
    ("Var Habitat", OrganisationKind.oph, "443061841", "83", "Métropole Toulon Provence Méditerranée"),
    ("Grand Avignon Résidences", OrganisationKind.esh, "356000000", "84", "Grand Avignon"),
    ("Coopérative Provence Logis", OrganisationKind.coop, "542107651", "13", "Arles-Crau-Camargue-Montagnette"),
]

DEMO_USERS = [
    # email, name, role, organisation index
    ("porteur@demo.fsi", "Camille Martin", Role.applicant, 0),
    ("porteur2@demo.fsi", "Nadia Benali", Role.applicant, 1),
    ("comite@demo.fsi", "Jean Rossi", Role.reviewer, 2),
    ("comite2@demo.fsi", "Sophie Garnier", Role.reviewer, None),
    ("comite3@demo.fsi", "Marc Giraud", Role.reviewer, 0),
    ("instructeur@demo.fsi", "Claire Dubois", Role.staff, None),
    ("admin@demo.fsi", "Paul Lefèvre", Role.admin, None),
]


def seed_accounts():
    """Organisations from several departments and one user per role (all with DEMO_PASSWORD)."""
    load_territories()
    territories = {t.epci: t for t in db.session.exec(select(Territory)).all()}
    organisations = []
    for name, kind, siren, department, epci in DEMO_ORGANISATIONS:
        org = db.session.exec(select(Organisation).where(Organisation.siren == siren)).first()
        if org is None:
            org = Organisation(name=name, kind=kind, siren=siren, department_code=department,
                               territory_id=territories[epci].id)
            db.session.add(org)
        organisations.append(org)
    db.session.flush()
    lines = ["Comptes de démonstration (identifiant / mot de passe / rôle) :"]
    for email, name, role, org_index in DEMO_USERS:
        user = db.session.exec(select(User).where(User.email == email)).first()
        if user is None:
            user = User(email=email, full_name=name, role=role, password_hash=hash_password(DEMO_PASSWORD),
                        organisation_id=organisations[org_index].id if org_index is not None else None)
            db.session.add(user)
        org = f" — {organisations[org_index].name}" if org_index is not None else ""
        lines.append(f"  {email:<22} {DEMO_PASSWORD}  {role.value:<10}{org}".rstrip())
    db.session.flush()
    return lines
