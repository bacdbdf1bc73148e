"""Reads of the grants app: jury sheets, the live ranking, envelope figures and grants, always for a viewer."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext as _

from jusoor.accounts.models import User
from jusoor.calls.models import Application
from jusoor.campaigns.models import Campaign
from jusoor.common.exceptions import NotFoundError
from jusoor.finance.models import LedgerEntry
from jusoor.grants.models import (
    DemoDay,
    Grant,
    GrantReport,
    GrantTranche,
    JurorScore,
    JuryCriterion,
    Pitch,
    Recusal,
    committed_key,
    disbursed_key,
    envelope_key,
)
from jusoor.organizations.models import Membership, MembershipRole, Organization
from jusoor.programmes.models import Programme, ProgrammeMember, ProgrammeRole

MEAN_PLACES = Decimal("0.001")


# --- Ledger figures -----------------------------------------------------------------------------------------
def account_sum(key: str, currency: str) -> Decimal:
    """Sum of an account's entries (debits positive), zero when it has none."""
    total = LedgerEntry.objects.filter(account__key=key, currency=currency).aggregate(t=Sum("amount"))["t"]
    return total if total is not None else Decimal("0")


def envelope_consumed(programme: Programme) -> Decimal:
    return account_sum(envelope_key(programme.pk), programme.currency)


def grant_outstanding(grant: Grant) -> Decimal:
    """Committed to the organisation, not yet paid nor put in a matching pot."""
    return -account_sum(committed_key(grant.pk), grant.currency)


def grant_paid(grant: Grant) -> Decimal:
    return -account_sum(disbursed_key(grant.pk), grant.currency)


@dataclass(frozen=True)
class Envelope:
    currency: str
    total: Decimal
    consumed: Decimal
    minimum: Decimal | None
    maximum: Decimal | None

    @property
    def remaining(self) -> Decimal:
        return self.total - self.consumed

    @property
    def percent_consumed(self) -> int:
        return int(self.consumed * 100 / self.total) if self.total else 0


def programme_envelope(programme: Programme) -> Envelope:
    return Envelope(
        currency=programme.currency,
        total=programme.budget_envelope,
        consumed=envelope_consumed(programme),
        minimum=programme.grant_minimum,
        maximum=programme.grant_maximum,
    )


# --- Access -------------------------------------------------------------------------------------------------
def _not_found() -> NotFoundError:
    return NotFoundError(_("This page does not exist or you may not see it."))


def demo_day_get(*, demo_day_id: int, viewer: Any, permission: str | None = "grants.view_demo_day") -> DemoDay:
    """The Demo Day, or the same "not found" error whether it is missing or hidden from the viewer (pages pass
    `permission=None` and let their permission mixin answer 403 or the login page)."""
    demo_day = DemoDay.objects.select_related("programme").filter(pk=demo_day_id).first()
    if demo_day is None or (permission and not viewer.has_perm(permission, demo_day)):
        raise _not_found()
    return demo_day


def pitch_get(*, pitch_id: int, viewer: Any, permission: str | None = "grants.view_demo_day") -> Pitch:
    pitch = Pitch.objects.select_related("demo_day__programme", "organization").filter(pk=pitch_id).first()
    if pitch is None or (permission and not viewer.has_perm(permission, pitch.demo_day)):
        raise _not_found()
    return pitch


def grant_get(*, grant_id: int, viewer: Any, permission: str | None = "grants.view_grant") -> Grant:
    grant = Grant.objects.select_related("programme", "organization", "matching_pot").filter(pk=grant_id).first()
    if grant is None or (permission and not viewer.has_perm(permission, grant)):
        raise _not_found()
    return grant


def programme_get(*, programme_id: int, viewer: Any, permission: str | None) -> Programme:
    programme = Programme.objects.filter(pk=programme_id).first()
    if programme is None or (permission and not viewer.has_perm(permission, programme)):
        raise _not_found()
    return programme


# --- Lists --------------------------------------------------------------------------------------------------
def demo_day_list(*, programme: Programme) -> QuerySet[DemoDay]:
    return DemoDay.objects.filter(programme=programme).order_by("-starts_at", "-id")


def grant_list(*, programme: Programme) -> QuerySet[Grant]:
    """The programme's grants for its managers, with their organisation, newest first."""
    return Grant.objects.filter(programme=programme).select_related("organization").order_by("-created_at", "-id")


def grants_of_viewer(*, viewer: Any) -> QuerySet[Grant]:
    """Grants of the organisations the viewer owns or administers."""
    if not getattr(viewer, "is_authenticated", False):
        return Grant.objects.none()
    organizations = Membership.objects.filter(
        user_id=viewer.pk, role__in=[MembershipRole.OWNER, MembershipRole.ADMIN]
    ).values("organization_id")
    return (
        Grant.objects.filter(organization_id__in=organizations)
        .select_related("programme", "organization")
        .order_by("-created_at", "-id")
    )


