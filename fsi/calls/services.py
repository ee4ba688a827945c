"""Operations on calls: create, edit (compare-and-swap on the version), list, render.

Operations flush, never commit: the view commits once.
"""
from datetime import UTC
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlmodel import delete, select

from fsi import markdown
from fsi.calls.models import Axis, Call, CallAxis, CallTheme, Criterion, FundingKind, Theme
from fsi.calls.rules import add_default_kinds
from fsi.calls.signals import call_created, call_in_use, criteria_in_use
from fsi.db import bump_version, db, utcnow
from fsi.errors import Refused
from fsi.hooks import any_true, collect
from fsi.limits import refuse_positive

PARIS = ZoneInfo("Europe/Paris")

#: columns of Call a staff form may set
CALL_FIELDS = ("title", "description", "opens_at", "closes_at", "envelope", "required_attachments",
               "min_project_cost", "public_funding_max_rate", "organisation_ceiling", "ceiling_months",
               "agreement_threshold", "max_duration_months", "auto_start_review", "auto_complete_review",
               "circuit", "min_cost_includes_tax", "joint_grant_split", "max_extensions", "progress_reports",
               "payment_schedule")


def render_markdown(text):
    """A call's presentation as sanitised HTML (fsi.markdown: no raw HTML, no script, no image)."""
    return markdown.render(text)


def paris_to_utc(naive):
    """A wall-clock time typed in Europe/Paris to an aware UTC datetime."""
    if naive is None:
        return None
    return naive.replace(tzinfo=PARIS).astimezone(UTC)


def utc_to_paris(aware):
    """An aware datetime to the naive Europe/Paris wall-clock time a form shows."""
    if aware is None:
        return None
    return aware.astimezone(PARIS).replace(tzinfo=None)


def _check_call(values):
    """What the columns cannot say: an envelope above zero, a closing after the opening."""
    refuse_positive("envelope", values.get("envelope"))
    opens_at, closes_at = values.get("opens_at"), values.get("closes_at")
    if opens_at and closes_at and closes_at <= opens_at:
        raise Refused(_("La clôture doit suivre l'ouverture."), field="closes_at")


def create_call(values, *, axis_ids=(), theme_ids=(), kinds=None, criteria=()):
    """A new call with the FSI's default funding rules unless ``kinds`` says otherwise."""
    _check_call(values)
    call = Call(**{k: v for k, v in values.items() if k in CALL_FIELDS})
    db.session.add(call)
    db.session.flush()
    add_default_kinds(call)
    _set_links(call, axis_ids, theme_ids)
    if kinds is not None:
        _set_kinds(call, kinds)
    _set_criteria(call, criteria)
    call_created.send(call)
    return call


def update_call(call, expected_version, values, *, axis_ids=(), theme_ids=(), kinds=(), criteria=()):
    """Apply a staff edit; raises fsi.db.StaleObject when someone saved the call meanwhile, and
    Refused when the circuit would change under applications already started in the other."""
    _check_call(values)
    if values.get("circuit", call.circuit) != call.circuit and any_true(call_in_use, call):
        raise Refused(_("L'appel a déjà des dossiers : ils suivent son circuit jusqu'au bout, qui ne change plus."),
                      field="circuit")
    bump_version(call, expected_version, **{k: v for k, v in values.items() if k in CALL_FIELDS})
    _set_links(call, axis_ids, theme_ids)
    _set_kinds(call, kinds)
    _set_criteria(call, criteria)
    return call


def _set_links(call, axis_ids, theme_ids):
    db.session.exec(delete(CallAxis).where(CallAxis.call_id == call.id))
    db.session.exec(delete(CallTheme).where(CallTheme.call_id == call.id))
    for axis_id in set(axis_ids):
        db.session.add(CallAxis(call_id=call.id, axis_id=axis_id))
    for theme_id in set(theme_ids):
        db.session.add(CallTheme(call_id=call.id, theme_id=theme_id))
    db.session.flush()


def _set_kinds(call, kinds):
    """``kinds``: dicts with code, rate, cap, enabled; unknown codes are ignored."""
    rows = {k.code: k for k in db.session.exec(select(FundingKind).where(FundingKind.call_id == call.id))}
    for item in kinds:
        row = rows.get(item["code"])
        if row is not None:
            row.rate, row.cap, row.enabled = item["rate"], item["cap"], item["enabled"]
    db.session.flush()


def _set_criteria(call, criteria):
    """Replace the grid by ``criteria`` (dicts with id or None, label, description, weight,
    scale_min, scale_max): rows kept by id are updated in place, the others deleted."""
    existing = {c.id: c for c in grid(call.id)}
    kept_ids = {item.get("id") for item in criteria}
    used = set(collect(criteria_in_use, call)) & set(existing)
    if used - kept_ids:
        raise Refused(_("Un critère déjà noté par le comité ne peut pas être retiré."), field="criteria")
    kept = set()
    for position, item in enumerate(criteria):
        row = existing.get(item.get("id"))
        if row is None:
            row = Criterion(call_id=call.id)
            db.session.add(row)
        else:
            kept.add(row.id)
        row.position = position
        for key in ("label", "description", "weight", "scale_min", "scale_max"):
            setattr(row, key, item[key])
    for criterion_id, row in existing.items():
        if criterion_id not in kept:
            db.session.delete(row)
    db.session.flush()


def grid(call_id):
    return db.session.exec(select(Criterion).where(Criterion.call_id == call_id)
                           .order_by(Criterion.position, Criterion.id)).all()


def call_axes(call_id):
    return db.session.exec(select(Axis).join(CallAxis, CallAxis.axis_id == Axis.id)
                           .where(CallAxis.call_id == call_id).order_by(Axis.position, Axis.id)).all()


def call_themes(call_id):
    return db.session.exec(select(Theme).join(CallTheme, CallTheme.theme_id == Theme.id)
                           .where(CallTheme.call_id == call_id).order_by(Theme.position, Theme.id)).all()


def all_axes(active_only=False):
    query = select(Axis).order_by(Axis.position, Axis.id)
    return db.session.exec(query.where(Axis.active) if active_only else query).all()


def all_themes(active_only=False):
    query = select(Theme).order_by(Theme.position, Theme.id)
    return db.session.exec(query.where(Theme.active) if active_only else query).all()


def all_calls():
    """Every call, the latest opened first."""
    return db.session.exec(select(Call).order_by(Call.opens_at.desc())).all()


def calls_by_status(include_upcoming):
    """(open, upcoming, closed) lists of calls; applicants do not see upcoming ones."""
    now = utcnow()
    calls = db.session.exec(select(Call).order_by(Call.closes_at.desc())).all()
    open_calls = [c for c in calls if c.is_open(now)]
    upcoming = [c for c in calls if c.opens_at > now] if include_upcoming else []
    closed = [c for c in calls if c.is_closed(now)]
    return open_calls, upcoming, closed


def call_titles(call_ids):
    """{call id: title} in one statement."""
    if not call_ids:
        return {}
    return dict(db.session.exec(select(Call.id, Call.title).where(Call.id.in_(list(call_ids)))).all())


def add_taxonomy_entry(model, label_fr, label_en):
    last = db.session.exec(select(model).order_by(model.position.desc())).first()
    row = model(label_fr=label_fr, label_en=label_en, position=(last.position + 1) if last else 0)
    db.session.add(row)
    db.session.flush()
    return row


def toggle_taxonomy_entry(row):
    """Hide an axis or theme from new calls (calls that use it keep it), or show it again."""
    row.active = not row.active
    db.session.add(row)
    db.session.flush()
