"""The SQL expressions that differ between SQLite and PostgreSQL: a call's year in Paris, the Paris
day of a moment, and a number of days between two moments. Everything else in the figures is plain
SQL."""
from sqlalchemy import Date, Integer, Numeric
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


class paris_day(FunctionElement):
    """The calendar day, in Europe/Paris, of a UTC moment stored naive (a decision taken at 23:30
    in Paris belongs to that day, not to the next UTC one)."""

    type = Date()
    inherit_cache = True
    name = "paris_day"


@compiles(paris_day)
def _paris_day_default(element, compiler, **kw):
    (moment,) = list(element.clauses)
    return f"CAST(({compiler.process(moment, **kw)} AT TIME ZONE 'UTC') AT TIME ZONE 'Europe/Paris' AS DATE)"


@compiles(paris_day, "sqlite")
def _paris_day_sqlite(element, compiler, **kw):
    # SQLite knows no time zones: summer time (UTC+2) runs from the last Sunday of March to the last
    # Sunday of October, 01:00 UTC both times (the EU rule since 1996); UTC+1 otherwise
    (moment,) = list(element.clauses)
    m = compiler.process(moment, **kw)
    year = f"strftime('%Y', {m})"
    return (f"(CASE WHEN {m} >= datetime({year} || '-03-25', 'weekday 0', '+1 hour') "
            f"AND {m} < datetime({year} || '-10-25', 'weekday 0', '+1 hour') "
            f"THEN date({m}, '+2 hours') ELSE date({m}, '+1 hour') END)")
