"""One form per section of the application (each saved on its own)."""
from fsi.applications.forms.attachments import AttachmentForm
from fsi.applications.forms.budget import BudgetForm
from fsi.applications.forms.content import OrganisationForm, ProjectForm, ResultsForm
from fsi.applications.forms.timeline import TimelineForm

SECTION_FORMS = {
    "organisation": OrganisationForm,
    "project": ProjectForm,
    "budget": BudgetForm,
    "timeline": TimelineForm,
    "results": ResultsForm,
}

__all__ = ["SECTION_FORMS", "AttachmentForm", "BudgetForm", "OrganisationForm", "ProjectForm", "ResultsForm",
           "TimelineForm"]
