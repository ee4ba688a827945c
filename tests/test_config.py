"""Settings are layered: defaults < instance/config.py < FSI_* environment < create_app(overrides)."""
import os

import pytest
from flask import Flask

from fsi import create_app
from fsi.config import Defaults, load_config


@pytest.fixture
def bare_app(tmp_path, monkeypatch):
    """A Flask app whose instance folder is a temporary directory, and no FSI_* in the environment."""
    for key in list(os.environ):
        if key.startswith("FSI_"):
            monkeypatch.delenv(key)
    return Flask("layering", instance_path=str(tmp_path / "instance"), instance_relative_config=True)


def write_instance_config(app, text):
    from pathlib import Path

    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    (Path(app.instance_path) / "config.py").write_text(text)


def test_defaults_apply_without_any_other_layer(bare_app):
    load_config(bare_app)
    assert bare_app.config["MAIL_FROM"] == Defaults.MAIL_FROM
    assert bare_app.config["BABEL_DEFAULT_LOCALE"] == "fr"
    assert bare_app.config["DATABASE_URL"].endswith("/instance/fsi.sqlite3")


def test_each_layer_overrides_the_previous(bare_app, monkeypatch):
    write_instance_config(bare_app, 'MAIL_FROM = "instance@x"\nSMTP_PORT = 2525\nSMTP_HOST = "mail.instance"\n'
                                    'SMTP_USERNAME = "from-instance"\n')
    monkeypatch.setenv("FSI_MAIL_FROM", "env@x")
    monkeypatch.setenv("FSI_SMTP_PORT", "587")
    load_config(bare_app, {"MAIL_FROM": "override@x"})
    cfg = bare_app.config
    assert cfg["MAIL_FROM"] == "override@x"        # overrides beat the environment
    assert cfg["SMTP_PORT"] == 587                 # the environment beats instance/config.py, parsed as JSON
    assert cfg["SMTP_HOST"] == "mail.instance"     # instance/config.py beats the defaults
    assert cfg["SMTP_USERNAME"] == "from-instance"
    assert cfg["SMTP_TIMEOUT"] == Defaults.SMTP_TIMEOUT


def test_environment_values_are_parsed(bare_app, monkeypatch):
    monkeypatch.setenv("FSI_SMTP_STARTTLS", "false")
    monkeypatch.setenv("FSI_MAIL_FROM", "FSI <noreply@example.org>")
    load_config(bare_app)
    assert bare_app.config["SMTP_STARTTLS"] is False
    assert bare_app.config["MAIL_FROM"] == "FSI <noreply@example.org>"


def test_development_secret_is_generated_once_in_instance(bare_app, tmp_path):
    load_config(bare_app)
    secret = bare_app.config["SECRET_KEY"]
    assert len(secret) == 64
    assert (tmp_path / "instance" / "secret_key").read_text().strip() == secret
    again = Flask("again", instance_path=bare_app.instance_path, instance_relative_config=True)
    load_config(again)
    assert again.config["SECRET_KEY"] == secret


def test_production_refuses_to_start_without_a_secret(bare_app, monkeypatch):
    monkeypatch.setenv("FSI_ENV", "production")
    with pytest.raises(RuntimeError, match="FSI_SECRET_KEY"):
        load_config(bare_app)


def test_production_refuses_to_start_without_a_server_url(bare_app, monkeypatch):
    """Links in emails are never built from the request's Host header: production must say where it is."""
    monkeypatch.setenv("FSI_ENV", "production")
    monkeypatch.setenv("FSI_SECRET_KEY", "a-long-production-secret")
    with pytest.raises(RuntimeError, match="FSI_SERVER_URL must be set in production"):
        load_config(bare_app)


@pytest.mark.parametrize("url", ["fsi.example.org", "javascript:alert(1)", "https://", "https://x.org/?a=1"])
def test_a_server_url_that_is_not_an_absolute_address_is_refused(bare_app, url):
    with pytest.raises(RuntimeError, match="absolute http\\(s\\) address"):
        load_config(bare_app, {"SERVER_URL": url})


def test_server_url_defaults_to_the_development_server(bare_app, monkeypatch):
    load_config(bare_app)
    assert bare_app.config["SERVER_URL"] == "http://127.0.0.1:5000"
    monkeypatch.setenv("FSI_SERVER_URL", "https://fsi.example.org/")
    load_config(bare_app)
    assert bare_app.config["SERVER_URL"] == "https://fsi.example.org"


def test_production_with_a_secret_uses_secure_cookies(bare_app, monkeypatch):
    monkeypatch.setenv("FSI_ENV", "production")
    monkeypatch.setenv("FSI_SECRET_KEY", "a-long-production-secret")
    monkeypatch.setenv("FSI_SERVER_URL", "https://fsi.example.org")
    load_config(bare_app)
    assert bare_app.config["SECRET_KEY"] == "a-long-production-secret"
    assert bare_app.config["SESSION_COOKIE_SECURE"] is True
    assert bare_app.config["REMEMBER_COOKIE_SECURE"] is True


def test_create_app_overrides_come_last(monkeypatch, database_url):
    monkeypatch.setenv("FSI_MAIL_FROM", "env@x")
    app = create_app({"MAIL_FROM": "override@x", "SECRET_KEY": "s", "DATABASE_URL": database_url})
    assert app.config["MAIL_FROM"] == "override@x"
    assert app.config["DATABASE_URL"] == database_url
    app.extensions["fsi.db"].dispose()


def test_create_app_reads_the_environment(monkeypatch, database_url):
    monkeypatch.setenv("FSI_DATABASE_URL", database_url)
    monkeypatch.setenv("FSI_SECRET_KEY", "from-env")
    app = create_app()
    assert (app.config["DATABASE_URL"], app.config["SECRET_KEY"]) == (database_url, "from-env")
    app.extensions["fsi.db"].dispose()
