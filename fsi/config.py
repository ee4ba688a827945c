"""Settings, layered: these defaults, then ``instance/config.py``, then ``FSI_*`` variables.

Every upper-case name below may be overridden by an environment variable of the same name
prefixed with ``FSI_`` (``FSI_DATABASE_URL``, ``FSI_SECRET_KEY``, ``FSI_SMTP_HOST``...).
Values from the environment are parsed as JSON when they look like it (numbers, booleans),
so ``FSI_SMTP_PORT=587`` is an int and ``FSI_SMTP_STARTTLS=false`` a bool.
"""
import json
import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit


class Defaults:
    #: "development" or "production"; production refuses to start without a configured secret.
    ENV = "development"
    SECRET_KEY = None
    #: None means the SQLite file instance/fsi.sqlite3.
    DATABASE_URL = None
    SQL_ECHO = False
    #: PostgreSQL: a pooled connection idle this long is checked before use (the server may have
    #: restarted); one in steady use is not
    DATABASE_PING_IDLE_SECONDS = 10
    #: aggregates each app server keeps until the data changes (fsi.cache)
    CACHE_MAX_ENTRIES = 1024
    #: whole pages kept per visitor until the data changes (fsi.cache.kept_page), at most this
    #: long (what the clock alone changes: a deadline passed); 0 keeps none
    PAGE_CACHE_SECONDS = 60
    #: what each app server may hold of them, in bytes
    PAGE_CACHE_BYTES = 32 * 2**20

    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = "Europe/Paris"
    LANGUAGES = ("fr", "en")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    #: "Rester connecté": how long the remember-me cookie lasts (a number of seconds from FSI_*)
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session

    #: werkzeug password hashing; scrypt is memory-hard. Tests lower the cost.
    PASSWORD_HASH_METHOD = "scrypt"
    #: Login throttling: failures within the window before refusing further attempts.
    LOGIN_MAX_FAILURES_PER_ACCOUNT = 5
    LOGIN_MAX_FAILURES_PER_ADDRESS = 20
    LOGIN_FAILURE_WINDOW_MINUTES = 15
    PASSWORD_RESET_HOURS = 2
    #: "Mot de passe oublié": requests per address typed and per client address within the window
    PASSWORD_RESET_MAX_PER_ACCOUNT = 3
    PASSWORD_RESET_MAX_PER_ADDRESS = 10
    #: its answer takes this long whatever happened, so its timing tells nobody whether an account exists
    PASSWORD_RESET_ANSWER_SECONDS = 0.5
    #: roles that must sign in with a second factor (a code from an app); None means ("staff", "admin")
    #: in production and () in development (``make run``'s demo logins, the browser journey)
    TWO_FACTOR_REQUIRED_ROLES = None
    #: the name authenticator apps show beside the account
    TWO_FACTOR_ISSUER = "FSI"
    #: "Se souvenir de cet appareil": days without the code on that browser
    TWO_FACTOR_REMEMBER_DAYS = 30
    #: wrong codes per account within LOGIN_FAILURE_WINDOW_MINUTES
    TWO_FACTOR_MAX_FAILURES = 5
    #: minutes between the password and the code
    TWO_FACTOR_STEP_MINUTES = 10
    INVITATION_DAYS = 7

    #: Mail: without SMTP_HOST, mails are written to the log instead of being sent.
    MAIL_FROM = "FSI <fsi@localhost>"
    SMTP_HOST = None
    SMTP_PORT = 25
    SMTP_USERNAME = None
    SMTP_PASSWORD = None
    SMTP_STARTTLS = False
    SMTP_SSL = False
    SMTP_TIMEOUT = 10
    MAIL_MAX_ATTEMPTS = 12

    #: The association that runs the fund: the letterhead, place and signature of its letters.
    ASSOCIATION_NAME = "Association régionale Hlm Provence-Alpes-Côte d'Azur & Corse"
    ASSOCIATION_ADDRESS = ""
    ASSOCIATION_CITY = "Marseille"
    ASSOCIATION_URL = "https://www.arhlmpacacorse.com"
    #: who signs the letters: a name, and a title per language
    LETTER_SIGNATORY_NAME = ""
    LETTER_SIGNATORY_TITLE = {"fr": "La présidence de l'association régionale",
                              "en": "The chair of the regional association"}

    #: Absolute base of every link in emails and letters (invitations, resets), e.g.
    #: "https://fsi.example.org": never taken from the request, whose Host header anyone can forge.
    #: Required in production; development defaults to DEV_SERVER_URL.
    SERVER_URL = None

    #: the licence of the open data (/open-data): its name and the address of its text
    OPEN_DATA_LICENCE = "Licence Ouverte 2.0"
    OPEN_DATA_LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"

    #: where the workflow definitions are read from (the project's workflows/ by default)
    WORKFLOWS_DIR = str(Path(__file__).resolve().parent.parent / "workflows")

    UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    #: ZIP-based documents (ODT, ODS, DOCX, XLSX) are refused when their members declare more than
    #: this once unpacked, or are more numerous: zip bombs
    UPLOAD_MAX_UNPACKED_BYTES = 100 * 1024 * 1024
    UPLOAD_MAX_ZIP_MEMBERS = 1000
    MAX_CONTENT_LENGTH = 12 * 1024 * 1024

    #: Behind reverse proxies: how many of them set each X-Forwarded-* header (werkzeug ProxyFix).
    #: 0 ignores the header (anyone could forge it). One nginx in front: FOR and PROTO at 1.
    PROXY_FIX_X_FOR = 0
    PROXY_FIX_X_PROTO = 0
    PROXY_FIX_X_HOST = 0
    PROXY_FIX_X_PORT = 0
    PROXY_FIX_X_PREFIX = 0


