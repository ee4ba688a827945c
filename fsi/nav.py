"""Role-aware navigation: each domain declares its entries, the layout shows the user's."""
from dataclasses import dataclass

from flask import url_for
from flask_login import current_user

from fsi.i18n import pick


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: dict  # {"fr": ..., "en": ...}
    roles: frozenset
    order: int = 50


_ITEMS: list[NavItem] = []


def nav_item(endpoint, label, roles, order=50):
    """Declare a navigation entry; ``roles`` is the set of roles that see it."""
    _ITEMS.append(NavItem(endpoint, label, frozenset(roles), order))


def items_for(user):
    if not user.is_authenticated:
        return []
    return sorted((i for i in _ITEMS if user.role in i.roles), key=lambda i: i.order)


def init_app(app):
    @app.context_processor
    def navigation():
        def links():
            return [(url_for(i.endpoint), pick(i.label), i.endpoint) for i in items_for(current_user)]

        return {"nav_links": links}
