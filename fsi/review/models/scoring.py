"""Conflicts of interest, reviewer assignments and their reviews (score per criterion)."""
import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from fsi.db import UTCDateTime, enum_column, utcnow
from fsi.workflow.definitions import get_workflow, state_check
from fsi.workflow.tags import tagged

#: a review's states, asked for by tag (workflows/review.yaml)
EDITABLE_REVIEW = tagged("review", "editable")
COUNTED_REVIEW = tagged("review", "counted")
SET_ASIDE_REVIEW = tagged("review", "set_aside")


class ConflictSource(str, enum.Enum):
    #: the reviewer belongs to the applicant or a co-applicant organisation (recorded when seen)
    organisation = "organisation"
    declared = "declared"
    staff = "staff"


CONFLICT_SOURCE_LABELS = {
    ConflictSource.organisation: {"fr": "Même organisme", "en": "Same organisation"},
    ConflictSource.declared: {"fr": "Déclaré par le membre", "en": "Declared by the member"},
    ConflictSource.staff: {"fr": "Relevé par l'équipe", "en": "Recorded by staff"},
}


class ConflictOfInterest(SQLModel, table=True):
    """A declared or recorded conflict. Organisational ones are also computed on the fly
    (fsi.review.conflicts), so a reviewer joining an organisation is covered at once."""

    __tablename__ = "conflict_of_interest"
    __table_args__ = (UniqueConstraint("application_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="application.id", index=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    source: ConflictSource = Field(sa_column=enum_column(ConflictSource, nullable=False))
    reason: str = Field(default="", sa_type=Text)
    recorded_by_id: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Assignment(SQLModel, table=True):
    """A committee member asked to review one application, by a deadline."""

    __table_args__ = (UniqueConstraint("application_id", "reviewer_id"),)

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="application.id", index=True)
    reviewer_id: int = Field(foreign_key="user.id", index=True)
    deadline: date
    assigned_by_id: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Recommendation(str, enum.Enum):
    fund = "fund"
    fund_with_conditions = "fund_with_conditions"
    do_not_fund = "do_not_fund"


RECOMMENDATION_LABELS = {
    Recommendation.fund: {"fr": "Financer", "en": "Fund"},
    Recommendation.fund_with_conditions: {"fr": "Financer sous conditions", "en": "Fund with conditions"},
    Recommendation.do_not_fund: {"fr": "Ne pas financer", "en": "Do not fund"},
}


class Confidence(int, enum.Enum):
    low = 1
    medium = 2
    high = 3


CONFIDENCE_LABELS = {
    1: {"fr": "1 — faible (hors de mon domaine)", "en": "1 — low"},
    2: {"fr": "2 — moyenne", "en": "2 — medium"},
    3: {"fr": "3 — élevée (mon domaine)", "en": "3 — high"},
}


def _initial_review_state():
    return get_workflow("review").initial


class Review(SQLModel, table=True):
    """One assignment's review: editable until submitted, then read-only; moved by
    workflows/review.yaml (submitted, reopened, set aside), each change an event of the log."""

    __table_args__ = (
        CheckConstraint(state_check("review"), name="state_known"),
        CheckConstraint("confidence IS NULL OR confidence BETWEEN 1 AND 3", name="confidence_range"),
        # a submitted review has its recommendation and confidence
        CheckConstraint("submitted_at IS NULL OR (recommendation IS NOT NULL AND confidence IS NOT NULL)",
                        name="submitted_complete"),
    )

    id: int | None = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="assignment.id", unique=True)
    recommendation: Recommendation | None = Field(default=None, sa_column=enum_column(Recommendation))
    confidence: int | None = None
    general_comment: str = Field(default="", sa_type=Text)
    #: the last time it was submitted
    submitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    version: int = 1
    state: str = Field(default_factory=_initial_review_state, max_length=32, index=True)
    #: who set the review aside, when and why (a conflict of interest): it stays, but no longer counts
    set_aside_by_id: int | None = Field(default=None, foreign_key="user.id")
    set_aside_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    set_aside_reason: str = Field(default="", sa_type=Text)

    @property
    def is_submitted(self):
        """Submitted and counted: read-only (until a resubmission reopens it)."""
        return self.state in COUNTED_REVIEW

    @property
    def is_editable(self):
        return self.state in EDITABLE_REVIEW

    @property
    def is_set_aside(self):
        return self.state in SET_ASIDE_REVIEW


class ReviewScore(SQLModel, table=True):
    """The score (within the criterion's scale) and comment for one criterion."""

    __tablename__ = "review_score"
    __table_args__ = (UniqueConstraint("review_id", "criterion_id"),)

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", index=True)
    criterion_id: int = Field(foreign_key="criterion.id", index=True)
    score: int | None = None
    comment: str = Field(default="", sa_type=Text)
