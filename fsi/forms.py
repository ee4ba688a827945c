"""The base of every FSI form: Flask-WTF's, with WTForms' own messages read once per language.

Flask-WTF loads WTForms' message catalogue (``wtforms.mo``) from disk at every request that builds
a form; every signed-in page builds one (the sign-out button), and the load was a fifth of the
sign-in page's time. The catalogue never changes while the process runs: it is kept per language.
"""
from functools import lru_cache

from babel import support
from flask import current_app
from flask_babel import get_locale
from flask_wtf import FlaskForm
from wtforms.i18n import messages_path


@lru_cache(maxsize=8)
def wtforms_messages(language):
    """WTForms' messages (« This field is required. »...) in ``language``."""
    return support.Translations.load(messages_path(), [language], domain="wtforms")


class FsiForm(FlaskForm):
    """Every form of FSI's pages: Flask-WTF's CSRF token, WTForms' messages kept per language."""

    class Meta(FlaskForm.Meta):
        def get_translations(self, form):
            if not current_app.config.get("WTF_I18N_ENABLED", True):
                return super().get_translations(form)
            return wtforms_messages(str(get_locale()))
