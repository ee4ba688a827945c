"""Committee sessions: scheduling, agenda, attendance, the chair's session mode, live following."""
from zoneinfo import ZoneInfo

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlmodel import or_, select
from wtforms import SelectChoice

from fsi.accounts.models import Role, User
from fsi.applications.models import Application
from fsi.calls.models import Call
from fsi.db import StaleObject, db
from fsi.formatting import parse_decimal
from fsi.i18n import pick
from fsi.review import sessions as ops
from fsi.review.access import can_follow_session
from fsi.review.conflicts import conflicts_by_application
from fsi.review.envelope import envelope_of
from fsi.review.errors import ReviewError
from fsi.review.forms import AgendaForm, ApproveForm, AttendanceForm, DeferForm, EmptyForm, RejectForm, SessionForm
from fsi.review.letters import release, release_all
from fsi.review.models import AgendaItem, CommitteeSession, Outcome, RegionalOpinion, SessionMember
from fsi.review.models.sessions import OUTCOME_LABELS
from fsi.review.ranking import consolidation_for
from fsi.review.scoring import criteria_of, submitted_reviews
from fsi.review.views import bp
from fsi.review.views.common import STALE_MESSAGE, flash_form_errors, get_or_404, require_staff
from fsi.workflow.service import WorkflowRefused

PARIS = ZoneInfo("Europe/Paris")
DECISION_FORMS = {Outcome.approved: ApproveForm, Outcome.rejected: RejectForm, Outcome.deferred: DeferForm}


def refused(error):
    db.rollback()
    reasons = getattr(error, "reasons", None)
    flash(" ".join(reasons) if reasons else str(error), "error")


@bp.route("/sessions")
@login_required
def session_list():
    query = select(CommitteeSession).order_by(CommitteeSession.starts_at.desc())
    if not current_user.is_staff:
        query = query.join(SessionMember, SessionMember.session_id == CommitteeSession.id).where(
            SessionMember.user_id == current_user.id)
    return render_template("review/session_list.html", sessions=db.session.exec(query).all(),
                           calls={c.id: c for c in db.session.exec(select(Call))})


def member_choices():
    users = db.session.exec(select(User).where(User.active.is_(True), or_(
        User.role == Role.reviewer, User.role == Role.staff, User.role == Role.admin)).order_by(User.full_name)).all()
    return [SelectChoice(u.id, u.full_name) for u in users]


@bp.route("/calls/<int:call_id>/sessions/new", methods=["GET", "POST"])
@login_required
def new_session(call_id):
    require_staff()
    call = get_or_404(Call, call_id)
    form = SessionForm()
    form.chair_id.choices = form.member_ids.choices = member_choices()
    if form.validate_on_submit():
        starts_at = form.starts_at.data.replace(tzinfo=PARIS)
        try:
            session = ops.create_session(call, form.title.data, starts_at, form.place.data or "", form.quorum.data,
                                         form.chair_id.data, form.member_ids.data)
            db.commit()
        except ReviewError as error:
            refused(error)
        else:
            flash(_("Séance programmée."), "success")
            return redirect(url_for("review.session_detail", session_id=session.id))
    return render_template("review/session_form.html", form=form, call=call, editing=False)


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@login_required
def edit_session(session_id):
    session = staff_session(session_id)
    data = {"title": session.title, "starts_at": session.starts_at.astimezone(PARIS).replace(tzinfo=None),
            "place": session.place, "quorum": session.quorum, "chair_id": session.chair_id,
            "member_ids": [m.user_id for m in ops.members_of(session)]}
    form = SessionForm(data=data)
    form.chair_id.choices = form.member_ids.choices = member_choices()
    if form.validate_on_submit():
        try:
            ops.update_session(session, form.title.data, form.starts_at.data.replace(tzinfo=PARIS),
                               form.place.data or "", form.quorum.data, form.chair_id.data, form.member_ids.data)
            db.commit()
        except ReviewError as error:
            refused(error)
        else:
            flash(_("Séance modifiée."), "success")
            return redirect(url_for("review.session_detail", session_id=session.id))
    return render_template("review/session_form.html", form=form, call=db.session.get(Call, session.call_id),
                           session=session, editing=True)


