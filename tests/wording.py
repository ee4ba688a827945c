"""The interface's wording in both languages, for tests that read pages as people do: the English
catalog, and the labels of the domain's choices (workflows, roles, kinds, themes...)."""
import re
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

from fsi.accounts.models import ORGANISATION_KIND_LABELS, ROLE_LABELS
from fsi.applications.budget import COST_CATEGORIES
from fsi.calls.rules import DEFAULT_AXES, DEFAULT_THEMES, KINDS
from fsi.dissemination.events.models import EVENT_KIND_LABELS, REGISTRATION_STATUS_LABELS
from fsi.funding.models import REPORT_KIND_LABELS
from fsi.review.models.assessment import OPINION_LABELS
from fsi.review.models.scoring import CONFIDENCE_LABELS, CONFLICT_SOURCE_LABELS, RECOMMENDATION_LABELS
from fsi.review.models.sessions import OUTCOME_LABELS
from fsi.workflow.definitions import AUDIENCE_LABELS, all_workflows

CATALOG = Path(__file__).resolve().parent.parent / "translations" / "en" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


@cache
def catalog():
    """{French message: English message} of the catalog; plural messages as (singular, plural)."""
    with open(CATALOG, "rb") as handle:
        return {message.id: message.string for message in read_po(handle) if message.id and message.string}


@cache
def domain_labels():
    """The ``{"fr": ..., "en": ...}`` labels of the domain's choices."""
    labels = [*ROLE_LABELS.values(), *ORGANISATION_KIND_LABELS.values(), *(label for _c, label in COST_CATEGORIES),
              *(kind.label for kind in KINDS), *OPINION_LABELS.values(), *RECOMMENDATION_LABELS.values(),
              *CONFIDENCE_LABELS.values(), *CONFLICT_SOURCE_LABELS.values(), *OUTCOME_LABELS.values(),
              *AUDIENCE_LABELS.values(), *REPORT_KIND_LABELS.values(), *EVENT_KIND_LABELS.values(),
              *REGISTRATION_STATUS_LABELS.values(), *({"fr": fr, "en": en} for fr, en in DEFAULT_AXES + DEFAULT_THEMES)]
    for workflow in all_workflows():
        labels += [workflow.label, *(s.label for s in workflow.states.values()), *(t.label for t in workflow.transitions)]
    return labels


@cache
def _english():
    english = {label["fr"]: label["en"] for label in domain_labels()}
    for french, text in catalog().items():
        # a plural message: each French form to its English one
        english.update(zip(french, text, strict=False) if isinstance(french, tuple) else [(french, text)])
    return english


def wording(french, language, **values):
    """``french`` (a message of the catalog or a domain label) as ``language`` says it, with its
    placeholders filled; a French text without an English one fails the test."""
    text = french
    if language != "fr":
        assert french in _english(), f"no English for «{french}» in the catalog nor the domain's labels"
        text = _english()[french]
    return text % values if values else text


def label_wording(french, language):
    """A label of the domain's choices (a workflow's state or action, a role, a kind, a theme...)
    as ``language`` says it: the same French word may be translated otherwise in the catalog."""
    for label in domain_labels():
        if label["fr"] == french:
            return label[language]
    raise AssertionError(f"«{french}» is not a label of the domain's choices")


def wording_pattern(french, language, **patterns):
    """A regular expression matching ``french`` as ``language`` says it, each placeholder
    replaced by the pattern given for it (any text by default)."""
    pieces = PLACEHOLDER.split(wording(french, language))
    return re.compile("".join(re.escape(piece) if n % 2 == 0 else f"(?:{patterns.get(piece, '.+?')})"
                              for n, piece in enumerate(pieces)))
