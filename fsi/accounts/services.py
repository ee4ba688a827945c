"""Account rules: authentication, passwords. Views, the CLI and tests all call these."""
import csv
from pathlib import Path

from flask import current_app
from sqlmodel import select
from werkzeug.security import check_password_hash, generate_password_hash

from fsi.accounts.models import Territory, User, normalise_email
from fsi.db import db, utcnow


def hash_password(password):
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def user_by_email(email):
    return db.session.exec(select(User).where(User.email == normalise_email(email))).first()


def authenticate(email, password):
    """The active user with these credentials, or None."""
    user = user_by_email(email)
    if user is None or not user.active or not user.password_hash:
        return None
    if not check_password_hash(user.password_hash, password):
        return None
    user.last_login_at = utcnow()
    return user


#: The region's departments and main EPCI (a copy of shared/reference/territories.csv).
TERRITORIES_CSV = Path(__file__).resolve().parent / "data" / "territories.csv"


def load_territories(path=None):
    """Add the territories of the CSV not known yet (by EPCI name); returns how many were added."""
    known = set(db.session.exec(select(Territory.epci)).all())
    added = 0
    with open(path or TERRITORIES_CSV, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["epci"] in known:
                continue
            db.session.add(Territory(**{k: row[k] for k in
                                        ("department_code", "department", "region", "epci_kind", "epci")}))
            known.add(row["epci"])
            added += 1
    db.session.flush()
    return added
