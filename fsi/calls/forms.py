"""Staff forms for calls and the axes/themes lists."""
from decimal import Decimal

from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectMultipleField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from fsi.fields import AmountField, DateTimeLocalField, IntegerField, PercentField, StringField, TextAreaField
from fsi.forms import FsiForm
from fsi.i18n import lazy_gettext as _l
from fsi.i18n import pick
from fsi.limits import LONG_TEXT_MAX, NOTE_MAX, bounded_int, version_from
from fsi.workflow.definitions import circuits
from fsi.workflow.forms import CENT

JOINT_SPLITS = (("lead", _l("Au porteur chef de file")), ("equal", _l("À parts égales entre les organismes")))


#: a tranche's share of the grant, in whole per cent
SHARE = [InputRequired(_l("Indiquez une valeur.")), NumberRange(0, 100, _l("Indiquez un pourcentage entre 0 et 100."))]


def circuit_choices():
    """The circuits an application may follow (workflows/), in the reader's language."""
    return [SelectChoice(workflow.name, pick(workflow.label)) for workflow in circuits("application")]

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]


class MultiCheckboxField(SelectMultipleField):
    def __init__(self, *args, **kw):
        kw.setdefault("invalid_choice_message", _l("Choix invalide."))
        super().__init__(*args, **kw)

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class KindForm(Form):
    code = HiddenField()
    enabled = BooleanField(_l("Ouvert dans cet appel"))
    rate = PercentField(_l("Taux d'intervention (%)"), [InputRequired(_l("Indiquez le taux."))])
    cap = AmountField(_l("Plafond (€)"), [InputRequired(_l("Indiquez le plafond."))])


class CriterionForm(Form):
    id = HiddenField()
    label = StringField(_l("Critère"), [Length(max=200, message=_l("200 caractères au plus."))])
    description = TextAreaField(_l("Description"), [Length(max=NOTE_MAX, message=_l("%(max)d caractères au plus."))],
                                render_kw={"rows": 2})
    weight = AmountField(_l("Pondération"), [Optional()], default=Decimal("1"), maximum=Decimal("9999.99"))
    scale_min = IntegerField(_l("Note minimale"), [Optional(), NumberRange(0, 100, _l("Entre 0 et 100."))], default=0)
    scale_max = IntegerField(_l("Note maximale"), [Optional(), NumberRange(0, 100, _l("Entre 0 et 100."))], default=5)
    remove = BooleanField(_l("Retirer ce critère"))

    def is_blank(self):
        return not (self.label.data or "").strip()


