"""Demo calls (one open in the regional circuit, one open in the FSI's national circuit, one
closed), each with a scoring grid, and applications of the demo organisations, some submitted
through the workflow service. Idempotent."""
import io
import zlib
from datetime import date, timedelta
from decimal import Decimal

from flask import current_app
from sqlmodel import select
from werkzeug.datastructures import FileStorage

from fsi.accounts.models import Organisation, Territory, User
from fsi.applications.attachments import add_attachment
from fsi.applications.models import Application, CoFunding, CostLine, Milestone
from fsi.applications.operations import create_draft
from fsi.calls import services as calls
from fsi.calls.models import Call, Theme
from fsi.calls.rules import ensure_default_taxonomy
from fsi.db import db, utcnow
from fsi.workflow.service import fire

OPEN_CALL = "Appel à projets Innovation 2026"
NATIONAL_CALL = "Fonds de soutien à l'innovation 2027 — circuit national"
CLOSED_CALL = "Appel à projets Modernisation 2025"
REQUIRED = ["Délibération de l'organe dirigeant", "Budget détaillé signé"]
DESCRIPTION = """Le **Fonds de soutien à l'innovation** accompagne les organismes Hlm de la région
dans des projets innovants, évaluables et reproductibles.

## Ce que l'appel finance
- des services nouveaux pour les locataires ;
- des démarches d'intelligence collective avec les territoires ;
- la diffusion des pratiques innovantes entre organismes.

Renseignements : [Association régionale Hlm](https://www.arhlmpacacorse.com).
"""
GRID = [
    ("Caractère innovant", "Nouveauté du projet pour le mouvement Hlm de la région.", "3"),
    ("Bénéfices pour les locataires", "Effets attendus sur la qualité de service et la vie des résidents.", "3"),
    ("Évaluation et reproductibilité", "Indicateurs, méthode d'évaluation, capacité à essaimer.", "2"),
    ("Faisabilité et budget", "Réalisme du calendrier, du plan de financement et du partenariat.", "2"),
]
NATIONAL_DESCRIPTION = """Le **Fonds de soutien à l'innovation** du mouvement Hlm, dans son circuit national :
l'association régionale accompagne le montage du dossier, en vérifie la recevabilité, le fait noter
par son comité régional et rend son avis ; la décision revient au comité des aides de la CGLLS.

Les projets d'innovation sont transmis par la fédération de l'organisme ; les projets de
modernisation, instruits par l'association régionale, vont directement à la CGLLS.
"""
PDF = b"%PDF-1.4\n1 0 obj<< /Type /Catalog >>endobj\ntrailer<< /Root 1 0 R >>\n%%EOF\n"

# applicant email, title, kind, costs HT, requested, submit?
APPLICATIONS = [
    ("porteur@demo.fsi", "Conciergerie numérique partagée", "innovation", ["48000", "12000"], "25000", True),
    ("porteur@demo.fsi", "Capteurs de confort d'été", "modernisation", ["30000"], "9000", False),
    ("porteur2@demo.fsi", "Habitat inclusif pour seniors", "innovation", ["80000", "20000"], "40000", True),
]
#: a small project: 2 500 € HT, 3 000 € TTC, the fund's minimum (tax included)
SMALL_PROJECT = ("porteur6@demo.fsi", "Boîtes à livres dans les halls", "modernisation", ["2500"], "1000")


def _call(title, opens_at, closes_at, **kw):
    call = db.session.exec(select(Call).where(Call.title == title)).first()
    if call is None:
        call = calls.create_call(dict(title=title, opens_at=opens_at, closes_at=closes_at, **kw),
                                 axis_ids=[a.id for a in calls.all_axes()],
                                 theme_ids=[t.id for t in calls.all_themes()],
                                 criteria=[dict(label=label, description=text, weight=Decimal(weight),
                                                scale_min=0, scale_max=5) for label, text, weight in GRID])
    return call


