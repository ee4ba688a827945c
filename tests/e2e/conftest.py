"""Browser journey harness: the real app served by a real process on a database of its own,
driven by Debian's Chromium through Playwright (sync API).

- The database is prepared with the real commands (``flask fsi init-db``, ``flask fsi seed-demo``).
- Without /usr/bin/chromium the browser tests skip with a reason (they fail instead when CI=true).
- Every step's screenshot goes to test-artifacts/screenshots/; with FSI_SCREENSHOTS_DIR set
  (``make screenshots``) the chosen ones are also written there (docs/screenshots/ in git).
"""
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect
from sqlmodel import SQLModel

from tests.databases import fresh_database
from tests.e2e.helpers import ARTIFACTS, JOURNEY, NOTES, watch_browser

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]
IN_CI = os.environ.get("CI", "").lower() == "true"

#: The journey runs on exactly the schema ``flask fsi init-db`` builds (Alembic), and fails when
#: that schema lacks a table or column of the models. Set this to True only while a model change
#: waits for its migration: the schema is then rebuilt with ``create_all`` and the summary says so.
ALLOW_CREATE_ALL_FALLBACK = False


def pytest_terminal_summary(terminalreporter):
    if NOTES:
        terminalreporter.section("browser journey notes")
        for note in dict.fromkeys(NOTES):
            terminalreporter.write_line(note)


# --- Steps of a journey depend on the previous ones: after a failure, skip the rest. ---

@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if "e2e" not in item.keywords or not report.failed:
        return
    if call.when == "call":
        item.module._journey_failed = item.name
    if RUNNING_SERVERS:
        report.sections.append(("FSI server log (last lines)", RUNNING_SERVERS[-1].log_tail()))


def pytest_runtest_setup(item):
    failed = getattr(item.module, "_journey_failed", None)
    if "e2e" in item.keywords and failed:
        pytest.skip(f"an earlier step of the journey failed: {failed}")


#: The server of the running journey, whose log a failure report shows.
RUNNING_SERVERS = []


# --- The browser ---

@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium, headless. Never ``playwright install``: it downloads another browser."""
    if not Path(CHROMIUM).exists():
        reason = f"{CHROMIUM} is missing: install it with `apt-get install -y chromium chromium-driver`"
        if IN_CI:
            pytest.fail(reason + " (CI=true: the browser tests must run)")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# --- The database ---

@pytest.fixture(scope="module")
def e2e_database_url(tmp_path_factory):
    """A database for this journey only: a new SQLite file, or a new PostgreSQL database."""
    with fresh_database(tmp_path_factory.mktemp("e2e-db"), "fsi_e2e") as url:
        yield url


def schema_differences(engine):
    """Tables or columns of the models that the database lacks."""
    import fsi.models  # noqa: F401  (every table)

    inspector = inspect(engine)
    existing = set(inspector.get_table_names())
    missing = []
    for table in SQLModel.metadata.sorted_tables:
        if table.name not in existing:
            missing.append(table.name)
            continue
        columns = {c["name"] for c in inspector.get_columns(table.name)}
        missing += [f"{table.name}.{c.name}" for c in table.columns if c.name not in columns]
    return missing


def rebuild_schema_from_models(engine):
    reflected = SQLModel.metadata.__class__()
    reflected.reflect(engine)
    reflected.drop_all(engine)
    SQLModel.metadata.create_all(engine)


class FsiServer:
    """The app as its users meet it: ``flask run`` in a process of its own, and the CLI."""

    def __init__(self, database_url, workdir):
        self.database_url = database_url
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = ARTIFACTS / "e2e-server.log"
        self.env = {
            **os.environ,
            "FSI_DATABASE_URL": database_url,
            "FSI_SECRET_KEY": "e2e-secret-" + uuid.uuid4().hex,
            "FSI_UPLOAD_FOLDER": str(workdir / "uploads"),
            # A cheaper hash than scrypt: logins are many in a journey.
            "FSI_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            "FLASK_APP": "wsgi",
        }
        self.env.pop("FLASK_DEBUG", None)
        self.process = None

    def cli(self, *args):
        """``flask fsi ARGS`` on this server's database; returns its output."""
        result = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "wsgi", "fsi", *args],
            cwd=PROJECT_ROOT, env=self.env, capture_output=True, text=True, timeout=120,
        )
        if result.returncode != 0:
            raise AssertionError(f"flask fsi {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def compile_translations(self):
        """What ``make`` does before serving: the English catalog compiled (*.mo are not in git)."""
        for po in (PROJECT_ROOT / "translations").glob("*/LC_MESSAGES/messages.po"):
            mo = po.with_suffix(".mo")
            if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
                subprocess.run([str(Path(sys.executable).parent / "pybabel"), "-q", "compile", "-f",
                                "-d", str(PROJECT_ROOT / "translations")], check=True, timeout=60)
                return

    def prepare_database(self):
        self.cli("init-db")
        engine = create_engine(self.database_url)
        try:
            missing = schema_differences(engine)
            if missing:
                if not ALLOW_CREATE_ALL_FALLBACK:
                    raise AssertionError(f"init-db left the schema behind the models: {missing}")
                NOTES.append("init-db lacks " + ", ".join(missing[:8]) + (" ..." if len(missing) > 8 else "")
                             + ": schema rebuilt with create_all (ALLOW_CREATE_ALL_FALLBACK)")
                rebuild_schema_from_models(engine)
        finally:
            engine.dispose()

    def start(self):
        ARTIFACTS.mkdir(exist_ok=True)
        self._log = open(self.log_path, "w", encoding="utf-8")  # noqa: SIM115 (open while the server runs)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wsgi", "run", "--host", "127.0.0.1",
             "--port", str(self.port), "--no-reload", "--no-debugger", "--with-threads"],
            cwd=PROJECT_ROOT, env=self.env, stdout=self._log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.stop()
                raise AssertionError("the server stopped at start:\n" + self.log_tail())
            try:
                with urllib.request.urlopen(self.url + "/login", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
        self.stop()
        raise AssertionError("the server did not answer within 30 s:\n" + self.log_tail())

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if getattr(self, "_log", None):
            self._log.close()
            self._log = None

    def log_tail(self, lines=40):
        """The end of the server's log, without colours nor the requests for static files."""
        if not self.log_path.exists():
            return ""
        text = re.sub(r"\x1b\[[0-9;]*m", "", self.log_path.read_text(encoding="utf-8", errors="replace"))
        kept = [line for line in text.splitlines() if "GET /static/" not in line]
        return "\n".join(kept[-lines:])


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def fsi_server(chromium, e2e_database_url, tmp_path_factory):
    """A running FSI on a fresh database with the demo users (``flask fsi seed-demo``)."""
    server = FsiServer(e2e_database_url, tmp_path_factory.mktemp("e2e-instance"))
    server.compile_translations()
    server.prepare_database()
    server.seed_output = server.cli("seed-demo")
    server.start()
    RUNNING_SERVERS.append(server)
    try:
        yield server
    finally:
        RUNNING_SERVERS.remove(server)
        server.stop()


@pytest.fixture(scope="module")
def new_page(chromium, fsi_server):
    """``new_page()``: a page in a browser context of its own (its own cookies: one user)."""
    contexts = []

    def open_page():
        context = chromium.new_context(
            base_url=fsi_server.url, locale="en-GB" if JOURNEY["language"] == "en" else "fr-FR",
            timezone_id="Europe/Paris", viewport={"width": 1200, "height": 800},
        )
        context.set_default_timeout(10_000)
        context.on("page", watch_browser)  # every tab, the second ones too
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
