"""What tracking answers of the lower domains' hooks: the grants obtained outside FSI count in the
organisation's ceiling wherever the applications domain computes it (the award calculator, the
eligibility check, the committee's decision)."""
from fsi.applications import signals as app_signals
from fsi.tracking.organisations import outside_total


def outside_grants(sender, organisation_id=None, since=None, **kwargs):
    """The applications domain's ``outside_grants`` hook: what staff entered as granted outside FSI
    to the organisation from ``since`` on."""
    return outside_total(organisation_id, since)


def connect():
    app_signals.outside_grants.connect(outside_grants)
