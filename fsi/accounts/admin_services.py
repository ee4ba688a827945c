"""Administration operations on users and organisations (flush, never commit)."""
from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, or_
from sqlmodel import select

from fsi.accounts import tokens
from fsi.accounts.models import (
    ROLE_LABELS,
    Organisation,
    OrganisationKind,
    Role,
    Territory,
    TokenPurpose,
    User,
    normalise_email,
)
from fsi.accounts.services import PASSWORD_MIN_LENGTH, FieldError, hash_password, user_by_email
from fsi.accounts.siren import normalise_siren
from fsi.db import bump_version, db
from fsi.i18n import lazy_gettext as _l
from fsi.i18n import pick
from fsi.limits import CONTROL, TITLE_MAX
from fsi.mail.render import absolute_url, queue_template_mail

PAGE_SIZE = 50


def _contains(text):
    return f"%{CONTROL.sub('', text.strip().lower())[:TITLE_MAX]}%"  # NUL: PostgreSQL refuses it


def search_users(query="", page=1):
    """(user, organisation name or None) pairs matching ``query`` on name, email or organisation,
    one page at a time, in one statement; the total count and the page shown (beyond the last
    page, the last one)."""
    stmt = select(User, Organisation.name).outerjoin(Organisation, User.organisation_id == Organisation.id)
    if query and query.strip():
        pattern = _contains(query)
        stmt = stmt.where(or_(func.lower(User.full_name).like(pattern), func.lower(User.email).like(pattern),
                              func.lower(Organisation.name).like(pattern)))
    total = db.session.exec(select(func.count()).select_from(stmt.subquery())).one()
    page = min(max(page or 1, 1), max(1, -(-total // PAGE_SIZE)))
    rows = db.session.exec(stmt.order_by(User.full_name, User.id)
                           .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
    return rows, total, page


def organisations_for_choice():
    return db.session.exec(select(Organisation).order_by(Organisation.name)).all()


def _check_role_organisation(role, organisation_id):
    if organisation_id is not None and db.session.get(Organisation, organisation_id) is None:
        raise FieldError("organisation_id", _("Cet organisme n'existe pas."))
    if role == Role.applicant and organisation_id is None:
        raise FieldError("organisation_id", _("Un porteur de projet doit être rattaché à un organisme."))


def send_invitation(user, inviter):
    """A set-password link valid INVITATION_DAYS days (a new one replaces the previous)."""
    days = current_app.config["INVITATION_DAYS"]
    raw = tokens.issue_token(user, TokenPurpose.invite, timedelta(days=days))
    queue_template_mail(user, _l("Invitation à rejoindre FSI"), "mail/accounts/invitation.txt",
                        user=user, inviter=inviter, days=days, role=pick(ROLE_LABELS[user.role], user.language),
                        link=absolute_url("accounts.reset_password", token=raw))


def create_account(*, email, full_name, role, organisation_id=None, password=None):
    """A new account (the rules of every way in: invitation, ``flask fsi create-user``). With a
    ``password`` it signs in at once; without, it waits for its invitation link."""
    email = normalise_email(email)
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        raise FieldError("email", _("Cette adresse de courriel n'est pas valide.")) from None
    role = Role(role)
    if user_by_email(email) is not None:
        raise FieldError("email", _("Un compte existe déjà avec cette adresse de courriel."))
    _check_role_organisation(role, organisation_id)
    if password is not None and len(password) < PASSWORD_MIN_LENGTH:
        raise FieldError("password", _("Le mot de passe doit comporter au moins %(min)d caractères.",
                                       min=PASSWORD_MIN_LENGTH))
    user = User(email=email, full_name=(full_name or "").strip() or email.split("@")[0], role=role,
                organisation_id=organisation_id, password_hash=hash_password(password) if password else None)
    db.session.add(user)
    db.session.flush()
    return user


def invite_user(inviter, *, email, full_name, role, organisation_id=None):
    """Create the account without a password and email the invitation."""
    user = create_account(email=email, full_name=full_name, role=role, organisation_id=organisation_id)
    send_invitation(user, inviter)
    return user


def organisation_by_siren(siren):
    return db.session.exec(select(Organisation).where(Organisation.siren == normalise_siren(siren))).first()


def update_user(actor, user, expected_version, *, full_name, role, organisation_id=None):
    role = Role(role)
    if user.id == actor.id and role != user.role:
        raise FieldError("role", _("Vous ne pouvez pas changer votre propre rôle."))
    _check_role_organisation(role, organisation_id)
    bump_version(user, expected_version, full_name=full_name.strip(), role=role, organisation_id=organisation_id)


def set_user_active(actor, user, expected_version, active):
    """Deactivating signs the user out everywhere (the session version changes)."""
    if user.id == actor.id and not active:
        raise FieldError("active", _("Vous ne pouvez pas désactiver votre propre compte."))
    values = {"active": active}
    if not active:
        values["session_version"] = user.session_version + 1
    bump_version(user, expected_version, **values)


def search_organisations(query=""):
    """(organisation, territory) pairs, by name, in one statement."""
    stmt = select(Organisation, Territory).outerjoin(Territory, Organisation.territory_id == Territory.id)
    if query and query.strip():
        pattern = _contains(query)
        stmt = stmt.where(or_(func.lower(Organisation.name).like(pattern), Organisation.siren.like(pattern)))
    return db.session.exec(stmt.order_by(Organisation.name, Organisation.id)).all()


def territories():
    return db.session.exec(select(Territory).order_by(Territory.department_code, Territory.epci)).all()


def _organisation_values(values, current_id=None):
    values = dict(values)
    values["siren"] = normalise_siren(values["siren"])
    values["name"] = values["name"].strip()
    values["kind"] = OrganisationKind(values["kind"])
    clash = db.session.exec(select(Organisation.id).where(Organisation.siren == values["siren"])).first()
    if clash is not None and clash != current_id:
        raise FieldError("siren", _("Un organisme avec ce SIREN existe déjà."))
    territory = db.session.get(Territory, values["territory_id"])
    if territory is None:
        raise FieldError("territory_id", _("Choisissez l'EPCI."))
    if territory.department_code != values["department_code"]:
        raise FieldError("territory_id", _("Cet EPCI n'appartient pas au département choisi."))
    return values


def create_organisation(*, name, kind, siren, department_code, territory_id, active=True):
    values = _organisation_values(dict(name=name, kind=kind, siren=siren, department_code=department_code,
                                       territory_id=territory_id))
    organisation = Organisation(**values, active=active)
    db.session.add(organisation)
    db.session.flush()
    return organisation


def update_organisation(organisation, expected_version, *, name, kind, siren, department_code, territory_id,
                        active=True):
    values = _organisation_values(dict(name=name, kind=kind, siren=siren, department_code=department_code,
                                       territory_id=territory_id), current_id=organisation.id)
    bump_version(organisation, expected_version, active=active, **values)


def counts():
    """For the admin home page."""
    return {
        "users": db.session.exec(select(func.count()).select_from(User)).one(),
        "active_users": db.session.exec(select(func.count()).select_from(User).where(User.active)).one(),
        "organisations": db.session.exec(select(func.count()).select_from(Organisation)).one(),
    }
