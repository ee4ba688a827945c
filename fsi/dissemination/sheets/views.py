"""The sheets' pages for signed-in users: the list (with the projects whose sheet can be
started), a sheet's page (its body, the workflow's actions and its history), the lead's forms
(text, chosen attachments), the chosen attachments' downloads (public once published) and the
declaration of a reproduction by another housing body."""
from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlmodel import select

from fsi.accounts.models import Territory
from fsi.applications import attachments as store
from fsi.applications.models import Application, Attachment
from fsi.db import StaleObject, db
from fsi.dissemination.sheets import candidates, sheets
from fsi.dissemination.sheets.access import (
    can_declare_reproduction,
    can_edit_sheet,
    can_follow_sheet,
    can_list_sheets,
    can_start_sheet,
    can_view_sheet,
    can_view_sheet_publicly,
)
from fsi.dissemination.sheets.display import sheet_page
from fsi.dissemination.sheets.forms import attachments_form, reproduction_form, sheet_form
from fsi.dissemination.sheets.models import PracticeSheet, SheetAttachment
from fsi.errors import Refused
from fsi.limits import bounded_int
from fsi.web import back_to, check, get_or_404, render_form, requires, show_refusal


@requires(can_list_sheets)
def index():
    rows = sheets.sheets_for(current_user, staff=current_user.is_staff)
    startable = [] if current_user.is_staff else candidates.startable_for(current_user)
    return render_template("dissemination/sheets/index.html", rows=rows, startable=startable)


@requires(can_list_sheets)
def start(application_id):
    application = get_or_404(Application, application_id, visible_to=can_start_sheet)
    back_to(url_for("sheets.index"))
    sheet = sheets.start_sheet(application, current_user)
    flash(_("La fiche est préremplie à partir du dossier et du bilan final : relisez-la et complétez-la."), "success")
    return redirect(url_for("sheets.edit", sheet_id=sheet.id))


@login_required
def show(sheet_id):
    sheet = get_or_404(PracticeSheet, sheet_id, visible_to=can_view_sheet)
    if not can_follow_sheet(sheet, current_user):  # a published sheet, read by another body
        return redirect(url_for("catalogue.sheet", slug=sheet.slug))
    application = db.session.get(Application, sheet.application_id)
    return render_template("dissemination/sheets/show.html", sheet=sheet, application=application,
                           page=sheet_page(sheet, current_user), may_edit=can_edit_sheet(sheet, current_user),
                           missing=sheets.missing(sheet) if can_edit_sheet(sheet, current_user) else [])


@login_required
def edit(sheet_id):
    sheet = get_or_404(PracticeSheet, sheet_id, visible_to=can_view_sheet)
    check(can_edit_sheet(sheet, current_user))
    back_to(url_for("sheets.edit", sheet_id=sheet.id))
    form = sheet_form(sheet, formdata=request.form if request.method == "POST" else None)
    if form.validate_on_submit():
        try:
            sheets.save_sheet(sheet, current_user, form.values(), indicators=form.indicator_rows(),
                              expected_version=form.expected_version.data)
        except (Refused, StaleObject) as error:
            show_refusal(form, error)
        else:
            flash(_("Fiche enregistrée."), "success")
            return redirect(url_for("sheets.show", sheet_id=sheet.id))
    return render_form("dissemination/sheets/edit.html", sheet=sheet, form=form,
                       application=db.session.get(Application, sheet.application_id))


@login_required
def choose_attachments(sheet_id):
    sheet = get_or_404(PracticeSheet, sheet_id, visible_to=can_view_sheet)
    check(can_edit_sheet(sheet, current_user))
    back_to(url_for("sheets.choose_attachments", sheet_id=sheet.id))
    usable = sheets.usable_attachments(sheet)
    chosen = [item for item, _attachment in sheets.chosen_attachments([sheet.id])[sheet.id]]
    form = attachments_form(usable, chosen, formdata=request.form if request.method == "POST" else None)
    if form.validate_on_submit():
        try:
            sheets.set_attachments(sheet, current_user, form.choices())
        except Refused as error:
            show_refusal(form, error)
        else:
            flash(_("Pièces de la fiche enregistrées."), "success")
            return redirect(url_for("sheets.show", sheet_id=sheet.id))
    by_id = {attachment.id: attachment for attachment in usable}
    rows = [(entry, by_id.get(int(entry.attachment_id.data or 0))) for entry in form.items]
    return render_form("dissemination/sheets/attachments.html", sheet=sheet, form=form,
                       rows=[(entry, attachment, sheets.is_image(attachment)) for entry, attachment in rows
                             if attachment is not None])


def attachment(sheet_id, attachment_id):
    """A chosen attachment of a sheet: public once the sheet is published. An image is shown in
    the page (PNG or JPEG, sniffed on upload), anything else is downloaded."""
    sheet = get_or_404(PracticeSheet, sheet_id, visible_to=can_view_sheet_publicly)
    attachment_id = bounded_int(attachment_id)
    chosen = select(SheetAttachment).where(SheetAttachment.sheet_id == sheet.id,
                                           SheetAttachment.attachment_id == attachment_id)
    found = None if attachment_id is None else db.session.exec(chosen).first()
    if found is None:
        abort(404)
    row = db.session.get(Attachment, attachment_id)
    return send_file(store.path_for(row), mimetype=row.content_type, as_attachment=not sheets.is_image(row),
                     download_name=row.filename, max_age=0)


@login_required
def declare_reproduction(sheet_id):
    sheet = get_or_404(PracticeSheet, sheet_id, visible_to=can_view_sheet_publicly)
    check(can_declare_reproduction(sheet, current_user))
    back_to(url_for("sheets.declare_reproduction", sheet_id=sheet.id))
    territories = db.session.exec(select(Territory).order_by(Territory.department_code, Territory.epci)).all()
    form = reproduction_form(territories, formdata=request.form if request.method == "POST" else None)
    if form.validate_on_submit():
        try:
            sheets.declare_reproduction(sheet, current_user, reproduced_on=form.reproduced_on.data,
                                        territory_id=form.territory_id.data, note=form.note.data or "",
                                        contact_name=form.contact_name.data or "",
                                        contact_email=form.contact_email.data or "")
        except Refused as error:
            show_refusal(form, error)
        else:
            flash(_("Merci : votre reproduction de la pratique est enregistrée."), "success")
            return redirect(url_for("catalogue.sheet", slug=sheet.slug))
    return render_form("dissemination/sheets/reproduction.html", sheet=sheet, form=form)
