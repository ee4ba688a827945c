"""Language and time zone: French by default, English on request; times shown in Europe/Paris."""
from flask import current_app, has_request_context, session


def select_locale():
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI, mail sender: the fund's language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone():
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def current_language():
    return select_locale()


def pick(labels):
    """The label in the current language from a ``{"fr": ..., "en": ...}`` mapping."""
    if not labels:
        return ""
    if isinstance(labels, str):
        return labels
    return labels.get(current_language()) or labels.get("fr") or next(iter(labels.values()))


__all__ = ["select_locale", "select_timezone", "current_language", "pick"]
