"""Running FSI in production: the proxy's health check, backups and their restore, stored files.

- ``GET /healthz``: 200 ``{"status": "ok"}`` when the database answers and its schema is at the
  latest migration; 503 otherwise (the reverse proxy takes the server out of its pool).
- ``flask fsi backup [FILE]``: a consistent copy of the database taken while it serves (SQLite's
  online backup API; ``pg_dump --format=custom`` for PostgreSQL); ``flask fsi restore FILE`` loads
  one into a new, empty database (the configured one).
- ``flask fsi storage check [--remove]``: the stored files no row references (a crash between a
  file's write and its transaction's commit leaves one), and the rows whose file is missing.
- ``PROXY_FIX_*``: how many proxies in front set each ``X-Forwarded-*`` header (werkzeug ProxyFix).

Shared, below every domain: a domain that stores files answers the ``stored_files`` signal.
"""
import logging
import os
import shutil
import sqlite3
import subprocess  # nosec B404 # pg_dump and pg_restore, with an argument list (no shell)
import time
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import click
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Blueprint, current_app, jsonify
from flask.cli import AppGroup
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.middleware.proxy_fix import ProxyFix

from fsi.cli import add_commands, alembic_config, command, fsi_cli
from fsi.db import db
from fsi.hooks import collect, signals

logger = logging.getLogger("fsi.operations")

bp = Blueprint("operations", __name__)


# --- Health -------------------------------------------------------------------------------------

def migrations(app):
    """(latest revisions, every revision) of migrations/, read once per application."""
    known = app.extensions.get("fsi.migrations")
    if known is None:
        script = ScriptDirectory.from_config(alembic_config())
        known = app.extensions["fsi.migrations"] = (
            frozenset(script.get_heads()), frozenset(r.revision for r in script.walk_revisions()))
    return known


def health():
    """(status code, body): is the database reachable, is its schema at the latest migration."""
    expected, known = migrations(current_app)
    try:
        with db.engine.connect() as connection:
            current = frozenset(MigrationContext.configure(connection).get_current_heads())
    except SQLAlchemyError as error:
        logger.error("Health check: database unreachable: %s", error)
        return 503, {"status": "error", "database": "unreachable"}
    body = {"status": "ok", "database": "ok", "migrations": "current",
            "revision": sorted(current), "expected": sorted(expected)}
    if current != expected:
        # behind: run ``flask fsi init-db``; ahead: a newer release migrated it, this one is older
        body.update(status="error", migrations="behind" if current <= known else "ahead")
        return 503, body
    return 200, body


@bp.get("/healthz")
def healthz():
    status, body = health()
    response = jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


# --- Reverse proxy ------------------------------------------------------------------------------

PROXY_FIX_SETTINGS = {"x_for": "PROXY_FIX_X_FOR", "x_proto": "PROXY_FIX_X_PROTO",
                      "x_host": "PROXY_FIX_X_HOST", "x_port": "PROXY_FIX_X_PORT",
                      "x_prefix": "PROXY_FIX_X_PREFIX"}


def trust_proxies(app):
    """Wrap the WSGI app in ProxyFix when PROXY_FIX_* say how many proxies set each header
    (0, the default, ignores the header: anyone could forge it without a proxy in front)."""
    counts = {arg: int(app.config.get(key) or 0) for arg, key in PROXY_FIX_SETTINGS.items()}
    if any(counts.values()):
        app.wsgi_app = ProxyFix(app.wsgi_app, **counts)


# --- Backup and restore -------------------------------------------------------------------------

class BackupError(click.ClickException):
    """A backup or a restore that cannot be done: the message says why."""


def is_sqlite(url):
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_path(url):
    path = make_url(url).database
    if not path or path == ":memory:":
        raise BackupError("Une base SQLite en mémoire ne se sauvegarde pas.")
    return Path(path)


def libpq(url):
    """(libpq URL without its password, environment with PGPASSWORD): the password stays out of the
    command line, which every user of the machine can read."""
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = parsed.password
    plain = parsed.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return plain, env


def run_tool(args, env):
    tool = shutil.which(args[0])
    if tool is None:
        raise BackupError(f"{args[0]} est introuvable : installez le client PostgreSQL "
                          "(apt-get install postgresql-client), de la même version que le serveur ou plus récent.")
    result = subprocess.run([tool, *args[1:]], env=env, capture_output=True, text=True, check=False)  # nosec B603 # no shell, our arguments
    if result.returncode != 0:
        raise BackupError(f"{args[0]} a échoué ({result.returncode}) : {result.stderr.strip()}")


def default_backup_path(url):
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return Path(current_app.instance_path) / "backups" / f"fsi-{stamp}.{'sqlite3' if is_sqlite(url) else 'pgdump'}"


