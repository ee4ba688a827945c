"""Imports every table so that Alembic and the tests see the whole schema."""
from fsi.accounts.models import AuthToken, LoginAttempt, Organisation, Territory, User  # noqa: F401
from fsi.applications.models import (  # noqa: F401
    Application, ApplicationVersion, Attachment, CoApplicant, CoFunding, CostLine, Milestone, ReferenceCounter,
)
from fsi.calls.models import Axis, Call, CallAxis, CallTheme, Criterion, FundingKind, Theme  # noqa: F401
from fsi.mail.models import OutboxMessage  # noqa: F401
from fsi.workflow.models import WorkflowEvent  # noqa: F401
from fsi.review.models import (  # noqa: F401
    AgendaItem, Assignment, CommitteeSession, ConflictOfInterest, EligibilityCheck, EligibilityItem, Recusal,
    RegionalOpinion, Review, ReviewScore, SessionMember,
)