def tranche_get(*, tranche_id: int, grant: Grant) -> GrantTranche:
    tranche = GrantTranche.objects.filter(pk=tranche_id, grant=grant).first()
    if tranche is None:
        raise _not_found()
    tranche.grant = grant
    return tranche


def report_get(*, report_id: int, grant: Grant) -> GrantReport:
    report = GrantReport.objects.filter(pk=report_id, grant=grant).first()
    if report is None:
        raise _not_found()
    report.grant = grant
    return report


def criterion_get(*, criterion_id: int, demo_day: DemoDay) -> JuryCriterion:
    criterion = JuryCriterion.objects.filter(pk=criterion_id, demo_day=demo_day).first()
    if criterion is None:
        raise _not_found()
    return criterion


def grant_tranches(grant: Grant) -> list[GrantTranche]:
    return list(grant.tranches.select_related("report").order_by("position"))


def grant_reports(grant: Grant) -> list[GrantReport]:
    return list(grant.reports.select_related("submitted_by", "decided_by").order_by("-created_at", "-id"))


# --- Jury ---------------------------------------------------------------------------------------------------
def demo_day_jurors(demo_day: DemoDay) -> list[User]:
    """The programme's jury members (team role "juror")."""
    ids = ProgrammeMember.objects.filter(programme_id=demo_day.programme_id, role=ProgrammeRole.JUROR).values("user_id")
    return list(User.objects.filter(pk__in=ids).order_by("email"))


def demo_day_criteria(demo_day: DemoDay) -> list[JuryCriterion]:
    return list(demo_day.criteria.order_by("position", "id"))


def demo_day_pitches(demo_day: DemoDay) -> list[Pitch]:
    return list(demo_day.pitches.select_related("organization").order_by("order", "id"))


@dataclass(frozen=True)
class Conflict:
    reason: str
    declared: bool


def demo_day_conflicts(demo_day: DemoDay, juror_ids: list[int] | None = None) -> dict[tuple[int, int], Conflict]:
    """{(juror id, organisation id): conflict} — declared recusals, and memberships of a pitching organisation
    (derived from the registry: a juror who belongs to the organisation cannot score it)."""
    conflicts: dict[tuple[int, int], Conflict] = {}
    organizations = demo_day.pitches.values("organization_id")
    members = Membership.objects.filter(organization_id__in=organizations)
    if juror_ids is not None:
        members = members.filter(user_id__in=juror_ids)
    for user_id, organization_id in members.values_list("user_id", "organization_id"):
        conflicts[(user_id, organization_id)] = Conflict(_("Member of the organisation"), declared=False)
    recusals = Recusal.objects.filter(demo_day=demo_day)
    if juror_ids is not None:
        recusals = recusals.filter(juror_id__in=juror_ids)
    for juror_id, organization_id, reason in recusals.values_list("juror_id", "organization_id", "reason"):
        conflicts[(juror_id, organization_id)] = Conflict(reason, declared=True)
    return conflicts


def juror_is_recused(*, demo_day: DemoDay, juror: Any, organization_id: int) -> bool:
    return (
        Recusal.objects.filter(demo_day=demo_day, juror_id=juror.pk, organization_id=organization_id).exists()
        or Membership.objects.filter(user_id=juror.pk, organization_id=organization_id).exists()
    )


@dataclass
class SheetRow:
    pitch: Pitch
    recused: bool
    reason: str
    scores: dict[int, int] = field(default_factory=dict)  # criterion id → value
    criteria: list[JuryCriterion] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return bool(self.scores) and len(self.scores) == len(self.criteria)

    @property
    def cells(self) -> list[tuple[JuryCriterion, int | None]]:
        return [(criterion, self.scores.get(criterion.pk)) for criterion in self.criteria]


def juror_sheet(*, demo_day: DemoDay, juror: Any) -> list[SheetRow]:
    """The juror's phone page: every pitch with the rubric, the juror's own scores and whether they recused."""
    criteria = demo_day_criteria(demo_day)
    conflicts = demo_day_conflicts(demo_day, juror_ids=[juror.pk])
    scores: dict[int, dict[int, int]] = defaultdict(dict)
    for pitch_id, criterion_id, value in JurorScore.objects.filter(
        pitch__demo_day=demo_day, juror_id=juror.pk
    ).values_list("pitch_id", "criterion_id", "value"):
        scores[pitch_id][criterion_id] = value
    rows = []
    for pitch in demo_day_pitches(demo_day):
        conflict = conflicts.get((juror.pk, pitch.organization_id))
        rows.append(
            SheetRow(
                pitch=pitch,
                recused=conflict is not None,
                reason=conflict.reason if conflict else "",
                scores=scores.get(pitch.pk, {}),
                criteria=criteria,
            )
        )
    return rows


def sheet_row(*, pitch: Pitch, juror: Any) -> SheetRow:
    demo_day = pitch.demo_day
    conflicts = demo_day_conflicts(demo_day, juror_ids=[juror.pk])
    conflict = conflicts.get((juror.pk, pitch.organization_id))
    return SheetRow(
        pitch=pitch,
        recused=conflict is not None,
        reason=conflict.reason if conflict else "",
        scores=dict(JurorScore.objects.filter(pitch=pitch, juror_id=juror.pk).values_list("criterion_id", "value")),
        criteria=demo_day_criteria(demo_day),
    )


