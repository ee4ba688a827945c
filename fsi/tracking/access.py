"""Who may see the tracking pages: staff and admins only. Applicants and reviewers get a 403 on
every one of them (an organisation's own figures are on its projects' pages)."""


def can_track(user):
    """Staff and admins: dashboards, panorama, organisation records, search and exports."""
    return getattr(user, "is_authenticated", False) and user.active and user.is_staff
