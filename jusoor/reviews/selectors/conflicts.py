"""Conflicts of interest, declared or derived from the registry.

A reviewer is in conflict with an application when:
* they declared a conflict with the applicant organisation (`ConflictDeclaration`);
* they are a member (any role) of the applicant organisation;
* they are a member of another organisation of the applicant's federation: both organisations belong to the same
  federation, or one of them is the federation the other belongs to (`Organization.federations`);
* the call sets `same_commune_conflict` and they live or work in the applicant's commune (`User.commune`), or one of
  the organisations they are a member of is registered there.

`conflict_pairs` answers for a whole call in three queries, whatever its size; `conflict_reasons` for one pair.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jusoor.calls.models import Application, Call
from jusoor.organizations.models import Membership, Organization
from jusoor.reviews.models import ConflictDeclaration
from jusoor.territories.models import Kind

COMMUNE_KINDS = frozenset({Kind.COMMUNE, Kind.MUNICIPALITY})

DECLARED = _("declared by the reviewer")
MEMBER = _("member of the applicant organisation")
FEDERATION = _("member of an organisation of the same federation")
COMMUNE = _("lives, works or is a member of an organisation in the applicant's commune")


def federation_groups(organization_ids: Iterable[int]) -> dict[int, set[int]]:
    """{organisation id: the federations it belongs to, and itself} in one query."""
    ids = set(organization_ids)
    groups: dict[int, set[int]] = {org_id: {org_id} for org_id in ids}
    links = Organization.federations.through.objects.filter(from_organization_id__in=ids)
    for member_id, federation_id in links.values_list("from_organization_id", "to_organization_id"):
        groups[member_id].add(federation_id)
    return groups


def same_federation(org_a: Any, org_b: Any) -> bool:
    """Whether two different organisations (or organisation ids) share a federation, or one is the other's."""
    a, b = (getattr(org, "pk", org) for org in (org_a, org_b))
    if a == b:
        return False
    groups = federation_groups([a, b])
    return bool(groups[a] & groups[b])


@dataclass(frozen=True)
class Applicant:
    application_id: int
    organization_id: int
    commune_id: int | None


def _applicants(applications: Iterable[Application | tuple[int, int, int | None, str | None]]) -> list[Applicant]:
    applicants = []
    for row in applications:
        if isinstance(row, Application):
            territory = row.organization.territory
            commune = territory.pk if territory is not None and territory.kind in COMMUNE_KINDS else None
            applicants.append(Applicant(row.pk, row.organization_id, commune))
        else:
            application_id, organization_id, territory_id, kind = row
            applicants.append(
                Applicant(application_id, organization_id, territory_id if kind in COMMUNE_KINDS else None)
            )
    return applicants


@dataclass
class _Reviewers:
    """Where the reviewers stand in the registry: declared conflicts, memberships, federations and communes."""

    declared: dict[int, set[int]]  # organisation → reviewers who declared a conflict with it
    member_of: dict[int, set[int]]  # organisation → reviewers who are members
    in_group: dict[int, set[tuple[int, int]]]  # federation (or organisation) → (reviewer, their organisation)
    in_commune: dict[int, set[int]]  # commune → reviewers living, working or members of an organisation there
    groups: dict[int, set[int]]  # organisation → its federations and itself


def _reviewers(call: Call, reviewer_ids: list[int], applicant_org_ids: set[int]) -> _Reviewers:
    declared: dict[int, set[int]] = defaultdict(set)
    for reviewer_id, organization_id in ConflictDeclaration.objects.filter(reviewer_id__in=reviewer_ids).values_list(
        "reviewer_id", "organization_id"
    ):
        declared[organization_id].add(reviewer_id)
    member_of: dict[int, set[int]] = defaultdict(set)
    in_commune: dict[int, set[int]] = defaultdict(set)
    for user_id, organization_id, territory_id, kind in Membership.objects.filter(user_id__in=reviewer_ids).values_list(
        "user_id", "organization_id", "organization__territory_id", "organization__territory__kind"
    ):
        member_of[organization_id].add(user_id)
        if territory_id is not None and kind in COMMUNE_KINDS:
            in_commune[territory_id].add(user_id)
    if call.same_commune_conflict:
        users = get_user_model().objects.filter(pk__in=reviewer_ids, commune__isnull=False)
        for user_id, commune_id in users.values_list("pk", "commune_id"):
            in_commune[commune_id].add(user_id)
    groups = federation_groups(applicant_org_ids | set(member_of))
    in_group: dict[int, set[tuple[int, int]]] = defaultdict(set)
    for organization_id, members in member_of.items():
        for group in groups.get(organization_id, {organization_id}):
            in_group[group].update((reviewer_id, organization_id) for reviewer_id in members)
    return _Reviewers(declared, member_of, in_group, in_commune, groups)


def conflict_pairs(
    *,
    call: Call,
    reviewer_ids: Iterable[int],
    applications: Iterable[Application | tuple[int, int, int | None, str | None]],
) -> dict[tuple[int, int], list[Promise]]:
    """{(application id, reviewer id): [reasons]} for every conflicted pair. `applications` are Application objects
    (with `organization__territory` loaded) or rows (application id, organisation id, territory id, territory kind)."""
    applicants = _applicants(applications)
    index = _reviewers(call, list(reviewer_ids), {a.organization_id for a in applicants})
    pairs: dict[tuple[int, int], list[Promise]] = defaultdict(list)
    for applicant in applicants:
        key = applicant.organization_id
        for reviewer_id in index.declared.get(key, ()):
            pairs[(applicant.application_id, reviewer_id)].append(DECLARED)
        for reviewer_id in index.member_of.get(key, ()):
            pairs[(applicant.application_id, reviewer_id)].append(MEMBER)
        federated = {
            reviewer_id
            for group in index.groups.get(key, ())
            for reviewer_id, organization_id in index.in_group.get(group, ())
            if organization_id != key
        }
        for reviewer_id in sorted(federated):
            pairs[(applicant.application_id, reviewer_id)].append(FEDERATION)
        if call.same_commune_conflict and applicant.commune_id is not None:
            for reviewer_id in index.in_commune.get(applicant.commune_id, ()):
                pairs[(applicant.application_id, reviewer_id)].append(COMMUNE)
    return dict(pairs)


def conflict_reasons(*, application: Application, reviewer: Any) -> list[Promise]:
    """Why `reviewer` is in conflict with `application` ([] when they are not)."""
    if not getattr(reviewer, "is_authenticated", False):
        return []
    pairs = conflict_pairs(call=application.call, reviewer_ids=[reviewer.pk], applications=[application])
    return pairs.get((application.pk, reviewer.pk), [])
