"""The offline test processor's own side ("testpay"): what a card processor does on its servers.

It keeps a session per payment (`TestPaySession`), shows a hosted card page, and after the card is submitted
tells the merchant asynchronously through a signed callback, exactly as a real processor would: from the task
queue, never inside the donor's request. The merchant's side (verifying and acting on callbacks, asking for a
payment's status) is `jusoor.payments.providers.testpay`, which only talks to this module through the signed
callback and `testpay_session_status`, as it would talk to a remote API.

These are not Jusoor's records, so they write no audit rows: the audit trail starts where the callback arrives.

Like a real processor, it keeps a fee on every successful payment (`TESTPAY_FEES`, `testpay_fee`) and says so in
its callback (`"fee": "0.95"`) and its status API; the merchant books it with the capture.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import time
import urllib.request
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from jusoor.common.exceptions import ApplicationError, NotFoundError
from jusoor.common.money import quantize
from jusoor.common.tasks import defer_on_commit
from jusoor.donations.providers import CallbackResult, get_provider
from jusoor.payments.error_codes import PaymentErrorCode
from jusoor.payments.models import TestPaySession
from jusoor.payments.signing import SIGNATURE_HEADER, signature_header

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TestCard:
    number: str
    outcome: str  # what happens: "succeeded", "declined", "delayed"


SUCCEEDING_CARD = "4242424242424242"
DECLINED_CARD = "4000000000000002"
DELAYED_CARD = "4000000000000077"
TEST_CARDS = (
    TestCard(SUCCEEDING_CARD, "succeeded"),
    TestCard(DECLINED_CARD, "declined"),
    TestCard(DELAYED_CARD, "delayed"),
)

EVENT_SUCCEEDED = "payment.succeeded"
EVENT_FAILED = "payment.failed"

# The test processor's price list: (percent of the amount, fixed part) per payment currency, charged on each
# successful payment in the payment's currency and rounded to that currency's precision (half up), never more than
# the amount itself. 50.00 EUR → 0.70 + 0.25 = 0.95 EUR; 100.000 TND → 1.500 + 0.300 = 1.800 TND;
# 200.00 MAD → 3.00 + 2.50 = 5.50 MAD.
TESTPAY_FEES: dict[str, tuple[Decimal, Decimal]] = {
    "EUR": (Decimal("1.4"), Decimal("0.25")),
    "USD": (Decimal("1.4"), Decimal("0.25")),
    "CAD": (Decimal("1.4"), Decimal("0.25")),
    "TND": (Decimal("1.5"), Decimal("0.300")),
    "MAD": (Decimal("1.5"), Decimal("2.50")),
}


def testpay_fee(amount: Decimal, currency: str) -> Decimal:
    """What the test processor keeps of a successful payment of `amount` (see TESTPAY_FEES)."""
    percent, fixed = TESTPAY_FEES[currency.upper()]
    amount = quantize(amount, currency)
    return min(quantize(amount * percent / 100 + fixed, currency), amount)


@dataclass(frozen=True)
class TestPayStatus:
    """The processor's status API's answer. `fee` is what it kept, for a succeeded payment only."""

    __test__ = False  # not a pytest test class, despite its name
    status: str  # "succeeded" | "failed" | "pending"
    amount: Decimal | None = None
    currency: str | None = None
    fee: Decimal | None = None


def testpay_session_open(
    *, merchant_reference: str, amount: Decimal, currency: str, return_url: str, cancel_url: str, callback_url: str
) -> TestPaySession:
    """A new payment on the processor (what the merchant's API call creates)."""
    return TestPaySession.objects.create(
        token=secrets.token_urlsafe(24)[:40],
        merchant_reference=merchant_reference,
        amount=amount,
        currency=currency,
        return_url=return_url[:500],
        cancel_url=cancel_url[:500],
        callback_url=callback_url[:500],
    )


def testpay_session_get(*, token: str) -> TestPaySession:
    session = TestPaySession.objects.filter(token=token).first()
    if session is None:
        raise NotFoundError(_("This payment page does not exist or has expired."))
    return session


def testpay_session_status(*, token: str) -> TestPayStatus:
    """The processor's status API: "succeeded" | "failed" | "pending", the amount and currency of the payment, and
    for a succeeded one the fee kept."""
    session = TestPaySession.objects.filter(token=token).first()
    if session is None:
        return TestPayStatus("pending")
    amount = quantize(session.amount, session.currency)
    if session.status == TestPaySession.Status.SUCCEEDED:
        return TestPayStatus("succeeded", amount, session.currency, testpay_fee(amount, session.currency))
    if session.status == TestPaySession.Status.FAILED:
        return TestPayStatus("failed", amount, session.currency)
    return TestPayStatus("pending", amount, session.currency)


def normalize_card(number: str) -> str:
    return "".join(char for char in number if not char.isspace() and char != "-")


def testpay_pay(*, token: str, card_number: str) -> TestPaySession:
    """The donor submits the hosted page. The session is marked, and the callback is queued after commit: at once
    for the succeeding and the declined card, a few seconds later for the delayed one (pending until then). A
    second submission of a session already paid or declined changes nothing."""
    card = next((c for c in TEST_CARDS if c.number == normalize_card(card_number)), None)
    if card is None:
        raise ApplicationError(
            _("This is not one of the test card numbers shown on this page."), code=PaymentErrorCode.CARD_INVALID
        )
    from jusoor.payments import tasks  # noqa: PLC0415  (tasks call services: import at use)

    with transaction.atomic():
        session = TestPaySession.objects.select_for_update().filter(token=token).first()
        if session is None:
            raise NotFoundError(_("This payment page does not exist or has expired."))
        if session.status != TestPaySession.Status.OPEN:
            return session
        if card.outcome == "delayed":
            session.status = TestPaySession.Status.PROCESSING
            session.save(update_fields=["status", "updated_at"])
            tasks.defer_in_on_commit(tasks.testpay_settle, settings.TESTPAY_DELAY_SECONDS, token=session.token)
            return session
        session.status = (
            TestPaySession.Status.SUCCEEDED if card.outcome == "succeeded" else TestPaySession.Status.FAILED
        )
        session.save(update_fields=["status", "updated_at"])
        defer_on_commit(tasks.testpay_deliver, token=session.token)
        return session


def testpay_settle(*, token: str) -> None:
    """The delayed card's bank answers: the processing payment succeeds, and the merchant is told."""
    from jusoor.payments import tasks  # noqa: PLC0415

    with transaction.atomic():
        session = TestPaySession.objects.select_for_update().filter(token=token).first()
        if session is None or session.status != TestPaySession.Status.PROCESSING:
            return
        session.status = TestPaySession.Status.SUCCEEDED
        session.save(update_fields=["status", "updated_at"])
        defer_on_commit(tasks.testpay_deliver, token=session.token)


def testpay_event(session: TestPaySession, *, created: int | None = None) -> bytes:
    """The callback body of a settled session. The event id depends only on the session and the outcome, so a
    delivery retried by the queue is the same event (and is recognised as a duplicate)."""
    event_type = EVENT_SUCCEEDED if session.status == TestPaySession.Status.SUCCEEDED else EVENT_FAILED
    event_id = "evt_" + hashlib.sha256(f"{session.token}:{event_type}".encode()).hexdigest()[:24]
    amount = quantize(session.amount, session.currency)
    data: dict[str, str] = {
        "session": session.token,
        "merchant_reference": session.merchant_reference,
        "amount": str(amount),
        "currency": session.currency,
    }
    if event_type == EVENT_SUCCEEDED:
        data["fee"] = str(testpay_fee(amount, session.currency))  # in the payment's currency
    event: dict[str, Any] = {
        "id": event_id,
        "type": event_type,
        "created": int(time.time()) if created is None else created,
        "data": data,
    }
    return json.dumps(event, separators=(",", ":")).encode()


def signed_headers(body: bytes) -> dict[str, str]:
    return {"Content-Type": "application/json", SIGNATURE_HEADER: signature_header(body, settings.TESTPAY_SECRET)}


def testpay_deliver(*, token: str) -> CallbackResult | None:
    """Send the signed callback of a settled session to the merchant: to the same handler the callback URL
    runs, and also over HTTP to the callback URL when TESTPAY_DELIVER_HTTP is set."""
    session = TestPaySession.objects.filter(token=token).first()
    if session is None or session.status not in (TestPaySession.Status.SUCCEEDED, TestPaySession.Status.FAILED):
        return None
    body = testpay_event(session)
    headers = signed_headers(body)
    provider = get_provider("testpay")
    result = provider.handle_callback(body=body, headers=headers) if provider is not None else None
    if settings.TESTPAY_DELIVER_HTTP:
        _post(session.callback_url, body, headers)
    return result


def _post(url: str, body: bytes, headers: dict[str, str]) -> None:
    if not url.startswith(("http://", "https://")):
        logger.warning("testpay: not delivering to %r", url)
        return
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310  (scheme checked)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            logger.info("testpay: callback to %s answered %s", url, response.status)
    except OSError as error:  # HTTPError (4xx/5xx) included: the direct delivery already acted
        logger.warning("testpay: callback to %s failed: %s", url, error)
