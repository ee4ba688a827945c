"""FSI: the grant workflow engine of the social-housing innovation fund."""
import importlib
from pathlib import Path

from fsi import cache, cli, formatting, home, nav, operations, security, web
from fsi.config import load_config
from fsi.db import db as database  # not ``db``: that name is the fsi.db module here
from fsi.extensions import babel, csrf, login_manager
from fsi.i18n import current_language, pick, select_locale, select_timezone

PROJECT_ROOT = Path(__file__).resolve().parent.parent

#: The domains, in dependency order: each may use those before it, never those after it (a lower
#: domain offers hooks that higher ones plug into). Each package's ``init_app(app)`` registers what
#: it brings: blueprints, commands, workflow guards, effects and subjects, navigation, home panels,
#: demo steps. Adding a domain: its package, one line here, and its migration.
DOMAINS = (
    "fsi.mail",
    "fsi.accounts",
    "fsi.calls",
    "fsi.applications",
    "fsi.review",
    "fsi.funding",
    "fsi.tracking",
    "fsi.dissemination",
    "fsi.api",
)


def create_app(config=None):
    """Application factory. ``config`` (a mapping) overrides every other layer."""
    app = web.App(
        __name__,
        instance_path=str(PROJECT_ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
    )
    load_config(app, config)
    register_extensions(app)
    register_shared(app)
    for name in DOMAINS:
        importlib.import_module(name).init_app(app)
    importlib.import_module("fsi.workflow").init_app(app)  # last: checks what the domains registered
    return app


def register_extensions(app):
    database.init_app(app)
    cache.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        timezone_selector=select_timezone,
        default_translation_directories=str(PROJECT_ROOT / "translations"),
    )


def register_shared(app):
    """What every domain builds on: the request boundary, security headers and error pages,
    formatting, navigation, the home page, the ``flask fsi`` command group and what production
    needs (health check, backups, stored files, the reverse proxy's headers)."""
    web.init_app(app)
    security.init_app(app)
    formatting.init_app(app)
    nav.init_app(app)
    home.init_app(app)
    cli.init_app(app)
    operations.init_app(app)
    app.jinja_env.globals.update(current_language=current_language, pick=pick)
