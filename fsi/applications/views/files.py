"""Attachments: the section page, upload, download (only for those who may see), delete."""
from flask import flash, redirect, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from fsi.applications import attachments as store
from fsi.applications.access import can_edit_application, can_remove_attachment
from fsi.applications.completeness import problems_by_section
from fsi.applications.forms import AttachmentForm
from fsi.applications.models import Attachment
from fsi.applications.sections import SECTIONS
from fsi.applications.views.common import load_application
from fsi.calls.models import Call
from fsi.db import db
from fsi.web import check, get_or_404, render_form, show_refusal


@login_required
def attachments(application_id):
    application = load_application(application_id)
    call = db.session.get(Call, application.call_id)
    can_edit = can_edit_application(application, current_user)
    form = AttachmentForm()
    form.set_labels(call.required_attachments or [])
    if form.is_submitted() and not can_edit:
        return redirect(url_for("applications.show", application_id=application.id))
    if form.validate_on_submit():
        try:
            store.add_attachment(application, current_user, form.file.data, form.label.data)
        except store.AttachmentRefused as refused:
            show_refusal(form, refused)
        else:
            flash(_("La pièce est jointe."), "success")
            return redirect(url_for("applications.attachments", application_id=application.id))
    files = store.attachments_of(application.id)
    return render_form("applications/section_attachments.html", application=application, call=call, form=form,
                       files=files, can_edit=can_edit, sections=SECTIONS,
                       from_applicant=store.uploaded_by_applicants(files),
                       removable={a.id for a in files if can_remove_attachment(application, a, current_user)},
                       current="attachments", problems=problems_by_section(application))


def _load_attachment(application, attachment_id):
    return get_or_404(Attachment, attachment_id, visible_to=lambda attachment, _user:
                      attachment.application_id == application.id)


@login_required
def download(application_id, attachment_id):
    application = load_application(application_id)
    attachment = _load_attachment(application, attachment_id)
    return send_file(store.path_for(attachment), mimetype=attachment.content_type, as_attachment=True,
                     download_name=attachment.filename, max_age=0)


@login_required
def delete_attachment(application_id, attachment_id):
    application = load_application(application_id, edit=True)
    attachment = _load_attachment(application, attachment_id)
    check(can_remove_attachment(application, attachment, current_user))
    store.remove_attachment(attachment)
    flash(_("La pièce est retirée."), "success")
    return redirect(url_for("applications.attachments", application_id=application.id))
