"""Every table of the dissemination domain (Alembic and the tests import the domains' models)."""
from fsi.dissemination.catalogue.models import *  # noqa: F403
from fsi.dissemination.events.models import *  # noqa: F403
from fsi.dissemination.sheets.models import *  # noqa: F403
