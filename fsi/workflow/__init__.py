"""The workflow engine: definitions in workflows/, one machine per workflow, one service
(``fsi.workflow.service.fire``) for every state change, and a hash-chained event log."""
import importlib

#: the domain modules that register guards, effects and subjects (imported before the checks)
DOMAIN_MODULES = ("fsi.applications.guards", "fsi.review.guards", "fsi.applications.subject")


def import_domain_modules():
    for module in DOMAIN_MODULES:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as error:
            if error.name != module:  # the module exists but something it imports does not
                raise


def check_definitions():
    """Load every definition (structure checks) and check every guard it names is registered."""
    from fsi.workflow.definitions import all_workflows, check_guards
    from fsi.workflow.registry import GUARDS

    workflows = all_workflows()
    for workflow in workflows:
        check_guards(workflow, GUARDS)
    return workflows


def init_app(app):
    """Called at the end of create_app: a broken definition stops the application here."""
    from fsi.workflow import ui

    import_domain_modules()
    check_definitions()
    ui.init_app(app)

