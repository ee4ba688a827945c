"""``flask fsi workflow list|diagram`` and ``flask fsi audit verify``."""
import sys

import click
from flask.cli import AppGroup

from fsi.workflow.audit import verify as verify_log
from fsi.workflow.definitions import all_workflows, workflow_names
from fsi.workflow.machine import mermaid_diagram
from fsi.workflow.registry import SUBJECTS

workflow_cli = AppGroup("workflow", help="Circuits de traitement (workflows/).")
audit_cli = AppGroup("audit", help="Journal d'audit des changements d'état.")


@workflow_cli.command("list")
def list_workflows():
    """Every workflow with its version, states (and their tags) and transitions."""
    for wf in all_workflows():
        subject = SUBJECTS.get(wf.name)
        moves = f"fait avancer : {subject.model.__tablename__}" if subject else "pas encore utilisé"
        click.echo(f"{wf.name} (version {wf.version}) : {wf.label['fr']} — "
                   f"{len(wf.states)} états, {len(wf.transitions)} transitions, initial {wf.initial}, {moves}")
        for state in wf.states.values():
            tags = f" [{', '.join(sorted(state.tags))}]" if state.tags else ""
            click.echo(f"  état {state.name}{' (final)' if state.final else ''}{tags}")
        for t in wf.transitions:
            guards = f" si {', '.join(t.guards)}" if t.guards else ""
            effects = f" puis {', '.join(t.effects)}" if t.effects else ""
            click.echo(f"  {t.trigger}: {', '.join(t.sources)} -> {t.dest} ({', '.join(t.roles)}){guards}{effects}")


@workflow_cli.command("diagram")
@click.argument("name")
@click.option("--state", default=None, help="État à mettre en évidence.")
@click.option("--lang", default="fr", type=click.Choice(["fr", "en"]))
def diagram(name, state, lang):
    """Print workflow NAME as Mermaid stateDiagram-v2 text."""
    if name not in workflow_names():
        raise click.BadParameter(f"circuit inconnu : {name} (connus : {', '.join(workflow_names())})")
    click.echo(mermaid_diagram(name, state, lang), nl=False)


@audit_cli.command("verify")
def verify():
    """Recompute every hash, replay every object's events; exit 1 on the first problem."""
    result = verify_log()
    if not result.ok:
        click.echo(f"Journal d'audit INVALIDE : {result.problem}", err=True)
        sys.exit(1)
    click.echo(f"Journal d'audit valide : {result.events} événements, {result.objects} objets.")
    click.echo(f"Empreinte de tête : {result.head_hash}")