class CallForm(FsiForm):
    version = HiddenField()
    title = StringField(_l("Titre"), [DataRequired(_l("Indiquez le titre.")),
                                      Length(max=200, message=_l("200 caractères au plus."))])
    description = TextAreaField(_l("Présentation (Markdown)"),
                                [Length(max=LONG_TEXT_MAX, message=_l("%(max)d caractères au plus."))],
                                render_kw={"rows": 10},
                                description=_l("Titres avec #, listes avec -, liens [texte](https://...)."))
    axes = MultiCheckboxField(_l("Axes"), coerce=int)
    themes = MultiCheckboxField(_l("Thèmes"), coerce=int)
    circuit = RadioField(_l("Circuit des dossiers"), default="application", choices=circuit_choices,
                         validators=[InputRequired(_l("Choisissez le circuit."))],
                         description=_l("Régional : le comité de l'association régionale décide. National : "
                                        "l'association rend son avis, la CGLLS décide. Modifiable tant que "
                                        "l'appel n'a aucun dossier."))
    opens_at = DateTimeLocalField(_l("Ouverture (heure de Paris)"),
                                  [InputRequired(_l("Indiquez la date d'ouverture."))], format=DATETIME_FORMATS)
    closes_at = DateTimeLocalField(_l("Clôture (heure de Paris)"),
                                   [InputRequired(_l("Indiquez la date de clôture."))], format=DATETIME_FORMATS)
    envelope = AmountField(_l("Enveloppe (€)"), [InputRequired(_l("Indiquez l'enveloppe."))], minimum=CENT)
    required_attachments = TextAreaField(_l("Pièces obligatoires (une par ligne)"),
                                         [Length(max=NOTE_MAX, message=_l("%(max)d caractères au plus."))],
                                         render_kw={"rows": 4})
    min_project_cost = AmountField(_l("Coût minimal d'un projet (€)"),
                                          [InputRequired(_l("Indiquez une valeur."))])
    min_cost_includes_tax = RadioField(
        _l("Le coût minimal s'apprécie"), default="1",
        choices=[SelectChoice("1", _l("toutes taxes comprises (TTC)")), SelectChoice("0", _l("hors taxes (HT)"))])
    joint_grant_split = RadioField(_l("Un projet inter-organismes compte dans le plafond"), default="lead",
                                   choices=[SelectChoice(code, label) for code, label in JOINT_SPLITS])
    public_funding_max_rate = PercentField(_l("Financements publics au plus (% du coût éligible)"),
                                           [InputRequired(_l("Indiquez une valeur."))])
    organisation_ceiling = AmountField(_l("Plafond par organisme sur la période glissante (€)"),
                                              [InputRequired(_l("Indiquez une valeur."))])
    ceiling_months = IntegerField(_l("Période glissante (mois)"),
                                  [InputRequired(_l("Indiquez une valeur.")),
                                   NumberRange(1, 120, _l("Entre 1 et 120 mois."))])
    agreement_threshold = AmountField(_l("Convention obligatoire au-delà de (€)"),
                                             [InputRequired(_l("Indiquez une valeur."))])
    max_duration_months = IntegerField(_l("Durée maximale d'un projet (mois)"),
                                       [InputRequired(_l("Indiquez une valeur.")),
                                        NumberRange(1, 120, _l("Entre 1 et 120 mois."))])
    max_extensions = IntegerField(_l("Prolongations possibles (d'un an chacune)"),
                                  [InputRequired(_l("Indiquez une valeur.")), NumberRange(0, 5, _l("Entre 0 et 5."))])
    progress_reports = IntegerField(_l("Rapports d'étape pendant un projet"),
                                    [InputRequired(_l("Indiquez une valeur.")), NumberRange(0, 6, _l("Entre 0 et 6."))])
    advance_share = IntegerField(_l("Avance au démarrage du projet (en pourcentage de la subvention)"), SHARE)
    progress_share = IntegerField(_l("Versement sur le premier rapport d'étape accepté (%)"), SHARE)
    auto_start_review = BooleanField(_l("Lancer la notation dès que les évaluateurs d'un dossier sont désignés"))
    auto_complete_review = BooleanField(
        _l("Clore la notation dès que toutes les évaluations d'un dossier sont soumises"))
    kinds = FieldList(FormField(KindForm))

    def validate_progress_share(self, field):
        if self.advance_share.data is None or field.data is None:
            return
        if self.advance_share.data + field.data > 100:
            raise ValidationError(
                _l("L'avance et ce versement dépassent la subvention entière : le solde serait négatif."))
        if field.data and not self.progress_reports.data:
            raise ValidationError(_l("Un versement sur rapport d'étape demande au moins un rapport d'étape."))
    criteria = FieldList(FormField(CriterionForm), min_entries=1)

    def expected_version(self):
        """The version the page was loaded at; anything but a number is stale."""
        return version_from(self.version.data)

    def validate_closes_at(self, field):
        if field.data and self.opens_at.data and field.data <= self.opens_at.data:
            raise ValidationError(_l("La clôture doit suivre l'ouverture."))

    def validate_criteria(self, field):
        for entry in field.entries:
            sub = entry.form
            if sub.is_blank() or sub.remove.data:
                continue
            low, high = sub.scale_min.data, sub.scale_max.data
            if low is not None and high is not None and low >= high:
                sub.scale_max.errors.append(_l("La note maximale doit dépasser la note minimale."))
                raise ValidationError(_l("Vérifiez la grille de notation."))

    def attachment_labels(self):
        lines = (self.required_attachments.data or "").splitlines()
        return [line.strip()[:200] for line in lines if line.strip()]

    def criteria_values(self):
        items = []
        for entry in self.criteria.entries:
            sub = entry.form
            if sub.is_blank() or sub.remove.data:
                continue
            items.append({"id": bounded_int(sub.id.data),
                          "label": sub.label.data.strip(), "description": sub.description.data or "",
                          "weight": sub.weight.data if sub.weight.data is not None else Decimal("1"),
                          "scale_min": sub.scale_min.data if sub.scale_min.data is not None else 0,
                          "scale_max": sub.scale_max.data if sub.scale_max.data is not None else 5})
        return items

    def kinds_values(self):
        return [{"code": e.form.code.data, "rate": e.form.rate.data, "cap": e.form.cap.data,
                 "enabled": e.form.enabled.data} for e in self.kinds.entries]


class TaxonomyForm(FsiForm):
    label_fr = StringField(_l("Libellé en français"), [DataRequired(_l("Indiquez le libellé.")),
                                                       Length(max=200, message=_l("200 caractères au plus."))])
    label_en = StringField(_l("Libellé en anglais"), [Length(max=200, message=_l("200 caractères au plus."))])
