"""The timeline section: start, end and milestones."""
from wtforms import FieldList, Form, FormField, ValidationError

from fsi.applications.forms.common import FrenchDateField, SectionForm, max_length
from fsi.fields import StringField
from fsi.i18n import lazy_gettext as _l


class MilestoneForm(Form):
    due_on = FrenchDateField(_l("Date"))
    label = StringField(_l("Étape"), [max_length(200)])

    def validate_label(self, field):
        if self.due_on.data and not (field.data or "").strip():
            raise ValidationError(_l("Nommez cette étape."))


class TimelineForm(SectionForm):
    start_date = FrenchDateField(_l("Date de début"))
    end_date = FrenchDateField(_l("Date de fin"))
    milestones = FieldList(FormField(MilestoneForm), min_entries=1)

    def validate_end_date(self, field):
        if field.data and self.start_date.data and field.data <= self.start_date.data:
            raise ValidationError(_l("La date de fin doit suivre la date de début."))

    def values(self):
        return {"start_date": self.start_date.data, "end_date": self.end_date.data}

    def milestone_rows(self):
        return [{"due_on": e.form.due_on.data, "label": (e.form.label.data or "").strip()}
                for e in self.milestones.entries if (e.form.label.data or "").strip()]
