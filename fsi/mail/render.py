"""Emails written from Jinja text templates (templates/mail/), in the recipient's language."""
from urllib.parse import urlsplit

from flask import current_app, render_template
from flask_babel import force_locale

from fsi.mail.outbox import queue_mail


def absolute_url(endpoint, **values):
    """A link for an email or a letter, always under SERVER_URL. Never from the request: anyone can
    forge its Host header (and put their own domain in a reset link), and a CLI command has none."""
    base = urlsplit(current_app.config["SERVER_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme)
    return adapter.build(endpoint, values, force_external=True)


def language_of(recipient):
    return getattr(recipient, "language", None) or current_app.config["BABEL_DEFAULT_LOCALE"]


def queue_template_mail(recipient, subject, template, **context):
    """Render ``template`` (plain text) and ``subject`` (a lazy string, or a function of the
    language) in the language of ``recipient`` (anything with ``email`` and ``language``, e.g. a
    user) and queue the mail in the current transaction."""
    language = language_of(recipient)
    with force_locale(language):
        subject = subject(language) if callable(subject) else str(subject)
        return queue_mail(recipient.email, subject, render_template(template, language=language, **context))
