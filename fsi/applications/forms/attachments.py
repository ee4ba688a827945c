"""Uploading an attachment."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField

OTHER = ""


class AttachmentForm(FlaskForm):
    label = SelectField(_l("Pièce"))
    file = FileField(_l("Fichier (PDF, ODT, ODS, DOCX, XLSX, PNG ou JPEG)"),
                     [FileRequired(_l("Choisissez un fichier."))])

    def set_labels(self, required_labels):
        self.label.choices = [(label, label) for label in required_labels] + [(OTHER, _l("Autre pièce"))]
