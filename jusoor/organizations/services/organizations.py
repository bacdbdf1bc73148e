"""Create and update organisations."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from jusoor.common.audit import audit_log, diff
from jusoor.common.exceptions import ApplicationError, invalid_data
from jusoor.organizations.error_codes import OrganizationErrorCode
from jusoor.organizations.models import BoardMember, Membership, MembershipRole, Organization
from jusoor.organizations.services.search_index import organization_reindex

RELATIONS = ("themes", "sdg_goals", "sdg_targets", "operating_territories", "federations")


def _split(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    fields = {k: v for k, v in data.items() if k not in RELATIONS}
    relations = {k: list(v) for k, v in data.items() if k in RELATIONS}
    return fields, relations


def _snapshot(organization: Organization, fields: list[str], relations: list[str]) -> dict[str, Any]:
    values: dict[str, Any] = {f: getattr(organization, f) for f in fields}
    for relation in relations:
        values[relation] = sorted(getattr(organization, relation).values_list("pk", flat=True))
    return values


def _duplicate_registration() -> ApplicationError:
    message = _("An organisation with this registration number is already registered.")
    return ApplicationError(
        message, code=OrganizationErrorCode.DUPLICATE_REGISTRATION, extra={"fields": {"__all__": [message]}}
    )


def _validate(organization: Organization) -> None:
    try:
        organization.full_clean(exclude=["search_text", "search_vector", "logo"])
    except ValidationError as exc:
        raise invalid_data(exc) from exc


@transaction.atomic
def organization_create(*, acting_user: Any, data: dict[str, Any]) -> Organization:
    """Create an organisation; the creator becomes its owner. `data` holds model fields and relation lists."""
    fields, relations = _split(data)
    organization = Organization(**fields)
    _validate(organization)
    try:
        with transaction.atomic():
            organization.save()
    except IntegrityError as exc:
        raise _duplicate_registration() from exc
    for relation, values in relations.items():
        getattr(organization, relation).set(values)
    Membership.objects.create(organization=organization, user=acting_user, role=MembershipRole.OWNER)
    organization_reindex(organization_ids=[organization.pk])
    audit_log(
        actor=acting_user,
        action="organizations.organization.created",
        target=organization,
        changes=diff({}, _snapshot(organization, list(fields), list(relations))),
    )
    return organization


@transaction.atomic
def organization_update(*, organization: Organization, acting_user: Any, data: dict[str, Any]) -> Organization:
    """Change the given fields and relations; one audit row with the old and new values."""
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    fields, relations = _split(data)
    old = _snapshot(organization, list(fields), list(relations))
    for field, value in fields.items():
        setattr(organization, field, value)
    _validate(organization)
    new_fields = {f: getattr(organization, f) for f in fields}
    changes = diff(old, {**new_fields, **{k: sorted(getattr(v, "pk", v) for v in vs) for k, vs in relations.items()}})
    if not changes:
        return organization
    changed_fields = sorted(f for f in changes if f in fields)
    try:
        with transaction.atomic():
            if changed_fields:
                organization.save(update_fields=[*changed_fields, "updated_at"])
    except IntegrityError as exc:
        raise _duplicate_registration() from exc
    for relation, values in relations.items():
        if relation in changes:
            getattr(organization, relation).set(values)
    organization_reindex(organization_ids=[organization.pk])
    audit_log(actor=acting_user, action="organizations.organization.updated", target=organization, changes=changes)
    return organization


@transaction.atomic
def organization_board_replace(
    *, organization: Organization, members: list[dict[str, str]], acting_user: Any
) -> list[BoardMember]:
    """Replace the governing board with `members` ([{"full_name", "role"}], in order); audited as old/new lists."""
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    old = [f"{m.full_name} ({m.role})" for m in organization.board.all()]
    new_rows = [
        BoardMember(organization=organization, full_name=m["full_name"].strip(), role=m["role"], position=index)
        for index, m in enumerate(members)
    ]
    for row in new_rows:
        try:
            row.full_clean(exclude=["organization"])
        except ValidationError as exc:
            raise invalid_data(exc) from exc
    new = [f"{m.full_name} ({m.role})" for m in new_rows]
    if old == new:
        return list(organization.board.all())
    organization.board.all().delete()
    created = BoardMember.objects.bulk_create(new_rows)
    audit_log(
        actor=acting_user,
        action="organizations.board.replaced",
        target=organization,
        changes={"board": {"old": old, "new": new}},
    )
    return created
