"""Tranches: request against proof, approval that pays out in the ledger (matched money first), refusal, exchange
differences at the realised rate, mails to the organisation, and who may do what."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from jusoor.campaigns.models import Campaign, Tranche
from jusoor.common.exceptions import ApplicationError, PermissionDeniedError
from jusoor.common.models import AuditEvent
from jusoor.donations.reports import campaign_money
from jusoor.donations.services import accounts
from jusoor.donations.services.disbursement import (
    fx_settle,
    tranche_approve,
    tranche_refuse,
    tranche_request,
    treasury,
)
from jusoor.donations.services.matching import matching_pot_open
from jusoor.donations.services.outcome import campaign_settle_deadline
from jusoor.finance.models import EntryGroup
from jusoor.finance.selectors import account_balance, ledger_problems

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


def proof(name: str = "invoice.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def balance(key: str, currency: str) -> Decimal:
    from jusoor.finance.models import Account

    account = Account.objects.filter(key=key, currency=currency).first()
    return account_balance(account=account) if account else Decimal("0")


@pytest.fixture
def succeeded(captured_donation, live_campaign, people):
    """The campaign received 100 TND and 20 EUR (67 TND at 3.35); a sponsor matched each donation with 20 TND;
    its deadline passed with the goal reached, so it succeeded and the matches were paid in."""
    now = timezone.now()
    matching_pot_open(
        name="Diaspora match",
        sponsor_name="Sponsor",
        currency="TND",
        total=Decimal("500"),
        valid_from=now - timedelta(days=1),
        valid_until=now + timedelta(days=10),
        acting_user=people["finance"],
        cap_per_donation=Decimal("20"),
        campaigns=[live_campaign],
    )
    captured_donation(amount="100", country_of_residence="TN")
    captured_donation(amount="20", currency="EUR")
    Campaign.objects.filter(pk=live_campaign.pk).update(goal=Decimal("150"), ends_at=now - timedelta(minutes=1))
    campaign = campaign_settle_deadline(campaign_id=live_campaign.pk)
    assert campaign.status == Campaign.Status.SUCCEEDED
    return Campaign.objects.select_related("organization").get(pk=live_campaign.pk)


def request(campaign, people, amount="120", who="org_admin", **kwargs):
    return tranche_request(
        campaign=campaign,
        amount=amount,
        description=kwargs.pop("description", "Books and shelves"),
        proof=kwargs.pop("upload", proof()),
        acting_user=people[who],
    )


# --- Requests ---------------------------------------------------------------------------------------------------
def test_request_keeps_the_proof_privately_and_reserves_the_amount(succeeded, people):
    money = campaign_money(succeeded)
    assert (money.funds, money.matched, money.disbursed, money.available) == (
        Decimal("167.000"),
        Decimal("40.000"),
        Decimal("0"),
        Decimal("207.000"),
    )

    tranche = request(succeeded, people)

    assert (tranche.status, tranche.amount, tranche.requested_by) == ("requested", Decimal("120"), people["org_admin"])
    assert tranche.proof.name.startswith(f"campaigns/proofs/tranche-{succeeded.pk}-")
    assert tranche.proof.name.endswith(".pdf") and "invoice" not in tranche.proof.name
    assert tranche.proof.storage.exists(tranche.proof.name)
    assert tranche.proof.path.startswith(str(settings.STORAGES["private"]["OPTIONS"]["location"]))
    assert campaign_money(succeeded).available == Decimal("87.000")
    assert AuditEvent.objects.filter(action="donations.tranche.requested", target_id=str(tranche.pk)).count() == 1
    assert not EntryGroup.objects.filter(kind="tranche.disbursed").exists()


@pytest.mark.parametrize(
    ("amount", "upload", "code"),
    [
        ("88", None, "tranche_amount_too_large"),  # 207 − 120 already requested = 87
        ("10.0005", None, "too_many_decimals"),
        ("-5", None, "amount_invalid"),
        ("10", proof("invoice.pdf", b"MZ\x90\x00" + b"\x00" * 60), "upload_type"),
    ],
)
def test_refused_requests_change_nothing(succeeded, people, amount, upload, code):
    request(succeeded, people)
    tranches, events = Tranche.objects.count(), AuditEvent.objects.count()

    with pytest.raises(ApplicationError) as error:
        request(succeeded, people, amount=amount, upload=upload or proof())

    assert error.value.code == code
    assert (Tranche.objects.count(), AuditEvent.objects.count()) == (tranches, events)


def test_no_request_before_the_campaign_succeeded(live_campaign, captured_donation, people):
    captured_donation(amount="100")
    with pytest.raises(ApplicationError) as error:
        request(live_campaign, people, amount="10")
    assert error.value.code == "campaign_not_disbursable"
    assert Tranche.objects.count() == 0


def test_only_an_organisation_administrator_requests(succeeded, people):
    for who in ("org_member", "finance", "plain_user", "other_org_admin"):
        with pytest.raises(PermissionDeniedError):
            request(succeeded, people, amount="10", who=who)
    assert Tranche.objects.count() == 0


# --- Approval ---------------------------------------------------------------------------------------------------
def test_approval_pays_matched_money_first_then_donations(
    succeeded, people, mailoutbox, django_capture_on_commit_callbacks
):
    key = f"campaign:{succeeded.pk}"
    owner = people["org_owner"]
    owner.preferred_language = "ar"
    owner.save(update_fields=["preferred_language"])
    first = request(succeeded, people, amount="120")

    with django_capture_on_commit_callbacks(execute=True):
        tranche_approve(tranche=first, acting_user=people["finance"])

    first.refresh_from_db()
    succeeded.refresh_from_db()
    assert (first.status, first.decided_by, first.ledger_group_id is not None) == ("approved", people["finance"], True)
    assert succeeded.status == Campaign.Status.DISBURSED
    assert balance(f"{key}:matched", "TND") == Decimal("0")  # the 40 matched went first
    assert balance(f"{key}:funds", "TND") == Decimal("-87.000")  # then 80 of the 167 donated
    assert balance(f"{key}:disbursed", "TND") == Decimal("-120.000")
    group = EntryGroup.objects.get(pk=first.ledger_group_id)
    assert group.kind == "tranche.disbursed"
    assert sorted((e.account.key, e.amount) for e in group.entries.select_related("account")) == [
        (f"{key}:disbursed", Decimal("-120.000")),
        (f"{key}:funds", Decimal("80.000")),
        (f"{key}:matched", Decimal("40.000")),
    ]
    assert list(
        AuditEvent.objects.filter(action__in=["donations.tranche.approved", "campaigns.campaign.disbursed"])
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["donations.tranche.approved", "campaigns.campaign.disbursed"]
    # Owner and administrator, each in their language.
    mails = {mail.to[0]: mail for mail in mailoutbox}
    assert sorted(mails) == sorted([people["org_admin"].email, owner.email])
    assert "Une bibliothèque pour les enfants de Médenine" in mails[people["org_admin"].email].subject
    assert "120,000 DT" in mails[people["org_admin"].email].subject
    assert "مكتبة لأطفال مدنين" in mails[owner.email].subject
    assert "120,000" in mails[owner.email].subject

    second = request(succeeded, people, amount="87")
    tranche_approve(tranche=second, acting_user=people["finance"])
    assert balance(f"{key}:funds", "TND") == Decimal("0")
    assert balance(f"{key}:disbursed", "TND") == Decimal("-207.000")
    assert campaign_money(succeeded).available == Decimal("0")
    assert AuditEvent.objects.filter(action="campaigns.campaign.disbursed").count() == 1
    assert ledger_problems() == []


def test_approving_twice_pays_once_and_a_decided_tranche_cannot_be_refused(succeeded, people):
    tranche = request(succeeded, people, amount="50")
    tranche_approve(tranche=tranche, acting_user=people["finance"])
    groups = EntryGroup.objects.count()

    again = tranche_approve(tranche=tranche, acting_user=people["finance"])

    assert again.status == "approved"
    assert EntryGroup.objects.count() == groups
    with pytest.raises(ApplicationError) as error:
        tranche_refuse(tranche=tranche, comment="too late", acting_user=people["finance"])
    assert error.value.code == "tranche_already_decided"


def test_only_a_finance_officer_approves(succeeded, people):
    tranche = request(succeeded, people, amount="50")
    for who in ("org_admin", "org_owner", "platform_admin", "plain_user"):
        with pytest.raises(PermissionDeniedError):
            tranche_approve(tranche=tranche, acting_user=people[who])
    tranche.refresh_from_db()
    assert tranche.status == "requested"
    assert not EntryGroup.objects.filter(kind="tranche.disbursed").exists()


# --- Refusal ----------------------------------------------------------------------------------------------------
def test_refusal_needs_a_reason_frees_the_amount_and_moves_nothing(
    succeeded, people, mailoutbox, django_capture_on_commit_callbacks
):
    tranche = request(succeeded, people, amount="200")
    groups = EntryGroup.objects.count()
    with pytest.raises(ApplicationError) as error:
        tranche_refuse(tranche=tranche, comment="  ", acting_user=people["finance"])
    assert error.value.code == "tranche_comment_required"

    with django_capture_on_commit_callbacks(execute=True):
        tranche_refuse(tranche=tranche, comment="The invoice isn't readable.", acting_user=people["finance"])

    tranche.refresh_from_db()
    succeeded.refresh_from_db()
    assert (tranche.status, tranche.decision_comment) == ("refused", "The invoice isn't readable.")
    assert succeeded.status == Campaign.Status.SUCCEEDED
    assert EntryGroup.objects.count() == groups
    assert campaign_money(succeeded).available == Decimal("207.000")
    assert len(mailoutbox) == 2
    assert all("The invoice isn't readable." in mail.body for mail in mailoutbox)  # not HTML-escaped


# --- Exchange differences ---------------------------------------------------------------------------------------
def test_approval_at_a_realised_rate_books_the_exchange_gain(succeeded, people):
    tranche = request(succeeded, people, amount="120")

    tranche_approve(tranche=tranche, acting_user=people["finance"], realised_rate=Decimal("3.40"))

    # The tranche is 120/207 of what the campaign received: 11.59 of its 20 EUR, booked at 38.841 TND, sold at
    # 3.40 for 39.406 TND; the 0.565 TND more than booked is a gain (a credit).
    assert balance("platform:fx:position", "EUR") == Decimal("-8.410")
    assert balance("platform:fx:position", "TND") == Decimal("28.159")
    assert balance("platform:treasury", "EUR") == Decimal("-11.590")
    assert balance("platform:treasury", "TND") == Decimal("39.406")
    assert balance("platform:fx:gain_loss", "TND") == Decimal("-0.565")
    assert balance(f"campaign:{succeeded.pk}:disbursed", "TND") == Decimal("-120.000")
    assert EntryGroup.objects.filter(kind="fx.settled").count() == 1
    assert ledger_problems() == []


def test_a_rate_for_a_currency_the_campaign_did_not_receive_is_refused(succeeded, people):
    tranche = request(succeeded, people, amount="10")
    with pytest.raises(ApplicationError) as error:
        tranche_approve(tranche=tranche, acting_user=people["finance"], realised_rate={"USD": Decimal("3")})
    assert error.value.code == "realised_rate_invalid"
    tranche.refresh_from_db()
    assert tranche.status == "requested"


def test_fx_settle_books_the_difference_against_the_open_position(succeeded, people):
    group = fx_settle(
        currency_from="EUR",
        currency_to="TND",
        amount_from=Decimal("5"),
        amount_to_realised=Decimal("16.500"),
        acting_user=people["finance"],
    )

    # The open position: 20 EUR booked at 67 TND, so 5 EUR were worth 16.75; sold for 16.50: a loss of 0.25.
    entries = sorted((e.account.key, e.currency, e.amount) for e in group.entries.select_related("account"))
    assert entries == [
        ("platform:fx:gain_loss", "TND", Decimal("0.250")),
        ("platform:fx:position", "EUR", Decimal("5.000")),
        ("platform:fx:position", "TND", Decimal("-16.750")),
        ("platform:treasury", "EUR", Decimal("-5.000")),
        ("platform:treasury", "TND", Decimal("16.500")),
    ]
    assert account_balance(account=accounts.fx_gain_loss("TND")) == Decimal("0.250")
    assert account_balance(account=treasury("TND")) == Decimal("16.500")
    with pytest.raises(ApplicationError) as error:
        fx_settle(
            currency_from="EUR",
            currency_to="TND",
            amount_from=Decimal("16"),  # only 15 EUR left open
            amount_to_realised=Decimal("50"),
            acting_user=people["finance"],
        )
    assert error.value.code == "fx_settlement_invalid"
    with pytest.raises(PermissionDeniedError):
        fx_settle(
            currency_from="EUR",
            currency_to="TND",
            amount_from=Decimal("1"),
            amount_to_realised=Decimal("3.300"),
            acting_user=people["platform_admin"],
        )
    assert ledger_problems() == []


# --- Pages ------------------------------------------------------------------------------------------------------
REQUEST_STATUS = {
    "anonymous": 302,
    "plain_user": 403,
    "donor": 403,
    "org_member": 403,
    "org_admin": 302,
    "org_owner": 302,
    "other_org_admin": 403,
    "finance": 403,
    "finance_no_2fa": 302,
    "platform_admin": 403,
}


@pytest.mark.parametrize(("who", "status"), REQUEST_STATUS.items())
def test_request_page_permissions(client, succeeded, people, who, status):
    url = reverse("donations:tranche_request", args=[succeeded.pk])
    if people[who] is not None:
        client.force_login(people[who])
    events = AuditEvent.objects.count()

    page = client.get(url)
    response = client.post(url, {"amount": "50", "description": "Paint", "proof": proof()})

    allowed = who in ("org_admin", "org_owner")
    assert page.status_code == (200 if allowed else status)
    assert response.status_code == status
    if allowed:
        assert response["Location"] == url
        assert Tranche.objects.get().amount == Decimal("50")
    else:
        assert Tranche.objects.count() == 0
        assert AuditEvent.objects.count() == events
    if who == "anonymous":
        assert response["Location"].startswith("/en/accounts/login/")
    if who == "finance_no_2fa":
        assert response["Location"] == "/en/accounts/2fa/totp/activate/"


def test_request_page_shows_errors(client, succeeded, people):
    client.force_login(people["org_admin"])
    url = reverse("donations:tranche_request", args=[succeeded.pk])
    response = client.post(url, {"amount": "500", "description": "Paint", "proof": proof()})
    assert response.status_code == 400
    assert "At most TND207.000 can be requested now." in response.content.decode()
    assert Tranche.objects.count() == 0


DECIDE_STATUS = {
    "anonymous": 302,
    "plain_user": 403,
    "donor": 403,
    "org_member": 403,
    "org_admin": 403,
    "org_owner": 403,
    "other_org_admin": 403,
    "finance": 302,
    "finance_no_2fa": 302,
    "platform_admin": 403,
}


@pytest.mark.parametrize(("who", "status"), DECIDE_STATUS.items())
def test_approve_page_permissions(client, succeeded, people, who, status):
    tranche = request(succeeded, people, amount="60")
    url = reverse("donations:tranche_decide", args=[tranche.pk])
    if people[who] is not None:
        client.force_login(people[who])
    groups, events = EntryGroup.objects.count(), AuditEvent.objects.count()

    response = client.post(url, {"action": "approve", "rate_EUR": ""})

    tranche.refresh_from_db()
    assert response.status_code == status
    if who == "finance":
        assert response["Location"] == reverse("donations:tranche_queue")
        assert tranche.status == "approved"
    else:
        assert tranche.status == "requested"
        assert (EntryGroup.objects.count(), AuditEvent.objects.count()) == (groups, events)
    if who == "finance_no_2fa":
        assert response["Location"] == "/en/accounts/2fa/totp/activate/"


def test_finance_pages_queue_decide_with_rate_and_refuse(client, succeeded, people):
    first = request(succeeded, people, amount="120")
    second = request(succeeded, people, amount="20")
    client.force_login(people["finance"])

    queue = client.get(reverse("donations:tranche_queue"))
    page = client.get(reverse("donations:tranche_decide", args=[first.pk]))
    approved = client.post(
        reverse("donations:tranche_decide", args=[first.pk]), {"action": "approve", "rate_EUR": "3,40"}
    )
    refused_without_reason = client.post(reverse("donations:tranche_decide", args=[second.pk]), {"action": "refuse"})
    refused = client.post(
        reverse("donations:tranche_decide", args=[second.pk]), {"action": "refuse", "comment": "No invoice."}
    )

    assert queue.status_code == 200 and "Books and shelves" in queue.content.decode()
    assert page.status_code == 200 and 'name="rate_EUR"' in page.content.decode()
    assert approved.status_code == 302
    assert balance("platform:fx:gain_loss", "TND") == Decimal("-0.565")
    assert refused_without_reason.status_code == 400
    assert refused.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status, second.decision_comment) == ("approved", "refused", "No invoice.")
    assert "Books and shelves" not in client.get(reverse("donations:tranche_queue")).content.decode()


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("org_member", 403), ("org_admin", 200), ("finance", 200), ("other_org_admin", 403)],
)
def test_proof_is_served_only_to_the_organisation_and_finance(client, succeeded, people, who, status):
    tranche = request(succeeded, people, amount="10")
    if people[who] is not None:
        client.force_login(people[who])
    response = client.get(reverse("donations:tranche_proof", args=[tranche.pk]))
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PDF
        assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(("who", "status"), [("finance", 200), ("platform_admin", 403), ("org_admin", 403)])
def test_queue_is_for_finance_officers(client, people, who, status):
    client.force_login(people[who])
    assert client.get(reverse("donations:tranche_queue")).status_code == status


def test_several_foreign_currencies_need_one_rate_each(captured_donation, live_campaign, people):
    captured_donation(amount="20", currency="EUR")  # 67.000 TND
    captured_donation(amount="40", currency="CAD")  # 90.000 TND
    captured_donation(amount="43", country_of_residence="TN")
    Campaign.objects.filter(pk=live_campaign.pk).update(
        goal=Decimal("200"), ends_at=timezone.now() - timedelta(minutes=1)
    )
    campaign = campaign_settle_deadline(campaign_id=live_campaign.pk)
    campaign = Campaign.objects.select_related("organization").get(pk=campaign.pk)
    tranche = request(campaign, people, amount="100")

    with pytest.raises(ApplicationError) as error:
        tranche_approve(tranche=tranche, acting_user=people["finance"], realised_rate=Decimal("3.4"))
    assert error.value.code == "realised_rate_invalid"

    tranche_approve(
        tranche=tranche, acting_user=people["finance"], realised_rate={"EUR": Decimal("3.4"), "CAD": Decimal("2.2")}
    )

    # 100 of 200 received: half of each currency, 10 EUR (booked 33.500, sold 34.000) and 20 CAD (booked 45.000,
    # sold 44.000): +0.500 gain and −1.000 loss.
    assert EntryGroup.objects.filter(kind="fx.settled").count() == 2
    assert balance("platform:treasury", "EUR") == Decimal("-10.000")
    assert balance("platform:treasury", "CAD") == Decimal("-20.000")
    assert balance("platform:treasury", "TND") == Decimal("78.000")
    assert balance("platform:fx:gain_loss", "TND") == Decimal("0.500")
    assert ledger_problems() == []
