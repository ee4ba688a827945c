"""Staff's event forms (times typed in Europe/Paris) and the roll call."""
from wtforms import RadioField, SelectField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from fsi.calls.forms import DATETIME_FORMATS, MultiCheckboxField
from fsi.calls.services import paris_to_utc
from fsi.dissemination.events.models import EVENT_KIND_LABELS, EventKind
from fsi.fields import DateTimeLocalField, IntegerField, StringField, TextAreaField, VersionField
from fsi.forms import FsiForm
from fsi.i18n import lazy_gettext as _l
from fsi.i18n import pick
from fsi.limits import COMMENT_MAX, LONG_TEXT_MAX, NOTE_MAX, bounded_int

CAPACITY_MAX = 100000


def kind_choices():
    return [(kind.value, pick(EVENT_KIND_LABELS[kind])) for kind in EventKind]


def optional_id(value):
    """A select's value: an id, or None for the empty choice (anything else is not a choice)."""
    if value in (None, "", "None"):
        return None
    return bounded_int(value) if not isinstance(value, int) else value


class EventForm(FsiForm):
    version = VersionField()
    kind = RadioField(_l("Type"), choices=kind_choices, default=EventKind.atelier.value,
                      validators=[InputRequired(_l("Choisissez le type."))])
    title = StringField(_l("Titre"), [DataRequired(_l("Indiquez le titre.")),
                                      Length(max=200, message=_l("200 caractères au plus."))])
    starts_at = DateTimeLocalField(_l("Début (heure de Paris)"), [InputRequired(_l("Indiquez le début."))],
                                   format=DATETIME_FORMATS)
    ends_at = DateTimeLocalField(_l("Fin (heure de Paris)"), [InputRequired(_l("Indiquez la fin."))],
                                 format=DATETIME_FORMATS)
    place = TextAreaField(_l("Lieu (adresse)"), [Length(max=NOTE_MAX, message=_l("%(max)d caractères au plus."))],
                          render_kw={"rows": 3}, description=_l("Le lieu, le lien de visioconférence, ou les deux."))
    video_url = StringField(_l("Lien de la visioconférence"),
                            [Length(max=500, message=_l("500 caractères au plus."))],
                            render_kw={"inputmode": "url"}, description=_l("Commence par https://"))
    theme = SelectField(_l("Thème"), coerce=optional_id, validate_choice=True)
    description = TextAreaField(_l("Description (Markdown)"),
                                [Length(max=LONG_TEXT_MAX, message=_l("%(max)d caractères au plus."))],
                                render_kw={"rows": 8},
                                description=_l("Titres avec #, listes avec -, liens [texte](https://...)."))
    capacity = IntegerField(_l("Nombre de places"),
                            [Optional(), NumberRange(1, CAPACITY_MAX, _l("Entre 1 et 100 000."))],
                            description=_l("Laissez vide pour un nombre de places illimité. Au-delà, les "
                                           "inscrits vont sur la liste d'attente."))
    sheets = MultiCheckboxField(_l("Fiches d'expérience présentées"), coerce=int)
    projects = MultiCheckboxField(_l("Projets présentés"), coerce=int)

    def values(self):
        return {"kind": EventKind(self.kind.data), "title": self.title.data.strip(),
                "starts_at": paris_to_utc(self.starts_at.data), "ends_at": paris_to_utc(self.ends_at.data),
                "place": (self.place.data or "").strip(), "video_url": (self.video_url.data or "").strip(),
                "theme_id": self.theme.data, "description": self.description.data or "",
                "capacity": self.capacity.data}


class CancelForm(FsiForm):
    version = VersionField()
    reason = TextAreaField(_l("Raison de l'annulation"),
                           [DataRequired(_l("Indiquez la raison de l'annulation.")),
                            Length(max=COMMENT_MAX, message=_l("%(max)d caractères au plus."))],
                           render_kw={"rows": 3}, description=_l("Elle est envoyée aux inscrits et affichée."))


class AttendanceForm(FsiForm):
    present = MultiCheckboxField(_l("Présents"), coerce=int)


class ActionForm(FsiForm):
    """A button: register, cancel one's registration, send the invitations (CSRF only)."""
