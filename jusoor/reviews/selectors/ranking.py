"""Scores per application and the call's ranking, with the budget envelope as it is consumed.

* A review's total = Σ weight × score / Σ weight over the non-optional criteria (optional ones are shown, not
  counted).
* Per application, over its submitted reviews: the mean and the median of the totals, the spread (highest − lowest)
  and a disagreement flag when the spread exceeds `call.disagreement_threshold`.
* Ranking: mean (high first), then median (high first), then number of reviews (more first), then submission time
  (earlier first); applications without a submitted review come last. A row tied on the mean with the next row says
  which rule put it first.

Two queries whatever the call's size: the applications, and the review totals summed in SQL. Arithmetic is exact
(fractions); figures are rounded to 3 decimals only for display.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from statistics import median
from typing import Any

from django.db.models import DecimalField, ExpressionWrapper, F, Q, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jusoor.calls.models import Application, Call
from jusoor.reviews.models import CriterionScore, ReviewAssignment

RANKED_STATUSES = frozenset(
    {
        Application.Status.ELIGIBLE,
        Application.Status.UNDER_REVIEW,
        Application.Status.SHORTLISTED,
        Application.Status.SELECTED,
        Application.Status.WAITLISTED,
        Application.Status.REJECTED,
    }
)
THOUSANDTH = Decimal("0.001")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

TIE_MEDIAN = _("Tie on mean: higher median.")
TIE_COUNT = _("Tie on mean and median: more reviews.")
TIE_TIME = _("Tie on mean, median and number of reviews: submitted earlier.")
TIE_ID = _("Tie on every figure and on the submission time: lower application number.")


def display(value: Fraction | None) -> Decimal | None:
    """A figure rounded half up to 3 decimals, for the page and the export."""
    if value is None:
        return None
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(THOUSANDTH, rounding=ROUND_HALF_UP)


@dataclass
class RankedApplication:
    application: Application
    totals: list[Fraction] = field(default_factory=list)
    rank: int = 0
    mean_exact: Fraction | None = None
    median_exact: Fraction | None = None
    spread_exact: Fraction | None = None
    disagreement: bool = False
    tie_break: Promise | None = None

    @property
    def reviews(self) -> int:
        return len(self.totals)

    @property
    def mean(self) -> Decimal | None:
        return display(self.mean_exact)

    @property
    def median(self) -> Decimal | None:
        return display(self.median_exact)

    @property
    def spread(self) -> Decimal | None:
        return display(self.spread_exact)

    @property
    def review_totals(self) -> list[Decimal | None]:
        return [display(total) for total in self.totals]

    def sort_key(self) -> tuple[Any, ...]:
        submitted = self.application.submitted_at
        return (
            self.mean_exact is None,
            -(self.mean_exact or 0),
            -(self.median_exact or 0),
            -self.reviews,
            submitted is None,
            submitted or EPOCH,
            self.application.pk,
        )


def review_totals(*, call: Call) -> dict[int, list[tuple[int, Fraction]]]:
    """{application id: [(assignment id, total)]} for the submitted reviews of the call (one query)."""
    product = ExpressionWrapper(
        F("criterion__weight") * F("value"), output_field=DecimalField(max_digits=12, decimal_places=3)
    )
    rows = (
        CriterionScore.objects.filter(
            assignment__application__call=call,
            assignment__status=ReviewAssignment.Status.SUBMITTED,
            criterion__optional=False,
        )
        .values("assignment_id", "assignment__application_id")
        .annotate(weighted=Sum(product), weights=Sum("criterion__weight"))
        .order_by("assignment__application_id", "assignment_id")
    )
    totals: dict[int, list[tuple[int, Fraction]]] = {}
    for row in rows:
        total = Fraction(row["weighted"]) / Fraction(row["weights"])
        totals.setdefault(row["assignment__application_id"], []).append((row["assignment_id"], total))
    return totals


def _explain(upper: RankedApplication, lower: RankedApplication) -> Promise | None:
    if upper.mean_exact is None or upper.mean_exact != lower.mean_exact:
        return None
    if upper.median_exact != lower.median_exact:
        return TIE_MEDIAN
    if upper.reviews != lower.reviews:
        return TIE_COUNT
    if upper.application.submitted_at != lower.application.submitted_at:
        return TIE_TIME
    return TIE_ID


def call_ranking(*, call: Call, statuses: frozenset[str] = RANKED_STATUSES) -> list[RankedApplication]:
    """Every application of the call past the eligibility check, ranked (two queries)."""
    applications = (
        Application.objects.filter(call=call, status__in=statuses)
        .select_related("organization")
        .only(
            "id",
            "call_id",
            "status",
            "requested_amount",
            "submitted_at",
            "organization__id",
            "organization__name_ar",
            "organization__name_fr",
            "organization__name_en",
            "organization__primary_language",
        )
    )
    totals = review_totals(call=call)
    threshold = Fraction(call.disagreement_threshold)
    rows = []
    for application in applications:
        row = RankedApplication(application=application, totals=[t for _a, t in totals.get(application.pk, [])])
        if row.totals:
            row.mean_exact = sum(row.totals, Fraction(0)) / len(row.totals)
            row.median_exact = Fraction(median(row.totals))
            row.spread_exact = max(row.totals) - min(row.totals)
            row.disagreement = row.spread_exact > threshold
        rows.append(row)
    rows.sort(key=RankedApplication.sort_key)
    for position, row in enumerate(rows, start=1):
        row.rank = position
        if position < len(rows):
            row.tie_break = _explain(row, rows[position])
    return rows


@dataclass(frozen=True)
class Envelope:
    currency: str
    envelope: Decimal
    selected: Decimal  # requested by selected applications of every call of the programme
    shortlisted: Decimal  # requested by applications of this call shortlisted or waitlisted
    remaining: Decimal

    @property
    def over(self) -> bool:
        return self.remaining < 0


def envelope_summary(*, call: Call) -> Envelope:
    """The programme's envelope and what selections consume of it (one query)."""
    programme = call.programme
    sums = Application.objects.filter(call__programme_id=programme.pk).aggregate(
        selected=Sum("requested_amount", filter=Q(status=Application.Status.SELECTED)),
        shortlisted=Sum(
            "requested_amount",
            filter=Q(call=call, status__in=[Application.Status.SHORTLISTED, Application.Status.WAITLISTED]),
        ),
    )
    selected = sums["selected"] or Decimal("0")
    return Envelope(
        currency=programme.currency,
        envelope=programme.budget_envelope,
        selected=selected,
        shortlisted=sums["shortlisted"] or Decimal("0"),
        remaining=programme.budget_envelope - selected,
    )
