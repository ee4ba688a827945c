"""The applications' pages: a blueprint whose routes live in the modules of this package."""
from flask import Blueprint

from fsi.nav import nav_item

bp = Blueprint("applications", __name__, url_prefix="/applications")

nav_item("applications.mine", {"fr": "Mes dossiers", "en": "My applications"}, roles={"applicant"}, order=30)

from fsi.applications import guards  # noqa: E402,F401  (guards and effects registered with the engine)
from fsi.applications.views import files, lists, pages, sections, versions  # noqa: E402,F401
