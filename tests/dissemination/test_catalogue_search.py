"""The catalogue's search, on the suite's engine (SQLite FTS5, or PostgreSQL's ``french`` full-text
search when FSI_TEST_DATABASE_URL is set): any field, accents or not, plurals, stop words, the title
first, only published sheets, facets that add up, pages, highlighted snippets kept inert."""
from decimal import Decimal

import pytest
from sqlalchemy import text

from fsi.accounts.models import OrganisationKind
from fsi.db import db
from fsi.dissemination.catalogue.queries import FACETS, Filters, search
from fsi.dissemination.catalogue.search_index import TABLE, index_sheet, unindex_sheet
from tests.dissemination.catalogue_helpers import create_sheet, draft_state
from tests.factories import create_organisation
from tests.queries import count_statements

LESSONS = "La **sécurité** des résidents et les économies d'énergie ont guidé la réhabilitation."


def found(query, **chosen):
    return [sheet.title for sheet in search(Filters(query=query, chosen=chosen)).sheets]


@pytest.mark.parametrize("field", ["title", "summary", "problem", "actions", "novelty", "budget", "results",
                                   "lessons", "reproduce"])
def test_a_word_of_any_field_finds_the_sheet(app, in_db, field):
    with in_db():
        create_sheet(title="Autre fiche", lessons="Rien à voir.")
        create_sheet(**{"title": "La fiche", field: "Une conciergerie solidaire"} if field != "title"
                     else {"title": "Une conciergerie solidaire"})
    with in_db():
        assert len(found("conciergerie")) == 1
        assert found("conciergerie") != ["Autre fiche"]


@pytest.mark.parametrize("query", ["sécurité", "securite", "SECURITE", "sécurités", "securites", "énergies",
                                   "energie", "réhabilitations", "Rehabilitation", "la sécurité des résidents"])
def test_accents_capitals_and_plurals_do_not_matter(app, in_db, query):
    with in_db():
        create_sheet(title="Résidence connectée", lessons=LESSONS)
        create_sheet(title="Jardins partagés", lessons="Des potagers au pied des immeubles.")
    with in_db():
        assert found(query) == ["Résidence connectée"]


def test_every_word_must_be_found_and_stop_words_are_ignored(app, in_db):
    with in_db():
        create_sheet(title="Résidence connectée", lessons=LESSONS)
        create_sheet(title="Jardins partagés", lessons="La sécurité des potagers.")
    with in_db():
        assert found("sécurité potager") == ["Jardins partagés"]
        assert sorted(found("les des de la")) == ["Jardins partagés", "Résidence connectée"]
        assert found("inexistantissime") == []


def test_a_title_match_comes_first(app, in_db):
    with in_db():
        # the newest, and its body full of the word: a title match still comes first
        create_sheet(title="Accompagner les locataires", published_days_ago=1,
                     lessons="Conciergerie, conciergerie, conciergeries et encore conciergerie.")
        create_sheet(title="Une conciergerie de quartier", published_days_ago=30, lessons="Des services.")
    with in_db():
        assert found("conciergeries") == ["Une conciergerie de quartier", "Accompagner les locataires"]


def test_only_published_sheets_are_found_even_if_indexed_by_mistake(app, in_db):
    with in_db():
        draft = create_sheet(title="Brouillon sécurité", state=draft_state())
        index_sheet(draft)  # an index out of step still shows nothing unpublished
        published = create_sheet(title="Fiche sécurité")
    with in_db():
        assert found("sécurité") == ["Fiche sécurité"]
        assert found("") == ["Fiche sécurité"]
    with in_db():
        unindex_sheet(published)
    with in_db():
        assert found("sécurité") == []


def test_the_index_follows_the_transaction(app, in_db):
    with in_db():
        create_sheet(title="Fiche gardée")
    with app.app_context():
        create_sheet(title="Fiche annulée")
        db.rollback()
    with in_db():
        rows = db.session.execute(text(f"SELECT count(*) FROM {TABLE}")).scalar()
        assert rows == 1
        assert found("annulée") == []
        assert found("gardée") == ["Fiche gardée"]


def test_facets_add_up(app, in_db):
    with in_db():
        esh = create_organisation(kind=OrganisationKind.esh, department_code="06")
        for i, (kind, organisation, amount) in enumerate([
                ("innovation", None, "8000.00"), ("innovation", esh, "20000.00"), ("modernisation", esh, "60000.00"),
                ("modernisation", None, "150000.00"), ("joint_innovation", None, "20000.00")]):
            create_sheet(title=f"Fiche énergie {i}", organisation=organisation, approved_amount=amount,
                         application_kw={"kind": kind})
        create_sheet(title="Hors sujet")
    with in_db():
        result = search(Filters(query="énergie"))
        assert result.total == 5
        for name in FACETS:
            if name != "axis":  # a call may target several axes
                assert sum(v.count for v in result.facets[name]) == 5, name
        assert {v.value: v.count for v in result.facets["kind"]} == {
            "innovation": 2, "modernisation": 2, "joint_innovation": 1}
        assert {v.value: v.count for v in result.facets["grant"]} == {
            "lt10k": 1, "10k-50k": 2, "50k-100k": 1, "gte100k": 1}
        assert {v.value: v.count for v in result.facets["organisation_kind"]} == {"oph": 3, "esh": 2}
        assert [(v.value, v.label, v.count) for v in result.facets["theme"]] == [("none", "Non précisé", 5)]

        chosen = search(Filters(query="énergie", chosen={"organisation_kind": OrganisationKind.esh}))
        assert chosen.total == 2
        assert {v.value: v.count for v in chosen.facets["kind"]} == {"innovation": 1, "modernisation": 1}
        # the chosen facet still shows its other values (counted without its own filter)
        assert sum(v.count for v in chosen.facets["organisation_kind"]) == 5
        assert [v.value for v in chosen.facets["organisation_kind"] if v.chosen] == ["esh"]
        assert sum(v.count for v in chosen.facets["territory"]) == 2


