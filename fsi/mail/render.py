"""Emails written from Jinja text templates (templates/mail/), with absolute links."""
from flask import current_app, render_template, url_for

from fsi.mail.outbox import queue_mail


def absolute_url(endpoint, **values):
    """A link for an email: from SERVER_URL when configured (behind a proxy), else the request's host."""
    base = current_app.config.get("SERVER_URL")
    if base:
        return base.rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def queue_template_mail(recipient, subject, template, **context):
    """Render ``template`` (plain text) and queue it in the current transaction."""
    body = render_template(template, **context)
    return queue_mail(recipient, subject, body)
