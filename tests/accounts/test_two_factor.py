"""Two-factor sign-in: setting it up, the code after the password, recovery codes, trusted
devices, the roles that require it, and the admin's reset."""
import re
import threading
import time
from datetime import timedelta

import pyotp
import pytest
from flask import Flask
from sqlmodel import select

from fsi.accounts import second_factor
from fsi.accounts.models import AccountEvent, AccountEventKind, RecoveryCode, Role, TrustedDevice, User
from fsi.accounts.tokens import token_hash
from fsi.config import load_config
from fsi.db import db, utcnow
from tests.accounts.helpers import page
from tests.factories import create_user

DOMAIN = "fsi.test"


def enrolled(in_db, **kw):
    """A user with a second factor: (user, TOTP, recovery codes). The set-up's code step is
    forgotten, so that the test may use the current code again."""
    with in_db():
        user = create_user(**kw)
        second_factor.start_setup(user)
        totp = pyotp.TOTP(user.totp_secret)
        codes = second_factor.confirm_setup(user, totp.now())
        user.totp_last_step = None
    return user, totp, codes


def password_step(browser, user, **data):
    return browser.post("/login", data={"email": user.email, "password": "password", **data})


def test_setting_up_from_the_account_page(app, in_db, client, login):
    with in_db():
        user = create_user()
    other = app.test_client()
    password_step(other, user)
    login(user)
    assert "Double authentification : non activée (facultative)." in page(client.get("/profile"))
    assert client.post("/profile/two-factor/start").headers["Location"].endswith("/profile/two-factor")
    response = client.get("/profile/two-factor")
    text = page(response)
    with in_db() as session:
        secret = session.get(User, user.id).totp_secret
    assert re.search(r'<img class="qr-code" src="data:image/svg\+xml[^"]+"', text)
    assert " ".join(secret[i:i + 4] for i in range(0, 32, 4)) in text
    assert "<script" not in text.split("<main", 1)[1]
    assert "img-src 'self' data:" in response.headers["Content-Security-Policy"]
    assert "Ce code n'est pas valable" in page(client.post("/profile/two-factor/confirm", data={"code": "000000"}))
    response = client.post("/profile/two-factor/confirm", data={"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 200
    codes = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", page(response))
    assert len(set(codes)) == 10
    assert client.get("/profile").status_code == 200  # this session goes on
    assert other.get("/profile").status_code == 302  # the others began without the second factor
    with in_db() as session:
        stored = session.exec(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id)).all()
        assert sorted(stored) == sorted(token_hash(code.replace("-", "")) for code in codes)
        assert session.get(User, user.id).totp_enabled_at is not None
        assert session.exec(select(AccountEvent.kind)).all() == [AccountEventKind.two_factor_enabled]
    # shown once: the page no longer holds them
    assert not any(code in page(client.get("/profile/two-factor")) for code in codes)


def test_the_code_is_asked_after_the_password(app, in_db):
    user, totp, _codes = enrolled(in_db)
    browser = app.test_client()
    response = password_step(browser, user, next="/profile")
    assert response.headers["Location"] == "/login/code"
    assert browser.get("/profile").status_code == 302  # not signed in yet
    response = browser.post("/login/code", data={"code": "123456"})
    assert "Ce code n'est pas valable." in page(response)
    response = browser.post("/login/code", data={"code": totp.now()})
    assert response.headers["Location"] == "/profile"
    assert browser.get("/profile").status_code == 200
    # a code works once: the same one typed in another browser is refused
    thief = app.test_client()
    password_step(thief, user)
    assert "Ce code n'est pas valable." in page(thief.post("/login/code", data={"code": totp.now()}))


def test_without_the_password_step_there_is_no_code_page(client):
    response = client.get("/login/code")
    assert response.headers["Location"].endswith("/login")


def test_the_second_step_expires(app, in_db):
    user, totp, _codes = enrolled(in_db)
    app.config["TWO_FACTOR_STEP_MINUTES"] = 0
    browser = app.test_client()
    password_step(browser, user)
    time.sleep(1.1)
    response = browser.post("/login/code", data={"code": totp.now()})
    assert response.headers["Location"].endswith("/login")
    assert browser.get("/profile").status_code == 302


def test_a_recovery_code_works_once(app, in_db):
    user, _totp, codes = enrolled(in_db)
    browser = app.test_client()
    password_step(browser, user)
    response = browser.post("/login/code", data={"code": codes[3].upper().replace("-", " ")})
    assert response.status_code == 302
    assert "il vous en reste 9" in page(browser.get("/profile"))
    other = app.test_client()
    password_step(other, user)
    assert "Ce code n'est pas valable." in page(other.post("/login/code", data={"code": codes[3]}))


def test_wrong_codes_are_throttled_and_a_right_password_does_not_forgive_them(app, in_db):
    app.config["TWO_FACTOR_MAX_FAILURES"] = 3
    user, totp, _codes = enrolled(in_db)
    for _ in range(3):
        browser = app.test_client()
        assert password_step(browser, user).headers["Location"] == "/login/code"
        assert "Ce code n'est pas valable." in page(browser.post("/login/code", data={"code": "000000"}))
    browser = app.test_client()
    password_step(browser, user)
    response = browser.post("/login/code", data={"code": totp.now()})
    assert "Trop de codes erronés. Réessayez dans 15 minute(s)." in page(response)
    assert browser.get("/profile").status_code == 302


def test_a_trusted_device_skips_the_code_until_signed_out_everywhere(app, in_db):
    user, totp, codes = enrolled(in_db)
    laptop = app.test_client()
    password_step(laptop, user)
    response = laptop.post("/login/code", data={"code": totp.now(), "remember_device": "y"})
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("fsi_device="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and f"Max-Age={30 * 86400}" in cookie
    raw = laptop.get_cookie("fsi_device", domain=DOMAIN).value
    with in_db() as session:
        [device] = session.exec(select(TrustedDevice)).all()
        assert device.token_hash == token_hash(raw) and device.user_id == user.id
    laptop.post("/logout")
    assert password_step(laptop, user).headers["Location"] == "/"  # no code on this browser
    phone = app.test_client()
    assert password_step(phone, user).headers["Location"] == "/login/code"
    # another account on the same browser does not ride on it
    other, _totp, _ = enrolled(in_db)
    laptop.post("/logout")
    assert password_step(laptop, other).headers["Location"] == "/login/code"
    laptop.get("/login")  # forget the pending step
    # signing out everywhere forgets the device
    password_step(phone, user)
    assert phone.post("/login/code", data={"code": codes[0]}).status_code == 302  # the TOTP code was used
    assert phone.post("/profile/sign-out-everywhere").headers["Location"].endswith("/login")
    assert password_step(app.test_client(), user).status_code == 302
    fresh = app.test_client()
    fresh.set_cookie("fsi_device", raw, domain=DOMAIN)
    assert password_step(fresh, user).headers["Location"] == "/login/code"
    with in_db() as session:
        assert session.exec(select(TrustedDevice)).all() == []
        assert AccountEventKind.signed_out_all in session.exec(select(AccountEvent.kind)).all()


@pytest.fixture
def required(app):
    """Second factor required for staff and admins, as in production."""
    app.config["TWO_FACTOR_REQUIRED_ROLES"] = ("staff", "admin")


def test_staff_without_a_second_factor_must_set_it_up_first(app, in_db, client, required):
    with in_db():
        staff = create_user(role=Role.staff)
    response = password_step(client, staff)
    assert response.headers["Location"].endswith("/profile/two-factor")
    for url in ("/", "/profile", "/admin/organisations", "/profile/password"):
        assert client.get(url).headers["Location"].endswith("/profile/two-factor"), url
    client.post("/profile/two-factor/start")
    with in_db() as session:
        secret = session.get(User, staff.id).totp_secret
    assert client.post("/profile/two-factor/confirm", data={"code": pyotp.TOTP(secret).now()}).status_code == 200
    assert client.get("/").status_code == 200
    # and the role cannot turn it off
    response = client.post("/profile/two-factor/disable", data={"password": "password"})
    assert "Votre rôle impose la double authentification." in page(client.get(response.headers["Location"]))
    with in_db() as session:
        assert session.get(User, staff.id).has_second_factor


def test_applicants_are_not_asked_when_staff_are(app, in_db, client, required):
    with in_db():
        applicant = create_user(role=Role.applicant)
    assert password_step(client, applicant).headers["Location"] == "/"
    assert client.get("/").status_code == 200


def test_without_required_roles_staff_sign_in_as_before(app, in_db, client):
    """The test and development settings (the browser journey, ``make run``'s demo logins)."""
    assert app.config["TWO_FACTOR_REQUIRED_ROLES"] == ()
    with in_db():
        staff = create_user(role=Role.staff)
    assert password_step(client, staff, next="/profile").headers["Location"] == "/profile"
    assert client.get("/").status_code == 200


@pytest.mark.parametrize(("env", "roles"), [("production", ("staff", "admin")), ("development", ())])
def test_required_roles_by_default(tmp_path, monkeypatch, env, roles):
    monkeypatch.delenv("FSI_TWO_FACTOR_REQUIRED_ROLES", raising=False)
    bare = Flask("roles", instance_path=str(tmp_path))
    load_config(bare, {"ENV": env, "SECRET_KEY": "s", "SERVER_URL": "https://fsi.example.org"})
    assert tuple(bare.config["TWO_FACTOR_REQUIRED_ROLES"]) == roles


def trusted_device(user):
    return TrustedDevice(user_id=user.id, token_hash=token_hash("device"), expires_at=utcnow() + timedelta(days=1))


def test_turning_it_off_needs_the_password(app, in_db, client):
    user, totp, _codes = enrolled(in_db)
    with in_db() as session:
        session.add(trusted_device(user))
    password_step(client, user)
    client.post("/login/code", data={"code": totp.now()})
    response = client.post("/profile/two-factor/disable", data={"password": "wrong"})
    assert "Le mot de passe est incorrect." in page(client.get(response.headers["Location"]))
    client.post("/profile/two-factor/disable", data={"password": "password"})
    with in_db() as session:
        stored = session.get(User, user.id)
        assert (stored.totp_secret, stored.has_second_factor) == (None, False)
        assert session.exec(select(RecoveryCode)).all() == [] and session.exec(select(TrustedDevice)).all() == []


def test_new_recovery_codes_replace_the_old_ones(app, in_db, client):
    user, totp, codes = enrolled(in_db)
    password_step(client, user)
    client.post("/login/code", data={"code": totp.now()})
    response = client.post("/profile/two-factor/codes", data={"password": "password"})
    fresh = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", page(response))
    assert len(fresh) == 10 and not set(fresh) & set(codes)
    other = app.test_client()
    password_step(other, user)
    assert "Ce code n'est pas valable." in page(other.post("/login/code", data={"code": codes[0]}))
    assert other.post("/login/code", data={"code": fresh[0]}).status_code == 302


def test_an_admin_resets_a_lost_second_factor(app, in_db, client, login):
    user, totp, _codes = enrolled(in_db, full_name="Léa Martin")
    with in_db() as session:
        admin = create_user(role=Role.admin, full_name="Alice Admin")
        session.add(trusted_device(user))
    victim = app.test_client()
    password_step(victim, user)
    victim.post("/login/code", data={"code": totp.now()})
    login(admin)
    text = page(client.get(f"/admin/users/{user.id}"))
    assert "Réinitialiser la double authentification" in text
    with in_db() as session:
        version = session.get(User, user.id).version
    response = client.post(f"/admin/users/{user.id}/two-factor/reset", data={"version": version})
    assert response.headers["Location"].endswith(f"/admin/users/{user.id}")
    assert victim.get("/profile").status_code == 302  # their sessions ended
    with in_db() as session:
        stored = session.get(User, user.id)
        assert (stored.totp_secret, stored.totp_enabled_at) == (None, None)
        assert session.exec(select(RecoveryCode)).all() == [] and session.exec(select(TrustedDevice)).all() == []
        events = session.exec(select(AccountEvent).order_by(AccountEvent.id)).all()
        assert [(e.kind, e.actor_id) for e in events] == [(AccountEventKind.two_factor_enabled, user.id),
                                                           (AccountEventKind.two_factor_reset, admin.id)]
    text = page(client.get(f"/admin/users/{user.id}"))
    assert "Double authentification réinitialisée (par Alice Admin)" in text
    assert "Non activée." in text
    # the user signs in with the password alone, and may set it up again
    assert password_step(app.test_client(), user).headers["Location"] == "/"


def test_only_admins_reset(app, in_db, client, login):
    user, _totp, _codes = enrolled(in_db)
    with in_db():
        staff = create_user(role=Role.staff)
    login(staff)
    assert client.post(f"/admin/users/{user.id}/two-factor/reset", data={"version": 1}).status_code == 403
    with app.app_context():
        assert db.session.get(User, user.id).has_second_factor


def test_the_command_line_resets_a_locked_out_admin(app, in_db, client, login):
    admin, _totp, _codes = enrolled(in_db, role=Role.admin)
    result = app.test_cli_runner().invoke(args=["fsi", "reset-two-factor", admin.email.upper()])
    assert result.exit_code == 0, result.output
    assert f"Double authentification de {admin.email} réinitialisée" in result.output
    assert app.test_cli_runner().invoke(args=["fsi", "reset-two-factor", "nobody@example.org"]).exit_code != 0
    with in_db() as session:
        assert not session.get(User, admin.id).has_second_factor
        [event] = session.exec(select(AccountEvent).where(AccountEvent.kind == AccountEventKind.two_factor_reset)).all()
        assert event.actor_id is None
    login(admin)
    assert "Double authentification réinitialisée (en ligne de commande)" in page(client.get(f"/admin/users/{admin.id}"))


@pytest.mark.parametrize("round_", range(2))
def test_one_code_typed_in_two_browsers_at_once_signs_in_one(app, in_db, round_):
    user, totp, _codes = enrolled(in_db)
    browsers = [app.test_client() for _ in range(2)]
    for browser in browsers:
        assert password_step(browser, user).headers["Location"] == "/login/code"
    code, barrier, statuses = totp.now(), threading.Barrier(2), [None, None]

    def type_code(index):
        barrier.wait(timeout=10)
        statuses[index] = browsers[index].post("/login/code", data={"code": code}).status_code

    threads = [threading.Thread(target=type_code, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [302, 422]
