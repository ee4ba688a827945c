"""The two SQL expressions that differ between SQLite and PostgreSQL: a call's year in Paris and
a number of days between two moments. Everything else in the figures is plain SQL."""
from sqlalchemy import Integer, Numeric
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class paris_year(FunctionElement):
    """The year, in Europe/Paris, of a UTC moment stored naive. On 31 December and 1 January
    Paris is always UTC+1, so adding one hour gives the Paris year whatever the season."""

    type = Integer()
    inherit_cache = True
    name = "paris_year"


@compiles(paris_year)
def _paris_year_default(element, compiler, **kw):
    (moment,) = list(element.clauses)
    return f"CAST(EXTRACT(YEAR FROM {compiler.process(moment, **kw)} + INTERVAL '1 hour') AS INTEGER)"


@compiles(paris_year, "sqlite")
def _paris_year_sqlite(element, compiler, **kw):
    (moment,) = list(element.clauses)
    return f"CAST(strftime('%Y', datetime({compiler.process(moment, **kw)}, '+1 hour')) AS INTEGER)"


class days_between(FunctionElement):
    """Days (with their fraction) from ``start`` to ``end``, each a date or a naive UTC moment
    (a date counts from midnight)."""

    type = Numeric()
    inherit_cache = True
    name = "days_between"


@compiles(days_between)
def _days_default(element, compiler, **kw):
    start, end = (compiler.process(clause, **kw) for clause in element.clauses)
    return (f"(EXTRACT(EPOCH FROM (CAST({end} AS TIMESTAMP) - CAST({start} AS TIMESTAMP))) / 86400.0)")


@compiles(days_between, "sqlite")
def _days_sqlite(element, compiler, **kw):
    start, end = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"(julianday({end}) - julianday({start}))"
