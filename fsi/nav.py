"""Role-aware navigation: each domain adds its entries in its init_app, the layout shows the user's."""
from dataclasses import dataclass

from flask import url_for
from flask_login import current_user


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: dict  # {"fr": ..., "en": ...}
    roles: frozenset
    order: int = 50


#: endpoint -> entry (adding the same entry again, as every app built in one process does, is harmless)
_ITEMS: dict[str, NavItem] = {}


def add_nav_item(endpoint, label, roles, order=50):
    """Declare a navigation entry; ``label`` a lazy gettext string, ``roles`` the role values
    ("staff"...) that see it."""
    _ITEMS[endpoint] = NavItem(endpoint, label, frozenset(getattr(r, "value", r) for r in roles), order)


def items_for(user):
    if not user.is_authenticated:
        return []
    return sorted((i for i in _ITEMS.values() if user.role.value in i.roles), key=lambda i: i.order)


def init_app(app):
    @app.context_processor
    def navigation():
        def links():
            return [(url_for(i.endpoint), str(i.label), i.endpoint) for i in items_for(current_user)
                    if i.endpoint in app.view_functions]

        return {"nav_links": links}
