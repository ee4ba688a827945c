"""The organisation record: its figures against an independent computation over the generated
dataset, the grants obtained outside FSI (entered by staff, hostile input refused field by field,
removal confirmed) and how they count in the 36-month ceiling everywhere the applications domain
computes it; the list of organisations; constant statements whatever the number of applications."""
import random
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlmodel import select

from fsi.accounts.models import Organisation, Role, Territory
from fsi.applications.calculator import awarded_within, compute, kind_for
from fsi.applications.models import Application
from fsi.calls.models import Call, Theme
from fsi.db import db, utcnow
from fsi.i18n import PARIS, today
from fsi.tracking import organisations
from fsi.tracking.demo import seed_tracking
from fsi.tracking.models import OutsideGrant
from tests.factories import create_application, create_call, create_open_call, create_organisation, create_user
from tests.queries import count_statements
from tests.tracking import dataset
from tests.tracking.dataset import build

ZERO = Decimal("0.00")


@pytest.fixture
def staff(app, in_db, login):
    with in_db():
        user = create_user(role=Role.staff)
    login(user)
    return user


def add_grant(organisation, user, amount, granted_on, funder="Fédération"):
    return organisations.add_outside_grant(organisation, user, funder=funder, label="Projet", amount=Decimal(amount),
                                           granted_on=granted_on)


# --- The ceiling ---------------------------------------------------------------------------------

def test_outside_grants_count_in_the_ceiling_over_the_rolling_period(app, in_db):
    with in_db():
        organisation = create_organisation()
        staff = create_user(role=Role.staff)
        call = create_call()
        create_application(call, organisation, state="approved", approved_amount=Decimal("10000.00"),
                           approved_at=utcnow() - timedelta(days=30))
        add_grant(organisation, staff, "25000.00", today() - timedelta(days=400))
        add_grant(organisation, staff, "7000.00", today() - timedelta(days=365 * 3 + 40))  # before the 36 months
        assert awarded_within(organisation.id, 36) == Decimal("35000.00")
        assert awarded_within(organisation.id, 12) == Decimal("10000.00")
        assert awarded_within(organisation.id, 48) == Decimal("42000.00")
        # another organisation's grants are not this one's
        other = create_organisation()
        add_grant(other, staff, "90000.00", today())
        assert awarded_within(organisation.id, 36) == Decimal("35000.00")


def test_the_award_calculator_takes_outside_grants_off_the_ceiling_left(app, in_db):
    with in_db():
        organisation = create_organisation()
        staff = create_user(role=Role.staff)
        call = create_open_call(organisation_ceiling=Decimal("100000.00"))
        kind = kind_for(call.id, "innovation")
        before = compute(call, kind, organisation.id, Decimal("1000000.00"), ZERO)
        add_grant(organisation, staff, "95000.00", today() - timedelta(days=10))
        after = compute(call, kind, organisation.id, Decimal("1000000.00"), ZERO)
        ceiling_term = after.terms[2]
        assert ceiling_term.value == Decimal("5000.00")
        assert after.maximum == Decimal("5000.00") < before.maximum
        assert ceiling_term.binding


def test_the_record_shows_the_ceiling_used_and_left(app, client, in_db, staff):
    with in_db():
        organisation = create_organisation(name="Logis du Var")
        recorder = create_user(role=Role.staff, full_name="Inès Garnier")
        call = create_call(organisation_ceiling=Decimal("300000.00"), ceiling_months=24)
        create_application(call, organisation, state="approved", approved_amount=Decimal("50000.00"),
                           approved_at=utcnow() - timedelta(days=100))
        add_grant(organisation, recorder, "20000.00", today() - timedelta(days=200))
        organisation_id = organisation.id
    page = client.get(f"/tracking/organisations/{organisation_id}").get_data(as_text=True)
    assert "Plafond sur 24 mois" in page
    assert 'id="ceiling-amount">300\u202f000,00\xa0€' in page
    assert 'id="ceiling-fsi">50\u202f000,00\xa0€' in page
    assert 'id="ceiling-outside">20\u202f000,00\xa0€' in page
    assert 'id="ceiling-used">70\u202f000,00\xa0€' in page
    assert 'id="ceiling-left">230\u202f000,00\xa0€' in page
    assert "Inès Garnier" in page
    # the year's grant is drawn; nothing was paid, so no payments chart (the table says 0)
    assert page.count('role="img"') == 1 and "Subventions FSI accordées par année" in page


