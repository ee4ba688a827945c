"""Uploading an attachment."""
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectChoice, SelectField

from fsi.forms import FsiForm
from fsi.i18n import lazy_gettext as _l

OTHER = ""


class AttachmentForm(FsiForm):
    label = SelectField(_l("Pièce"), invalid_choice_message=_l("Choix invalide."))
    file = FileField(_l("Fichier (PDF, ODT, ODS, DOCX, XLSX, PNG ou JPEG)"),
                     [FileRequired(_l("Choisissez un fichier."))])

    def set_labels(self, required_labels):
        self.label.choices = ([SelectChoice(label, label) for label in required_labels]
                              + [SelectChoice(OTHER, _l("Autre pièce"))])
