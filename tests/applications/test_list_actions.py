"""The « Actions possibles » column of the applications lists (staff call list, « Mes dossiers »):
the workflow actions the current user may take now, by role, ownership and state; each a link
to the application page's actions card; and a constant number of SQL statements for 1 or 100 rows."""
import re
from html import unescape
from itertools import cycle

from fsi.accounts.models import Role
from fsi.workflow.definitions import get_workflow
from tests.applications.test_access import count_queries
from tests.factories import create_application, create_open_call, create_organisation, create_user

REGIONAL_STATES = list(get_workflow("application").states)


def row_of(page, reference):
    """The HTML of the table row showing ``reference``."""
    rows = [row for row in re.split(r"<tr[ >]", page) if f">{reference}</a>" in row]
    assert len(rows) == 1, reference
    return rows[0]


def actions_cell(page, reference):
    """The last cell of the row: the « Actions possibles » column."""
    return re.findall(r"<td[^>]*>(.*?)</td>", row_of(page, reference), re.S)[-1]


def action_links(page, reference):
    """[(href, visible label)] of the links in the row's actions cell."""
    return [(unescape(href), unescape(label).strip()) for href, label in
            re.findall(r'<a href="([^"]+)" aria-describedby="ref-\d+">([^<]*)</a>', actions_cell(page, reference))]


def test_staff_see_the_eligibility_actions_on_a_submitted_application_and_none_on_a_draft(client, in_db, login):
    with in_db():
        staff = create_user(role=Role.staff)
        call = create_open_call()
        submitted = create_application(call=call, state="submitted")
        draft = create_application(call=call, state="draft")
        approved = create_application(call=call, state="approved")
    login(staff)
    page = client.get(f"/applications/call/{call.id}").get_data(as_text=True)

    assert "<th scope=\"col\">Actions possibles</th>" in page
    for header in ("Référence", "Organisme", "Titre", "État", "Montant demandé", "Déposé le"):
        assert f">{header}</th>" in page, header
    # returning is open; both eligibility decisions wait for the checklist: its link, once
    assert action_links(page, submitted.reference) == [
        (f"/applications/{submitted.id}#workflow-actions-title", "Retourner pour complément"),
        (f"/review/applications/{submitted.id}#eligibility-title", "Compléter la grille de recevabilité"),
        (f"/applications/{submitted.id}#workflow-actions-title", "Classer sans suite")]
    # each link is described by the row's reference (screen readers), not named after it
    row = row_of(page, submitted.reference)
    assert f'id="ref-{submitted.id}"' in row and row.count(f'aria-describedby="ref-{submitted.id}"') == 3
    assert action_links(page, draft.reference) == []
    assert actions_cell(page, draft.reference).strip() == "—"
    # no amount recorded: nothing above the agreement threshold, the project starts without one
    assert [label for _href, label in action_links(page, approved.reference)] == [
        "Démarrer le projet (sans convention)", "Constater l'abandon du projet"]
    assert "Retirer le dossier" not in page and "Déposer le dossier" not in page  # the applicant's actions


def test_staff_filtered_list_and_empty_list_keep_their_columns(client, in_db, login):
    with in_db():
        staff = create_user(role=Role.staff)
        call = create_open_call()
        create_application(call=call, state="draft", title="Brouillon caché")
    login(staff)
    page = client.get(f"/applications/call/{call.id}?state=submitted").get_data(as_text=True)
    assert "Aucun dossier." in page and 'colspan="7"' in page
    assert "Brouillon caché" not in page


def test_applicant_sees_submit_and_withdraw_on_their_draft_and_nothing_on_a_final_state(client, in_db, login):
    with in_db():
        organisation = create_organisation()
        applicant = create_user(role=Role.applicant, organisation=organisation)
        call = create_open_call()
        draft = create_application(call=call, organisation=organisation, state="draft")
        submitted = create_application(call=call, organisation=organisation, state="submitted")
        running = create_application(call=call, organisation=organisation, state="in_progress")
        withdrawn = create_application(call=call, organisation=organisation, state="withdrawn")
    login(applicant)
    page = client.get("/applications/").get_data(as_text=True)

    assert "<th scope=\"col\">Actions possibles</th>" in page
    assert action_links(page, draft.reference) == [
        (f"/applications/{draft.id}#workflow-actions-title", "Déposer le dossier"),
        (f"/applications/{draft.id}#workflow-actions-title", "Retirer le dossier")]
    assert [label for _href, label in action_links(page, submitted.reference)] == ["Retirer le dossier"]
    # the final report is filed on the project's page (workflows/report.yaml), not here
    assert [label for _href, label in action_links(page, running.reference)] == ["Renoncer à la subvention"]
    assert actions_cell(page, withdrawn.reference).strip() == "—"
    assert "Déclarer recevable" not in page  # staff's actions are not the applicant's


def test_labels_follow_the_chosen_language(client, in_db, login):
    with in_db():
        staff = create_user(role=Role.staff)
        call = create_open_call()
        submitted = create_application(call=call, state="submitted")
    login(staff)
    with client.session_transaction() as session:
        session["lang"] = "en"
    page = client.get(f"/applications/call/{call.id}").get_data(as_text=True)
    assert [label for _href, label in action_links(page, submitted.reference)] == [
        "Return for completion", "Complete the eligibility checklist", "Close without follow-up"]
    assert "Retourner pour complément" not in page


def add_rows(in_db, count, **kw):
    """``count`` applications going through every state of the regional circuit in turn (so every
    guard's preload runs)."""
    states = cycle(REGIONAL_STATES)
    with in_db():
        for _ in range(count):
            create_application(state=next(states), **kw)


def test_call_list_with_actions_costs_the_same_for_17_and_100_applications(app, client, in_db, login):
    """N+1 guard: the actions column adds no statement per row, whatever the rows' states (one row
    per state first, so that both counts run the same preloads)."""
    with in_db():
        staff = create_user(role=Role.staff)
        call = create_open_call()
    login(staff)
    add_rows(in_db, len(REGIONAL_STATES), call=call)
    some = count_queries(app, client, f"/applications/call/{call.id}")
    add_rows(in_db, 83, call=call)
    hundred = count_queries(app, client, f"/applications/call/{call.id}")
    page = client.get(f"/applications/call/{call.id}").get_data(as_text=True)
    assert page.count("#workflow-actions-title") > 40  # the rows show what can be done now...
    assert page.count("#eligibility-title") > 5  # ...and where a blocked step is unblocked
    assert some == hundred, (some, hundred)


def test_mine_with_actions_costs_the_same_for_17_and_100_applications(app, client, in_db, login):
    with in_db():
        organisation = create_organisation()
        applicant = create_user(role=Role.applicant, organisation=organisation)
        call = create_open_call()
    login(applicant)
    add_rows(in_db, len(REGIONAL_STATES), call=call, organisation=organisation)
    some = count_queries(app, client, "/applications/")
    add_rows(in_db, 83, call=call, organisation=organisation)
    hundred = count_queries(app, client, "/applications/")
    assert client.get("/applications/").get_data(as_text=True).count("Retirer le dossier") > 40
    assert some == hundred, (some, hundred)
