"""Strings translated at run time but invisible to pybabel extraction.

Each is defined as a plain constant and translated later with ``_(CONSTANT)``, so the
extractor cannot see it. Listing them here (this file is only read by ``pybabel extract``,
see babel.cfg; it is never imported) keeps them in the English catalog. Remove an entry
once its source marks the literal itself (e.g. ``lazy_gettext``) or the text changes.
"""
from flask_babel import gettext as _

# fsi/applications/views/common.py STALE_MESSAGE
_("Ce dossier a été modifié entre-temps par quelqu'un d'autre : rechargez la page.")
# fsi/review/views/common.py STALE_MESSAGE
_("Ces données ont été modifiées entre-temps, rechargez la page.")
# fsi/workflow/views.py STALE_MESSAGE
_("Ce dossier a été modifié entre-temps, rechargez la page.")