def test_filters_come_from_the_url_and_ignore_nonsense(app):
    filters = Filters.from_args({"q": " sécurité ", "kind": "innovation", "grant": "10k-50k", "year": "2026",
                                 "organisation_kind": "nope", "theme": "99999999999999", "territory": "13'"})
    assert filters.query == "sécurité"
    assert filters.chosen == {"kind": "innovation", "grant": "10k-50k", "year": 2026}
    assert filters.args(page=2) == {"q": "sécurité", "kind": "innovation", "grant": "10k-50k", "year": 2026,
                                    "page": 2}


def test_pages(app, in_db):
    with in_db():
        for i in range(12):
            create_sheet(title=f"Fiche numéro {i}", published_days_ago=i + 1)
    with in_db():
        first = search(Filters(), page=1)
        second = search(Filters(), page=2)
        beyond = search(Filters(), page=99)
        assert (first.total, first.pages, len(first.sheets), len(second.sheets)) == (12, 2, 10, 2)
        assert [s.title for s in second.sheets] == ["Fiche numéro 10", "Fiche numéro 11"]
        assert beyond.page == 2


def test_the_search_page_highlights_escaped_text(app, in_db, client):
    with in_db():
        sheet = create_sheet(title="<script>alert(1)</script> Sécurité", lessons=LESSONS,
                             summary="<img src=x onerror=alert(1)> la sécurité d'abord")
        slug = sheet.slug
    page = client.get("/catalogue?q=securites").get_data(as_text=True)
    assert f'href="/catalogue/{slug}"' in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Sécurité</mark>" in page
    assert "&lt;img src=x onerror=alert(1)&gt; la <mark>sécurité</mark> d&#39;abord" in page
    assert "<script>alert" not in page and "<img src=x" not in page


def test_the_search_page_costs_the_same_for_one_or_many_sheets(app, in_db, client):
    def statements(count):
        with in_db():
            for i in range(count):
                create_sheet(title=f"Fiche énergie {i}", lessons=LESSONS)
        with count_statements(app) as seen:
            assert client.get("/catalogue?q=energie&kind=innovation").status_code == 200
        with in_db():
            db.session.execute(text(f"DELETE FROM {TABLE}"))
        return len(seen)

    assert statements(1) == statements(3)


def test_a_sheet_page_by_its_slug_and_nothing_else(app, in_db, client):
    with in_db():
        sheet = create_sheet(title="Résidence connectée", lessons=LESSONS, contact_name="Camille Martin",
                             contact_email="camille.martin@example.org")
        draft = create_sheet(title="Brouillon", state=draft_state())
        slug, draft_slug = sheet.slug, draft.slug
    page = client.get(f"/catalogue/{slug}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Résidence connectée" in html and "Camille Martin" in html
    assert client.get(f"/catalogue/{draft_slug}").status_code == 404
    assert client.get("/catalogue/nope").status_code == 404


def test_grant_amounts_are_decimals(app, in_db):
    with in_db():
        create_sheet(approved_amount="9999.99")
    with in_db():
        assert [v.value for v in search(Filters()).facets["grant"]] == ["lt10k"]
        assert isinstance(Decimal("9999.99"), Decimal)


def test_theme_and_axis_filters(app, in_db):
    from fsi.calls.models import Axis, CallAxis, Theme
    from tests.factories import create_call

    with in_db() as session:
        theme = Theme(label_fr="Énergie et précarité énergétique")
        axis = Axis(label_fr="Intelligence collective")
        session.add_all([theme, axis])
        session.flush()
        call = create_call()
        session.add(CallAxis(call_id=call.id, axis_id=axis.id))
        create_sheet(title="Avec thème", application_kw={"theme_id": theme.id, "call_id": call.id})
        create_sheet(title="Sans thème")
        theme_id, axis_id = theme.id, axis.id
    with in_db():
        result = search(Filters())
        assert [(v.label, v.count) for v in result.facets["theme"]] == [
            ("Énergie et précarité énergétique", 1), ("Non précisé", 1)]
        assert [(v.label, v.count) for v in result.facets["axis"]] == [("Intelligence collective", 1)]
        assert found("", theme=theme_id) == ["Avec thème"]
        assert found("", theme="none") == ["Sans thème"]
        assert found("", axis=axis_id) == ["Avec thème"]
