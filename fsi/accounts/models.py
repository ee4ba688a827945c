"""Housing bodies, the people who use FSI, and what signing in needs."""
import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from fsi.cache import NOT_CACHED
from fsi.db import UTCDateTime, enum_column, utcnow
from fsi.workflow.definitions import ROLE_LABELS as WORKFLOW_ROLE_LABELS


class Role(str, enum.Enum):
    applicant = "applicant"
    reviewer = "reviewer"
    staff = "staff"
    admin = "admin"


#: the workflow engine names the roles its definitions use; accounts give them to users
ROLE_LABELS = {role: WORKFLOW_ROLE_LABELS[role.value] for role in Role}


class OrganisationKind(str, enum.Enum):
    oph = "oph"
    esh = "esh"
    coop = "coop"
    sem = "sem"
    other = "other"


ORGANISATION_KIND_LABELS = {
    OrganisationKind.oph: {"fr": "OPH (office public de l'habitat)", "en": "OPH (public housing office)"},
    OrganisationKind.esh: {"fr": "ESH (entreprise sociale pour l'habitat)", "en": "ESH (social housing company)"},
    OrganisationKind.coop: {"fr": "Coopérative Hlm", "en": "Hlm cooperative"},
    OrganisationKind.sem: {"fr": "SEM (société d'économie mixte)", "en": "SEM (semi-public company)"},
    OrganisationKind.other: {"fr": "Autre", "en": "Other"},
}


class Territory(SQLModel, table=True):
    """A department and EPCI of the region, loaded from territories.csv."""

    id: int | None = Field(default=None, primary_key=True)
    department_code: str = Field(max_length=3, index=True)
    department: str = Field(max_length=80)
    region: str = Field(max_length=80)
    #: métropole, communauté d'agglomération, communauté de communes...
    epci_kind: str = Field(max_length=60)
    epci: str = Field(max_length=160, unique=True)


class Organisation(SQLModel, table=True):
    """A housing body (organisme Hlm)."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    kind: OrganisationKind = Field(sa_column=enum_column(OrganisationKind, nullable=False))
    #: 9 digits, Luhn checksum (fsi.accounts.siren)
    siren: str = Field(max_length=9, unique=True)
    department_code: str = Field(max_length=3)
    territory_id: int | None = Field(default=None, foreign_key="territory.id")
    active: bool = True
    #: the addressee of the association's letters: « Madame la Directrice générale »...
    director_name: str = Field(default="", max_length=160)
    #: the postal address letters carry (several lines)
    postal_address: str = Field(default="", sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    #: compare-and-swap counter: an edit made on a stale form is refused (fsi.db.bump_version)
    version: int = 1


class User(UserMixin, SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    #: always stored lower-cased (normalise_email), so unique means unique whatever the case
    email: str = Field(max_length=254, unique=True)
    full_name: str = Field(max_length=160)
    password_hash: str | None = Field(default=None, max_length=255)
    role: Role = Field(sa_column=enum_column(Role, nullable=False, index=True))
    #: applicants belong to one; reviewers may (conflicts of interest rely on it)
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_login_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    #: bumped on sign-out, password change, deactivation and when the second factor is turned on or
    #: reset: every session and remember-me cookie issued before (copies included) stops working
    session_version: int = 1
    #: "fr" or "en": the pages when this browser session chose none, and the mails this person gets
    language: str = Field(default="fr", max_length=5)
    #: compare-and-swap counter for admin edits (fsi.db.bump_version)
    version: int = 1
    #: the TOTP secret (base32) of the second factor, kept as is: FSI has no encryption key of its own
    totp_secret: str | None = Field(default=None, max_length=64)
    #: when the user confirmed a first code; until then the secret is only being set up
    totp_enabled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    #: the time step of the last code accepted: a code works once
    totp_last_step: int | None = None

    @property
    def has_second_factor(self):
        return self.totp_enabled_at is not None

    @property
    def is_active(self):
        return self.active

    def get_id(self):
        return f"{self.id}:{self.session_version}"

    @property
    def is_staff(self):
        return self.role in (Role.staff, Role.admin)

    @property
    def is_admin(self):
        return self.role == Role.admin

    def has_role(self, *roles):
        return self.role in roles


def normalise_email(email):
    return (email or "").strip().lower()


class AttemptKind(str, enum.Enum):
    password = "password"
    second_factor = "second_factor"
    reset = "reset"


class LoginAttempt(SQLModel, table=True):
    """Sign-in attempts (a password, a second factor's code) and password-reset requests, for
    throttling per account and per address."""

    __tablename__ = "login_attempt"
    __table_args__ = {"info": NOT_CACHED}  # no kept result reads it (fsi.cache)

    id: int | None = Field(default=None, primary_key=True)
    kind: AttemptKind = Field(default=AttemptKind.password,
                              sa_column=enum_column(AttemptKind, nullable=False, index=True))
    email: str = Field(max_length=254, index=True)
    address: str = Field(max_length=64, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)


class TokenPurpose(str, enum.Enum):
    reset = "reset"
    invite = "invite"


class AuthToken(SQLModel, table=True):
    """A one-time link (password reset, invitation). Only the token's hash is stored."""

    __tablename__ = "auth_token"
    __table_args__ = {"info": NOT_CACHED}  # no kept result reads it (fsi.cache)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    purpose: TokenPurpose = Field(sa_column=enum_column(TokenPurpose, nullable=False))
    token_hash: str = Field(max_length=64, unique=True)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class RecoveryCode(SQLModel, table=True):
    """A second factor's recovery code: shown once, only its SHA-256 is kept, usable once."""

    __tablename__ = "recovery_code"
    __table_args__ = {"info": NOT_CACHED}  # no kept result reads it (fsi.cache)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    code_hash: str = Field(max_length=64)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class TrustedDevice(SQLModel, table=True):
    """A browser where the second factor is not asked again until ``expires_at``: its cookie holds
    a random token, only the token's SHA-256 is kept."""

    __tablename__ = "trusted_device"
    __table_args__ = {"info": NOT_CACHED}  # no kept result reads it (fsi.cache)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class AccountEventKind(str, enum.Enum):
    two_factor_enabled = "two_factor_enabled"
    two_factor_disabled = "two_factor_disabled"
    two_factor_reset = "two_factor_reset"
    codes_renewed = "codes_renewed"
    signed_out_all = "signed_out_all"


class AccountEvent(SQLModel, table=True):
    """What was done to an account's sign-in security, by whom and when (the admin's user page)."""

    __tablename__ = "account_event"
    __table_args__ = {"info": NOT_CACHED}  # no kept result reads it (fsi.cache)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    #: who did it: the user themself, the admin who reset their second factor, or None (``flask fsi``)
    actor_id: int | None = Field(default=None, foreign_key="user.id")
    kind: AccountEventKind = Field(sa_column=enum_column(AccountEventKind, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
