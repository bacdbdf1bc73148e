"""Create and edit programmes, and move them through their life: draft → active → closed.

`data` holds the model fields (`title_ar` … `description_en`, `primary_language`, `operator`, `funder_names`,
`starts_on`, `ends_on`, `currency`, `budget_envelope`, `grant_minimum`, `grant_maximum`) and the relation lists
(`funders`, `territories`, `themes`). The operator must be an organisation the acting user administers (owner or
administrator), unless the user is a platform administrator or holds the platform's programme-manager role. The
person who creates a programme joins its team as a manager.

One service per transition (`Programme.TRANSITIONS`): lock the row, re-read, return quietly when already there,
write with update_fields, one audit row.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jusoor.common.audit import audit_log, diff
from jusoor.common.exceptions import ApplicationError
from jusoor.common.money import precision, quantize
from jusoor.organizations.models import MembershipRole, Organization
from jusoor.organizations.selectors.memberships import user_organization_roles
from jusoor.programmes.error_codes import ProgrammeErrorCode
from jusoor.programmes.models import Programme, ProgrammeMember, ProgrammeRole
from jusoor.programmes.rules import is_programme_admin

PROGRAMME_CURRENCIES = ("MAD", "TND", "EUR")
LANGUAGES = ("ar", "fr", "en")
TEXT_FIELDS = tuple(f"{name}_{code}" for name in ("title", "description") for code in LANGUAGES)
FIELDS = (
    *TEXT_FIELDS,
    "primary_language",
    "operator",
    "funder_names",
    "starts_on",
    "ends_on",
    "currency",
    "budget_envelope",
    "grant_minimum",
    "grant_maximum",
)
RELATIONS = ("funders", "territories", "themes")
Status = Programme.Status


def error(message: str, code: str, field: str = "__all__") -> ApplicationError:
    return ApplicationError(message, code=code, extra={"fields": {field: [message]}})


def may_operate(user: Any, organization: Organization) -> bool:
    """Whether `user` may run a programme operated by `organization`."""
    if is_programme_admin.test(user):
        return True
    return user_organization_roles(user).get(organization.pk) in {MembershipRole.OWNER, MembershipRole.ADMIN}


def check_amount(amount: Any, currency: str, *, field: str, allow_zero: bool = False) -> Decimal:
    """A Decimal ≥ 0 (or > 0) with at most the currency's decimals, else ApplicationError on `field`."""
    if not isinstance(amount, Decimal) or not amount.is_finite() or amount < 0 or (amount == 0 and not allow_zero):
        message = _("Enter an amount of zero or more.") if allow_zero else _("Enter an amount greater than zero.")
        raise error(message, ProgrammeErrorCode.AMOUNT_INVALID, field)
    if quantize(amount, currency) != amount:
        places = precision(currency)
        raise error(
            ngettext(
                "Amounts in %(currency)s have at most %(places)d decimal place.",
                "Amounts in %(currency)s have at most %(places)d decimal places.",
                places,
            )
            % {"currency": currency, "places": places},
            ProgrammeErrorCode.PRECISION,
            field,
        )
    return amount


def _validate(programme: Programme, acting_user: Any, *, check_operator: bool) -> None:
    if not any((getattr(programme, f"title_{code}") or "").strip() for code in LANGUAGES):
        raise error(_("Give the programme's title in at least one language."), ProgrammeErrorCode.TITLE_REQUIRED)
    if check_operator and not may_operate(acting_user, programme.operator):
        raise error(
            _("The operator must be an organisation you administer."),
            ProgrammeErrorCode.NOT_OPERATOR_ADMIN,
            "operator",
        )
    if programme.starts_on is None or programme.ends_on is None or programme.ends_on < programme.starts_on:
        raise error(
            _("The programme must end on or after the day it starts."), ProgrammeErrorCode.PERIOD_INVALID, "ends_on"
        )
    if programme.currency not in PROGRAMME_CURRENCIES:
        raise error(
            _("Choose one of these currencies: %(currencies)s.") % {"currencies": ", ".join(PROGRAMME_CURRENCIES)},
            ProgrammeErrorCode.CURRENCY_INVALID,
            "currency",
        )
    currency = programme.currency
    check_amount(programme.budget_envelope, currency, field="budget_envelope", allow_zero=True)
    for field in ("grant_minimum", "grant_maximum"):
        if getattr(programme, field) is not None:
            check_amount(getattr(programme, field), currency, field=field)
    low, high = programme.grant_minimum, programme.grant_maximum
    if low is not None and high is not None and low > high:
        raise error(
            _("The smallest grant cannot be larger than the largest grant."),
            ProgrammeErrorCode.GRANT_RANGE_INVALID,
            "grant_minimum",
        )
    if high is not None and programme.budget_envelope and high > programme.budget_envelope:
        raise error(
            _("The largest grant cannot exceed the budget envelope."),
            ProgrammeErrorCode.GRANT_RANGE_INVALID,
            "grant_maximum",
        )