DEV_SERVER_URL = "http://127.0.0.1:5000"


def _parse_env_value(raw):
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def load_config(app, overrides=None):
    """Apply the layers in order; ``overrides`` (tests, scripts) come last."""
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    for key, raw in os.environ.items():
        if key.startswith("FSI_") and not key.startswith("FSI_TEST_"):
            app.config[key[4:]] = _parse_env_value(raw)
    if overrides:
        app.config.update(overrides)
    _finish(app)


def _finish(app):
    cfg = app.config
    cfg["DEBUG"] = cfg.get("DEBUG", False) or cfg["ENV"] == "development" and bool(os.environ.get("FLASK_DEBUG"))
    if not cfg.get("DATABASE_URL"):
        cfg["DATABASE_URL"] = "sqlite:///" + str(Path(app.instance_path) / "fsi.sqlite3")
    if cfg.get("TWO_FACTOR_REQUIRED_ROLES") is None:
        cfg["TWO_FACTOR_REQUIRED_ROLES"] = ("staff", "admin") if cfg["ENV"] == "production" else ()
    if cfg["ENV"] == "production":
        cfg["SESSION_COOKIE_SECURE"] = True
        cfg["REMEMBER_COOKIE_SECURE"] = True
    if not cfg.get("SECRET_KEY"):
        if cfg["ENV"] == "production":
            raise RuntimeError(
                "FSI_SECRET_KEY must be set in production (or SECRET_KEY in instance/config.py)."
            )
        cfg["SECRET_KEY"] = _instance_secret(Path(app.instance_path))
    cfg["SERVER_URL"] = _server_url(cfg)
    cfg.setdefault("UPLOAD_FOLDER", str(Path(app.instance_path) / "uploads"))


def _server_url(cfg):
    """SERVER_URL checked: an absolute http(s) address, required in production."""
    url = cfg.get("SERVER_URL")
    if not url:
        if cfg["ENV"] == "production":
            raise RuntimeError("FSI_SERVER_URL must be set in production (e.g. https://fsi.example.org, "
                               "or SERVER_URL in instance/config.py): links in emails are built from it.")
        return DEV_SERVER_URL
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise RuntimeError(f"FSI_SERVER_URL must be an absolute http(s) address such as "
                           f"https://fsi.example.org, not {url!r}.")
    return url.rstrip("/")


def _instance_secret(instance):
    """A development secret generated once and kept in instance/secret_key."""
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
