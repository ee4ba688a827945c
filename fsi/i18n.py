"""Language and time zone: French by default, English on request; times shown in Europe/Paris.

The language is the one chosen in this browser session, else the signed-in user's preference
(kept on the account, so that mails reach each person in their language), else French.
"""
from datetime import datetime
from numbers import Number
from zoneinfo import ZoneInfo

from flask import current_app, has_request_context, session
from flask_babel import get_locale, gettext
from flask_babel.speaklater import LazyString
from flask_login import current_user
from markupsafe import Markup, escape


def select_locale():
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI, mail sender: the fund's language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    preferred = getattr(current_user, "language", None) if current_user else None
    if preferred in languages:
        return preferred
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone():
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def current_language():
    """The language pages and mails are rendered in now (``flask_babel.force_locale`` included)."""
    locale = get_locale()
    return locale.language if locale is not None else "fr"


def pick(labels, language=None):
    """The label in ``language`` (default: the current one) from a ``{"fr": ..., "en": ...}``
    mapping, falling back to French."""
    if not labels:
        return ""
    if isinstance(labels, str):
        return labels
    return labels.get(language or current_language()) or labels.get("fr") or next(iter(labels.values()))


PARIS = ZoneInfo("Europe/Paris")


def today():
    """Today's date in Europe/Paris: deadlines and dates people type are calendar days there."""
    return datetime.now(PARIS).date()


class LazyText(LazyString):
    """A message translated when shown, whose HTML form escapes the values put into it.

    flask_babel's LazyString calls itself markup (its ``__html__`` returns the message with its
    values as they are), so Jinja, WTForms (labels, descriptions, choices) and a flashed message
    would put « Commentaire sur « %(label)s » » with a criterion's label into the page as HTML.
    Here the message (FSI's own words) stays as written and each value is escaped, as Jinja's
    ``_()`` does in a template; numbers stay numbers for ``%(n)d``."""

    def __init__(self, message, **values):
        super().__init__(gettext, message, **values)
        self.message, self.values = message, values

    def __html__(self):
        values = {name: value if isinstance(value, Number) else escape(value) for name, value in self.values.items()}
        html = gettext(self.message, **values)
        return Markup(html)  # nosec B704 # FSI's own message, every value escaped above


def lazy_gettext(message, **values):
    """FSI's ``_l``: import it from here, never from flask_babel (tests/test_house.py checks)."""
    return LazyText(message, **values)


def N_(message):
    """Marks a French text FSI stores itself (a system event's comment) for the catalog: it is
    kept as written and translated where it is shown, in each reader's language."""
    return message


__all__ = ["lazy_gettext", "LazyText", "select_locale", "select_timezone", "current_language", "pick", "N_", "today",
           "PARIS"]
