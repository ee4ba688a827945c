"""The applications domain's guards and effects for the application workflow."""
from flask_babel import gettext as _, ngettext

from fsi.applications.completeness import problems
from fsi.calls.models import Call
from fsi.db import db, utcnow
from fsi.workflow.registry import effect, guard


@guard("call_open")
def call_open(ctx):
    call = db.session.get(Call, ctx.row.call_id)
    if call is None or not call.is_open():
        return _("L'appel à projets est clos : le dossier ne peut plus être déposé.")
    return None


@guard("application_complete")
def application_complete(ctx):
    count = len(problems(ctx.row))
    if count:
        return ngettext("Le dossier est incomplet : %(num)d point reste à compléter.",
                        "Le dossier est incomplet : %(num)d points restent à compléter.", count)
    return None


@effect("application", "submit")
@effect("application", "resubmit")
def freeze_submitted_version(ctx):
    """Each submission keeps the answers and the attachments list as a numbered version."""
    from fsi.applications.versions import freeze_version

    freeze_version(ctx.row, ctx.actor, ctx.trigger)
    ctx.row.submitted_at = utcnow()
    db.session.flush()


@effect("application", "approve")
def record_approval_time(ctx):
    """The organisation's rolling ceiling counts grants from their approval."""
    ctx.row.approved_at = utcnow()
    db.session.flush()
