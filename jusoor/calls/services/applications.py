"""An organisation's application to a call, from the draft to the decision. `Application.TRANSITIONS` lists the moves:

draft → submitted → eligible / ineligible (automatic, from the call's rules; a manager can override with a reason)
→ under review → shortlisted → selected / waitlisted / rejected; the applicant may withdraw before a decision.

One service per transition. Each locks the row, re-reads the state, returns quietly when the application is already
in the target state, checks what the move needs, writes with update_fields, records an audit row and mails the
applicant organisation's owners and administrators, each in their own language, with the reasons, after commit.

Submission is checked against the clock here, not only in the pages: a request sent after `closes_at` is refused
and writes nothing.
"""

from __future__ import annotations

import secrets
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jusoor.calls.error_codes import CallErrorCode
from jusoor.calls.models import Answer, Application, Call, Question
from jusoor.calls.services.answers import EMPTY, budget_total, check_file, clean_answer, field_name
from jusoor.calls.services.eligibility import eligibility_snapshot, is_eligible
from jusoor.common.audit import audit_log
from jusoor.common.exceptions import ApplicationError, PermissionDeniedError
from jusoor.common.i18nfield import localized
from jusoor.common.mail import mail_queue
from jusoor.common.models import AuditEvent
from jusoor.organizations.models import Membership, MembershipRole, Organization

Status = Application.Status
ADMIN_ROLES = (MembershipRole.OWNER, MembershipRole.ADMIN)


def _error(message: str, code: str, field: str = "__all__") -> ApplicationError:
    return ApplicationError(message, code=code, extra={"fields": {field: [message]}})


def _lock(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("call__programme", "organization__kind", "organization__territory")
        .get(pk=application.pk)
    )


def _ensure_can(application: Application, target: str) -> None:
    if not application.can_transition_to(target):
        raise ApplicationError(
            _("This application cannot go from “%(old)s” to “%(new)s”.")
            % {"old": application.get_status_display(), "new": Status(target).label},
            code=CallErrorCode.INVALID_TRANSITION,
        )


def _ensure_open(call: Call) -> None:
    now = timezone.now()
    if now >= call.closes_at:
        raise _error(
            _("The deadline of this call has passed: applications can no longer be submitted or changed."),
            CallErrorCode.DEADLINE_PASSED,
        )
    if not call.published or now < call.opens_at:
        raise _error(_("This call is not open for applications."), CallErrorCode.CALL_NOT_OPEN)


def _recipients(organization_id: int) -> list[Any]:
    memberships = (
        Membership.objects.filter(organization_id=organization_id, role__in=ADMIN_ROLES, user__is_active=True)
        .select_related("user")
        .order_by("id")
    )
    return list({membership.user.email.lower(): membership.user for membership in memberships}.values())


def _notify(application: Application) -> None:
    for user in _recipients(application.organization_id):
        language = user.preferred_language or application.language
        reasons = [
            {"ok": item["ok"], "reason": _reason_text(item["reason"], language)}
            for item in application.eligibility
            if application.status in (Status.ELIGIBLE, Status.INELIGIBLE)
        ]
        mail_queue(
            template_prefix="calls/email/status_changed",
            to=user.email,
            language=language,
            context={
                "application": application,
                "call_title": _call_title(application.call, language),
                "organization_name": application.organization.name,
                "reason": application.status_reason,
                "reasons": reasons,
            },
        )


def _reason_text(reason: Any, language: str) -> str:
    return localized(reason, language) if isinstance(reason, dict) else str(reason)


def _call_title(call: Call, language: str) -> str:
    values = {code: getattr(call, f"title_{code}") for code in ("ar", "fr", "en")}
    return values.get(language) or values.get(call.primary_language) or next(v for v in values.values() if v)


