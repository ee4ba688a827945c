"""``flask fsi workflow list|diagram`` and ``flask fsi audit verify``."""
import sys

import click
from flask.cli import AppGroup

from fsi.cli import fsi_cli

workflow_cli = AppGroup("workflow", help="Circuits de traitement (workflows/).")
audit_cli = AppGroup("audit", help="Journal d'audit des changements d'état.")
fsi_cli.add_command(workflow_cli)
fsi_cli.add_command(audit_cli)


@workflow_cli.command("list")
def list_workflows():
    """Every workflow with its version, states and transitions."""
    from fsi.workflow.definitions import all_workflows

    for wf in all_workflows():
        click.echo(f"{wf.name} (version {wf.version}) : {wf.label['fr']} — "
                   f"{len(wf.states)} états, {len(wf.transitions)} transitions, initial {wf.initial}")
        for t in wf.transitions:
            guards = f" [{', '.join(t.guards)}]" if t.guards else ""
            click.echo(f"  {t.trigger}: {', '.join(t.sources)} -> {t.dest} ({', '.join(t.roles)}){guards}")


@workflow_cli.command("diagram")
@click.argument("name")
@click.option("--state", default=None, help="État à mettre en évidence.")
@click.option("--lang", default="fr", type=click.Choice(["fr", "en"]))
def diagram(name, state, lang):
    """Print workflow NAME as Mermaid stateDiagram-v2 text."""
    from fsi.workflow.definitions import workflow_names
    from fsi.workflow.machine import mermaid_diagram

    if name not in workflow_names():
        raise click.BadParameter(f"circuit inconnu : {name} (connus : {', '.join(workflow_names())})")
    click.echo(mermaid_diagram(name, state, lang), nl=False)


@audit_cli.command("verify")
def verify():
    """Recompute every hash, replay every object's events; exit 1 on the first problem."""
    from fsi.workflow.audit import verify as run

    result = run()
    if not result.ok:
        click.echo(f"Journal d'audit INVALIDE : {result.problem}", err=True)
        sys.exit(1)
    click.echo(f"Journal d'audit valide : {result.events} événements, {result.objects} objets.")
    click.echo(f"Empreinte de tête : {result.head_hash}")