def staff_session(session_id):
    require_staff()
    return get_or_404(CommitteeSession, session_id)


def session_context(session):
    call = db.session.get(Call, session.call_id)
    agenda = ops.agenda_of(session)
    members = ops.member_users(session)
    conflicts = ops.member_conflicts(session, agenda)
    names = {user.id: user.full_name for _m, user in members}
    scheduled_ids = {a.id for _i, a in agenda}
    candidates = db.session.exec(select(Application).where(
        Application.call_id == call.id, Application.state == "reviewed").order_by(Application.reference)).all()
    agenda_form = AgendaForm(formdata=None)
    agenda_form.application_id.choices = [SelectChoice(a.id, f"{a.reference} — {a.title}") for a in candidates
                                          if a.id not in scheduled_ids]
    attendance = AttendanceForm(formdata=None, data={"present_ids": [m.user_id for m, _u in members if m.present]})
    attendance.present_ids.choices = [SelectChoice(u.id, u.full_name) for _m, u in members]
    return dict(session=session, call=call, agenda=agenda, members=members, conflicts=conflicts, names=names,
                agenda_form=agenda_form, attendance_form=attendance, empty_form=EmptyForm(),
                envelope=envelope_of(call, ops.proposed_in_session(session)),
                chair=db.session.get(User, session.chair_id) if session.chair_id else None)


@bp.route("/sessions/<int:session_id>")
@login_required
def session_detail(session_id):
    session = staff_session(session_id)
    return render_template("review/session_detail.html", **session_context(session))


@bp.route("/sessions/<int:session_id>/agenda", methods=["POST"])
@login_required
def add_agenda_item(session_id):
    session = staff_session(session_id)
    form = AgendaForm()
    form.application_id.choices = [SelectChoice(a.id, a.reference) for a in db.session.exec(
        select(Application).where(Application.call_id == session.call_id))]
    if not form.validate_on_submit():
        flash_form_errors(form)
    else:
        try:
            ops.add_to_agenda(session, get_or_404(Application, form.application_id.data), current_user)
            db.commit()
            flash(_("Dossier inscrit à l'ordre du jour."), "success")
        except StaleObject:
            db.rollback()
            flash(str(STALE_MESSAGE), "error")
        except (WorkflowRefused, ReviewError) as error:
            refused(error)
    return redirect(url_for("review.session_detail", session_id=session.id))


@bp.route("/sessions/<int:session_id>/attendance", methods=["POST"])
@login_required
def record_attendance(session_id):
    session = staff_session(session_id)
    form = AttendanceForm()
    form.present_ids.choices = [SelectChoice(u.id, u.full_name) for _m, u in ops.member_users(session)]
    if form.validate_on_submit():
        try:
            ops.record_attendance(session, set(form.present_ids.data or []))
        except ReviewError as error:
            refused(error)
        else:
            db.commit()
            flash(_("Présences enregistrées."), "success")
    else:
        flash_form_errors(form)
    return redirect(request.form.get("back") == "run" and url_for("review.session_run", session_id=session.id)
                    or url_for("review.session_detail", session_id=session.id))


@bp.route("/sessions/<int:session_id>/run")
@login_required
def session_run(session_id):
    """Session mode for the chair: agenda with figures, opinions and reviews, the envelope."""
    session = staff_session(session_id)
    context = session_context(session)
    applications = [a for _i, a in context["agenda"]]
    context.update(
        figures=consolidation_for(context["call"], applications), criteria=criteria_of(session.call_id),
        reviews=submitted_reviews([a.id for a in applications]),
        opinions={o.application_id: o for o in db.session.exec(select(RegionalOpinion).where(
            RegionalOpinion.application_id.in_([a.id for a in applications])))} if applications else {},
        decision_forms={outcome: form_class(formdata=None, prefix=outcome.value)
                        for outcome, form_class in DECISION_FORMS.items()},
        present={m.user_id for m, _u in context["members"] if m.present},
    )
    return render_template("review/session_run.html", **context)


