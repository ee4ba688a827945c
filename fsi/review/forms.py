"""Forms of the review domain. Dynamic ones (checklist, scoring grid) are built per call."""
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from fsi.fields import (
    AmountField,
    DateField,
    DateTimeLocalField,
    IntegerField,
    StringField,
    TextAreaField,
    VersionField,
)
from fsi.forms import FsiForm
from fsi.i18n import lazy_gettext as _l
from fsi.i18n import pick
from fsi.limits import version_from
from fsi.review.models.assessment import OPINION_LABELS
from fsi.review.models.scoring import CONFIDENCE_LABELS, RECOMMENDATION_LABELS
from fsi.workflow.forms import CENT

REQUIRED = _l("Ce champ est obligatoire.")


class EligibilityItemForm(FsiForm):
    label_fr = StringField(_l("Intitulé (français)"), validators=[DataRequired(REQUIRED), Length(max=300)])
    label_en = StringField(_l("Intitulé (anglais)"), validators=[Optional(), Length(max=300)])
    active = BooleanField(_l("Point actif"), default=True)


def eligibility_form(items, checks, formdata=None):
    """One yes/no/unanswered radio and one note per checklist item."""
    fields = {}
    for item in items:
        fields[f"passed_{item.id}"] = RadioField(
            pick(item.label), default="", validators=[Optional()],
            choices=[SelectChoice("", _l("Non vérifié")), SelectChoice("yes", _l("Satisfait")),
                     SelectChoice("no", _l("Non satisfait"))])
        fields[f"note_{item.id}"] = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])
    form_class = type("EligibilityForm", (FsiForm,), fields)
    data = {}
    for item in items:
        check = checks.get(item.id)
        data[f"passed_{item.id}"] = "" if check is None else ("yes" if check.passed else "no")
        data[f"note_{item.id}"] = check.note if check else ""
    return form_class(formdata=formdata, data=data, prefix="eligibility")


def eligibility_answers(form, items):
    answers = {}
    for item in items:
        value = form[f"passed_{item.id}"].data
        answers[item.id] = ({"yes": True, "no": False}.get(value), form[f"note_{item.id}"].data)
    return answers


class OpinionForm(FsiForm):
    opinion = RadioField(_l("Avis de l'association régionale"), validators=[InputRequired(REQUIRED)],
                         choices=lambda: [SelectChoice(o.value, pick(label)) for o, label in OPINION_LABELS.items()])
    reasons = TextAreaField(_l("Motifs"), validators=[DataRequired(REQUIRED), Length(max=5000)])


class ConflictForm(FsiForm):
    user_id = SelectField(_l("Membre"), coerce=int, validators=[InputRequired(REQUIRED)])
    reason = TextAreaField(_l("Raison du conflit d'intérêts"), validators=[DataRequired(REQUIRED), Length(max=2000)])


class DeclareConflictForm(FsiForm):
    application_id = SelectField(_l("Dossier"), coerce=int, validators=[InputRequired(REQUIRED)])
    reason = TextAreaField(_l("Raison du conflit d'intérêts"), validators=[DataRequired(REQUIRED), Length(max=2000)])


class AssignForm(FsiForm):
    reviewer_ids = SelectMultipleField(_l("Membres du comité à désigner"), coerce=int,
                                       validators=[DataRequired(_l("Cochez au moins un membre du comité."))])
    deadline = DateField(_l("Date limite d'évaluation"), validators=[InputRequired(REQUIRED)])


class BulkAssignForm(FsiForm):
    per_application = IntegerField(_l("Évaluateurs par dossier"), default=2,
                                   validators=[InputRequired(REQUIRED), NumberRange(1, 10)])
    deadline = DateField(_l("Date limite d'évaluation"), validators=[InputRequired(REQUIRED)])


class _ReviewForm(FsiForm):
    version = HiddenField()

    def expected_version(self):
        """0 for a page showing no saved review yet (a review saved meanwhile is then stale);
        anything but a number is stale."""
        if not self.version.data:
            return 0
        return version_from(self.version.data)


