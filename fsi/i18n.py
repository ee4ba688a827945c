"""Language and time zone: French by default, English on request; times shown in Europe/Paris.

The language is the one chosen in this browser session, else the signed-in user's preference
(kept on the account, so that mails reach each person in their language), else French.
"""
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_request_context, session
from flask_babel import get_locale
from flask_login import current_user


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


def N_(message):
    """Marks a French text FSI stores itself (a system event's comment) for the catalog: it is
    kept as written and translated where it is shown, in each reader's language."""
    return message


__all__ = ["select_locale", "select_timezone", "current_language", "pick", "N_", "today", "PARIS"]