def fill_demo_application(application, kind, costs, requested, user):
    """Complete content, the project located in its organisation's own territory."""
    organisation = db.session.get(Organisation, application.organisation_id)
    territory = db.session.get(Territory, organisation.territory_id) if organisation.territory_id else None
    themes = db.session.exec(select(Theme).order_by(Theme.position)).all()
    # spread over the themes (the same one for a title on every run) so the panorama has something to show
    theme = themes[zlib.crc32(application.title.encode()) % len(themes)] if themes else None
    application.kind = kind
    application.summary = f"{application.title} : un projet pilote sur trois résidences, évalué avec les locataires."
    application.description = "Le projet se déroule en trois phases : diagnostic partagé, expérimentation, bilan."
    application.innovation = "Première expérimentation de ce type dans la région, conçue pour être reproduite."
    application.beneficiaries = "Environ 600 ménages locataires et 12 gardiens d'immeuble."
    application.partners = "Centre communal d'action sociale, association de locataires."
    application.territory_id = territory.id if territory else None
    application.theme_id = theme.id if theme else None
    application.contact_role = "Chargée de projets innovation"
    application.contact_phone = "04 00 00 00 00"
    application.start_date = date(utcnow().year + 1, 1, 1)
    application.end_date = date(utcnow().year + 2, 6, 30)
    application.expected_results = "Un service utilisé par la moitié des ménages au bout d'un an."
    application.indicators = "Taux d'usage, satisfaction des locataires, coût par logement."
    application.requested_amount = Decimal(requested)
    for i, amount in enumerate(costs):
        amount = Decimal(amount)
        db.session.add(CostLine(application_id=application.id, position=i, category="digital" if i == 0 else "support",
                                label="Conception et déploiement" if i == 0 else "Accompagnement et évaluation",
                                amount_excl_tax=amount, amount_incl_tax=amount * Decimal("1.2")))
    total = sum(Decimal(amount) for amount in costs)
    db.session.add(CoFunding(application_id=application.id, funder="Région Provence-Alpes-Côte d'Azur", public=True,
                             amount=min(Decimal("5000"), (total / 10).quantize(Decimal("1")))))
    db.session.add(Milestone(application_id=application.id, position=0, due_on=application.start_date,
                             label="Lancement avec les locataires"))
    for label in REQUIRED:
        add_attachment(application, user, FileStorage(io.BytesIO(PDF), filename=f"{label}.pdf"), label)
    db.session.flush()


def seed_calls_and_applications():
    # a request context (sharing the CLI's app context and session) so that flask_babel can
    # pick a locale while the workflow service renders its notification mails
    with current_app.test_request_context():
        return _seed()


def _seed():
    ensure_default_taxonomy()
    now = utcnow()
    open_call = _call(OPEN_CALL, now - timedelta(days=30), now + timedelta(days=75), envelope=Decimal("1500000"),
                      required_attachments=REQUIRED, description=DESCRIPTION)
    _call(NATIONAL_CALL, now - timedelta(days=60), now + timedelta(days=90), envelope=Decimal("2000000"),
          required_attachments=REQUIRED, description=NATIONAL_DESCRIPTION, circuit="application_fsi")
    _call(CLOSED_CALL, now - timedelta(days=400), now - timedelta(days=200), envelope=Decimal("800000"),
          required_attachments=REQUIRED[:1], description="Appel clos, conservé pour consultation.")
    lines = [f"Appels à projets : « {OPEN_CALL} » (ouvert, circuit régional), « {NATIONAL_CALL} » (ouvert, "
             f"circuit national), « {CLOSED_CALL} » (clos)"]
    for email, title, kind, costs, requested, submit in [*APPLICATIONS, (*SMALL_PROJECT, True)]:
        user = db.session.exec(select(User).where(User.email == email)).first()
        if user is None:
            continue
        existing = db.session.exec(select(Application).where(
            Application.call_id == open_call.id, Application.title == title)).first()
        if existing is not None:
            continue
        application = create_draft(open_call, user)
        application.title = title
        fill_demo_application(application, kind, costs, requested, user)
        if submit:
            fire(application, "submit", user)
        lines.append(f"  {application.reference} {title} ({'déposé' if submit else 'brouillon'})")
    return lines
