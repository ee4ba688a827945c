"""The sheet's forms: what the lead writes, the attachments chosen, a reproduction declared."""
from wtforms import BooleanField, FieldList, Form, FormField, HiddenField
from wtforms.validators import Email, InputRequired, Length, Optional

from fsi.applications.forms.common import ChoiceField, optional_int, options
from fsi.fields import DateField, StringField, TextAreaField, VersionField
from fsi.forms import FsiForm
from fsi.i18n import lazy_gettext as _l
from fsi.limits import LONG_TEXT_MAX, NAME_MAX, NOTE_MAX, TITLE_MAX

MARKDOWN_HINT = _l("Markdown : *italique*, **gras**, listes avec « - », liens [texte](https://…).")
REQUIRED = _l("Ce champ est obligatoire.")


def _markdown(label, description=MARKDOWN_HINT):
    return TextAreaField(label, [Optional(), Length(max=LONG_TEXT_MAX)], description=description,
                         render_kw={"rows": 6})


class IndicatorForm(Form):
    label = StringField(_l("Indicateur"), [Optional(), Length(max=TITLE_MAX)])
    target = StringField(_l("Cible"), [Optional(), Length(max=TITLE_MAX)])
    measured = StringField(_l("Mesuré"), [Optional(), Length(max=TITLE_MAX)])


class SheetForm(FsiForm):
    title = StringField(_l("Titre de la fiche"), [InputRequired(REQUIRED), Length(max=TITLE_MAX)])
    summary = TextAreaField(_l("Résumé"), [Optional(), Length(max=NOTE_MAX)], render_kw={"rows": 3},
                            description=_l("Quelques lignes en texte simple, pour les listes et le flux."))
    problem = _markdown(_l("Le problème"))
    actions = _markdown(_l("Ce qui a été fait"))
    novelty = _markdown(_l("Ce qui était nouveau"))
    budget = _markdown(_l("Budget (commentaire)"),
                       _l("Les montants (coût, subvention) viennent du dossier : commentez-les ici, en Markdown."))
    results = _markdown(_l("Résultats"))
    indicators = FieldList(FormField(IndicatorForm), min_entries=1, max_entries=50)
    lessons = _markdown(_l("Enseignements"))
    reproduce = _markdown(_l("Conditions pour reproduire la pratique"))
    contact_name = StringField(_l("Contact : nom"), [Optional(), Length(max=NAME_MAX)],
                               description=_l("La seule donnée personnelle publiée avec la fiche."))
    contact_role = StringField(_l("Contact : fonction"), [Optional(), Length(max=NAME_MAX)])
    contact_email = StringField(_l("Contact : adresse de courriel"),
                                [Optional(), Length(max=254), Email(_l("Adresse de courriel invalide."))])
    expected_version = VersionField()

    FIELDS = ("title", "summary", "problem", "actions", "novelty", "budget", "results", "lessons", "reproduce",
              "contact_name", "contact_role", "contact_email")

    def values(self):
        return {name: getattr(self, name).data or "" for name in self.FIELDS}

    def indicator_rows(self):
        return [entry.data for entry in self.indicators]


def sheet_form(sheet, formdata=None):
    data = {name: getattr(sheet, name) for name in SheetForm.FIELDS}
    data.update(indicators=list(sheet.indicators or []), expected_version=sheet.version)
    form = SheetForm(formdata=formdata, data=data) if formdata is not None else SheetForm(data=data)
    if formdata is None:
        form.indicators.append_entry()  # one empty row to add an indicator
    return form


class AttachmentChoiceForm(Form):
    attachment_id = HiddenField()
    chosen = BooleanField(_l("Montrer sur la fiche"))
    alt_text = StringField(_l("Texte alternatif (obligatoire pour une image)"), [Optional(), Length(max=300)],
                           description=_l("Ce que montre l'image, pour qui ne la voit pas."))
    caption = StringField(_l("Légende"), [Optional(), Length(max=300)])


class AttachmentsForm(FsiForm):
    items = FieldList(FormField(AttachmentChoiceForm), max_entries=500)

    def choices(self):
        chosen = []
        for entry in self.items:
            if entry.chosen.data:
                chosen.append({"attachment_id": optional_int(entry.attachment_id.data),
                               "alt_text": entry.alt_text.data, "caption": entry.caption.data})
        return chosen


def attachments_form(usable, chosen, formdata=None):
    """One row per attachment of the application, checked when chosen (in the sheet's order)."""
    by_id = {item.attachment_id: item for item in chosen}
    order = [item.attachment_id for item in chosen] + [a.id for a in usable if a.id not in by_id]
    data = {"items": [{"attachment_id": str(i), "chosen": i in by_id,
                       "alt_text": by_id[i].alt_text if i in by_id else "",
                       "caption": by_id[i].caption if i in by_id else ""} for i in order]}
    return AttachmentsForm(formdata=formdata, data=data) if formdata is not None else AttachmentsForm(data=data)


class ReproductionForm(FsiForm):
    reproduced_on = DateField(_l("Date de mise en œuvre"), [InputRequired(REQUIRED)])
    territory_id = ChoiceField(_l("Où (département et EPCI)"), coerce=optional_int, validate_choice=True)
    note = TextAreaField(_l("En quelques mots"), [Optional(), Length(max=NOTE_MAX)], render_kw={"rows": 4},
                         description=_l("Ce que vous avez repris, adapté, ce qui a marché."))
    contact_name = StringField(_l("Contact : nom"), [Optional(), Length(max=NAME_MAX)],
                               description=_l("Visible des seuls utilisateurs connectés."))
    contact_email = StringField(_l("Contact : adresse de courriel"),
                                [Optional(), Length(max=254), Email(_l("Adresse de courriel invalide."))])


def reproduction_form(territories, formdata=None):
    form = ReproductionForm(formdata=formdata) if formdata is not None else ReproductionForm()
    form.territory_id.choices = options([("", "—")] + [(t.id, f"{t.department} ({t.department_code}) — {t.epci}")
                                                       for t in territories])
    return form
