"""Every table, for Alembic and the tests: the engine's and each domain's models module."""
import importlib
import importlib.util

from fsi import DOMAINS


def import_models():
    """Import ``fsi.workflow.models`` and ``<domain>.models`` of every domain of DOMAINS that has
    one, so that SQLModel's metadata holds the whole schema."""
    importlib.import_module("fsi.workflow.models")
    importlib.import_module("fsi.cache")
    for domain in DOMAINS:
        if importlib.util.find_spec(f"{domain}.models") is not None:
            importlib.import_module(f"{domain}.models")


import_models()
