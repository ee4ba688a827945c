"""How values look in the API's JSON: money as a string with 2 decimals ("60000.00"), times in
ISO 8601 UTC with Z, dates ISO (labels in both languages: fsi.api.schemas.actions.Label)."""
from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, PlainSerializer, WithJsonSchema

Money = Annotated[
    Decimal,
    PlainSerializer(lambda value: f"{value:.2f}", return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^-?[0-9]+\.[0-9]{2}$", "examples": ["60000.00"]},
                   mode="serialization"),
]

UtcTime = Annotated[
    datetime,
    PlainSerializer(lambda value: value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time", "examples": ["2026-11-30T19:30:00Z"]},
                   mode="serialization"),
]


class Ref(BaseModel):
    """Another object, by its id and name."""

    id: int
    name: str
