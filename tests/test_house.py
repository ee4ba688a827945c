"""The house every domain lives in: one registration point per domain, imports that flow one way,
one request boundary, and state names that live only in workflows/."""
import ast
import re
import shutil
from pathlib import Path

import pytest

import fsi
from fsi import DOMAINS, create_app
from fsi.workflow import definitions
from fsi.workflow.definitions import DefinitionError, get_workflow
from fsi.workflow.tags import tagged

ROOT = Path(fsi.__file__).resolve().parent.parent
PACKAGE = ROOT / "fsi"
TEMPLATES = ROOT / "templates"
#: modules every domain builds on; they know no domain
SHARED = ("fsi/__init__.py", "fsi/db.py", "fsi/config.py", "fsi/web.py", "fsi/hooks.py", "fsi/home.py",
          "fsi/nav.py", "fsi/cli.py", "fsi/demo.py", "fsi/errors.py", "fsi/amounts.py", "fsi/formatting.py",
          "fsi/i18n.py", "fsi/security.py", "fsi/extensions.py", "fsi/exports.py",
          "fsi/markdown.py", "fsi/operations.py")


def imported_modules(path):
    """Every module a file imports, at the top or inside a function."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def domain_of(module):
    return next((domain for domain in DOMAINS if module == domain or module.startswith(domain + ".")), None)


def test_each_domain_plugs_in_through_its_init_app(app):
    for name in DOMAINS:
        assert callable(__import__(name, fromlist=["init_app"]).init_app), name
    assert {"accounts", "admin", "calls", "taxonomy", "applications", "review", "workflow", "home"} <= set(app.blueprints)


def test_a_mistyped_domain_stops_the_start_up_with_its_name(database_url, monkeypatch):
    monkeypatch.setattr(fsi, "DOMAINS", (*DOMAINS, "fsi.fundign"))
    with pytest.raises(ModuleNotFoundError, match="fsi.fundign"):
        create_app({"SECRET_KEY": "s", "DATABASE_URL": database_url, "TESTING": True})


@pytest.mark.parametrize("domain", DOMAINS)
def test_a_domain_imports_only_the_domains_before_it(domain):
    allowed = set(DOMAINS[:DOMAINS.index(domain) + 1])
    folder = PACKAGE / domain.split(".")[1]
    wrong = sorted({f"{path.relative_to(ROOT)} imports {module}" for path in folder.rglob("*.py")
                    for module in imported_modules(path) if domain_of(module) not in (None, *allowed)})
    assert wrong == []


def test_the_engine_and_the_shared_modules_know_no_domain():
    """The workflow engine knows no domain but the outbox, which its notifications write to."""
    engine = list((PACKAGE / "workflow").rglob("*.py"))
    wrong = sorted({f"{path.relative_to(ROOT)} imports {module}" for path in [ROOT / name for name in SHARED] + engine
                    for module in imported_modules(path)
                    if domain_of(module) and not (path in engine and domain_of(module) == "fsi.mail")})
    assert wrong == []


def test_lazy_messages_come_from_fsi_i18n():
    """flask_babel's own lazy strings put their values into the page as HTML (see fsi.i18n.LazyText)."""
    found = sorted(str(path.relative_to(ROOT)) for path in PACKAGE.rglob("*.py")
                   if re.search(r"from flask_babel import [^\n]*lazy_", path.read_text()))
    assert found == []


def test_only_the_boundaries_commit():
    """Views and operations never commit: the request (fsi.web), a command (fsi.cli) and the mail
    sender (one commit per message, by design) do."""
    allowed = {"fsi/web.py", "fsi/cli.py", "fsi/db.py", "fsi/mail/sender.py",
               "fsi/funding/reminders.py"}  # one commit per reminder (its key and its mail), by design
    committing = sorted(str(path.relative_to(ROOT)) for path in PACKAGE.rglob("*.py")
                        if ".commit()" in path.read_text(encoding="utf-8")
                        and str(path.relative_to(ROOT)) not in allowed)
    assert committing == []


# --- State names live only in workflows/ --------------------------------------------------

