"""Reads behind receipts and reports: the organisation's dashboard, the accountant's export, the public register
of foreign funding, a donor's yearly summary and the money a campaign can still disburse.

Every function here is a selector: it writes nothing, runs a fixed number of queries whatever the number of rows
(asserted in the tests), and returns plain rows the templates render without touching the database. Amounts of
money come from the ledger (`jusoor.finance`) where the ledger knows them (raised, matched, disbursed).

Anonymity: a donor who hid from the organisation (`anonymous_to_organization`) appears as "Anonymous" without
e-mail on the dashboard and in the export; the foreign register never names donors at all.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from babel import Locale
from django.db.models import (
    Count,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, ExtractYear
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from jusoor.campaigns.models import Campaign, Tranche
from jusoor.common.money import babel_locale, quantize
from jusoor.donations.models import Donation, Receipt, Refund
from jusoor.donations.selectors import campaigns_with_raised
from jusoor.finance.models import LedgerEntry
from jusoor.finance.selectors import account_balance_subquery
from jusoor.organizations.models import Organization

# The kind of the ledger group that pays a tranche out of a campaign (see services/disbursement.py).
TRANCHE_DISBURSED_KIND = "tranche.disbursed"
# Donations whose money was received: still held (a partly refunded donation stays "captured"), refunded, given
# to another campaign or kept as the donor's credit after a failed campaign.
RECEIVED_STATUSES = (
    Donation.Status.CAPTURED,
    Donation.Status.REFUNDED,
    Donation.Status.REDIRECTED,
    Donation.Status.CREDITED,
)
LATEST_DONATIONS = 20
ZERO = Decimal("0")
_MONEY = DecimalField(max_digits=20, decimal_places=3)


def _language() -> str:
    return (get_language() or "ar")[:2]


def country_name(code: str, language: str | None = None) -> str:
    """The country's name in `language` (babel's CLDR data), or the code when unknown."""
    if not code:
        return _("Unknown")
    territories = Locale.parse(babel_locale(language or _language())).territories
    return str(territories.get(code.upper(), code.upper()))


def plain_amount(amount: Decimal, currency: str) -> str:
    """An amount for a spreadsheet: a dot, no grouping, the currency's number of decimals (20.00 EUR, 67.000 TND)."""
    return f"{quantize(amount, currency):f}"


def donor_label(donation: Donation) -> str:
    """The donor's name as the organisation may see it."""
    if donation.anonymous_to_organization:
        return _("Anonymous")
    return donation.name or donation.email


def donor_email(donation: Donation) -> str:
    return "" if donation.anonymous_to_organization else donation.email


def _year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """The calendar year in the platform's time zone (Africa/Tunis), as aware datetimes."""
    start = timezone.make_aware(datetime.datetime(year, 1, 1))  # noqa: DTZ001  # made aware in the site's zone
    end = timezone.make_aware(datetime.datetime(year + 1, 1, 1))  # noqa: DTZ001
    return start, end


