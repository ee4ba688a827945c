"""Imports every table so that Alembic and the tests see the whole schema."""
from fsi.accounts.models import AuthToken, LoginAttempt, Organisation, Territory, User  # noqa: F401
from fsi.mail.models import OutboxMessage  # noqa: F401
