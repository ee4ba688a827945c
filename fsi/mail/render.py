"""Emails written from Jinja text templates (templates/mail/), in the recipient's language."""
from flask import current_app, render_template, url_for
from flask_babel import force_locale

from fsi.mail.outbox import queue_mail


def absolute_url(endpoint, **values):
    """A link for an email: from SERVER_URL when configured (behind a proxy), else the request's host."""
    base = current_app.config.get("SERVER_URL")
    if base:
        return base.rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


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