def _years(donations: QuerySet[Donation]) -> list[int]:
    """The calendar years (in the site's time zone) in which these donations were received, newest first."""
    years = (
        donations.exclude(captured_at=None)
        .annotate(year=ExtractYear("captured_at"))
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
    return list(years)


def local_day(value: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(value) if value is not None else None


# --- Organisation and receipts ------------------------------------------------------------------------------
def organization_for_reports(*, organization_id: int) -> Organization:
    """The organisation of a report page (404 when missing); the page then checks its permission on it."""
    organization = Organization.objects.select_related("kind").filter(pk=organization_id).first()
    if organization is None:
        raise Http404
    return organization


def receipt_get(*, reference: str) -> Receipt:
    """The receipt of a donation with everything the PDF and the permission check need (404 when the donation
    is missing or has no receipt, i.e. was never received)."""
    receipt = (
        Receipt.objects.select_related("organization", "donation__campaign__organization")
        .filter(donation__reference=reference)
        .first()
    )
    if receipt is None:
        raise Http404
    return receipt


def receipt_refunds(receipt: Receipt) -> list[Refund]:
    return list(Refund.objects.filter(donation_id=receipt.donation_id).order_by("created_at", "id"))


# --- Donor's yearly summary ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class YearSummary:
    year: int
    donations: list[Donation]
    totals: list[tuple[str, Decimal]]  # (currency, total after refunds), by currency
    years: list[int]  # the years in which the donor gave, newest first


def donor_year_summary(*, donor: Any, year: int) -> YearSummary:
    """The donor's received donations of a calendar year (refunds deducted; fully refunded ones left out), with
    the total per currency. Only donations made while logged in belong to the account (3 queries)."""
    start, end = _year_bounds(year)
    received = Donation.objects.filter(donor_id=donor.pk, status=Donation.Status.CAPTURED)
    donations = list(
        received.filter(captured_at__gte=start, captured_at__lt=end)
        .select_related("campaign__organization", "receipt")
        .order_by("captured_at", "id")
    )
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for donation in donations:
        totals[donation.currency] += donation.amount - donation.refunded_amount
    return YearSummary(year=year, donations=donations, totals=sorted(totals.items()), years=_years(received))


# --- Organisation dashboard ---------------------------------------------------------------------------------
def _ledger_total(suffix: str) -> Coalesce:
    return account_balance_subquery("campaign:", suffix)


def _count(queryset: QuerySet[Any], expression: Any) -> Coalesce:
    counted = queryset.order_by().values("campaign_id").annotate(n=expression).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _sum(queryset: QuerySet[Any], field_name: str) -> Coalesce:
    summed = queryset.order_by().values("campaign_id").annotate(total=Sum(field_name)).values("total")
    return Coalesce(Subquery(summed, output_field=_MONEY), Value(ZERO), output_field=_MONEY)


def campaigns_with_money(queryset: QuerySet[Campaign]) -> QuerySet[Campaign]:
    """Annotate each campaign, in one query, with (all in the campaign's currency):

    * `raised`: donations received minus refunds and fees (`selectors.campaigns_with_raised`: paying tranches
      out does not lower it);
    * `matched`: matches reserved for or paid to the campaign;
    * `held`: what the platform still holds for it (funds + matched accounts);
    * `disbursed`: tranches paid out;
    * `donors`: distinct donor e-mails of received donations;
    * `pending_transfers` / `pending_amount`: bank-transfer pledges still waiting for the money."""
    received = Donation.objects.filter(campaign_id=OuterRef("pk"), status=Donation.Status.CAPTURED)
    pending = Donation.objects.filter(
        campaign_id=OuterRef("pk"), status=Donation.Status.PENDING, provider="bank_transfer"
    )
    return campaigns_with_raised(queryset).annotate(
        raised=F("raised_total"),  # the same figures as the public pages
        matched=F("matched_total"),
        held=-(_ledger_total(":funds") + _ledger_total(":matched")),
        disbursed=-_ledger_total(":disbursed"),
        donors=_count(received, Count("email", distinct=True)),
        pending_transfers=_count(pending, Count("id")),
        pending_amount=_sum(pending, "campaign_amount"),
    )


@dataclass(frozen=True)
class CurrencyTotals:
    currency: str
    raised: Decimal = ZERO
    matched: Decimal = ZERO
    held: Decimal = ZERO
    disbursed: Decimal = ZERO
    pending_amount: Decimal = ZERO


@dataclass(frozen=True)
class CountryRow:
    code: str
    name: str
    donors: int
    donations: int


@dataclass(frozen=True)
class DonationRow:
    reference: str
    captured_at: datetime.datetime | None
    donor: str
    email: str
    anonymous: bool
    country: str
    amount: Decimal
    currency: str
    campaign_amount: Decimal
    campaign_currency: str
    campaign_title: str
    status: str
    status_label: str
    refunded: Decimal


@dataclass(frozen=True)
class Dashboard:
    organization: Organization
    campaigns: list[Campaign]
    totals: list[CurrencyTotals]
    donors: int
    pending_transfers: int
    countries: list[CountryRow]
    latest: list[DonationRow] = field(default_factory=list)


def _donation_row(donation: Donation, statuses: dict[str, str]) -> DonationRow:
    return DonationRow(
        reference=donation.reference,
        captured_at=donation.captured_at,
        donor=donor_label(donation),
        email=donor_email(donation),
        anonymous=donation.anonymous_to_organization,
        country=country_name(donation.country_of_residence),
        amount=donation.amount,
        currency=donation.currency,
        campaign_amount=donation.campaign_amount,
        campaign_currency=donation.campaign_currency,
        campaign_title=donation.campaign.title,
        status=donation.status,
        status_label=statuses.get(donation.status, donation.status),
        refunded=donation.refunded_amount,
    )


def organization_dashboard(*, organization: Organization, viewer: Any, latest: int = LATEST_DONATIONS) -> Dashboard:
    """What the organisation raised, per campaign and per currency, who gave from where, and the latest
    donations as the organisation may see them (4 queries). The view checks `donations.view_dashboard`."""
    campaigns = list(
        campaigns_with_money(Campaign.objects.filter(organization=organization)).order_by("-created_at", "-id")
    )
    totals: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for campaign in campaigns:
        campaign.organization = organization  # permission checks per campaign read no more
        for name in ("raised", "matched", "held", "disbursed", "pending_amount"):
            totals[campaign.currency][name] += getattr(campaign, name)
    received = Donation.objects.filter(campaign__organization=organization, status__in=RECEIVED_STATUSES)
    held = received.filter(status=Donation.Status.CAPTURED)  # the campaigns' current donors
    by_country = (
        held.order_by()
        .values("country_of_residence")
        .annotate(donors=Count("email", distinct=True), donations=Count("id"))
    )
    countries = sorted(
        (
            CountryRow(
                code=row["country_of_residence"],
                name=country_name(row["country_of_residence"]),
                donors=row["donors"],
                donations=row["donations"],
            )
            for row in by_country
        ),
        key=lambda row: (-row.donors, row.name),
    )
    donors = held.aggregate(n=Count("email", distinct=True))["n"]
    statuses = {value: str(label) for value, label in Donation.Status.choices}
    rows = [
        _donation_row(donation, statuses)
        for donation in received.select_related("campaign").order_by("-captured_at", "-id")[:latest]
    ]
    return Dashboard(
        organization=organization,
        campaigns=campaigns,
        totals=[CurrencyTotals(currency=currency, **values) for currency, values in sorted(totals.items())],
        donors=donors,
        pending_transfers=sum(getattr(campaign, "pending_transfers", 0) for campaign in campaigns),
        countries=countries,
        latest=rows,
    )


# --- Accountant's export ------------------------------------------------------------------------------------
def export_header() -> list[str]:
    return [
        _("Date"),
        _("Reference"),
        _("Receipt"),
        _("Campaign"),
        _("Donor"),
        _("E-mail"),
        _("Country of residence"),
        _("Amount"),
        _("Currency"),
        _("Amount in the campaign's currency"),
        _("Campaign currency"),
        _("Exchange rate"),
        _("Date of the rate"),
        _("Status"),
        _("Refunded"),
    ]


def export_years(*, organization: Organization) -> list[int]:
    return _years(Donation.objects.filter(campaign__organization=organization, status__in=RECEIVED_STATUSES))


def organization_export_rows(
    *, organization: Organization, viewer: Any, year: int | None = None
) -> Iterator[list[Any]]:
    """One row per received donation (oldest first), in `export_header()` order, for the organisation's
    accountant: amounts as plain decimals with the currency's places, dates ISO 8601, country codes ISO 3166.
    Labels are resolved in the active language before the first row, so the rows can be streamed. One query."""
    donations = Donation.objects.filter(campaign__organization=organization, status__in=RECEIVED_STATUSES)
    if year is not None:
        start, end = _year_bounds(year)
        donations = donations.filter(captured_at__gte=start, captured_at__lt=end)
    donations = donations.select_related("campaign", "receipt").order_by("captured_at", "id")
    statuses = {value: str(label) for value, label in Donation.Status.choices}
    anonymous = _("Anonymous")
    language = _language()
    return _export_rows(donations, statuses=statuses, anonymous=anonymous, language=language)


def _export_rows(
    donations: QuerySet[Donation], *, statuses: dict[str, str], anonymous: str, language: str
) -> Iterator[list[Any]]:
    for donation in donations.iterator(chunk_size=2000):
        receipt = getattr(donation, "receipt", None)
        campaign = donation.campaign
        title = getattr(campaign, f"title_{language}", "") or campaign.title_fr or campaign.title_ar
        yield [
            local_day(donation.captured_at).isoformat() if donation.captured_at else "",  # type: ignore[union-attr]
            donation.reference,
            receipt.label if receipt else "",
            title or campaign.title_en,
            anonymous if donation.anonymous_to_organization else (donation.name or donation.email),
            donor_email(donation),
            donation.country_of_residence,
            plain_amount(donation.amount, donation.currency),
            donation.currency,
            plain_amount(donation.campaign_amount, donation.campaign_currency),
            donation.campaign_currency,
            f"{donation.rate.normalize():f}",
            donation.rate_day.isoformat(),
            statuses.get(donation.status, donation.status),
            plain_amount(donation.refunded_amount, donation.currency),
        ]


# --- Register of foreign funding ----------------------------------------------------------------------------
@dataclass(frozen=True)
class ForeignRow:
    day: datetime.date
    country_code: str
    country: str
    amount: Decimal
    currency: str
    campaign_title: str


def foreign_donations(*, organization: Organization) -> QuerySet[Donation]:
    """Received donations from donors living outside the organisation's country (fully refunded ones left out)."""
    return Donation.objects.filter(campaign__organization=organization, status=Donation.Status.CAPTURED).exclude(
        country_of_residence=organization.country
    )


def foreign_register_years(*, organization: Organization) -> list[int]:
    return _years(foreign_donations(organization=organization))


def foreign_register(*, organization: Organization, year: int) -> list[ForeignRow]:
    """The public register of foreign funding for a calendar year: date, donor's country, amount (after refunds)
    and currency as given, and the campaign it funds. No donor is named. One query."""
    start, end = _year_bounds(year)
    rows = (
        foreign_donations(organization=organization)
        .filter(captured_at__gte=start, captured_at__lt=end)
        .select_related("campaign")
        .order_by("captured_at", "id")
    )
    return [
        ForeignRow(
            day=local_day(donation.captured_at),  # type: ignore[arg-type]  # received donations have a date
            country_code=donation.country_of_residence,
            country=country_name(donation.country_of_residence),
            amount=donation.amount - donation.refunded_amount,
            currency=donation.currency,
            campaign_title=donation.campaign.title,
        )
        for donation in rows
    ]


def foreign_register_header() -> list[str]:
    return [_("Date"), _("Donor's country"), _("Country code"), _("Amount"), _("Currency"), _("Campaign")]


def foreign_register_csv_rows(rows: list[ForeignRow]) -> list[list[Any]]:
    return [
        [
            row.day.isoformat(),
            row.country,
            row.country_code,
            plain_amount(row.amount, row.currency),
            row.currency,
            row.campaign_title,
        ]
        for row in rows
    ]


def foreign_register_totals(rows: list[ForeignRow]) -> list[tuple[str, Decimal]]:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows:
        totals[row.currency] += row.amount
    return sorted(totals.items())


# --- Disbursement -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CampaignMoney:
    """A campaign's money in its currency: `funds` (donations held), `matched` (matches paid in and held),
    `disbursed` (tranches paid out), `requested` (tranches waiting for a decision) and `available`."""

    currency: str
    funds: Decimal
    matched: Decimal
    disbursed: Decimal
    requested: Decimal

    @property
    def available(self) -> Decimal:
        return self.funds + self.matched - self.requested


def campaign_money(campaign: Campaign) -> CampaignMoney:
    """Balances of the campaign's accounts from the ledger and the tranches waiting (2 queries)."""
    keys = {f"campaign:{campaign.pk}:{name}": name for name in ("funds", "matched", "disbursed")}
    balances = dict.fromkeys(keys.values(), ZERO)
    rows = (
        LedgerEntry.objects.filter(account__key__in=keys, account__currency=campaign.currency)
        .values("account__key")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for row in rows:
        balances[keys[row["account__key"]]] = -row["total"]
    requested = Tranche.objects.filter(campaign=campaign, status=Tranche.Status.REQUESTED).aggregate(
        total=Sum("amount")
    )["total"]
    return CampaignMoney(
        currency=campaign.currency,
        funds=balances["funds"],
        matched=balances["matched"],
        disbursed=balances["disbursed"],
        requested=requested or ZERO,
    )


@dataclass(frozen=True)
class CurrencyMix:
    """Received donations of a campaign in one foreign currency, after refunds: in that currency and in the
    campaign's (as booked at each donation's rate)."""

    currency: str
    amount: Decimal
    campaign_amount: Decimal


def campaign_currency_mix(campaign: Campaign) -> list[CurrencyMix]:
    """Per donor currency other than the campaign's (2 queries)."""
    donations = Donation.objects.filter(campaign=campaign, status=Donation.Status.CAPTURED).exclude(
        currency=campaign.currency
    )
    given = {
        row["currency"]: (row["amount"], row["campaign_amount"])
        for row in donations.order_by()
        .values("currency")
        .annotate(amount=Sum(F("amount") - F("refunded_amount")), campaign_amount=Sum("campaign_amount"))
    }
    refunded = dict(
        Refund.objects.filter(donation__in=donations)
        .order_by()
        .values("donation__currency")
        .annotate(total=Sum("campaign_amount"))
        .values_list("donation__currency", "total")
    )
    return [
        CurrencyMix(currency=currency, amount=amount, campaign_amount=campaign_amount - refunded.get(currency, ZERO))
        for currency, (amount, campaign_amount) in sorted(given.items())
        if amount > 0
    ]


def tranche_list(*, campaign: Campaign) -> list[Tranche]:
    return list(
        Tranche.objects.filter(campaign=campaign)
        .select_related("requested_by", "decided_by")
        .order_by("-created_at", "-id")
    )


def tranche_queue(*, viewer: Any) -> list[Tranche]:
    """Tranches waiting for a finance decision, oldest first. The view checks `donations.view_tranche_queue`."""
    return list(
        Tranche.objects.filter(status=Tranche.Status.REQUESTED)
        .select_related("campaign__organization", "requested_by")
        .order_by("created_at", "id")
    )


def tranche_get(*, tranche_id: int) -> Tranche:
    tranche = Tranche.objects.select_related("campaign__organization").filter(pk=tranche_id).first()
    if tranche is None:
        raise Http404
    return tranche


def campaign_for_tranches(*, campaign_id: int) -> Campaign:
    campaign = Campaign.objects.select_related("organization").filter(pk=campaign_id).first()
    if campaign is None:
        raise Http404
    return campaign