def _apply(programme: Programme, data: dict[str, Any]) -> None:
    for field in FIELDS:
        if field in data:
            value = data[field]
            if field in TEXT_FIELDS or field == "funder_names":
                value = (value or "").strip()
            setattr(programme, field, value)


def _set_relations(programme: Programme, data: dict[str, Any]) -> dict[str, Any]:
    changes = {}
    for name in RELATIONS:
        if name in data:
            manager = getattr(programme, name)
            old = sorted(manager.values_list("pk", flat=True))
            new = sorted({item.pk for item in data[name] or []})
            if old != new:
                manager.set(new)
                changes[name] = {"old": old, "new": new}
    return changes


@transaction.atomic
def programme_create(*, acting_user: Any, data: dict[str, Any]) -> Programme:
    """A draft programme operated by `data["operator"]`; its creator joins the team as a manager."""
    programme = Programme(created_by=acting_user if acting_user.is_authenticated else None)
    _apply(programme, {"primary_language": "fr", "currency": "MAD", "budget_envelope": Decimal("0"), **data})
    if programme.operator_id is None:
        raise error(_("Choose the operator."), ProgrammeErrorCode.NOT_OPERATOR_ADMIN, "operator")
    _validate(programme, acting_user, check_operator=True)
    programme.save()
    relations = _set_relations(programme, data)
    ProgrammeMember.objects.create(programme=programme, user=acting_user, role=ProgrammeRole.MANAGER)
    values = {field: getattr(programme, field) for field in FIELDS}
    audit_log(
        actor=acting_user,
        action="programmes.programme.created",
        target=programme,
        changes={**diff({}, values), **relations},
    )
    return programme


@transaction.atomic
def programme_update(*, programme: Programme, acting_user: Any, data: dict[str, Any]) -> Programme:
    """Change a programme's texts, period, money, operator and relations (a closed programme cannot change)."""
    programme = Programme.objects.select_for_update(of=("self",)).select_related("operator").get(pk=programme.pk)
    if programme.status == Status.CLOSED:
        raise error(_("A closed programme cannot be changed."), ProgrammeErrorCode.INVALID_TRANSITION)
    old = {field: getattr(programme, field) for field in FIELDS}
    _apply(programme, data)
    # A manager keeps editing a programme; changing its operator needs the right to run programmes for the new one.
    _validate(programme, acting_user, check_operator=programme.operator_id != old["operator"].pk)
    new = {field: getattr(programme, field) for field in FIELDS}
    changed = [field for field in FIELDS if old[field] != new[field]]
    if changed:
        programme.save(update_fields=[*changed, "updated_at"])
    relations = _set_relations(programme, data)
    changes = {**diff(old, new), **relations}
    if changes:
        audit_log(actor=acting_user, action="programmes.programme.updated", target=programme, changes=changes)
    return programme


def _transition(programme: Programme, *, acting_user: Any, target: str, action: str) -> Programme:
    programme = Programme.objects.select_for_update(of=("self",)).get(pk=programme.pk)
    if programme.status == target:
        return programme
    if not programme.can_transition_to(target):
        raise ApplicationError(
            _("This programme cannot go from “%(old)s” to “%(new)s”.")
            % {"old": programme.get_status_display(), "new": Status(target).label},
            code=ProgrammeErrorCode.INVALID_TRANSITION,
        )
    old = programme.status
    programme.status = target
    programme.save(update_fields=["status", "updated_at"])
    audit_log(actor=acting_user, action=action, target=programme, changes={"status": {"old": old, "new": target}})
    return programme


@transaction.atomic
def programme_activate(*, programme: Programme, acting_user: Any) -> Programme:
    """Make a draft programme public (its page, its calls)."""
    return _transition(
        programme, acting_user=acting_user, target=Status.ACTIVE, action="programmes.programme.activated"
    )


@transaction.atomic
def programme_close(*, programme: Programme, acting_user: Any) -> Programme:
    """Close an active programme: its page stays public, nothing about it can change any more."""
    return _transition(programme, acting_user=acting_user, target=Status.CLOSED, action="programmes.programme.closed")
