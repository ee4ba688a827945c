"""Personal API tokens: only the token's SHA-256 is stored; its first characters (``prefix``)
let its owner recognise it in the list."""
from datetime import datetime

from sqlmodel import Field, SQLModel

from fsi.cache import NOT_CACHED
from fsi.db import UTCDateTime, utcnow


class ApiToken(SQLModel, table=True):
    __tablename__ = "api_token"
    __table_args__ = {"info": NOT_CACHED}  # no kept result reads it (fsi.cache)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    name: str = Field(max_length=80)
    #: SHA-256 (hex) of the token's text; the text itself is shown once and never kept
    token_hash: str = Field(max_length=64, unique=True)
    #: the token's first 8 characters ("fsi_" and 4 more), shown to recognise it
    prefix: str = Field(max_length=8)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    #: written at most once a minute, in a transaction of its own (fsi.api.tokens.touch)
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