def review_form(criteria, formdata=None, data=None):
    """The call's scoring grid: a score within each criterion's scale and a comment."""
    fields = {}
    for criterion in criteria:
        fields[f"score_{criterion.id}"] = IntegerField(
            criterion.label,
            description=_l("Note de %(min)s à %(max)s", min=criterion.scale_min, max=criterion.scale_max),
            validators=[Optional(), NumberRange(criterion.scale_min, criterion.scale_max,
                                                message=_l("La note doit être comprise entre %(min)s et %(max)s."))])
        fields[f"comment_{criterion.id}"] = TextAreaField(_l("Commentaire sur « %(label)s »", label=criterion.label),
                                                          validators=[Optional(), Length(max=5000)])
    fields["recommendation"] = RadioField(
        _l("Recommandation"), validators=[Optional()],
        choices=[SelectChoice(r.value, pick(label)) for r, label in RECOMMENDATION_LABELS.items()])
    fields["confidence"] = RadioField(_l("Niveau de confiance"), validators=[Optional()], coerce=_int_or_none,
                                      choices=[SelectChoice(n, pick(label)) for n, label in CONFIDENCE_LABELS.items()])
    fields["general_comment"] = TextAreaField(_l("Appréciation générale"), validators=[Optional(), Length(max=10000)])
    return type("ReviewForm", (_ReviewForm,), fields)(formdata=formdata, data=data or {}, prefix="review")


def _int_or_none(value):
    return int(value) if value not in (None, "", "None") else None


def review_values(form, criteria):
    return {
        "scores": {c.id: (form[f"score_{c.id}"].data, form[f"comment_{c.id}"].data) for c in criteria},
        "recommendation": form.recommendation.data or None,
        "confidence": form.confidence.data,
        "general_comment": form.general_comment.data,
    }


class SessionForm(FsiForm):
    call_id = SelectField(_l("Appel à projets"), coerce=int, validators=[InputRequired(REQUIRED)])
    title = StringField(_l("Intitulé"), validators=[DataRequired(REQUIRED), Length(max=200)])
    starts_at = DateTimeLocalField(_l("Date et heure (heure de Paris)"), format="%Y-%m-%dT%H:%M",
                                   validators=[InputRequired(REQUIRED)])
    place = StringField(_l("Lieu"), validators=[Optional(), Length(max=200)])
    quorum = IntegerField(_l("Quorum (membres présents sans conflit)"), default=3,
                          validators=[InputRequired(REQUIRED), NumberRange(1, 100)])
    chair_id = SelectField(_l("Président(e) de séance"), coerce=int, validators=[InputRequired(REQUIRED)])
    member_ids = SelectMultipleField(_l("Membres"), coerce=int, validators=[DataRequired(REQUIRED)],
                                     description=_l("Les membres du comité et l'équipe ; "
                                                    "la présidence en fait partie."))


class AgendaForm(FsiForm):
    application_id = SelectField(_l("Dossier noté à inscrire"), coerce=int, validators=[InputRequired(REQUIRED)])


class AttendanceForm(FsiForm):
    present_ids = SelectMultipleField(_l("Membres présents"), coerce=int, validators=[Optional()])


class EmptyForm(FsiForm):
    """Just the CSRF token, for buttons."""


# --- National circuit ---------------------------------------------------------------------------

class NationalSessionForm(FsiForm):
    meets_on = DateField(_l("Date de la séance"), validators=[InputRequired(REQUIRED)])
    label = StringField(_l("Intitulé"), validators=[DataRequired(REQUIRED), Length(max=200)],
                        description=_l("Par exemple « Comité des aides de mars 2027 »."))
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000)],
                          description=_l("Par exemple la date limite de réception des dossiers par la CGLLS."))


class TransmissionForm(FsiForm):
    expected_version = VersionField(validators=[InputRequired()])
    sent_on = DateField(_l("Date d'envoi"), validators=[InputRequired(REQUIRED)])
    national_session_id = SelectField(_l("Séance du comité des aides visée"), coerce=int,
                                      validators=[InputRequired(REQUIRED)])
    comment = TextAreaField(_l("Commentaire"), validators=[Optional(), Length(max=5000)],
                            description=_l("Visible par le porteur de projet dans l'historique du dossier."))


class NationalDecisionForm(FsiForm):
    expected_version = VersionField(validators=[InputRequired()])
    trigger = RadioField(_l("Décision de la CGLLS"), validators=[InputRequired(REQUIRED)])
    decided_on = DateField(_l("Date de la décision"), validators=[InputRequired(REQUIRED)])
    amount = AmountField(_l("Montant accordé (€)"), minimum=CENT,
                         description=_l("Seulement pour un accord : le montant notifié par la CGLLS."))
    notification = FileField(_l("Notification de la CGLLS (PDF)"), validators=[FileRequired(REQUIRED)])
    comment = TextAreaField(_l("Commentaire"), validators=[Optional(), Length(max=5000)],
                            description=_l("Obligatoire pour un refus ou un ajournement. Visible par le porteur "
                                           "de projet dans l'historique du dossier."))
