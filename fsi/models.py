"""Imports every table so that Alembic and the tests see the whole schema."""
from fsi.accounts.models import AuthToken, LoginAttempt, Organisation, Territory, User  # noqa: F401
from fsi.applications.models import Application  # noqa: F401
from fsi.calls.models import Call, Criterion  # noqa: F401
from fsi.mail.models import OutboxMessage  # noqa: F401
from fsi.workflow.models import WorkflowEvent  # noqa: F401
from fsi.review.models import (  # noqa: F401
    AgendaItem, Assignment, CommitteeSession, ConflictOfInterest, EligibilityCheck, EligibilityItem, Recusal,
    RegionalOpinion, Review, ReviewScore, SessionMember,
)
