"""Conflicts of interest, declared or derived from the registry.

A reviewer is in conflict with an application when:
* they declared a conflict with the applicant organisation (`ConflictDeclaration`);
* they are a member (any role) of the applicant organisation;
* they are a member of another organisation of the applicant's federation: both organisations belong to the same
  federation, or one of them is the federation the other belongs to (`Organization.federations`);
* the call sets `same_commune_conflict` and one of the organisations they are a member of is registered in the
  applicant's commune (users have no commune of residence: the organisations' communes stand for it).

`conflict_pairs` answers for a whole call in three queries, whatever its size; `conflict_reasons` for one pair.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

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
COMMUNE = _("member of an organisation in the applicant's commune")


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


def conflict_pairs(
    *,
    call: Call,
    reviewer_ids: Iterable[int],
    applications: Iterable[Application | tuple[int, int, int | None, str | None]],
) -> dict[tuple[int, int], list[Promise]]:
    """{(application id, reviewer id): [reasons]} for every conflicted pair. `applications` are Application objects
    (with `organization__territory` loaded) or rows (application id, organisation id, territory id, territory kind)."""
    reviewer_ids = list(reviewer_ids)
    applicants = _applicants(applications)
    declared: dict[int, set[int]] = defaultdict(set)
    for reviewer_id, organization_id in ConflictDeclaration.objects.filter(reviewer_id__in=reviewer_ids).values_list(
        "reviewer_id", "organization_id"
    ):
        declared[organization_id].add(reviewer_id)
    member_of: dict[int, set[int]] = defaultdict(set)  # organisation → reviewers
    reviewer_orgs: dict[int, set[int]] = defaultdict(set)  # reviewer → organisations
    in_commune: dict[int, set[int]] = defaultdict(set)  # commune → reviewers
    for user_id, organization_id, territory_id, kind in Membership.objects.filter(user_id__in=reviewer_ids).values_list(
        "user_id", "organization_id", "organization__territory_id", "organization__territory__kind"
    ):
        member_of[organization_id].add(user_id)
        reviewer_orgs[user_id].add(organization_id)
        if territory_id is not None and kind in COMMUNE_KINDS:
            in_commune[territory_id].add(user_id)

    groups = federation_groups({a.organization_id for a in applicants} | set(member_of))
    in_group: dict[int, set[tuple[int, int]]] = defaultdict(set)  # federation → (reviewer, their organisation)
    for reviewer_id, organization_ids in reviewer_orgs.items():
        for organization_id in organization_ids:
            for group in groups.get(organization_id, {organization_id}):
                in_group[group].add((reviewer_id, organization_id))

    pairs: dict[tuple[int, int], list[Promise]] = defaultdict(list)
    for applicant in applicants:
        for reviewer_id in declared.get(applicant.organization_id, ()):
            pairs[(applicant.application_id, reviewer_id)].append(DECLARED)
        for reviewer_id in member_of.get(applicant.organization_id, ()):
            pairs[(applicant.application_id, reviewer_id)].append(MEMBER)
        federated = {
            reviewer_id
            for group in groups.get(applicant.organization_id, ())
            for reviewer_id, organization_id in in_group.get(group, ())
            if organization_id != applicant.organization_id
        }
        for reviewer_id in sorted(federated):
            pairs[(applicant.application_id, reviewer_id)].append(FEDERATION)
        if call.same_commune_conflict and applicant.commune_id is not None:
            for reviewer_id in in_commune.get(applicant.commune_id, ()):
                pairs[(applicant.application_id, reviewer_id)].append(COMMUNE)
    return dict(pairs)


def conflict_reasons(*, application: Application, reviewer: Any) -> list[Promise]:
    """Why `reviewer` is in conflict with `application` ([] when they are not)."""
    if not getattr(reviewer, "is_authenticated", False):
        return []
    pairs = conflict_pairs(call=application.call, reviewer_ids=[reviewer.pk], applications=[application])
    return pairs.get((application.pk, reviewer.pk), [])
