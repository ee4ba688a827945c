"""Demo organisations and one user per role."""
from sqlmodel import select

from fsi.accounts.models import Organisation, OrganisationKind, Role, Territory, User
from fsi.accounts.services import hash_password, load_territories
from fsi.db import db

DEMO_PASSWORD = "demo-fsi-2026"

#: Invented housing bodies, one or more in every department of the region (and Corsica), of each
#: kind. Their SIRENs pass the Luhn check and start with 00, which no real company number uses.
DEMO_ORGANISATIONS = [
    # name, kind, siren, department, EPCI, director (letters' addressee), postal address
    ("Phocéa Habitat", OrganisationKind.oph, "009013012", "13", "Métropole d'Aix-Marseille-Provence",
     "Madame la Directrice générale", "12 boulevard des Dames\n13002 Marseille"),
    ("Azur Logis Solidaire", OrganisationKind.esh, "009006016", "06", "Métropole Nice Côte d'Azur",
     "Monsieur le Directeur général", "8 avenue des Orangers\n06000 Nice"),
    ("Toulon Rade Habitat", OrganisationKind.oph, "009083015", "83", "Métropole Toulon Provence Méditerranée",
     "Madame la Directrice générale", "3 rue de la Corderie\n83000 Toulon"),
    ("Résidences du Comtat", OrganisationKind.esh, "009084013", "84", "Ventoux-Comtat Venaissin",
     "Monsieur le Directeur général", "21 allée des Platanes\n84200 Carpentras"),
    ("Coopérative Camargue Logis", OrganisationKind.coop, "009013020", "13", "Arles-Crau-Camargue-Montagnette",
     "Madame la Présidente", "5 place des Salins\n13200 Arles"),
    ("SEM Durance Habitat", OrganisationKind.sem, "009004011", "04", "Durance-Luberon-Verdon Agglomération",
     "Monsieur le Directeur général", "14 cours des Arcades\n04100 Manosque"),
    ("Hautes-Alpes Logement", OrganisationKind.oph, "009005018", "05", "Gap-Tallard-Durance",
     "Madame la Directrice générale", "2 rue des Écrins\n05000 Gap"),
    ("Golfe d'Ajaccio Habitat", OrganisationKind.oph, "009020116", "2A", "Pays Ajaccien",
     "Monsieur le Directeur général", "7 cours du Maquis\n20000 Ajaccio"),
    ("Habitat Haute-Corse Solidaire", OrganisationKind.esh, "009020223", "2B", "Bastia",
     "Madame la Directrice générale", "11 quai des Pêcheurs\n20200 Bastia"),
    ("Estérel Coopérative d'Habitat", OrganisationKind.coop, "009083023", "83", "Estérel Côte d'Azur Agglomération",
     "Monsieur le Président", "9 chemin des Mimosas\n83700 Saint-Raphaël"),
]

DEMO_USERS = [
    # email, name, role, organisation index
    ("porteur@demo.fsi", "Camille Martin", Role.applicant, 0),
    ("porteur2@demo.fsi", "Nadia Benali", Role.applicant, 1),
    ("porteur3@demo.fsi", "Lucas Fabre", Role.applicant, 3),
    ("porteur4@demo.fsi", "Inès Morel", Role.applicant, 4),
    ("porteur5@demo.fsi", "Thomas Blanc", Role.applicant, 5),
    ("porteur6@demo.fsi", "Julie Arnaud", Role.applicant, 6),
    ("porteur7@demo.fsi", "Antoine Santoni", Role.applicant, 7),
    ("porteur8@demo.fsi", "Laetitia Casanova", Role.applicant, 8),
    ("porteur9@demo.fsi", "Hugo Roux", Role.applicant, 2),
    ("comite@demo.fsi", "Jean Rossi", Role.reviewer, 2),
    ("comite2@demo.fsi", "Sophie Garnier", Role.reviewer, None),
    ("comite3@demo.fsi", "Marc Giraud", Role.reviewer, 0),
    ("instructeur@demo.fsi", "Claire Dubois", Role.staff, None),
    ("admin@demo.fsi", "Paul Lefèvre", Role.admin, None),
]


def seed_accounts():
    """Organisations of every department and kind, their applicants and one user per other role
    (all with DEMO_PASSWORD)."""
    load_territories()
    territories = {t.epci: t for t in db.session.exec(select(Territory)).all()}
    organisations = []
    for name, kind, siren, department, epci, director, address in DEMO_ORGANISATIONS:
        org = db.session.exec(select(Organisation).where(Organisation.siren == siren)).first()
        if org is None:
            org = Organisation(name=name, kind=kind, siren=siren, department_code=department,
                               territory_id=territories[epci].id, director_name=director, postal_address=address)
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