def _write(
    application: Application,
    *,
    acting_user: Any,
    target: str,
    action: str,
    reason: str = "",
    values: dict[str, Any] | None = None,
    notify: bool = True,
) -> Application:
    values = values or {}
    now = timezone.now()
    changes: dict[str, Any] = {"status": {"old": application.status, "new": target}}
    if reason or application.status_reason:
        changes["reason"] = {"old": application.status_reason, "new": reason}
    changes.update({name: {"old": getattr(application, name), "new": value} for name, value in values.items()})
    application.status = target
    application.status_reason = reason
    application.status_changed_at = now
    for name, value in values.items():
        setattr(application, name, value)
    application.save(update_fields=["status", "status_reason", "status_changed_at", *values, "updated_at"])
    audit_log(actor=acting_user, action=action, target=application, changes=changes)
    if notify:
        _notify(application)
    return application


def _reason(reason: str, *, required: bool) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise _error(_("Give the reason: the applicant will read it."), CallErrorCode.REASON_REQUIRED, "reason")
    return reason


# --- The applicant ---------------------------------------------------------------------------------------------------


def is_organization_admin(user: Any, organization: Organization) -> bool:
    return Membership.objects.filter(organization=organization, user_id=user.pk, role__in=ADMIN_ROLES).exists()


@transaction.atomic
def application_start(*, call: Call, organization: Organization, acting_user: Any) -> Application:
    """The organisation's draft for the call (one per organisation and call: an existing one is returned)."""
    if not getattr(acting_user, "is_authenticated", False) or not is_organization_admin(acting_user, organization):
        raise PermissionDeniedError(
            _("Only the owners and administrators of an organisation can apply on its behalf."),
            code=CallErrorCode.NOT_ORGANIZATION_ADMIN,
        )
    existing = Application.objects.filter(call=call, organization=organization).first()
    if existing is not None:
        return existing
    _ensure_open(call)
    try:
        with transaction.atomic():
            application = Application.objects.create(
                call=call,
                organization=organization,
                created_by=acting_user,
                language=(acting_user.preferred_language or organization.primary_language or "ar")[:2],
            )
    except IntegrityError:  # another administrator started it at the same moment
        return Application.objects.get(call=call, organization=organization)
    audit_log(actor=acting_user, action="calls.application.started", target=application, changes={})
    return application


def _clean_all(
    questions: list[Question], answers: dict[Any, Any], files: dict[Any, UploadedFile], currency: str
) -> tuple[dict[int, Any], dict[int, Any]]:
    by_id = {question.pk: question for question in questions}
    errors: dict[str, list[str]] = {}
    values: dict[int, Any] = {}
    uploads: dict[int, Any] = {}
    for key, value in answers.items():
        question = by_id.get(int(key))
        if question is None:
            raise _error(_("This question is not part of the call's form."), CallErrorCode.ANSWER_INVALID)
        if question.kind == Question.Kind.FILE:
            continue
        try:
            values[question.pk] = clean_answer(question, value, currency=currency)
        except ApplicationError as error:
            errors.update(error.extra["fields"])
    for key, upload in files.items():
        question = by_id.get(int(key))
        if question is None or question.kind != Question.Kind.FILE:
            raise _error(_("This question is not part of the call's form."), CallErrorCode.ANSWER_INVALID)
        try:
            uploads[question.pk] = (upload, check_file(question, upload))
        except ApplicationError as error:
            errors.update(error.extra["fields"])
    if errors:
        message = _("Some answers are not valid: see the questions marked below.")
        raise ApplicationError(message, code=CallErrorCode.ANSWER_INVALID, extra={"fields": errors})
    return values, uploads


