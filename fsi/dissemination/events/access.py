"""Who may do what with events. Anyone (signed in or not) reads the public pages; staff and admins
organise (create, edit, cancel, invite, record attendance, see who registered); the users of a
housing body (applicants, and reviewers who belong to one) register themselves."""
from fsi.db import utcnow


def _active(user):
    return getattr(user, "is_authenticated", False) and user.active


def can_manage_events(user):
    return _active(user) and user.is_staff


def can_register(user):
    """A member of a housing body: an active account tied to an organisation (not staff)."""
    return _active(user) and not user.is_staff and user.organisation_id is not None


def is_open_for_registration(event, now=None):
    """Not cancelled and not begun."""
    return event.cancelled_at is None and event.starts_at > (now or utcnow())


def has_begun(event, now=None):
    return event.starts_at <= (now or utcnow())
