"""The ranking's CSV export: texts from the data cannot run as spreadsheet formulas, the figures
FSI computes stay numbers (a negative z-score included)."""
import csv
from decimal import Decimal

from sqlmodel import select

from fsi.accounts.models import User
from fsi.calls.models import Call, Criterion
from fsi.db import db
from tests.factories import create_organisation
from tests.review.conftest import create_review_application
from tests.review.helpers import add_review

TITLES = {
    "R-LINK": '=HYPERLINK("https://evil.example","x")',
    "R-SUM": "-2+3",
    "R-AT": "@SUM(A1)",
    "R-TAB": "\t=1+1",
}


def test_texts_are_neutralised_and_figures_stay_numbers(client, login, in_request, people):
    with in_request():
        call = db.session.get(Call, people["call_id"])
        call.zscore_min_reviews = 2  # one reviewer's four totals give z-scores
        db.session.exec(select(Criterion).where(Criterion.call_id == call.id, Criterion.position == 1)).one() \
            .label = "+Impact"
        organisation = create_organisation(name="=cmd|' /C calc'!A0")
        for (reference, title), scores in zip(TITLES.items(), ([5, 10], [1, 2], [3, 5], [4, 8]), strict=True):
            application = create_review_application(call, organisation=organisation, reference=reference, title=title)
            add_review(application, people["r1"], scores, people["staff"])
        staff = db.session.get(User, people["staff"])
    login(staff)
    response = client.get(f"/review/calls/{people['call_id']}/ranking.csv?sort=reference&order=asc")
    assert response.mimetype == "text/csv"
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeffrang;référence;titre;")
    header, *rows = csv.reader(body.lstrip("\ufeff").splitlines(), delimiter=";")
    assert "'+Impact (moyenne)" in header
    by_reference = {row[1]: dict(zip(header, row, strict=True)) for row in rows}
    assert {ref: row["titre"] for ref, row in by_reference.items()} == {ref: "'" + t for ref, t in TITLES.items()}
    assert {row["organisme"] for row in by_reference.values()} == {"'=cmd|' /C calc'!A0"}
    low = by_reference["R-SUM"]  # the lowest total of the reviewer: a negative z-score, as a number
    assert low["score z"].startswith("-") and Decimal(low["score z"].replace(",", ".")) < 0
    assert low["montant demandé"] == "50000,00"
    assert by_reference["R-LINK"]["total pondéré /100"] == "100,00"
    assert [row[0] for row in rows] == ["1", "2", "3", "4"] and by_reference["R-LINK"]["évaluations soumises"] == "1"
