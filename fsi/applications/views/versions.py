"""Comparing two frozen versions of an application side by side."""
from flask import abort, render_template, request
from flask_login import current_user, login_required

from fsi.applications.access import can_compare_versions
from fsi.applications.versions import compare, snapshot, versions_of
from fsi.applications.views.common import load_application


@login_required
def compare_versions(application_id):
    application = load_application(application_id)
    if not can_compare_versions(application, current_user):
        abort(404)
    versions = {v.number: v for v in versions_of(application.id)}
    current = {"number": "current", "snapshot": snapshot(application)}  # French, like the frozen versions

    def pick_version(arg, default):
        value = request.args.get(arg, default)
        if value == "current":
            return current
        if str(value).isdigit() and int(value) in versions:
            v = versions[int(value)]
            return {"number": v.number, "snapshot": v.snapshot, "created_at": v.created_at}
        abort(404)

    numbers = sorted(versions)
    default_old = numbers[-2] if len(numbers) > 1 else (numbers[0] if numbers else "current")
    default_new = numbers[-1] if len(numbers) > 1 else "current"
    old, new = pick_version("old", default_old), pick_version("new", default_new)
    return render_template("applications/compare.html", application=application, versions=versions_of(application.id),
                           old=old, new=new, rows=compare(old["snapshot"], new["snapshot"]))
