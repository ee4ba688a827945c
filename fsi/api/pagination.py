"""Lists: ``?page=1&per_page=20`` (at most 100) and the ``{"items", "page", "per_page", "total"}``
envelope. A page beyond the last has no items (still 200)."""
from typing import Generic, TypeVar

from pydantic import BaseModel, Field
from sqlalchemy import func, literal_column, select

from fsi.cache import until_data_changes
from fsi.db import db

PER_PAGE_MAX = 100


class PageQuery(BaseModel):
    page: int = Field(default=1, ge=1, le=1_000_000, description="From 1.")
    per_page: int = Field(default=20, ge=1, le=PER_PAGE_MAX, description="At most 100.")


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    page: int
    per_page: int
    total: int


def page_of(stmt, query, shape, count_key=None):
    """The envelope for ``stmt`` (a select of rows, ordered, neither DISTINCT nor grouped): two
    statements, whatever the page holds; ``shape(rows)`` turns the page's rows into its items
    (loading what they need in a constant number of statements). ``count_key``: what the total
    depends on (the filters, the user), to keep it until the data changes; without one (a list
    that depends on the time of the request) it is counted each time."""
    counted = stmt.order_by(None).with_only_columns(literal_column("1"), maintain_column_froms=True)
    total = kept_count(counted, count_key) if count_key is not None else count(counted)
    rows = db.session.exec(stmt.limit(query.per_page).offset((query.page - 1) * query.per_page)).all()
    return {"items": shape(list(rows)), "page": query.page, "per_page": query.per_page, "total": total}


def count(stmt, key=None):
    """The number of rows ``stmt`` selects."""
    return db.session.scalar(select(func.count()).select_from(stmt.subquery()))


#: ``count`` kept until the data changes, under ``key``
kept_count = until_data_changes(key=lambda stmt, key: key)(count)