@dataclass
class RankedPitch:
    pitch: Pitch
    mean: Decimal | None  # weighted mean over jurors, to 3 places; None until a juror has scored every criterion
    juror_means: list[Decimal]
    pending: int  # jurors who started but have not scored every criterion
    recused: int
    rank: int | None = None
    tied_with: list[Pitch] = field(default_factory=list)

    @property
    def jurors(self) -> int:
        return len(self.juror_means)

    @property
    def spread(self) -> Decimal | None:
        if not self.juror_means:
            return None
        return (max(self.juror_means) - min(self.juror_means)).quantize(MEAN_PLACES, ROUND_HALF_UP)


def juror_weighted_mean(values: dict[int, int], weights: dict[int, Decimal]) -> Decimal:
    """Σ weight × score / Σ weight over the criteria."""
    total_weight = sum((weights[criterion_id] for criterion_id in values), Decimal("0"))
    weighted = sum((weights[criterion_id] * value for criterion_id, value in values.items()), Decimal("0"))
    return weighted / total_weight


def demo_day_ranking(demo_day: DemoDay) -> list[RankedPitch]:
    """The live ranking: per pitch, each non-recused juror who scored every criterion gives Σw×s/Σw; the pitch's
    mean is the mean of those (rounded half-up to 3 places). Pitches with equal means share a rank (1, 2, 2, 4)
    and are listed in pitching order; pitches no juror has finished come last, unranked. Six queries whatever
    the number of pitches, jurors and scores."""
    criteria = demo_day_criteria(demo_day)
    weights = {criterion.pk: criterion.weight for criterion in criteria}
    pitches = demo_day_pitches(demo_day)
    conflicts = demo_day_conflicts(demo_day)
    sheets: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)
    for pitch_id, juror_id, criterion_id, value in JurorScore.objects.filter(pitch__demo_day=demo_day).values_list(
        "pitch_id", "juror_id", "criterion_id", "value"
    ):
        sheets[(pitch_id, juror_id)][criterion_id] = value
    jurors_of_programme = set(
        ProgrammeMember.objects.filter(programme_id=demo_day.programme_id, role=ProgrammeRole.JUROR).values_list(
            "user_id", flat=True
        )
    )
    rows = []
    for pitch in pitches:
        recused = {juror for (juror, organization) in conflicts if organization == pitch.organization_id}
        means, pending = [], 0
        for (pitch_id, juror_id), values in sorted(sheets.items()):
            if pitch_id != pitch.pk or juror_id in recused:
                continue
            if len(values) == len(weights):
                means.append(juror_weighted_mean(values, weights))
            else:
                pending += 1
        mean = (sum(means, Decimal("0")) / len(means)).quantize(MEAN_PLACES, ROUND_HALF_UP) if means else None
        rows.append(
            RankedPitch(
                pitch=pitch,
                mean=mean,
                juror_means=[m.quantize(MEAN_PLACES, ROUND_HALF_UP) for m in means],
                pending=pending,
                recused=len(recused & jurors_of_programme),
            )
        )
    rows.sort(key=lambda row: (row.mean is None, -(row.mean or 0), row.pitch.order, row.pitch.pk))
    position = 0
    for index, row in enumerate(rows):
        if row.mean is None:
            break
        if index == 0 or rows[index - 1].mean != row.mean:
            position = index + 1
        row.rank = position
        row.tied_with = [other.pitch for other in rows if other is not row and other.mean == row.mean]
    return rows


def pitch_candidates(*, programme: Programme) -> QuerySet[Organization]:
    """Organisations that applied to the programme's calls and were not turned down (candidates for a pitch)."""
    applied = Application.objects.filter(call__programme=programme).exclude(
        status__in=[Application.Status.DRAFT, Application.Status.WITHDRAWN, Application.Status.INELIGIBLE]
    )
    return Organization.objects.filter(pk__in=applied.values("organization_id")).order_by("name_fr", "name_ar")


def award_candidates(*, programme: Programme) -> QuerySet[Organization]:
    """Organisations that pitched at one of the programme's Demo Days, or were selected by one of its calls."""
    pitched = Pitch.objects.filter(demo_day__programme=programme).values("organization_id")
    selected = Application.objects.filter(call__programme=programme, status=Application.Status.SELECTED).values(
        "organization_id"
    )
    return Organization.objects.filter(Q(pk__in=pitched) | Q(pk__in=selected)).order_by("name_fr", "name_ar")


def matchable_campaigns(*, grant: Grant) -> QuerySet[Campaign]:
    return Campaign.objects.filter(
        organization_id=grant.organization_id,
        currency=grant.currency,
        status__in=[Campaign.Status.APPROVED, Campaign.Status.LIVE],
    ).order_by("-starts_at")
