"""Calls for projects (appels à projets) and their rules.

Base columns other domains rely on; the calls domain adds the rest (themes, grid, rules...).
"""
from datetime import datetime
from decimal import Decimal
from typing import Optional

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from fsi.db import UTCDateTime, utcnow


class Call(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    #: Markdown, rendered safely
    description: str = Field(default="", sa_type=Text)
    opens_at: datetime = Field(sa_type=UTCDateTime)
    closes_at: datetime = Field(sa_type=UTCDateTime)
    #: the budget the call may award in total
    envelope: Decimal = Field(max_digits=12, decimal_places=2)
    #: review: a criterion whose scores' standard deviation exceeds this is flagged as disagreement
    disagreement_threshold: Decimal = Field(default=Decimal("1.50"), max_digits=6, decimal_places=2)
    #: review: a reviewer's normalised (z) score is shown only past this many scored applications
    zscore_min_reviews: int = 3
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    def is_open(self, now=None):
        now = now or utcnow()
        return self.opens_at <= now < self.closes_at


class Criterion(SQLModel, table=True):
    """A line of the call's scoring grid (grille de notation)."""

    id: Optional[int] = Field(default=None, primary_key=True)
    call_id: int = Field(foreign_key="call.id", index=True)
    position: int = 0
    label: str = Field(max_length=200)
    description: str = Field(default="", sa_type=Text)
    weight: Decimal = Field(default=Decimal("1"), max_digits=6, decimal_places=2)
    scale_min: int = 0
    scale_max: int = 5
