"""The accounts domain's panels on the home page."""
from fsi.accounts import admin_services
from fsi.accounts.models import Organisation
from fsi.db import db


def own_organisation(user):
    organisation = db.session.get(Organisation, user.organisation_id) if user.organisation_id else None
    return {"organisation": organisation}


def admin_counts(user):
    return {"counts": admin_services.counts()}
