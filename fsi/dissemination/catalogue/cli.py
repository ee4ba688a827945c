"""``flask fsi reindex-catalogue``: the search index rebuilt from the published sheets (after a
restore, or a change of the indexing rules)."""
import click

from fsi.cli import command
from fsi.dissemination.catalogue.search_index import reindex_all


@command("reindex-catalogue")
def reindex_catalogue():
    """Rebuild the catalogue's search index from the published sheets."""
    click.echo(f"{reindex_all()} fiche(s) indexée(s)")
