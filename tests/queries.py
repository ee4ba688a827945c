"""Counting SQL statements, for the N+1 guards: a list page must cost the same for 1 row as for many."""
from contextlib import contextmanager

from sqlalchemy import event

from fsi import cache


@contextmanager
def count_statements(app, fresh=True):
    """``with count_statements(app) as statements: ...`` then ``len(statements)``: the statements
    of the work itself, nothing kept from before (fsi.cache is emptied first, unless ``fresh`` is
    False: what the work costs with what is kept)."""
    if fresh:
        cache.clear(app)
    statements = []
    engine = app.extensions["fsi.db"]

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)