@transaction.atomic
def application_save_answers(
    *,
    application: Application,
    answers: dict[Any, Any],
    files: dict[Any, UploadedFile] | None = None,
    acting_user: Any,
) -> Application:
    """Save a draft's answers ({question id: value}, {question id: upload}); a draft may be incomplete.

    Every answer is checked first; one invalid answer refuses the whole save. An empty value removes the answer.
    The amount requested is the total of the budget tables."""
    application = _lock(application)
    if application.status not in Application.EDITABLE_STATUSES:
        raise _error(_("This application has been sent: it can no longer be changed."), CallErrorCode.NOT_EDITABLE)
    _ensure_open(application.call)
    questions = list(Question.objects.filter(call_id=application.call_id))
    values, uploads = _clean_all(questions, answers, files or {}, application.call.programme.currency)
    existing = {answer.question_id: answer for answer in Answer.objects.filter(application=application)}
    changed = []
    for question_id, value in values.items():
        answer = existing.get(question_id)
        if value is EMPTY:
            if answer is not None:
                answer.delete()
                existing.pop(question_id)
                changed.append(question_id)
        elif answer is None:
            existing[question_id] = Answer.objects.create(application=application, question_id=question_id, value=value)
            changed.append(question_id)
        elif answer.value != value:
            answer.value = value
            answer.save(update_fields=["value"])
            changed.append(question_id)
    for question_id, (upload, sniffed) in uploads.items():
        answer = existing.get(question_id) or Answer(application=application, question_id=question_id)
        old_name = answer.file.name or ""
        answer.value = {"name": str(upload.name or "")[:200], "content_type": sniffed.content_type}
        answer.file.save(
            f"{application.pk}-{question_id}-{secrets.token_hex(8)}.{sniffed.extension}", upload, save=False
        )
        answer.save()
        existing[question_id] = answer
        changed.append(question_id)
        if old_name:
            _delete_on_commit(answer.file.storage, old_name)
    by_id = {question.pk: question for question in questions}
    budgets = [
        answer.value
        for question_id, answer in existing.items()
        if by_id[question_id].kind == Question.Kind.BUDGET and answer.value
    ]
    requested = sum((budget_total(rows) for rows in budgets), Decimal(0)) if budgets else None
    if requested != application.requested_amount:
        application.requested_amount = requested
        application.save(update_fields=["requested_amount", "updated_at"])
    if changed:
        audit_log(
            actor=acting_user,
            action="calls.application.answers_saved",
            target=application,
            changes={"questions": sorted(changed), "requested_amount": requested},
        )
    return application


def _delete_on_commit(storage: Any, name: str) -> None:
    transaction.on_commit(lambda: storage.delete(name))


def missing_answers(application: Application) -> list[Question]:
    """The required questions the application has not answered yet, in the form's order."""
    answered = {
        answer.question_id
        for answer in Answer.objects.filter(application=application)
        if answer.value not in (None, "", []) or answer.file
    }
    return [
        question
        for question in Question.objects.filter(call_id=application.call_id, required=True).order_by("position", "id")
        if question.pk not in answered
    ]


@transaction.atomic
def application_submit(*, application: Application, acting_user: Any) -> Application:
    """Send the application before the deadline: every required question answered. The call's eligibility rules are
    then evaluated; the application becomes eligible or ineligible, with the reasons stored and mailed."""
    application = _lock(application)
    if application.status not in (Status.DRAFT, Status.WITHDRAWN):
        return application  # already sent (and checked)
    _ensure_can(application, Status.SUBMITTED)
    _ensure_open(application.call)
    missing = missing_answers(application)
    if missing:
        message = _("Answer every required question before sending the application.")
        fields = {field_name(question): [_("This question needs an answer.")] for question in missing}
        raise ApplicationError(
            message, code=CallErrorCode.ANSWERS_MISSING, extra={"fields": {"__all__": [message], **fields}}
        )
    now = timezone.now()
    _write(
        application,
        acting_user=acting_user,
        target=Status.SUBMITTED,
        action="calls.application.submitted",
        values={"submitted_at": now},
        notify=False,
    )
    results = eligibility_snapshot(
        call=application.call, organization=application.organization, requested=application.requested_amount
    )
    target = Status.ELIGIBLE if is_eligible(results) else Status.INELIGIBLE
    return _write(
        application,
        acting_user=None,
        target=target,
        action="calls.application.eligibility_checked",
        values={"eligibility": results},
    )


