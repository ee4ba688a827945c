"""The bodies of the workflow actions (`POST .../transitions`), of the actions a user may take
on a row (with what blocks them), and of an application's reviews.

The descriptions are the API's words, in English; the reasons and labels come from the domain
(reasons in the request's language, labels in both)."""
from datetime import datetime
from typing import Annotated, Any, Literal

from flask import url_for
from pydantic import BaseModel, ConfigDict, Field, StrictInt, StringConstraints, field_validator

from fsi.limits import COMMENT_MAX, INT_MAX, MONEY_MAX, TITLE_MAX, text_error

#: an amount as the API writes it: euros with two decimals
MONEY_PATTERN = r"^-?[0-9]+\.[0-9]{2}$"
Money = Annotated[str, Field(pattern=MONEY_PATTERN, examples=["60000.00"], description="Euros, two decimals.")]
#: an amount as a client may send it: digits with at most two decimals after a dot, or an integer
AmountText = Annotated[str, StringConstraints(strict=True, pattern=r"^[0-9]{1,10}(\.[0-9]{1,2})?$")]
AmountInt = Annotated[StrictInt, Field(ge=0, le=int(MONEY_MAX))]
DateText = Annotated[str, StringConstraints(strict=True, pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]


def storable(text, max_length, multiline=True):
    """`text` unless a column could not hold it: control characters (but a long text's line
    breaks and tabs), too long, or a lone surrogate (JSON may carry one, UTF-8 cannot)."""
    if text is None:
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("Text must be valid Unicode.") from None
    if message := text_error(text, max_length, multiline):
        raise ValueError(str(message))
    return text


class Label(BaseModel):
    """A label of the domain in both languages."""

    fr: str
    en: str


def label(labels):
    """`{"fr", "en"}` from a definition's label (falling back to French)."""
    labels = labels or {}
    french = str(labels.get("fr") or "")
    return Label(fr=french, en=str(labels.get("en") or french))


# --- Firing an action ------------------------------------------------------------------------

class TransitionData(BaseModel):
    """What some actions take besides a comment; send only the fields the action asks for (its
    `data` in the actions list)."""

    model_config = ConfigDict(extra="forbid")

    amount: AmountText | AmountInt | None = Field(
        None, description='Euros: "12500.50" (a dot before at most two decimals) or an integer.',
        examples=["12500.50"])
    date: DateText | None = Field(None, description="A date, YYYY-MM-DD.", examples=["2026-12-01"])
    document: Annotated[str, StringConstraints(strict=True, max_length=TITLE_MAX)] | None = Field(
        None, description="The reference of a document.")
    still_due: AmountText | AmountInt | None = Field(
        None, description="Euros still due to the applicant (zero allowed), as `amount`.", examples=["0.00"])

    @field_validator("document")
    @classmethod
    def printable(cls, value):
        return storable(value, TITLE_MAX, multiline=False)

    def given(self):
        """The fields sent, for the workflow service (which checks each one the action needs)."""
        return {name: value for name, value in self.model_dump().items() if value is not None}


class TransitionIn(BaseModel):
    """Fire `trigger` on the row, as the token's user, if the row is still at `expected_version`."""

    model_config = ConfigDict(extra="forbid")

    trigger: str = Field(min_length=1, max_length=60, pattern=r"^[A-Za-z0-9_]+$",
                         description="The action's trigger (see the row's actions).", examples=["declare_eligible"])
    comment: str | None = Field(None, max_length=COMMENT_MAX,
                                description="Required or refused depending on the action (its `comment`).")
    data: TransitionData = Field(default_factory=TransitionData)
    expected_version: int = Field(ge=0, le=INT_MAX,
                                  description="The row's `version` as you read it: any other answers 409.")

    @field_validator("comment")
    @classmethod
    def printable(cls, value):
        return storable(value, COMMENT_MAX)


class EventOut(BaseModel):
    """An event of the log (what a transition wrote)."""

    seq: int = Field(description="1, 2, 3... per row.")
    trigger: str
    from_state: str
    to_state: str
    actor_id: int | None = Field(description="None when FSI itself acted.")
    created_at: datetime
    comment: str | None
    data: dict[str, Any] = Field(description="The action's data (amounts and dates as strings).")
    workflow_version: int


def event_out(event):
    return EventOut(seq=event.seq, trigger=event.trigger, from_state=event.from_state, to_state=event.to_state,
                    actor_id=event.actor_id, created_at=event.created_at, comment=event.comment,
                    data=dict(event.data or {}), workflow_version=event.workflow_version)


class TransitionOut(BaseModel):
    """The row after the action: its new state and version, and the event written."""

    workflow: str
    id: int
    state: str
    state_label: Label
    version: int
    event: EventOut


# --- What a user may do now ------------------------------------------------------------------

class RemedyOut(BaseModel):
    """Where (in the web interface) what blocks an action is fixed."""

    label: str
    url: str


class ReasonOut(BaseModel):
    """Why an action is refused or blocked: the message for people, the guard that said it."""

    message: str
    guard: str | None = None
    remedy: RemedyOut | None = None


class ActionOut(BaseModel):
    """An action the user may take on the row now (`enabled`), or once `reasons` are gone."""

    trigger: str
    label: Label
    to_state: str
    comment: Literal["required", "optional", "none"]
    data: list[Literal["amount", "date", "document", "still_due"]] = Field(
        description="The fields of `data` the action needs.")
    enabled: bool
    reasons: list[ReasonOut]
    checked: bool = Field(description="False when some of its conditions were not evaluated here: firing tells.")


# --- An application's reviews ----------------------------------------------------------------

class ScoreOut(BaseModel):
    criterion_id: int
    criterion: str
    score: int | None
    scale_min: int
    scale_max: int
    comment: str | None = Field(None, description="Absent from a set-aside review.")


class ReviewOut(BaseModel):
    """A submitted (counted) review."""

    id: int
    reviewer_id: int
    reviewer: str
    state: str
    recommendation: Literal["fund", "fund_with_conditions", "do_not_fund"] | None
    confidence: int | None = Field(description="1 (low) to 3 (high).")
    general_comment: str
    submitted_at: datetime | None
    version: int
    scores: list[ScoreOut]


class SetAsideReviewOut(BaseModel):
    """A review set aside (a conflict of interest): kept, not counted; its scores without comments."""

    id: int
    reviewer_id: int
    reviewer: str
    state: str
    set_aside_at: datetime | None
    set_aside_by: str | None = Field(description="Who set it aside; None when FSI did.")
    set_aside_reason: str
    scores: list[ScoreOut]


class ReviewsOut(BaseModel):
    """The reviews of an application as its reviews page shows them: a committee member reads the
    others' once their own is submitted (`hidden` until then)."""

    application_id: int
    hidden: bool
    reviews: list[ReviewOut]
    set_aside: list[SetAsideReviewOut]


def reason_out(reason):
    """A guard's reason with the page (in the web interface) where it is fixed, if any."""
    remedy = getattr(reason, "remedy", None)
    return ReasonOut(message=str(reason), guard=getattr(reason, "guard", None),
                     remedy=None if remedy is None else RemedyOut(
                         label=str(remedy.label), url=url_for(remedy.endpoint, **remedy.values, _external=True)))


def action_out(action):
    """`fsi.workflow.service.Action` as the API shows it."""
    return ActionOut(trigger=action.trigger, label=label(action.label), to_state=action.dest, comment=action.comment,
                     data=list(action.data), enabled=action.enabled, reasons=[reason_out(r) for r in action.reasons],
                     checked=action.checked)


def reason_text(reason):
    """A refusal's reason as an error's `details` give it: the text, and where it is fixed."""
    remedy = getattr(reason, "remedy", None)
    if remedy is None:
        return str(reason)
    return f"{reason} ({remedy.label}: {url_for(remedy.endpoint, **remedy.values, _external=True)})"
