"""The applicant, project and results sections."""
from wtforms.validators import Email, Optional, Regexp

from fsi.applications.forms.common import ChoiceField, MultipleChoiceField, SectionForm, max_length, optional_int
from fsi.fields import StringField, TextAreaField
from fsi.i18n import lazy_gettext as _l


class OrganisationForm(SectionForm):
    contact_name = StringField(_l("Personne à contacter"), [max_length(160)])
    contact_role = StringField(_l("Fonction"), [max_length(160)])
    contact_email = StringField(_l("Adresse de courriel"), [Optional(), max_length(254),
                                                       Email(_l("Adresse de courriel invalide."))])
    contact_phone = StringField(_l("Téléphone"), [Optional(), max_length(30), Regexp(
        r"^\+?[0-9 .()-]{10,20}$", message=_l("Numéro de téléphone invalide, par exemple 04 91 00 00 00."))])
    co_applicants = MultipleChoiceField(_l("Organismes co-porteurs (projets inter-organismes)"), coerce=int,
                                        description=_l("Cochez les organismes qui portent le projet avec le vôtre."))

    def values(self):
        return {name: (getattr(self, name).data or "").strip()
                for name in ("contact_name", "contact_role", "contact_email", "contact_phone")}


class ProjectForm(SectionForm):
    title = StringField(_l("Titre du projet"), [max_length(200)])
    summary = TextAreaField(_l("Résumé"), [max_length(1000)], render_kw={"rows": 4, "maxlength": 1000},
                            description=_l("1 000 caractères au plus."))
    description = TextAreaField(_l("Description du projet"), [max_length(20000)], render_kw={"rows": 8})
    innovation = TextAreaField(_l("En quoi le projet est-il innovant ?"), [max_length(10000)])
    beneficiaries = TextAreaField(_l("Locataires et personnels concernés"), [max_length(5000)])
    territory_id = ChoiceField(_l("Territoire (département et EPCI)"), coerce=optional_int, validate_choice=True)
    partners = TextAreaField(_l("Partenaires"), [max_length(5000)])
    kind = ChoiceField(_l("Type de projet"), default="")
    theme_id = ChoiceField(_l("Thème"), coerce=optional_int)

    def values(self):
        values = {name: (getattr(self, name).data or "").strip()
                  for name in ("title", "summary", "description", "innovation", "beneficiaries", "partners", "kind")}
        values.update(territory_id=self.territory_id.data, theme_id=self.theme_id.data)
        return values


class ResultsForm(SectionForm):
    expected_results = TextAreaField(_l("Résultats attendus"), [max_length(10000)], render_kw={"rows": 6})
    indicators = TextAreaField(_l("Indicateurs d'évaluation"), [max_length(5000)], render_kw={"rows": 5},
                               description=_l("Comment saurez-vous que le projet a réussi ? Le FSI ne finance "
                                              "que des projets évaluables et reproductibles."))

    def values(self):
        return {name: (getattr(self, name).data or "").strip() for name in ("expected_results", "indicators")}