def compares_a_state_to_a_literal(node):
    """``x.state == "draft"``, ``row.state in ("a", "b")``..."""
    if not isinstance(node, ast.Compare):
        return False
    sides = [node.left, *node.comparators]
    if not any(isinstance(side, ast.Attribute) and side.attr == "state" for side in sides):
        return False
    return any(isinstance(side, ast.Constant) and isinstance(side.value, str)
               or isinstance(side, (ast.Tuple, ast.List, ast.Set)) and side.elts
               and all(isinstance(e, ast.Constant) for e in side.elts) for side in sides)


def test_no_code_compares_a_state_with_a_name():
    found = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if compares_a_state_to_a_literal(node):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []


def test_no_template_compares_a_state_with_a_name():
    pattern = re.compile(r"\.state\s*(==|!=|in\b)")
    found = [f"{path.relative_to(ROOT)}" for path in TEMPLATES.rglob("*.html") if pattern.search(path.read_text())]
    assert found == []


@pytest.fixture
def workflows_copy(tmp_path):
    """A copy of workflows/ to edit; the definitions of the process come back afterwards."""
    copy = tmp_path / "workflows"
    shutil.copytree(definitions.WORKFLOWS_DIR, copy)
    yield copy
    definitions.use_directory(definitions.WORKFLOWS_DIR)


def build(database_url, directory):
    return create_app({"SECRET_KEY": "s", "DATABASE_URL": database_url, "TESTING": True,
                       "WORKFLOWS_DIR": str(directory)})


def test_a_renamed_state_keeps_the_application_working(database_url, workflows_copy):
    for path in workflows_copy.glob("application*.yaml"):  # both circuits name it
        path.write_text(re.sub(r"\bin_review\b", "committee_review", path.read_text(encoding="utf-8")),
                        encoding="utf-8")
    app = build(database_url, workflows_copy)
    with app.app_context():
        assert tagged("application", "under_review").states == ("committee_review",)
        assert "committee_review" in tagged("application", "assignable")
        assert get_workflow("application").transition("start_review").dest == "committee_review"
    app.extensions["fsi.db"].dispose()


def test_a_tag_the_code_asks_for_and_nobody_declares_stops_the_start_up(database_url, workflows_copy):
    for path in workflows_copy.glob("application*.yaml"):
        text = path.read_text(encoding="utf-8").replace(", tags: [awarded]", "").replace("[awarded, ", "[")
        path.write_text(text, encoding="utf-8")
    with pytest.raises(DefinitionError, match="application.yaml: no state carries the tag 'awarded'"):
        build(database_url, workflows_copy)


def test_circuits_that_disagree_on_a_shared_state_stop_the_start_up(database_url, workflows_copy):
    """Code asks for states by tag across both circuits: a state both name must mean the same."""
    path = workflows_copy / "application_fsi.yaml"
    text = path.read_text(encoding="utf-8").replace("tags: [undecided, awaiting_eligibility]", "tags: [undecided]")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DefinitionError, match="application_fsi.yaml: state 'submitted' differs from application.yaml"):
        build(database_url, workflows_copy)


def test_no_code_or_template_names_a_review_state():
    """The review's own states (those no other workflow shares) appear in no string of the code
    nor in any template: reviews are asked for by tag (``tagged("review", "counted")``)."""
    others = {state for wf in definitions.all_workflows() if wf.name != "review" for state in wf.states}
    names = set(get_workflow("review").states) - others
    assert names  # the test looks for something
    found = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in names:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.value}")
    words = re.compile(r"\b(" + "|".join(sorted(names)) + r")\b")
    found += [f"{path.relative_to(ROOT)}" for path in TEMPLATES.rglob("*.html") if words.search(path.read_text())]
    assert found == []


def test_renamed_review_states_keep_the_review_working(database_url, workflows_copy):
    path = workflows_copy / "review.yaml"
    text = re.sub(r"\bsubmitted\b", "handed_in", path.read_text(encoding="utf-8"))
    path.write_text(re.sub(r"\bexcluded\b", "left_out", text), encoding="utf-8")
    app = build(database_url, workflows_copy)
    with app.app_context():
        assert tagged("review", "counted").states == ("handed_in",)
        assert tagged("review", "set_aside").states == ("left_out",)
        assert get_workflow("review").transition("set_aside").dest == "left_out"
    app.extensions["fsi.db"].dispose()
