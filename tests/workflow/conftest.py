import pytest

from fsi.accounts.models import Role
from tests.factories import create_application, create_call, create_organisation, create_user

#: the five kinds of actor every transition is tried with
ACTORS = ("owner", "other_applicant", "staff", "reviewer", "admin")


@pytest.fixture
def domains(app):
    """The domains' guards, effects and subjects: registered by the application's factory."""


@pytest.fixture
def people(in_db):
    """One user per kind of actor; ids, since rows must not cross app contexts."""
    with in_db():
        org = create_organisation()
        users = {
            "owner": create_user(Role.applicant, organisation=org),
            "other_applicant": create_user(Role.applicant),
            "staff": create_user(Role.staff),
            "reviewer": create_user(Role.reviewer),
            "admin": create_user(Role.admin),
        }
        call = create_call()
        return {"org_id": org.id, "call_id": call.id, **{k: u.id for k, u in users.items()}}


@pytest.fixture
def new_application(in_db, people):
    """``new_application(state)`` -> id of an application of the owner's organisation."""
    from fsi.accounts.models import Organisation
    from fsi.calls.models import Call
    from fsi.db import db

    def make(state="draft", **kw):
        with in_db():
            app_row = create_application(call=db.session.get(Call, people["call_id"]),
                                         organisation=db.session.get(Organisation, people["org_id"]),
                                         state=state, **kw)
            return app_row.id

    return make
