"""The public catalogue (no login): French-aware full-text search over the published sheets on
SQLite (FTS5) or PostgreSQL (``french`` full-text search), with facets; each sheet's public page;
the Atom feed of new sheets; the open data (sheets and granted subsidies, CSV and JSON, under the
deployment's licence); and the public home page of anonymous visitors."""
from flask import url_for
from flask_login import current_user

from fsi.cli import add_commands
from fsi.dissemination.catalogue import cli
from fsi.dissemination.catalogue.views import bp, public_home
from fsi.home import set_public_home
from fsi.i18n import lazy_gettext as _l

#: the anonymous visitors' header: (endpoint, label)
PUBLIC_LINKS = (
    ("home.index", _l("Accueil")),
    ("catalogue.search", _l("Catalogue des fiches")),
    ("events.index", _l("Ateliers et clubs")),
    ("catalogue.open_data", _l("Données ouvertes")),
)


def init_app(app):
    app.register_blueprint(bp)
    set_public_home(public_home)
    add_commands(cli.reindex_catalogue)  # flask fsi reindex-catalogue: the search index rebuilt

    @app.context_processor
    def public_navigation():
        def links():
            if current_user.is_authenticated:
                return []
            return [(url_for(endpoint), str(label), endpoint) for endpoint, label in PUBLIC_LINKS
                    if endpoint in app.view_functions]

        return {"public_links": links}
