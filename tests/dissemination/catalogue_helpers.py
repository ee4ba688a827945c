"""Published sheets for the catalogue's tests: an awarded application, its sheet set directly in a
state of the sheet workflow (test data: no event), indexed as publishing does."""
import itertools
from datetime import timedelta
from decimal import Decimal

from fsi.db import db, utcnow
from fsi.dissemination.catalogue.search_index import index_sheet
from fsi.dissemination.sheets.models import PracticeSheet
from fsi.workflow import tagged
from fsi.workflow.definitions import get_workflow, state_names
from tests.factories import create_application, create_organisation

_counter = itertools.count(1)


def awarded_state():
    return sorted(tagged("application", "awarded"))[0]


def public_state():
    return sorted(tagged("sheet", "public"))[0]


def draft_state():
    return get_workflow("sheet").initial


def unpublished_state():
    """The state of a sheet taken down: neither public, editable nor awaiting staff."""
    hidden = set(state_names("sheet")) - set(tagged("sheet", "public")) - set(tagged("sheet", "editable")) \
        - set(tagged("sheet", "awaiting_staff"))
    return sorted(hidden)[0]


def create_sheet(application=None, *, state=None, published_days_ago=1, organisation=None, index=True,
                 approved_amount="40000.00", application_kw=None, **kw):
    """A sheet (published by default, and then indexed)."""
    n = next(_counter)
    if application is None:
        application = create_application(
            organisation=organisation or create_organisation(), state=awarded_state(),
            approved_amount=Decimal(approved_amount), approved_at=utcnow() - timedelta(days=400),
            **(application_kw or {}))
    state = state or public_state()
    values = dict(application_id=application.id, slug=f"{application.id}-fiche-{n}", state=state,
                  title=f"Fiche {n}", summary=f"Résumé de la fiche {n}.")
    if state == public_state():
        values["published_at"] = utcnow() - timedelta(days=published_days_ago)
    values.update(kw)
    sheet = PracticeSheet(**values)
    db.session.add(sheet)
    db.session.flush()
    if index and state == public_state():
        index_sheet(sheet)
    return sheet
