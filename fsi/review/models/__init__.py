"""The review domain's tables: assessment, assignments and scoring, committee sessions."""
from fsi.review.models.assessment import EligibilityCheck, EligibilityItem, Opinion, RegionalOpinion  # noqa: F401
from fsi.review.models.national import (  # noqa: F401
    NationalDecision,
    NationalOutcome,
    NationalSession,
    Recipient,
    Transmission,
)
from fsi.review.models.scoring import (  # noqa: F401
    Assignment,
    Confidence,
    ConflictOfInterest,
    ConflictSource,
    Recommendation,
    Review,
    ReviewScore,
)
from fsi.review.models.sessions import (  # noqa: F401
    AgendaItem,
    CommitteeSession,
    Outcome,
    Recusal,
    SessionMember,
    SessionStatus,
)
