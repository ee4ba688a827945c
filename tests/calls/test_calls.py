"""Calls: staff create and edit them (rules, grid, Paris times), everyone reads them."""
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlmodel import select

from fsi.accounts.models import Role
from fsi.calls.models import Axis, Call, CallAxis, Criterion, FundingKind, Theme
from fsi.calls.rules import ensure_default_taxonomy
from fsi.db import db, utcnow
from tests.factories import create_application, create_open_call, create_user


def text(response):
    return response.get_data(as_text=True)


def call_form(**overrides):
    data = {
        "title": "Appel Innovation 2027", "description": "## Objectifs\n\nDes projets *évaluables*.",
        "opens_at": "2027-03-01T09:00", "closes_at": "2027-06-30T17:30", "envelope": "1 500 000",
        "required_attachments": "Délibération\n\nBudget signé\n",
        "min_project_cost": "3 000", "public_funding_max_rate": "80", "organisation_ceiling": "500 000",
        "ceiling_months": "36", "agreement_threshold": "23 000", "max_duration_months": "36",
        "max_extensions": "2", "progress_reports": "1", "advance_share": "50", "progress_share": "0",
        "circuit": "application", "min_cost_includes_tax": "1", "joint_grant_split": "lead",
        "kinds-0-code": "innovation", "kinds-0-enabled": "y", "kinds-0-rate": "50", "kinds-0-cap": "200 000",
        "kinds-1-code": "modernisation", "kinds-1-enabled": "y", "kinds-1-rate": "37,5", "kinds-1-cap": "90 000",
        "kinds-2-code": "joint_modernisation", "kinds-2-rate": "50", "kinds-2-cap": "150 000",
        "kinds-3-code": "joint_innovation", "kinds-3-enabled": "y", "kinds-3-rate": "50", "kinds-3-cap": "250 000",
        "criteria-0-label": "Caractère innovant", "criteria-0-weight": "3", "criteria-0-scale_min": "0",
        "criteria-0-scale_max": "5",
        "criteria-1-label": "Évaluation", "criteria-1-weight": "1,5", "criteria-1-scale_min": "1",
        "criteria-1-scale_max": "10", "criteria-1-description": "Indicateurs",
        "criteria-2-label": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def staff(in_db, login):
    with in_db():
        ensure_default_taxonomy()
        user = create_user(role=Role.staff)
    login(user)
    return user


def test_new_call_form_starts_with_the_fsi_rules(client, staff):
    page = text(client.get("/calls/new"))
    for expected in ('value="50"', 'value="40"', 'value="200\u202f000,00"', 'value="250\u202f000,00"',
                     'value="3\u202f000,00"', 'value="80"', 'value="500\u202f000,00"', 'value="23\u202f000,00"',
                     "Partenariats avec les territoires", "Énergie et précarité énergétique"):
        assert expected in page, expected


def test_staff_creates_a_call(client, in_db, staff):
    with in_db():
        axis_id = db.session.exec(select(Axis)).first().id
        theme_ids = [t.id for t in db.session.exec(select(Theme)).all()[:2]]
    response = client.post("/calls/new", data=call_form(axes=[axis_id], themes=theme_ids))
    assert response.status_code == 302, text(response)[:3000]
    with in_db():
        call = db.session.exec(select(Call)).one()
        # Paris is UTC+1 in March (CET), UTC+2 in June (CEST)
        assert call.opens_at == datetime(2027, 3, 1, 8, 0, tzinfo=UTC)
        assert call.closes_at == datetime(2027, 6, 30, 15, 30, tzinfo=UTC)
        assert call.envelope == Decimal("1500000.00")
        assert call.required_attachments == ["Délibération", "Budget signé"]
        assert call.public_funding_max_rate == Decimal("0.8000")
        kinds = {k.code: (k.rate, k.cap, k.enabled) for k in db.session.exec(select(FundingKind))}
        assert kinds["modernisation"] == (Decimal("0.3750"), Decimal("90000.00"), True)
        assert kinds["joint_modernisation"][2] is False
        grid = db.session.exec(select(Criterion).order_by(Criterion.position)).all()
        assert [(c.label, c.weight, c.scale_min, c.scale_max) for c in grid] == [
            ("Caractère innovant", Decimal("3.00"), 0, 5), ("Évaluation", Decimal("1.50"), 1, 10)]
        assert len(db.session.exec(select(CallAxis)).all()) == 1
        assert call.payment_schedule == [{"label": "Avance", "share": 50, "on": "agreement"},
                                         {"label": "Solde", "share": 50, "on": "final"}]


def test_a_call_sets_the_payment_schedule_its_projects_start_with(client, in_db, staff):
    client.post("/calls/new", data=call_form(advance_share="30", progress_share="40", progress_reports="2",
                                             max_extensions="1"))
    with in_db():
        call = db.session.exec(select(Call)).one()
        assert (call.max_extensions, call.progress_reports) == (1, 2)
        assert [(t["share"], t["on"]) for t in call.payment_schedule] == [
            (30, "agreement"), (40, "progress"), (30, "final")]
        call_id = call.id
    page = text(client.get(f"/calls/{call_id}/edit"))
    advance = re.search(r'<input[^>]*name="advance_share"[^>]*>', page).group(0)
    assert 'value="30"' in advance
    shown = text(client.get(f"/calls/{call_id}"))
    assert "Avance 30 %, Versement intermédiaire 40 %, Solde 30 %." in shown


@pytest.mark.parametrize("overrides, field_id, message", [
    ({"title": ""}, "title", "Indiquez le titre."),
    ({"closes_at": "2027-02-01T09:00"}, "closes_at", "La clôture doit suivre l'ouverture."),
    ({"opens_at": "demain"}, "opens_at", None),
    ({"envelope": "beaucoup"}, "envelope", "Saisissez un montant en chiffres"),
    ({"kinds-0-rate": "150"}, "kinds-0-rate", "La valeur doit être au plus 100"),
    ({"ceiling_months": "0"}, "ceiling_months", "Entre 1 et 120 mois."),
    ({"criteria-1-scale_max": "1"}, "criteria-1-scale_max", "La note maximale doit dépasser la note minimale."),
    ({"advance_share": "60", "progress_share": "50"}, "progress_share", "le solde serait négatif"),
    ({"progress_reports": "0", "progress_share": "20"}, "progress_share", "au moins un rapport d'étape"),
    ({"max_extensions": "9"}, "max_extensions", "Entre 0 et 5."),
    ({"advance_share": "1E+30"}, "advance_share", None),
    ({"advance_share": "101"}, "advance_share", "Indiquez un pourcentage entre 0 et 100."),
])
def test_call_form_validation(client, in_db, staff, overrides, field_id, message):
    response = client.post("/calls/new", data=call_form(**overrides))
    assert response.status_code == 422
    error = text(response).split(f'id="{field_id}-error"', 1)
    assert len(error) == 2
    if message:
        assert message in error[1].split("</p>", 1)[0]
    with in_db():
        assert db.session.exec(select(Call)).all() == []


def test_edit_keeps_rows_removes_criteria_and_refuses_stale_edits(client, in_db, staff):
    client.post("/calls/new", data=call_form())
    with in_db():
        call = db.session.exec(select(Call)).one()
        first, second = db.session.exec(select(Criterion).order_by(Criterion.position)).all()
    edit = call_form(version="1", title="Appel renommé", **{
        "criteria-0-id": str(first.id), "criteria-1-id": str(second.id), "criteria-1-remove": "y",
        "kinds-0-cap": "180 000"})
    assert client.post(f"/calls/{call.id}/edit", data=edit).status_code == 302
    with in_db():
        assert db.session.get(Call, call.id).title == "Appel renommé"
        assert [c.id for c in db.session.exec(select(Criterion))] == [first.id]
        assert db.session.exec(select(FundingKind).where(FundingKind.code == "innovation")).one().cap == Decimal("180000")
    stale = dict(edit, title="Écrasement", version="1")
    response = client.post(f"/calls/{call.id}/edit", data=stale)
    assert response.status_code == 422 and "modifiées entre-temps" in text(response)
    with in_db():
        assert db.session.get(Call, call.id).title == "Appel renommé"


def test_description_markdown_is_rendered_safely(client, in_db, staff):
    with in_db():
        call = create_open_call(description="## Objectifs\n\n<script>alert(1)</script>\n\n"
                                            "[clic](javascript:alert(2)) [site](https://example.org)")
    page = text(client.get(f"/calls/{call.id}"))
    assert "<h2>Objectifs</h2>" in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert 'href="javascript:' not in page and 'href="https://example.org"' in page


def test_applicants_read_open_and_closed_calls_but_not_upcoming_nor_edit(client, in_db, login):
    now = utcnow()
    with in_db():
        open_call = create_open_call(title="Ouvert")
        closed = create_open_call(title="Clos", opens_at=now - timedelta(days=90), closes_at=now - timedelta(days=30))
        upcoming = create_open_call(title="Futur", opens_at=now + timedelta(days=3), closes_at=now + timedelta(days=60))
        user = create_user(role=Role.applicant)
    login(user)
    listing = text(client.get("/calls/"))
    assert "Ouvert" in listing and "Clos" in listing and "Futur" not in listing
    assert "Appels à projets" in listing  # nav entry
    page = text(client.get(f"/calls/{open_call.id}"))
    assert "Créer un dossier de candidature" in page and "200\u202f000,00\xa0€" in page and "80\xa0%" in page
    assert "Créer un dossier" not in text(client.get(f"/calls/{closed.id}"))
    assert client.get(f"/calls/{upcoming.id}").status_code == 404
    assert client.get("/calls/new").status_code == 403
    assert client.post(f"/calls/{open_call.id}/edit", data=call_form(version="1")).status_code == 403
    assert client.get("/calls/lists").status_code == 403
    assert client.post(f"/applications/new/{closed.id}").status_code == 403


def test_taxonomy_page_adds_and_deactivates(client, in_db, staff):
    response = client.post("/calls/lists", data={"kind": "theme", "theme-label_fr": "Mobilité",
                                                  "theme-label_en": "Mobility"})
    assert response.status_code == 302
    with in_db():
        theme = db.session.exec(select(Theme).where(Theme.label_fr == "Mobilité")).one()
        assert theme.active
    client.post(f"/calls/lists/theme/{theme.id}/toggle")
    with in_db():
        assert db.session.get(Theme, theme.id).active is False
    response = client.post("/calls/lists", data={"kind": "axis", "axis-label_fr": ""})
    assert "Indiquez le libellé." in text(response)


def test_a_call_chooses_its_circuit_until_it_has_applications(client, in_db, staff):
    client.post("/calls/new", data=call_form(circuit="application_fsi", min_cost_includes_tax="0",
                                             joint_grant_split="equal"))
    with in_db():
        call = db.session.exec(select(Call)).one()
        assert (call.circuit, call.min_cost_includes_tax, call.joint_grant_split) == ("application_fsi", False, "equal")
        call_id = call.id
    page = text(client.get(f"/calls/{call_id}"))
    assert "Dossier FSI (décision nationale)" in page and "3\u202f000,00\xa0€ HT" in page
    assert "à parts égales dans le plafond de chaque organisme" in page
    client.post(f"/calls/{call_id}/edit", data=call_form(version="1", circuit="application"))
    with in_db():
        assert db.session.get(Call, call_id).circuit == "application"  # no application yet: it may change
        create_application(call=db.session.get(Call, call_id))
    response = client.post(f"/calls/{call_id}/edit", data=call_form(version="2", circuit="application_fsi"))
    assert response.status_code == 422 and "L&#39;appel a déjà des dossiers" in text(response)
    with in_db():
        assert db.session.get(Call, call_id).circuit == "application"
