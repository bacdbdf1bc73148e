"""Background tasks of the campaigns app (procrastinate): each takes ids and calls one service."""

from __future__ import annotations

from procrastinate.contrib.django import app

from jusoor.campaigns.services import updates


@app.task(name="campaigns.campaign_update_notify", queue="mail")
def campaign_update_notify(*, update_id: int, base_url: str) -> None:
    """Mail a campaign update to its followers and donors. The mails are queued in one transaction, so a failed
    run queued none; the task is not retried, so no one gets an update twice."""
    updates.campaign_update_notify(update_id=update_id, base_url=base_url)
