"""FSI: the grant workflow engine of the social-housing innovation fund."""
from pathlib import Path

from flask import Flask

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config=None):
    """Application factory. ``config`` (a mapping) overrides every other layer."""
    app = Flask(
        __name__,
        instance_path=str(PROJECT_ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
    )
    from fsi.config import load_config

    load_config(app, config)
    register_extensions(app)
    register_blueprints(app)
    register_template_helpers(app)
    register_security(app)
    register_commands(app)
    __import__("fsi.workflow").workflow.init_app(app)  # domains' guards loaded, definitions checked
    return app


def register_extensions(app):
    from fsi.db import db
    from fsi.extensions import babel, csrf, login_manager
    from fsi.i18n import select_locale, select_timezone

    db.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        timezone_selector=select_timezone,
        default_translation_directories=str(PROJECT_ROOT / "translations"),
    )


def register_blueprints(app):
    from fsi.accounts.views import bp as accounts_bp
    from fsi.accounts.admin_views import bp as admin_bp
    from fsi.applications.views import bp as applications_bp
    from fsi.calls.views import bp as calls_bp
    from fsi.home import bp as home_bp
    from fsi.review.views import bp as review_bp
    from fsi.workflow.views import bp as workflow_bp

    for bp in (home_bp, accounts_bp, admin_bp, calls_bp, applications_bp, review_bp, workflow_bp):
        app.register_blueprint(bp)


def register_template_helpers(app):
    from fsi import formatting, nav
    from fsi.i18n import current_language, pick

    formatting.init_app(app)
    nav.init_app(app)
    app.jinja_env.globals.update(current_language=current_language, pick=pick)


def register_security(app):
    from fsi import security

    security.init_app(app)


def register_commands(app):
    import importlib

    from fsi.cli import fsi_cli

    # Each domain adds its commands to the ``flask fsi`` group in its own cli module.
    for module in CLI_MODULES:
        importlib.import_module(module)
    app.cli.add_command(fsi_cli)


CLI_MODULES = ("fsi.accounts.cli", "fsi.mail.cli", "fsi.workflow.cli")
