"""The workflow engine: definitions in workflows/, one machine per workflow, one service
(``fsi.workflow.service.fire``) for every state change, and a hash-chained event log.

The engine knows no domain: each domain hands over what it lends (``register(provides)``) in its
own ``init_app``; ``init_app`` here runs after every domain and refuses to start while a
definition names a guard or an effect nobody registered, a subject points to no definition,
circuits of the same objects disagree on a state they share, or the code asks for a state tag no
definition declares.
"""
from fsi.cli import add_commands
from fsi.home import add_panel
from fsi.i18n import lazy_gettext as _l
from fsi.nav import add_nav_item
from fsi.workflow import cli, ui, views
from fsi.workflow.definitions import (
    DefinitionError,
    all_workflows,
    check_circuits,
    check_registered,
    circuits,
    get_workflow,
    use_directory,
)
from fsi.workflow.machine import machine_for
from fsi.workflow.registry import EFFECTS, GUARDS, SUBJECTS, Provides, register, register_actor_names
from fsi.workflow.tags import check_tags, tagged

__all__ = ["Provides", "register", "register_actor_names", "tagged", "check_definitions", "init_app"]


def check_definitions():
    """Load every definition (structure checks), then check what they name is registered and
    what the code asks of them is declared. Returns the workflows."""
    workflows = all_workflows()
    for workflow in workflows:
        check_registered(workflow, "guard", GUARDS)
        check_registered(workflow, "effect", EFFECTS)
    for subject in SUBJECTS.values():
        try:
            get_workflow(subject.workflow)
        except LookupError:
            raise DefinitionError(f"{subject.model.__name__} rows are moved by the workflow {subject.workflow!r}, "
                                  f"which has no definition in workflows/") from None
        if len(circuits(subject.workflow)) > 1 and subject.circuit is None:
            raise DefinitionError(f"{subject.workflow!r} has several circuits "
                                  f"({', '.join(c.name for c in circuits(subject.workflow))}): its subject must say "
                                  f"which one a row follows (provides.subject(..., circuit=...))")
    check_circuits()
    check_tags()
    return workflows


def init_app(app):
    """Called last by create_app: a broken definition stops the application here."""
    use_directory(app.config["WORKFLOWS_DIR"])
    for workflow in check_definitions():
        machine_for(workflow.name)  # built now, shared by every request
    ui.init_app(app)
    app.register_blueprint(views.bp)
    add_commands(cli.workflow_cli, cli.audit_cli)
    add_nav_item("workflow.index", _l("Circuits"), roles={"staff", "admin"}, order=80)
    add_panel("workflow/_home_audit.html", {"admin"}, order=55)
