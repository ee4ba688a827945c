"""The report form: built per report, one measured value per promised indicator and one actual
amount per budget line, in the report's order."""
from wtforms import FieldList, SelectMultipleField, widgets
from wtforms.validators import Optional

from fsi.fields import AmountField, StringField, TextAreaField, VersionField
from fsi.forms import FsiForm
from fsi.i18n import lazy_gettext as _l


class CheckboxesField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class ReportForm(FsiForm):
    achievements = TextAreaField(_l("Réalisations"), validators=[Optional()],
                                 description=_l("Ce qui a été fait pendant la période, au regard du projet."))
    measured = FieldList(StringField(_l("Valeur mesurée"), validators=[Optional()]))
    actual = FieldList(AmountField(_l("Dépense réelle (€)"), validators=[Optional()]))
    difficulties = TextAreaField(_l("Difficultés rencontrées"), validators=[Optional()])
    lessons = TextAreaField(_l("Enseignements"), validators=[Optional()],
                            description=_l("Ce que d'autres organismes gagneraient à savoir (repris pour la "
                                           "capitalisation)."))
    attachment_ids = CheckboxesField(_l("Pièces jointes au rapport"), coerce=int, validators=[Optional()],
                                     description=_l("Factures, photos, livrables : déposez-les d'abord parmi les "
                                                    "pièces du dossier."))
    expected_version = VersionField()


def report_form(report, attachments, formdata=None):
    """The form for ``report``, filled from it when first shown."""
    data = {"achievements": report.achievements, "difficulties": report.difficulties, "lessons": report.lessons,
            "measured": [item.get("measured", "") for item in report.indicators],
            "actual": [line.get("actual") for line in report.spending],
            "attachment_ids": list(report.attachment_ids), "expected_version": report.version}
    form = ReportForm(formdata=formdata, data=data) if formdata is not None else ReportForm(data=data)
    for entries, count in ((form.measured, len(report.indicators)), (form.actual, len(report.spending))):
        while len(entries) < count:  # a post missing some rows still shows every row
            entries.append_entry()
    form.attachment_ids.choices = [(attachment.id, attachment.label or attachment.filename)
                                   for attachment in attachments]
    return form
