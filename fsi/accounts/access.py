"""Who may do what in this domain: predicates taking the user (views name them with
``fsi.web.requires``)."""


def can_administer(user):
    """Users, roles and organisations are managed by admins only."""
    return user.is_authenticated and user.is_admin


def can_view_organisations(user):
    """Staff see the organisations (read-only) to instruct their applications."""
    return user.is_authenticated and user.is_staff
