"""The award calculator against hand-computed cases: each term binding in turn."""
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from fsi.applications.calculator import maximum_grant, months_before
from fsi.db import utcnow
from tests.factories import create_application, create_open_call, create_organisation, fill_application

D = Decimal


def grant(in_db, kind, costs, cofundings=(), previous=()):
    """maximum_grant for an application of a fresh organisation; ``previous``: (amount, approved_at)
    of the organisation's earlier grants, each in another call."""
    with in_db():
        organisation = create_organisation()
        for amount, approved_at in previous:
            create_application(call=create_open_call(), organisation=organisation, state="approved",
                               approved_amount=D(amount), approved_at=approved_at)
        application = create_application(call=create_open_call(), organisation=organisation)
        fill_application(application, kind=kind, costs=costs, cofundings=cofundings)
        result = maximum_grant(application)
        for term in result.terms:  # rendered while the request context is there
            term.label = str(term.label).replace("\u202f", " ").replace("\xa0", " ")
        return result.maximum, [t for t in result.terms if t.binding], result


@pytest.mark.parametrize("kind, costs, expected, binding_index", [
    # 50 % of 20 000 = 10 000 < cap 200 000 < ceiling 500 000 < 80 % = 16 000: the rate binds
    ("innovation", ["20000"], D("10000.00"), 0),
    # 50 % of 1 000 000 = 500 000 > cap 200 000: the cap binds
    ("innovation", ["600000", "400000"], D("200000.00"), 1),
    # modernisation: 40 % of 300 000 = 120 000 > cap 100 000
    ("modernisation", ["300000"], D("100000.00"), 1),
    ("modernisation", ["50000"], D("20000.00"), 0),
    # joint innovation: 50 % of 600 000 = 300 000 > cap 250 000
    ("joint_innovation", ["600000"], D("250000.00"), 1),
    # joint modernisation: 50 % (not 40 %) of 200 000 = 100 000 < cap 150 000
    ("joint_modernisation", ["200000"], D("100000.00"), 0),
    ("joint_modernisation", ["400000"], D("150000.00"), 1),
    # rounded down to the cent: 50 % of 3 333,33 = 1 666,665
    ("innovation", ["3333.33"], D("1666.66"), 0),
])
def test_rate_and_cap(in_db, kind, costs, expected, binding_index):
    maximum, binding, result = grant(in_db, kind, costs)
    assert maximum == expected
    assert binding == [result.terms[binding_index]]


def test_organisation_ceiling_counts_other_calls_within_36_months(in_db):
    now = utcnow()
    maximum, binding, result = grant(in_db, "innovation", ["400000"], previous=[
        ("250000", now - timedelta(days=30)),          # counts
        ("150000", months_before(now, 35)),           # counts
        ("200000", months_before(now, 37)),           # too old: does not count
    ])
    # 500 000 - 400 000 = 100 000 < 50 % of 400 000 = 200 000
    assert maximum == D("100000.00")
    assert binding == [result.terms[2]]
    assert "400 000,00" in result.terms[2].label


def test_ceiling_exhausted_gives_zero(in_db):
    maximum, binding, _result = grant(in_db, "innovation", ["100000"],
                                      previous=[("500000", utcnow() - timedelta(days=1))])
    assert maximum == D("0.00")


def test_public_funding_ceiling_with_other_public_cofunding(in_db):
    # 80 % of 100 000 - 40 000 public = 40 000 < 50 % = 50 000; private money does not count
    maximum, binding, result = grant(in_db, "innovation", ["100000"],
                                     cofundings=[("Région", True, "40000"), ("Fondation", False, "30000")])
    assert maximum == D("40000.00")
    assert binding == [result.terms[3]]


def test_public_funding_above_ceiling_gives_zero_not_negative(in_db):
    maximum, _binding, result = grant(in_db, "innovation", ["100000"], cofundings=[("État", True, "90000")])
    assert result.terms[3].value == D("-10000.00")
    assert maximum == D("0.00")


def test_the_application_itself_is_not_counted(in_db):
    with in_db():
        application = create_application(call=create_open_call(), state="approved",
                                         approved_amount=D("150000"), approved_at=utcnow())
        fill_application(application, costs=["100000"])
        assert maximum_grant(application).maximum == D("50000.00")


def test_without_kind_the_calculation_is_incomplete(in_db):
    with in_db():
        application = create_application(call=create_open_call())
        fill_application(application, kind="")
        result = maximum_grant(application)
        assert result.complete is False
        assert result.maximum == D("0.00")


def test_rules_edited_on_the_call_are_used(in_db):
    with in_db():
        call = create_open_call(organisation_ceiling=D("120000"), public_funding_max_rate=D("0.5"))
        application = create_application(call=call)
        fill_application(application, costs=["100000"])
        result = maximum_grant(application)
        assert [t.value for t in result.terms] == [D("50000.00"), D("200000.00"), D("120000.00"), D("50000.00")]
        assert result.maximum == D("50000.00")


@pytest.mark.parametrize("moment, months, expected", [
    (datetime(2026, 3, 31, 12, tzinfo=UTC), 1, datetime(2026, 2, 28, 12, tzinfo=UTC)),
    (datetime(2026, 11, 26, tzinfo=UTC), 36, datetime(2023, 11, 26, tzinfo=UTC)),
    (datetime(2024, 2, 29, tzinfo=UTC), 12, datetime(2023, 2, 28, tzinfo=UTC)),
    (datetime(2026, 1, 15, tzinfo=UTC), -13, datetime(2027, 2, 15, tzinfo=UTC)),
])
def test_months_before(moment, months, expected):
    assert months_before(moment, months) == expected
