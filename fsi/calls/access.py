"""Who may see and run calls."""
from fsi.db import utcnow


def can_manage_calls(user):
    return user.is_authenticated and user.is_staff


def can_view_call(call, user):
    """Staff see every call; others see open and closed calls, not those not yet open."""
    if not user.is_authenticated:
        return False
    return user.is_staff or call.opens_at <= utcnow()