def test_the_ceiling_uses_the_calls_defaults_without_a_call(app, in_db):
    with in_db():
        organisation = create_organisation()
        add_grant(organisation, create_user(role=Role.staff), "600000.00", today())
        ceiling = organisations.ceiling_of(organisation)
        assert (ceiling.months, ceiling.ceiling, ceiling.call) == (36, Decimal("500000"), None)
        assert ceiling.used == ceiling.outside == Decimal("600000.00")
        assert ceiling.from_fsi == ZERO and ceiling.left == ZERO and ceiling.exceeded


# --- Year by year, over the generated dataset ---------------------------------------------------

def expected_years(data, organisation_id, outside=()):
    granted, paid, outside_by_year = defaultdict(Decimal), defaultdict(Decimal), defaultdict(Decimal)
    mine = {a.id for a in data.applications if a.organisation_id == organisation_id}
    for application in data.applications:
        if application.id in mine and application.approved_amount is not None:
            granted[application.approved_at.astimezone(PARIS).year] += application.approved_amount
    project_of = {p.id: p.application_id for p in data.projects}
    for tranche in data.tranches:
        if tranche.paid_on is not None and project_of[tranche.project_id] in mine:
            paid[tranche.paid_on.year] += tranche.paid_amount
    for amount, granted_on in outside:
        outside_by_year[granted_on.year] += Decimal(amount)
    years = sorted(set(granted) | set(paid) | set(outside_by_year))
    return [(year, granted[year], paid[year], outside_by_year[year]) for year in years]


def test_grants_and_payments_per_year_match_the_dataset(app, in_db):
    with in_db():
        data = build(n_applications=60, seed=3)
        staff = create_user(role=Role.staff)
        first = data.organisations[0]
        outside = [("12000.00", date(2023, 6, 1)), ("3000.50", date(2025, 2, 2))]
        for amount, granted_on in outside:
            add_grant(first, staff, amount, granted_on)
        checked = 0
        for organisation in data.organisations:
            rows = [(r.year, r.granted, r.paid, r.outside) for r in organisations.per_year(organisation)]
            expected = expected_years(data, organisation.id, outside if organisation is first else ())
            assert rows == expected, organisation.name
            checked += bool(expected)
        assert checked >= 4  # the dataset gave several organisations grants and payments


def test_a_grant_decided_on_new_years_eve_evening_counts_in_the_new_year_in_paris(app, in_db):
    with in_db():
        organisation = create_organisation()
        call = create_call()
        create_application(call, organisation, state="approved", approved_amount=Decimal("1000.00"),
                           approved_at=datetime(2024, 12, 31, 23, 30, tzinfo=UTC))  # 00:30 in Paris
        create_application(call, organisation, state="approved", approved_amount=Decimal("2000.00"),
                           approved_at=datetime(2024, 12, 31, 22, 30, tzinfo=UTC))  # 23:30 in Paris
        rows = organisations.per_year(organisation)
        assert [(r.year, r.granted) for r in rows] == [(2024, Decimal("2000.00")), (2025, Decimal("1000.00"))]


def test_the_record_lists_applications_projects_and_contacts(app, client, in_db, staff):
    with in_db():
        data = build(n_applications=30, seed=5)
        organisation = max(data.organisations,
                           key=lambda o: sum(a.organisation_id == o.id for a in data.applications))
        contact = create_user(organisation=organisation, full_name="Jeanne Roux", active=False)
        mine = [a for a in data.applications if a.organisation_id == organisation.id]
        projects = [p for p in data.projects if p.application_id in {a.id for a in mine}]
        organisation_id, references = organisation.id, [a.reference for a in mine]
        project_ids, email = [p.id for p in projects], contact.email
    page = client.get(f"/tracking/organisations/{organisation_id}").get_data(as_text=True)
    assert all(reference in page for reference in references)
    assert all(f"/projects/{project_id}\"" in page for project_id in project_ids) or not project_ids
    assert "Jeanne Roux" in page and email in page and "Inactif" in page


def test_co_applied_projects_are_on_the_record(app, client, in_db, staff):
    from fsi.applications.models import CoApplicant

    with in_db():
        lead, partner = create_organisation(), create_organisation()
        application = create_application(create_call(), lead, state="approved", title="Projet commun",
                                         approved_amount=Decimal("30000.00"), approved_at=utcnow())
        db.session.add(CoApplicant(application_id=application.id, organisation_id=partner.id))
        db.session.flush()
        # a joint grant is its lead's, year by year
        assert [r.granted for r in organisations.per_year(lead)] == [Decimal("30000.00")]
        assert organisations.per_year(partner) == []
        partner_id = partner.id
    page = client.get(f"/tracking/organisations/{partner_id}").get_data(as_text=True)
    assert "Projet commun" in page and "Co-porteur" in page