@bp.route("/sessions/<int:session_id>/current", methods=["POST"])
@login_required
def set_current(session_id):
    session = staff_session(session_id)
    item = db.session.get(AgendaItem, request.form.get("item_id", type=int) or 0)
    if EmptyForm().validate_on_submit() and (item is None or item.session_id == session.id):
        try:
            ops.set_current_item(session, item)
            db.commit()
        except ReviewError as error:
            refused(error)
    return redirect(url_for("review.session_run", session_id=session.id) + (f"#item-{item.id}" if item else ""))


@bp.route("/items/<int:item_id>/decide/<outcome>", methods=["POST"])
@login_required
def decide(item_id, outcome):
    require_staff()
    item = get_or_404(AgendaItem, item_id)
    try:
        outcome = Outcome(outcome)
    except ValueError:
        abort(404)
    application = get_or_404(Application, item.application_id)
    form = DECISION_FORMS[outcome](prefix=outcome.value)
    if not form.validate_on_submit():
        flash_form_errors(form)
    else:
        amount = parse_decimal(form.amount.data) if outcome == Outcome.approved else None
        try:
            ops.decide(item, application, outcome, current_user, amount=amount, motivation=form.motivation.data)
            db.commit()
            flash(_("Décision enregistrée pour %(reference)s.", reference=application.reference), "success")
        except StaleObject:
            db.rollback()
            flash(_("Une autre décision a été enregistrée au même moment : rechargez la page et recommencez."),
                  "error")
        except (WorkflowRefused, ReviewError) as error:
            refused(error)
    return redirect(url_for("review.session_run", session_id=item.session_id) + f"#item-{item.id}")


@bp.route("/sessions/<int:session_id>/close", methods=["POST"])
@login_required
def close_session(session_id):
    session = staff_session(session_id)
    if EmptyForm().validate_on_submit():
        try:
            ops.close_session(session)
            db.commit()
            flash(_("Séance close ; le procès-verbal est figé."), "success")
        except ReviewError as error:
            refused(error)
    return redirect(url_for("review.session_run", session_id=session.id))


@bp.route("/sessions/<int:session_id>/release", methods=["POST"])
@login_required
def release_letters(session_id):
    session = staff_session(session_id)
    if EmptyForm().validate_on_submit():
        count = release_all(session)
        db.commit()
        flash(_("%(count)s lettre(s) de décision envoyée(s).", count=count), "success")
    return redirect(url_for("review.session_run", session_id=session.id))


@bp.route("/items/<int:item_id>/release", methods=["POST"])
@login_required
def release_letter(item_id):
    require_staff()
    item = get_or_404(AgendaItem, item_id)
    if EmptyForm().validate_on_submit() and release(item, get_or_404(Application, item.application_id)):
        db.commit()
        flash(_("Lettre de décision envoyée."), "success")
    return redirect(url_for("review.session_run", session_id=item.session_id) + f"#item-{item.id}")


def followed_session(session_id):
    session = get_or_404(CommitteeSession, session_id)
    if not can_follow_session(session, current_user):
        abort(404)
    return session


@bp.route("/sessions/<int:session_id>/live")
@login_required
def session_live(session_id):
    session = followed_session(session_id)
    return render_template("review/session_live.html", session=session, current=current_item_payload(session))


@bp.route("/sessions/<int:session_id>/current.json")
@login_required
def current_item_json(session_id):
    return jsonify(current_item_payload(followed_session(session_id)))


def current_item_payload(session):
    """What a member sees of the item under discussion; nothing of it when conflicted."""
    payload = {"status": session.status.value, "item": None, "recused": False}
    item = db.session.get(AgendaItem, session.current_item_id) if session.current_item_id else None
    if item is None:
        return payload
    application = db.session.get(Application, item.application_id)
    if current_user.id in conflicts_by_application([application])[application.id]:
        payload["recused"] = True
        return payload
    payload["item"] = {"position": item.position + 1, "reference": application.reference, "title": application.title,
                       "decided": item.outcome is not None,
                       "outcome": pick(OUTCOME_LABELS[item.outcome]) if item.outcome else ""}
    return payload
