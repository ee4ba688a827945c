"""Forms of a funded project's own pages: the signed agreement, an amendment, an extension, the
« caducité » (payments' and reports' forms are their own modules')."""
from flask_wtf.file import FileField, FileRequired
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from fsi.fields import DateField, TextAreaField, VersionField
from fsi.forms import FsiForm
from fsi.i18n import lazy_gettext as _l
from fsi.limits import COMMENT_MAX

REQUIRED = _l("Ce champ est obligatoire.")


def _reason(label, description=None):
    return TextAreaField(label, validators=[DataRequired(message=_l("Indiquez le motif.")),
                                            Length(max=COMMENT_MAX)], description=description)


class AgreementForm(FsiForm):
    #: the application's version (the step is fired on it)
    expected_version = VersionField(validators=[InputRequired()])
    signed_on = DateField(_l("Date de signature"), validators=[InputRequired(REQUIRED)])
    document = FileField(_l("Convention signée (PDF)"), validators=[FileRequired(REQUIRED)])
    starts_on = DateField(_l("Début du projet"), validators=[InputRequired(REQUIRED)])
    ends_on = DateField(_l("Fin du projet"), validators=[InputRequired(REQUIRED)])
    comment = TextAreaField(_l("Commentaire"), validators=[Optional(), Length(max=COMMENT_MAX)],
                            description=_l("Visible par le porteur de projet dans l'historique du dossier."))


class AmendmentForm(FsiForm):
    signed_on = DateField(_l("Date de signature de l'avenant"), validators=[InputRequired(REQUIRED)])
    reason = _reason(_l("Objet de l'avenant"))
    document = FileField(_l("Avenant signé (facultatif)"))


class ExtensionForm(FsiForm):
    expected_version = VersionField(validators=[InputRequired()])
    reason = _reason(_l("Motif de la prolongation"),
                     _l("La fin du projet recule de 12 mois ; le bilan final suit."))


class LapseForm(FsiForm):
    expected_version = VersionField(validators=[InputRequired()])
    reason = _reason(_l("Motif de la caducité"),
                     _l("Le projet a dépassé sa date de fin sans utiliser toute la subvention : ce qui "
                        "n'est pas versé ne le sera plus."))