# --- The list ------------------------------------------------------------------------------------

def test_the_list_totals_match_the_dataset(app, in_db):
    with in_db():
        data = build(n_applications=50, seed=7)
        add_grant(data.organisations[1], create_user(role=Role.staff), "4500.00", date(2024, 3, 3))
        rows = {row.organisation.id: row for row in organisations.organisation_rows()}
        for organisation in data.organisations:
            mine = [a for a in data.applications if a.organisation_id == organisation.id]
            projects = [p for p in data.projects if p.application_id in {a.id for a in mine}]
            row = rows[organisation.id]
            assert row.applications == len(mine)
            assert row.projects == len(projects)
            assert row.granted == sum((a.approved_amount or ZERO for a in mine), ZERO)
            assert row.paid == sum((p.paid_total for p in projects), ZERO)
            assert row.outside == (Decimal("4500.00") if organisation is data.organisations[1] else ZERO)


def statements_for(app, client, path):
    with count_statements(app) as statements:
        response = client.get(path)
    assert response.status_code == 200
    return len(statements)


def grow(n_applications, seed):
    """``n_applications`` more applications for the organisations of the dataset already written."""
    data = dataset.Dataset()
    data.calls = list(db.session.exec(select(Call).order_by(Call.id)).all())
    data.organisations = list(db.session.exec(select(Organisation).order_by(Organisation.id)).all())
    data.territories = list(db.session.exec(select(Territory).order_by(Territory.id)).all())
    data.themes = list(db.session.exec(select(Theme).order_by(Theme.id)).all())
    data.applications = list(db.session.exec(select(Application)).all())  # the references go on from there
    dataset.add_applications(data, n_applications, random.Random(seed))


def test_the_list_and_the_record_cost_the_same_whatever_the_applications(app, client, in_db, staff):
    with in_db():
        data = build(n_applications=10, seed=1, organisations=4)
        organisation_id = data.organisations[0].id
        add_grant(data.organisations[0], staff, "1000.00", today())
        # a grant within the ceiling's months from the start: the calculator reads its co-applicants
        # and project only when there is one
        create_application(data.calls[0], data.organisations[0], state="in_progress", reference="RECENT-1",
                           approved_amount=Decimal("9000.00"), approved_at=utcnow() - timedelta(days=30))
    paths = ["/tracking/organisations", f"/tracking/organisations/{organisation_id}"]
    small = [statements_for(app, client, path) for path in paths]
    with in_db():
        grow(200, seed=2)
        add_grant(db.session.get(Organisation, organisation_id), staff, "2000.00", today())
        assert len(db.session.exec(select(Application).where(Application.organisation_id == organisation_id)).all()) > 20
    assert [statements_for(app, client, path) for path in paths] == small


# --- Entering and removing outside grants --------------------------------------------------------

def grant_form(**overrides):
    values = {"funder": "Région Sud", "label": "Rénovation des halls", "amount": "12 500,50",
              "granted_on": (today() - timedelta(days=30)).isoformat(), "note": "Courrier du 3 mars."}
    values.update(overrides)
    return values


def outside_rows():
    return db.session.exec(select(OutsideGrant)).all()


def test_staff_add_an_outside_grant(app, client, in_db, staff):
    with in_db():
        organisation_id = create_organisation().id
    response = client.post(f"/tracking/organisations/{organisation_id}/outside-grants", data=grant_form())
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/tracking/organisations/{organisation_id}#outside-grants")
    with in_db():
        [grant] = outside_rows()
        assert (grant.funder, grant.amount, grant.recorded_by_id) == ("Région Sud", Decimal("12500.50"), staff.id)
        assert grant.granted_on == today() - timedelta(days=30)
    page = client.get(f"/tracking/organisations/{organisation_id}").get_data(as_text=True)
    assert "Rénovation des halls" in page and 'id="ceiling-outside">12\u202f500,50\xa0€' in page


