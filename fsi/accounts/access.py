"""Who may do what in this domain: predicates taking the user, and the decorator views use."""
from functools import wraps

from flask import abort
from flask_login import current_user

from fsi.accounts.models import Role
from fsi.extensions import login_manager


def can_administer(user):
    """Users, roles and organisations are managed by admins only."""
    return user.is_authenticated and user.role == Role.admin


def can_view_organisations(user):
    """Staff see the organisations (read-only) to instruct their applications."""
    return user.is_authenticated and user.is_staff


def requires(predicate):
    """Anonymous visitors go to the login page; signed-in users failing ``predicate`` get 403."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not predicate(current_user):
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorate
