"""Conflicts of interest, reviewer assignments and their reviews (score per criterion)."""
import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from fsi.db import UTCDateTime, enum_column, utcnow


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


class Review(SQLModel, table=True):
    """One assignment's review: editable until submitted, then read-only."""

    __table_args__ = (
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
    submitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    version: int = 1

    @property
    def is_submitted(self):
        """A submitted review is read-only (until a resubmission reopens it)."""
        return self.submitted_at is not None


class ReviewScore(SQLModel, table=True):
    """The score (within the criterion's scale) and comment for one criterion."""

    __tablename__ = "review_score"
    __table_args__ = (UniqueConstraint("review_id", "criterion_id"),)

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", index=True)
    criterion_id: int = Field(foreign_key="criterion.id", index=True)
    score: int | None = None
    comment: str = Field(default="", sa_type=Text)
