"""Human references for applications: FSI-<year>-<4 digits>, unique and never reused.

The counter row of the year is incremented with one UPDATE (last = last + 1) and read back in
the same transaction: the UPDATE locks the row, so concurrent transactions queue behind it and
each gets its own number; deleting an application never gives its number back.
"""
from sqlalchemy import select as sa_select
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from fsi.applications.models import ReferenceCounter
from fsi.db import db, utcnow


def _increment(year):
    result = db.session.execute(update(ReferenceCounter).where(ReferenceCounter.year == year)
                                .values(last=ReferenceCounter.last + 1)
                                .execution_options(synchronize_session=False))
    return result.rowcount == 1


def next_number(year):
    if not _increment(year):
        # first reference of the year: create the counter; a concurrent creator wins the
        # primary key race and we increment its row instead
        try:
            with db.session.begin_nested():
                db.session.add(ReferenceCounter(year=year, last=0))
        except IntegrityError:
            pass
        if not _increment(year):  # pragma: no cover - the row exists now
            raise RuntimeError("reference counter missing")
    return db.session.execute(sa_select(ReferenceCounter.last).where(ReferenceCounter.year == year)).scalar_one()


def next_reference(year=None):
    year = year or utcnow().year
    return f"FSI-{year}-{next_number(year):04d}"
