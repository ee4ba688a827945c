"""Production: the health check, backup and restore, the stored files' check, the proxy's headers,
and two send-mail processes sharing one outbox (docs/production.md)."""
import asyncio
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, func, select, text
from werkzeug.middleware.proxy_fix import ProxyFix

from fsi import create_app
from fsi.accounts.models import User
from fsi.applications.models import Attachment
from fsi.cli import alembic_config
from fsi.mail.models import MailStatus, OutboxMessage
from fsi.mail.outbox import queue_mail
from fsi.operations import backup, restore
from tests.conftest import TEST_CONFIG
from tests.databases import PG_URL, fresh_database
from tests.factories import create_application, create_user
from tests.mail.test_sender import free_port

ROOT = Path(__file__).resolve().parent.parent


# --- /healthz -----------------------------------------------------------------------------------

@pytest.fixture
def stamped(app, schema):
    """``stamped(revision)`` writes the schema's alembic revision (the suite's tables come from the
    models, unstamped); the table is dropped afterwards."""
    def stamp(revision):
        with schema.begin() as conn:
            conn.execute(text("CREATE TABLE IF NOT EXISTS alembic_version (version_num VARCHAR(32) PRIMARY KEY)"))
            conn.execute(text("DELETE FROM alembic_version"))
            conn.execute(text("INSERT INTO alembic_version VALUES (:r)"), {"r": revision})
    yield stamp
    with schema.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


def revisions(app):
    with app.app_context():
        script = ScriptDirectory.from_config(alembic_config())
        head = script.get_current_head()
        return head, script.get_revision(head).down_revision


def test_healthz_is_200_when_the_schema_is_at_the_latest_migration(app, client, stamped):
    head, _previous = revisions(app)
    stamped(head)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok", "migrations": "current",
                             "revision": [head], "expected": [head]}
    assert response.headers["Cache-Control"] == "no-store"


def test_healthz_is_503_when_migrations_are_behind(app, client, stamped):
    head, previous = revisions(app)
    stamped(previous)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json["migrations"] == "behind" and response.json["revision"] == [previous]
    assert client.get("/healthz").status_code == 503  # never cached by a test of its own


def test_healthz_is_503_on_a_database_never_migrated_or_unreachable(app, client, tmp_path):
    assert client.get("/healthz").status_code == 503  # the suite's schema carries no revision
    broken = create_app({**TEST_CONFIG, "DATABASE_URL": f"sqlite:///{tmp_path}/no/such/dir/fsi.sqlite3"})
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json == {"status": "error", "database": "unreachable"}


# --- ProxyFix -----------------------------------------------------------------------------------

def test_proxy_headers_are_trusted_only_as_configured(database_url):
    plain = create_app({**TEST_CONFIG, "DATABASE_URL": database_url})
    assert not isinstance(plain.wsgi_app, ProxyFix)  # nobody's X-Forwarded-For is believed by default
    behind = create_app({**TEST_CONFIG, "DATABASE_URL": database_url, "PROXY_FIX_X_FOR": 1, "PROXY_FIX_X_PROTO": 1})
    assert isinstance(behind.wsgi_app, ProxyFix)
    assert (behind.wsgi_app.x_for, behind.wsgi_app.x_proto, behind.wsgi_app.x_host) == (1, 1, 0)
    seen = {}

    @behind.get("/whoami")
    def whoami():
        from flask import request
        seen.update(addr=request.remote_addr, scheme=request.scheme)
        return "ok"

    behind.test_client().get("/whoami", headers={"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"})
    assert seen == {"addr": "203.0.113.7", "scheme": "https"}


# --- Backup and restore -------------------------------------------------------------------------

def users_in(url):
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return sorted(conn.execute(select(User.email)).scalars())
    finally:
        engine.dispose()


def round_trip(app, in_db, tmp_path):
    with in_db():
        create_user(email="gardee@example.org")
    result = app.test_cli_runner().invoke(args=["fsi", "backup", str(tmp_path / "fsi.backup")])
    assert result.exit_code == 0, result.output
    assert "Sauvegarde écrite" in result.output
    dump = tmp_path / "fsi.backup"
    assert dump.stat().st_mode & 0o077 == 0  # password hashes: the owner's eyes only
    with in_db():
        create_user(email="apres@example.org")  # after the backup: not in the restored copy
    with fresh_database(tmp_path, "fsi_restore") as target:
        restore(target, dump)
        assert users_in(target) == ["gardee@example.org"]
        with pytest.raises(Exception, match="pas vide"):
            restore(target, dump)  # never over existing data


