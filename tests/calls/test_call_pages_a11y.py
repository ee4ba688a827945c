"""The call form and page for assistive technologies and in both languages: one error summary,
a unique accessible name for every field of the repeated rows, weights the French way."""
from collections import Counter
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from sqlmodel import select

from fsi.accounts.models import Role
from fsi.calls.models import Call, Criterion
from fsi.calls.rules import ensure_default_taxonomy
from fsi.db import db
from tests.calls.test_calls import call_form, text
from tests.factories import create_open_call, create_user


class AccessibleNames(HTMLParser):
    """The accessible name of each form control: its <label for> text (visually hidden parts
    included, as screen readers read them) or its aria-label."""

    def __init__(self):
        super().__init__()
        self.labels, self.aria, self.controls = {}, {}, []
        self._label_for = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "label" and attrs.get("for"):
            self._label_for = attrs["for"]
            self.labels[self._label_for] = ""
        if tag in ("input", "select", "textarea") and attrs.get("type") != "hidden":
            self.controls.append(attrs["id"])
            if "aria-label" in attrs:
                self.aria[attrs["id"]] = attrs["aria-label"]

    def handle_endtag(self, tag):
        if tag == "label":
            self._label_for = None

    def handle_data(self, data):
        if self._label_for:
            self.labels[self._label_for] += data

    def names(self):
        return {control: " ".join((self.aria.get(control) or self.labels.get(control, "")).split())
                for control in self.controls}


def accessible_names(page):
    parser = AccessibleNames()
    parser.feed(page)
    return parser.names()


@pytest.fixture
def staff(in_db, login):
    with in_db():
        ensure_default_taxonomy()
        user = create_user(role=Role.staff)
    login(user)
    return user


def test_every_field_of_the_call_form_has_its_own_accessible_name(client, staff):
    names = accessible_names(text(client.get("/calls/new")))
    assert all(names.values()), [c for c, n in names.items() if not n]
    repeated = [name for name, count in Counter(names.values()).items() if count > 1]
    assert repeated == []
    assert names["kinds-0-rate"] == "Taux d'intervention (%), Projet d'innovation"
    assert names["kinds-1-enabled"] == "Ouvert dans cet appel : Projet de modernisation"
    assert names["criteria-0-weight"] == "Pondération, critère n° 1"
    assert names["criteria-0-remove"] == "Retirer ce critère, critère n° 1"


def test_a_stale_edit_is_announced_once_in_the_one_summary(client, in_db, staff):
    client.post("/calls/new", data=call_form())
    with in_db():
        call = db.session.exec(select(Call)).one()
    client.post(f"/calls/{call.id}/edit", data=call_form(version="1", title="Renommé"))
    page = text(client.post(f"/calls/{call.id}/edit", data=call_form(version="1", title="Écrasement")))
    assert page.count("modifiées entre-temps") == 1
    assert page.count('role="alert"') == 1
    assert "None" not in page


def test_field_errors_of_repeated_rows_link_to_their_field_in_the_summary(client, staff):
    page = text(client.post("/calls/new", data=call_form(**{"kinds-0-rate": "150"})))
    summary = page.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert 'href="#kinds-0-rate"' in summary and "ligne 1" in summary
    assert page.count('role="alert"') == 1


def test_criterion_weights_read_the_french_way_on_the_call_page(client, in_db, staff):
    with in_db():
        call = create_open_call()
        db.session.add(Criterion(call_id=call.id, position=1, label="Impact", weight=Decimal("2.00"),
                                 scale_min=0, scale_max=5))
        db.session.add(Criterion(call_id=call.id, position=2, label="Coût", weight=Decimal("1.50"),
                                 scale_min=0, scale_max=5))
        call_id = call.id
    page = text(client.get(f"/calls/{call_id}"))
    grid = page.split("Impact", 1)[1]
    assert '<td class="num">2</td>' in grid and '<td class="num">1,5</td>' in grid
    assert "2.00" not in grid and "1.50" not in grid


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_call_form_renders_in_both_languages(client, in_db, staff, lang):
    """The kinds table header has a literal %: it must render (not crash on %-formatting) either way."""
    with in_db():
        call_id = create_open_call().id
    with client.session_transaction() as session:
        session["lang"] = lang
    for url in ("/calls/new", f"/calls/{call_id}/edit", f"/calls/{call_id}"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'<html lang="{lang}">' in text(response)
    page = text(client.get("/calls/new"))
    assert ("Rate (%)" if lang == "en" else "Taux (%)") in page and "%%" not in page