@transaction.atomic
def application_withdraw(*, application: Application, acting_user: Any, reason: str = "") -> Application:
    """The applicant takes the application back, before a final decision."""
    application = _lock(application)
    if application.status == Status.WITHDRAWN:
        return application
    _ensure_can(application, Status.WITHDRAWN)
    return _write(
        application,
        acting_user=acting_user,
        target=Status.WITHDRAWN,
        action="calls.application.withdrawn",
        reason=_reason(reason, required=False),
    )


# --- The programme's managers ----------------------------------------------------------------------------------------


@transaction.atomic
def application_override_eligibility(
    *, application: Application, acting_user: Any, reason: str, eligible: bool = True
) -> Application:
    """A manager overrides the automatic check (ineligible → eligible, or eligible → ineligible), with a reason."""
    target = Status.ELIGIBLE if eligible else Status.INELIGIBLE
    application = _lock(application)
    if application.status == target:
        return application
    _ensure_can(application, target)
    return _write(
        application,
        acting_user=acting_user,
        target=target,
        action="calls.application.eligibility_overridden",
        reason=_reason(reason, required=True),
    )


def _decide(
    application: Application, *, acting_user: Any, target: str, action: str, reason: str, reason_required: bool
) -> Application:
    application = _lock(application)
    if application.status == target:
        return application
    _ensure_can(application, target)
    return _write(
        application,
        acting_user=acting_user,
        target=target,
        action=action,
        reason=_reason(reason, required=reason_required),
    )


@transaction.atomic
def application_start_review(*, application: Application, acting_user: Any, reason: str = "") -> Application:
    return _decide(
        application,
        acting_user=acting_user,
        target=Status.UNDER_REVIEW,
        action="calls.application.review_started",
        reason=reason,
        reason_required=False,
    )


@transaction.atomic
def application_start_review_bulk(*, call: Call, acting_user: Any) -> int:
    """Every eligible application of the call goes under review; returns how many did. Row locks are taken in id
    order; each application gets its audit row and its mail."""
    applications = list(
        Application.objects.select_for_update(of=("self",))
        .filter(call=call, status=Status.ELIGIBLE)
        .select_related("call", "organization")
        .order_by("pk")
    )
    if not applications:
        return 0
    now = timezone.now()
    Application.objects.filter(pk__in=[a.pk for a in applications]).update(
        status=Status.UNDER_REVIEW, status_reason="", status_changed_at=now, updated_at=now
    )
    actor = acting_user if getattr(acting_user, "is_authenticated", False) else None
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=actor,
            action="calls.application.review_started",
            target_type=Application._meta.label_lower,
            target_id=str(application.pk),
            target_repr=str(application)[:200],
            changes={"status": {"old": Status.ELIGIBLE, "new": Status.UNDER_REVIEW}},
        )
        for application in applications
    )
    for application in applications:
        application.status, application.status_reason, application.status_changed_at = Status.UNDER_REVIEW, "", now
        _notify(application)
    return len(applications)


@transaction.atomic
def application_shortlist(*, application: Application, acting_user: Any, reason: str = "") -> Application:
    return _decide(
        application,
        acting_user=acting_user,
        target=Status.SHORTLISTED,
        action="calls.application.shortlisted",
        reason=reason,
        reason_required=False,
    )


@transaction.atomic
def application_select(*, application: Application, acting_user: Any, reason: str = "") -> Application:
    return _decide(
        application,
        acting_user=acting_user,
        target=Status.SELECTED,
        action="calls.application.selected",
        reason=reason,
        reason_required=False,
    )


@transaction.atomic
def application_waitlist(*, application: Application, acting_user: Any, reason: str = "") -> Application:
    return _decide(
        application,
        acting_user=acting_user,
        target=Status.WAITLISTED,
        action="calls.application.waitlisted",
        reason=reason,
        reason_required=False,
    )


@transaction.atomic
def application_reject(*, application: Application, acting_user: Any, reason: str) -> Application:
    return _decide(
        application,
        acting_user=acting_user,
        target=Status.REJECTED,
        action="calls.application.rejected",
        reason=reason,
        reason_required=True,
    )
