"""Demo Day: set-up by a manager (pitches, rubric), live scoring by the jury, recusals.

Scores can be given only while the Demo Day is live, within each criterion's scale, by a juror of the programme
who is not in conflict with the pitching organisation (a declared recusal, or membership of it). A juror's score
on a criterion is one row, overwritten when the juror changes their mind (audited with the old value).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from jusoor.calls.models import Application
from jusoor.common.audit import audit_log
from jusoor.common.exceptions import ApplicationError
from jusoor.common.i18nfield import LANGUAGE_CODES
from jusoor.grants.error_codes import GrantErrorCode
from jusoor.grants.models import DemoDay, JurorScore, JuryCriterion, Pitch, Recusal
from jusoor.grants.selectors import juror_is_recused
from jusoor.grants.services.common import ensure_perm, field_error, invalid_transition
from jusoor.organizations.models import Organization
from jusoor.programmes.models import Programme

Status = DemoDay.Status


def demo_day_create(*, programme: Programme, title: str, starts_at: datetime, place: str, acting_user: Any) -> DemoDay:
    ensure_perm(acting_user, "grants.setup_demo_day", programme)
    title = (title or "").strip()
    if not title:
        raise field_error(_("Give the Demo Day a title."), GrantErrorCode.PITCH_INVALID, "title")
    with transaction.atomic():
        demo_day = DemoDay.objects.create(
            programme=programme,
            title=title[:200],
            starts_at=starts_at,
            place=(place or "").strip()[:200],
            created_by=acting_user,
        )
        audit_log(actor=acting_user, action="grants.demo_day.created", target=demo_day, changes={"title": title})
    return demo_day


def _ensure_planned(demo_day: DemoDay) -> None:
    if demo_day.status != Status.PLANNED:
        raise ApplicationError(
            _("Pitches and criteria can be changed only before scoring opens."), code=GrantErrorCode.NOT_LIVE
        )


@transaction.atomic
def pitch_add(
    *,
    demo_day: DemoDay,
    organization: Organization,
    acting_user: Any,
    title: str = "",
    application: Application | None = None,
) -> Pitch:
    ensure_perm(acting_user, "grants.setup_demo_day", demo_day)
    demo_day = DemoDay.objects.select_for_update().get(pk=demo_day.pk)
    _ensure_planned(demo_day)
    if Pitch.objects.filter(demo_day=demo_day, organization=organization).exists():
        raise field_error(
            _("This organisation already pitches at this Demo Day."), GrantErrorCode.PITCH_INVALID, "organization"
        )
    if application is not None and (
        application.organization_id != organization.pk or application.call.programme_id != demo_day.programme_id
    ):
        raise field_error(
            _("This application is not the organisation's application to this programme."),
            GrantErrorCode.PITCH_INVALID,
            "application",
        )
    last = Pitch.objects.filter(demo_day=demo_day).aggregate(m=Max("order"))["m"] or 0
    pitch = Pitch.objects.create(
        demo_day=demo_day, organization=organization, application=application, title=title[:200], order=last + 1
    )
    audit_log(
        actor=acting_user,
        action="grants.pitch.added",
        target=pitch,
        changes={"organization": organization.pk, "order": pitch.order},
    )
    return pitch


@transaction.atomic
def pitch_remove(*, pitch: Pitch, acting_user: Any) -> None:
    ensure_perm(acting_user, "grants.setup_demo_day", pitch.demo_day)
    demo_day = DemoDay.objects.select_for_update().get(pk=pitch.demo_day_id)
    _ensure_planned(demo_day)
    audit_log(
        actor=acting_user,
        action="grants.pitch.removed",
        target=demo_day,
        changes={"organization": pitch.organization_id},
    )
    pitch.delete()


def _parse_int(raw: Any, field: str) -> int:
    try:
        return int(str(raw).strip())
    except (TypeError, ValueError):
        raise field_error(_("Enter a whole number."), GrantErrorCode.CRITERION_INVALID, field) from None


@transaction.atomic
def criterion_add(
    *,
    demo_day: DemoDay,
    label: dict[str, str],
    weight: Any,
    scale_min: Any,
    scale_max: Any,
    acting_user: Any,
) -> JuryCriterion:
    ensure_perm(acting_user, "grants.setup_demo_day", demo_day)
    demo_day = DemoDay.objects.select_for_update().get(pk=demo_day.pk)
    _ensure_planned(demo_day)
    label = {code: (label.get(code) or "").strip()[:120] for code in LANGUAGE_CODES if (label.get(code) or "").strip()}
    if not label:
        raise field_error(
            _("Give the criterion a name in at least one language."), GrantErrorCode.CRITERION_INVALID, "label_fr"
        )
    try:
        weight = Decimal(str(weight).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        weight = Decimal("NaN")
    if not weight.is_finite() or weight <= 0 or weight > 1000 or weight != weight.quantize(Decimal("0.001")):
        raise field_error(
            _("The weight must be a positive number with at most 3 decimals."),
            GrantErrorCode.CRITERION_INVALID,
            "weight",
        )
    low, high = _parse_int(scale_min, "scale_min"), _parse_int(scale_max, "scale_max")
    if not -100 <= low < high <= 100:  # noqa: PLR2004 - a readable sanity bound
        raise field_error(
            _("The highest score must be above the lowest one."), GrantErrorCode.CRITERION_INVALID, "scale_max"
        )
    position = (JuryCriterion.objects.filter(demo_day=demo_day).aggregate(m=Max("position"))["m"] or 0) + 1
    criterion = JuryCriterion.objects.create(
        demo_day=demo_day, label=label, weight=weight, scale_min=low, scale_max=high, position=position
    )
    audit_log(
        actor=acting_user,
        action="grants.criterion.added",
        target=criterion,
        changes={"label": label, "weight": str(weight), "scale": [low, high]},
    )
    return criterion


def _transition(*, demo_day: DemoDay, target: str, acting_user: Any, action: str) -> DemoDay:
    ensure_perm(acting_user, "grants.setup_demo_day", demo_day)
    with transaction.atomic():
        locked = DemoDay.objects.select_for_update().get(pk=demo_day.pk)
        if locked.status == target:
            return locked
        if target not in DemoDay.TRANSITIONS[locked.status]:
            raise invalid_transition(locked.get_status_display(), target)
        if target == Status.LIVE and (not locked.pitches.exists() or not locked.criteria.exists()):
            raise ApplicationError(
                _("Add at least one pitch and one criterion before opening the scoring."),
                code=GrantErrorCode.INVALID_TRANSITION,
            )
        old = locked.status
        locked.status = target
        locked.save(update_fields=["status", "updated_at"])
        audit_log(actor=acting_user, action=action, target=locked, changes={"status": {"old": old, "new": target}})
    return locked


def demo_day_open(*, demo_day: DemoDay, acting_user: Any) -> DemoDay:
    """Planned → live: the jury can score."""
    return _transition(demo_day=demo_day, target=Status.LIVE, acting_user=acting_user, action="grants.demo_day.opened")


def demo_day_close(*, demo_day: DemoDay, acting_user: Any) -> DemoDay:
    """Live → held: scores are final."""
    return _transition(demo_day=demo_day, target=Status.HELD, acting_user=acting_user, action="grants.demo_day.held")


@transaction.atomic
def recusal_declare(
    *, demo_day: DemoDay, juror: Any, organization: Organization, reason: str, acting_user: Any
) -> Recusal:
    """A juror (or a manager for them) declares a conflict with a pitching organisation. Their scores on its
    pitch, if any, stop counting (the ranking leaves recused jurors out); they can no longer score it."""
    ensure_perm(acting_user, "grants.recuse_demo_day", demo_day)
    if juror.pk != acting_user.pk:
        ensure_perm(acting_user, "grants.setup_demo_day", demo_day)
    reason = (reason or "").strip()
    if not reason:
        raise field_error(_("Say why you are in conflict."), GrantErrorCode.PITCH_INVALID, "reason")
    if not demo_day.pitches.filter(organization=organization).exists():
        raise field_error(
            _("This organisation does not pitch at this Demo Day."), GrantErrorCode.PITCH_INVALID, "organization"
        )
    recusal, created = Recusal.objects.get_or_create(
        demo_day=demo_day, juror=juror, organization=organization, defaults={"reason": reason[:300]}
    )
    if created:
        audit_log(
            actor=acting_user,
            action="grants.juror.recused",
            target=recusal,
            changes={"juror": juror.pk, "organization": organization.pk, "reason": reason},
        )
    return recusal


def pitch_score(*, pitch: Pitch, criterion: JuryCriterion, value: Any, acting_user: Any) -> JurorScore:
    """Record the acting juror's score of a pitch on one criterion (a second call with another value replaces it)."""
    ensure_perm(acting_user, "grants.score_demo_day", pitch.demo_day)
    if criterion.demo_day_id != pitch.demo_day_id:
        raise ApplicationError(
            _("This criterion is not in this Demo Day's rubric."), code=GrantErrorCode.CRITERION_INVALID
        )
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        number = None
    field = f"c{criterion.pk}"
    if number is None or not criterion.scale_min <= number <= criterion.scale_max:
        raise field_error(
            _("Give a score from %(low)s to %(high)s.") % {"low": criterion.scale_min, "high": criterion.scale_max},
            GrantErrorCode.SCORE_OUT_OF_SCALE,
            field,
        )
    with transaction.atomic():
        demo_day = DemoDay.objects.select_for_update(of=("self",)).get(pk=pitch.demo_day_id)  # vs. closing
        if demo_day.status != Status.LIVE:
            raise ApplicationError(_("Scoring is not open for this Demo Day."), code=GrantErrorCode.NOT_LIVE)
        if juror_is_recused(demo_day=demo_day, juror=acting_user, organization_id=pitch.organization_id):
            raise ApplicationError(
                _("You have recused yourself from this pitch: you cannot score it."), code=GrantErrorCode.RECUSED
            )
        score = (
            JurorScore.objects.select_for_update().filter(pitch=pitch, juror=acting_user, criterion=criterion).first()
        )
        old = score.value if score else None
        if score is None:
            score = JurorScore.objects.create(pitch=pitch, juror=acting_user, criterion=criterion, value=number)
        elif score.value != number:
            score.value = number
            score.save(update_fields=["value", "scored_at"])
        else:
            return score
        audit_log(
            actor=acting_user,
            action="grants.pitch.scored",
            target=score,
            changes={"pitch": pitch.pk, "criterion": criterion.pk, "value": {"old": old, "new": number}},
        )
    return score