HOSTILE = [
    ({"amount": "99999999999"}, "amount", "La valeur doit être au plus"),
    ({"amount": "1e30"}, "amount", "Saisissez un montant en chiffres"),
    ({"amount": "=1+1"}, "amount", "Saisissez un montant en chiffres"),
    ({"amount": "\u0661\u0662\u0663"}, "amount", "Saisissez un montant en chiffres"),
    ({"amount": "0"}, "amount", "Le montant doit être supérieur à zéro."),
    ({"amount": "-50"}, "amount", "négative"),
    ({"amount": ""}, "amount", "Indiquez le montant."),
    ({"granted_on": "0001-01-01"}, "granted_on", "Saisissez une date entre 2000 et 2100."),
    ({"granted_on": "9999-12-31"}, "granted_on", "Saisissez une date entre 2000 et 2100."),
    ({"granted_on": "2099-01-01"}, "granted_on", "ne peut pas être dans le futur"),
    ({"granted_on": "hier"}, "granted_on", "est pas une date valide"),
    ({"funder": ""}, "funder", "Indiquez qui a accordé la subvention."),
    ({"funder": "x" * 161}, "funder", "160 caractères au plus."),
    ({"label": "Objet\x00caché"}, "label", "caractère invisible"),
    ({"label": "y" * 5000}, "label", "200 caractères au plus."),
    ({"note": "z" * 2001}, "note", "2 000 caractères au plus."),
]


@pytest.mark.parametrize(("overrides", "field", "message"), HOSTILE)
def test_hostile_input_is_refused_next_to_its_field_and_nothing_is_written(app, client, in_db, staff,
                                                                           overrides, field, message):
    with in_db():
        organisation_id = create_organisation().id
    response = client.post(f"/tracking/organisations/{organisation_id}/outside-grants", data=grant_form(**overrides))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field}-error"' in page
    assert message in page
    with in_db():
        assert outside_rows() == []


def test_markup_and_formulas_in_texts_stay_inert_text(app, client, in_db, staff):
    with in_db():
        organisation_id = create_organisation().id
    payload = '<script>alert(1)</script><img src=x onerror=alert(2)>'
    response = client.post(f"/tracking/organisations/{organisation_id}/outside-grants",
                           data=grant_form(funder=payload, label="=HYPERLINK(\"http://x\")"))
    assert response.status_code == 302
    page = client.get(f"/tracking/organisations/{organisation_id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_removing_an_outside_grant_asks_for_a_confirmation(app, client, in_db, staff):
    with in_db():
        organisation = create_organisation()
        grant_id = add_grant(organisation, staff, "5000.00", today()).id
        organisation_id = organisation.id
    response = client.post(f"/tracking/outside-grants/{grant_id}/delete", data={})
    assert response.status_code == 302
    with in_db():
        assert len(outside_rows()) == 1
    page = client.get(f"/tracking/organisations/{organisation_id}").get_data(as_text=True)
    assert "Cochez la case pour confirmer la suppression." in page
    response = client.post(f"/tracking/outside-grants/{grant_id}/delete", data={"confirm": "y"})
    assert response.headers["Location"].endswith(f"/tracking/organisations/{organisation_id}#outside-grants")
    with in_db():
        assert outside_rows() == []
        assert awarded_within(organisation_id, 36) == ZERO
    assert client.post(f"/tracking/outside-grants/{grant_id}/delete", data={"confirm": "y"}).status_code == 404
    assert client.post("/tracking/outside-grants/99999999999/delete", data={"confirm": "y"}).status_code == 404


def test_unknown_organisations_are_404(app, client, staff):
    assert client.get("/tracking/organisations/424242").status_code == 404
    assert client.post("/tracking/organisations/424242/outside-grants", data=grant_form()).status_code == 404


def test_the_record_in_english(app, client, in_db, staff):
    with in_db():
        organisation = create_organisation()
        add_grant(organisation, staff, "12500.00", today())
        organisation_id = organisation.id
    client.post("/language", data={"lang": "en"})
    page = client.get(f"/tracking/organisations/{organisation_id}").get_data(as_text=True)
    assert '<html lang="en"' in page
    assert "€12,500.00" in page
    response = client.post(f"/tracking/organisations/{organisation_id}/outside-grants",
                           data=grant_form(amount="12,500.50"))
    assert response.status_code == 302
    with in_db():
        assert sorted(g.amount for g in outside_rows()) == [Decimal("12500.00"), Decimal("12500.50")]


# --- The demo ------------------------------------------------------------------------------------

def test_the_demo_step_adds_two_outside_grants_once(app, in_db):
    with in_db():
        create_organisation(siren="009013012", name="Phocéa Habitat")
        create_user(role=Role.staff, email="instructeur@demo.fsi")
        assert len(seed_tracking()) == 2
        assert seed_tracking() == []
        assert len(outside_rows()) == 2