def backup(url, target):
    """Write a consistent copy of the database at ``url`` to ``target`` while it serves; returns the
    path. The file is readable by its owner only (it holds password hashes) and appears complete
    or not at all."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    partial.unlink(missing_ok=True)
    partial.touch(mode=0o600)
    try:
        if is_sqlite(url):
            source_path = sqlite_path(url)
            if not source_path.exists():
                raise BackupError(f"La base {source_path} n'existe pas.")
            with closing(sqlite3.connect(source_path)) as source, closing(sqlite3.connect(partial)) as copy:
                source.backup(copy)  # the online backup API: a consistent snapshot, writers go on
        else:
            address, env = libpq(url)
            run_tool(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                      f"--file={partial}", f"--dbname={address}"], env)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def table_count(url):
    """How many tables the database at ``url`` holds (0: new and empty)."""
    if is_sqlite(url):
        path = sqlite_path(url)
        if not path.exists():
            return 0
        with closing(sqlite3.connect(path)) as connection:
            return connection.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT count(*) FROM information_schema.tables "
                                           "WHERE table_schema = current_schema()")).scalar_one()
    finally:
        engine.dispose()


def restore(url, source):
    """Load the backup ``source`` into the database at ``url``, which must be new and empty (no
    restore over live data: create a new database, restore, then point the servers at it)."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"La sauvegarde {source} n'existe pas.")
    if table_count(url):
        raise BackupError("La base de destination n'est pas vide : restaurez dans une base neuve "
                          "(createdb, ou un nouveau fichier SQLite) puis pointez FSI_DATABASE_URL dessus.")
    if is_sqlite(url):
        with open(source, "rb") as handle:
            if handle.read(16) != b"SQLite format 3\x00":
                raise BackupError(f"{source} n'est pas une sauvegarde SQLite.")
        target = sqlite_path(url)
        target.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(source)) as backup_db, closing(sqlite3.connect(target)) as live:
            backup_db.backup(live)
    else:
        address, env = libpq(url)
        run_tool(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
                  f"--dbname={address}", str(source)], env)


@command("backup")
@click.argument("target", required=False, type=click.Path(dir_okay=False))
def backup_command(target):
    """Back up the database to TARGET (default: instance/backups/fsi-<UTC time>.sqlite3 or .pgdump)."""
    url = current_app.config["DATABASE_URL"]
    path = backup(url, target or default_backup_path(url))
    click.echo(f"Sauvegarde écrite : {path} ({path.stat().st_size} octets).")


@command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
def restore_command(source):
    """Restore the backup SOURCE into the configured database, which must be new and empty; then run
    ``flask fsi init-db`` (it applies the migrations newer than the backup)."""
    restore(current_app.config["DATABASE_URL"], source)
    click.echo("Sauvegarde restaurée. Lancez maintenant « flask fsi init-db ».")


# --- Stored files -------------------------------------------------------------------------------

#: ``stored_files.send(app)``: a domain that keeps files under UPLOAD_FOLDER answers a StoredFiles
stored_files = signals.signal("stored-files")


@dataclass
class StoredFiles:
    """The files a domain's rows reference: their names in UPLOAD_FOLDER/<directory>."""

    directory: str
    names: set = field(default_factory=set)


@dataclass
class StorageReport:
    orphans: list = field(default_factory=list)  # files no row references (Paths)
    recent: int = 0  # unreferenced files younger than the grace period: perhaps an upload in progress
    missing: list = field(default_factory=list)  # (directory, name) a row references, with no file
    checked: int = 0


def check_storage(min_age_seconds=3600, now=None):
    """Compare the files under UPLOAD_FOLDER with the rows that reference them. Only the directories
    a domain declares are looked at; a file younger than ``min_age_seconds`` may belong to an
    upload whose transaction has not committed yet: it is counted apart, never an orphan."""
    root = Path(current_app.config["UPLOAD_FOLDER"])
    now = now or time.time()
    report = StorageReport()
    declared = {}
    for stored in collect(stored_files, current_app._get_current_object()):
        declared.setdefault(stored.directory, set()).update(stored.names)
    for directory, names in sorted(declared.items()):
        folder = root / directory
        present = set()
        if folder.is_dir():
            for entry in sorted(folder.iterdir()):
                if not entry.is_file():
                    continue
                report.checked += 1
                present.add(entry.name)
                if entry.name in names:
                    continue
                if now - entry.stat().st_mtime < min_age_seconds:
                    report.recent += 1
                else:
                    report.orphans.append(entry)
        report.missing.extend((directory, name) for name in sorted(names - present))
    return report


storage_cli = AppGroup("storage", help="Fichiers déposés (UPLOAD_FOLDER).")


@storage_cli.command("check")
@click.option("--remove", is_flag=True, help="Supprimer les fichiers qu'aucune ligne ne référence.")
@click.option("--min-age", type=int, default=60, show_default=True,
              help="Minutes : un fichier plus récent peut appartenir à un dépôt en cours ; il est ignoré.")
def storage_check(remove, min_age):
    """List the stored files no row references (and remove them with --remove), and the rows whose
    file is missing. Exit status 1 when something is wrong and was not repaired."""
    report = check_storage(min_age * 60)
    for path in report.orphans:
        if remove:
            path.unlink(missing_ok=True)
        click.echo(f"{'supprimé' if remove else 'orphelin'} : {path}")
    for directory, name in report.missing:
        click.echo(f"manquant : {directory}/{name} (référencé par une ligne, absent du disque)")
    click.echo(f"{report.checked} fichier(s) examiné(s), {len(report.orphans)} orphelin(s)"
               f"{' supprimé(s)' if remove else ''}, {report.recent} récent(s) ignoré(s), "
               f"{len(report.missing)} manquant(s).")
    if report.missing or (report.orphans and not remove):
        raise SystemExit(1)


def init_app(app):
    app.register_blueprint(bp)
    trust_proxies(app)
    add_commands(backup_command, restore_command)
    fsi_cli.add_command(storage_cli)