def test_backup_and_restore_round_trip(app, in_db, tmp_path):
    """On the run's own engine: SQLite's online backup API, or pg_dump/pg_restore on PostgreSQL (CI
    runs the suite on both)."""
    if PG_URL and not shutil.which("pg_dump"):
        if os.environ.get("CI") == "true":
            pytest.fail("pg_dump is missing: CI must run the PostgreSQL backup")
        pytest.skip("pg_dump is not installed")
    round_trip(app, in_db, tmp_path)


def test_a_backup_writes_no_partial_file_when_it_fails(app, tmp_path):
    with pytest.raises(Exception, match="n'existe pas"):
        backup("sqlite:///" + str(tmp_path / "absent.sqlite3"), tmp_path / "out.sqlite3")
    assert list(tmp_path.iterdir()) == []


# --- Stored files -------------------------------------------------------------------------------

def test_storage_check_lists_then_removes_an_orphan_and_spares_the_rest(app, in_db, tmp_path):
    folder = Path(app.config["UPLOAD_FOLDER"]) / "applications"
    folder.mkdir(parents=True)
    with in_db() as session:
        application = create_application()
        for name in ("a" * 64, "m" * 64):
            session.add(Attachment(application_id=application.id, filename="x.pdf", stored_name=name,
                                   content_type="application/pdf", size=1, sha256="0" * 64))
    (folder / ("a" * 64)).write_bytes(b"kept")  # referenced; "m"*64 is referenced and missing
    orphan, recent = folder / ("o" * 64), folder / ("r" * 64)
    orphan.write_bytes(b"crash between the write and the commit")
    recent.write_bytes(b"an upload in progress")
    two_hours_ago = time.time() - 7200
    os.utime(orphan, (two_hours_ago, two_hours_ago))
    runner = app.test_cli_runner()

    listed = runner.invoke(args=["fsi", "storage", "check"])
    assert listed.exit_code == 1
    assert f"orphelin : {orphan}" in listed.output and str(recent) not in listed.output
    assert f"manquant : applications/{'m' * 64}" in listed.output
    assert orphan.exists()

    removed = runner.invoke(args=["fsi", "storage", "check", "--remove"])
    assert f"supprimé : {orphan}" in removed.output
    assert not orphan.exists() and recent.exists() and (folder / ("a" * 64)).exists()
    assert "1 récent(s) ignoré(s)" in removed.output


# --- Two send-mail processes at once ------------------------------------------------------------

class SlowRecorder:
    """An SMTP server that holds every message until two clients have connected: both runs are
    sending at the same time, whatever the machine's speed."""

    def __init__(self):
        self.received = []
        self.clients = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.clients.add(session.peer)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        deadline = time.monotonic() + 20
        while len(self.clients) < 2 and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.01)
        self.received.append(envelope)
        return "250 Message accepted"


def test_two_send_mail_processes_at_once_never_send_a_message_twice(app, in_db, database_url):
    recorder = SlowRecorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        with in_db():
            for n in range(30):
                queue_mail(f"destinataire{n}@example.org", "Objet", "Bonjour")
        env = {**os.environ, "FSI_DATABASE_URL": database_url, "FSI_SECRET_KEY": "test",
               "FSI_SMTP_HOST": "127.0.0.1", "FSI_SMTP_PORT": str(controller.port), "FSI_SMTP_TIMEOUT": "30"}
        runs = [subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "fsi", "send-mail"], cwd=ROOT,
                                 env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                for _ in range(2)]
        outputs = [run.communicate(timeout=90)[0] for run in runs]
    finally:
        controller.stop()
    assert [run.returncode for run in runs] == [0, 0], outputs
    delivered = Counter(rcpt for envelope in recorder.received for rcpt in envelope.rcpt_tos)
    assert len(delivered) == 30 and set(delivered.values()) == {1}, delivered.most_common(3)
    assert len(recorder.clients) == 2  # both runs sent some
    with in_db() as session:
        assert session.scalar(select(func.count()).select_from(OutboxMessage)
                              .where(OutboxMessage.status == MailStatus.sent)) == 30
