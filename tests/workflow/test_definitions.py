"""The definitions of workflows/ load, and a broken definition is refused with a clear error."""
import textwrap

import pytest

from fsi.workflow import check_definitions
from fsi.workflow.definitions import DefinitionError, all_workflows, check_guards, circuits, load_workflow
from fsi.workflow.registry import GUARDS

GOOD = """\
workflow: sample
version: 1
label: {fr: Exemple, en: Sample}
initial: draft
states:
  draft: {fr: Brouillon, en: Draft}
  sent: {fr: Envoyé, en: Sent}
  done: {fr: Fini, en: Done, final: true}
transitions:
  - trigger: send
    label: {fr: Envoyer, en: Send}
    from: draft
    to: sent
    roles: [applicant]
    guards: [sample_guard]
    comment: none
    notify: [staff]
  - trigger: finish
    label: {fr: Finir, en: Finish}
    from: sent
    to: done
    roles: [staff, admin]
    comment: required
    data: [amount]
"""


def write(tmp_path, text, name="sample"):
    path = tmp_path / f"{name}.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_the_real_definitions_load_and_their_guards_exist(app, domains):
    names = [wf.name for wf in check_definitions()]
    assert names == ["application", "application_fsi", "payment", "report", "review", "sheet"]
    application, national = all_workflows()[:2]
    assert application.initial == national.initial == "draft"
    assert national.circuit_of == "application" and circuits("application") == (application, national)
    assert application.transition("approve").data == ("amount",)
    assert national.transition("approve") is None and national.transition("record_national_grant").data == (
        "amount", "date")
    assert set(application.final_states()) == {"ineligible", "rejected", "disseminated", "withdrawn", "abandoned",
                                               "renounced", "lapsed"}


def test_a_good_sample_loads(tmp_path):
    wf = load_workflow(write(tmp_path, GOOD))
    assert wf.transition("finish").roles == ("staff", "admin")
    assert wf.transition("send").sources == ("draft",)


BROKEN = [
    ("unreachable", GOOD.replace("  done: {fr: Fini, en: Done, final: true}",
                                 "  done: {fr: Fini, en: Done, final: true}\n  lost: {fr: Perdu, en: Lost, final: true}"),
     "state 'lost' cannot be reached from 'draft'"),
    ("dead end", GOOD.replace("final: true", "final: false"), "state 'done' is a dead end"),
    ("final with exit", GOOD.replace("  sent: {fr: Envoyé, en: Sent}", "  sent: {fr: Envoyé, en: Sent, final: true}"),
     "final state 'sent' has transitions leaving it"),
    ("missing English label", GOOD.replace("{fr: Envoyer, en: Send}", "{fr: Envoyer}"),
     "transition 'send' has no label in en"),
    ("missing state label", GOOD.replace("{fr: Envoyé, en: Sent}", "{en: Sent}"), "state 'sent' has no label in fr"),
    ("no roles", GOOD.replace("roles: [applicant]", "roles: []"), "transition 'send' has no roles"),
    ("unknown role", GOOD.replace("roles: [applicant]", "roles: [boss]"), "unknown role 'boss'"),
    ("unknown audience", GOOD.replace("notify: [staff]", "notify: [everybody]"), "unknown audience 'everybody'"),
    ("unknown data", GOOD.replace("data: [amount]", "data: [colour]"), "unknown data 'colour'"),
    ("bad comment rule", GOOD.replace("comment: required", "comment: maybe"), "has comment 'maybe'"),
    ("no version", GOOD.replace("version: 1\n", ""), "missing 'version'"),
    ("unknown destination", GOOD.replace("to: done", "to: nowhere"), "goes to unknown state 'nowhere'"),
]


@pytest.mark.parametrize("text,message", [(t, m) for _n, t, m in BROKEN], ids=[n for n, _t, _m in BROKEN])
def test_a_broken_definition_is_refused_naming_file_and_problem(tmp_path, text, message):
    with pytest.raises(DefinitionError) as caught:
        load_workflow(write(tmp_path, text))
    assert str(caught.value).startswith("sample.yaml: ")
    assert message in str(caught.value)


def test_an_unknown_guard_is_refused(tmp_path):
    wf = load_workflow(write(tmp_path, GOOD))
    with pytest.raises(DefinitionError) as caught:
        check_guards(wf, GUARDS)
    assert "sample.yaml: transition 'send' uses guard 'sample_guard'" in str(caught.value)
    check_guards(wf, {**GUARDS, "sample_guard": lambda ctx: None})  # registered: accepted


def test_start_up_refuses_a_definition_naming_an_unregistered_guard(app, override_guards):
    override_guards({"call_open": None})
    with pytest.raises(DefinitionError, match="application.yaml: transition 'submit' uses guard 'call_open'"):
        check_definitions()


def test_start_up_refuses_a_definition_naming_an_unregistered_effect(app, override_guards):
    override_guards(effects={"reserve_envelope": None})
    with pytest.raises(DefinitionError, match="application.yaml: transition 'approve' uses effect 'reserve_envelope'"):
        check_definitions()
