"""The home page: one per role, made of the panels the domains add in their init_app.

A panel is a template of its domain with a context function ``(user) -> dict | None`` (None hides
it); the page renders the user's panels in order, consecutive cards side by side in a grid and a
wide panel across the page. Every
panel loads in a constant number of statements whatever its length (tests/test_home.py counts).
"""
from collections.abc import Callable
from dataclasses import dataclass

from flask import Blueprint, current_app, redirect, render_template, url_for
from flask_login import current_user
from markupsafe import Markup

bp = Blueprint("home", __name__)


@dataclass(frozen=True)
class Panel:
    template: str
    #: role values ("applicant", "staff"...) that see it
    roles: frozenset
    context: Callable | None = None
    order: int = 50
    #: spans the page instead of sitting in the grid of cards
    wide: bool = False


_PANELS: dict[str, Panel] = {}
#: the home page of anonymous visitors (a view function), when a domain offers one
_PUBLIC_HOME = []


def set_public_home(view):
    """Show ``view()`` to anonymous visitors at ``/`` instead of sending them to the login page."""
    _PUBLIC_HOME[:] = [view]


def add_panel(template, roles, context=None, order=50, wide=False):
    """Show ``template`` on the home page of ``roles``, rendered with ``context(user)``."""
    _PANELS[template] = Panel(template, frozenset(getattr(r, "value", r) for r in roles), context, order, wide)


def rendered_panels(user):
    """[(wide, [html, ...])]: the user's panels rendered in order, consecutive cards grouped."""
    groups = []
    for panel in sorted(_PANELS.values(), key=lambda p: p.order):
        if user.role.value not in panel.roles:
            continue
        context = panel.context(user) if panel.context else {}
        if context is None:
            continue
        html = render_template(panel.template, **context)
        html = Markup(html)  # nosec B704 # our own template, autoescaped as it rendered
        if groups and not panel.wide and not groups[-1][0]:
            groups[-1][1].append(html)
        else:
            groups.append((panel.wide, [html]))
    return groups


@bp.route("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico whatever the page says: the SVG icon, not a 404."""
    return current_app.send_static_file("favicon.svg")


@bp.route("/")
def index():
    if not current_user.is_authenticated:
        return _PUBLIC_HOME[0]() if _PUBLIC_HOME else redirect(url_for("accounts.login"))
    return render_template("home/index.html", groups=rendered_panels(current_user))


def init_app(app):
    app.register_blueprint(bp)
