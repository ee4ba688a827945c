from contextlib import contextmanager

import pytest

from fsi.db import db


@pytest.fixture
def in_db(app):
    """Like the global ``in_db`` but inside a request context, so that French messages
    (flask_babel) can be rendered to strings in the test."""

    @contextmanager
    def scope():
        with app.test_request_context():
            yield db.session
            db.session.commit()

    return scope
