"""Accounts: housing bodies, the people who use FSI, signing in. Below every other domain."""
from sqlmodel import select

from fsi.accounts import admin_views, cli, demo, home, second_factor, services, two_factor_views, views
from fsi.accounts.models import ORGANISATION_KIND_LABELS, ROLE_LABELS, Role, User
from fsi.cli import add_commands
from fsi.db import db
from fsi.demo import add_demo_step, add_setup_step
from fsi.extensions import login_manager
from fsi.home import add_panel
from fsi.i18n import lazy_gettext as _l
from fsi.i18n import pick
from fsi.nav import add_nav_item
from fsi.workflow import register_actor_names

EVERYONE = tuple(Role)


def user_names(ids):
    """{user id: full name}, for the workflow timelines (one statement)."""
    return dict(db.session.exec(select(User.id, User.full_name).where(User.id.in_(list(ids)))).all())


def siren(value):
    """732829320 → 732 829 320, as printed on French company documents."""
    digits = str(value or "")
    return " ".join(digits[i:i + 3] for i in range(0, len(digits), 3))


def init_app(app):
    app.register_blueprint(views.bp)
    app.register_blueprint(admin_views.bp)
    app.register_blueprint(two_factor_views.bp)
    login_manager.user_loader(services.user_from_session)
    login_manager.login_message = services.LOGIN_MESSAGE
    register_actor_names(user_names)
    app.jinja_env.globals.update(role_label=lambda role: pick(ROLE_LABELS[role]),
                                 organisation_kind_label=lambda kind: pick(ORGANISATION_KIND_LABELS[kind]))
    app.jinja_env.filters["siren"] = siren
    app.jinja_env.globals["account_event_label"] = second_factor.EVENT_LABELS.get
    add_nav_item("admin.users", _l("Utilisateurs"), roles={Role.admin}, order=80)
    add_nav_item("admin.organisations", _l("Organismes"),
                 roles={Role.admin, Role.staff}, order=85)
    add_panel("accounts/_home_greeting.html", EVERYONE, home.own_organisation, order=0, wide=True)
    add_panel("accounts/_home_organisation.html", {Role.applicant}, home.own_organisation, order=20)
    add_panel("accounts/_home_admin.html", {Role.admin}, home.admin_counts, order=10)
    add_panel("accounts/_home_organisations.html", {Role.staff}, order=90)
    add_commands(cli.create_user, cli.reset_two_factor, cli.load_territories)
    add_setup_step(10, services.setup_territories)
    add_demo_step(10, demo.seed_accounts)
