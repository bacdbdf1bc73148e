"""The readiness guide: what the DONSENTUNISIE trainings teach about a campaign that succeeds, each point checked on
the campaign as it is saved. Reviewers tick the `CHECKLIST_KEYS` before approving (see services/lifecycle.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from jusoor.campaigns.models import Campaign
from jusoor.organizations.models import DocumentKind, Organization, OrganizationDocument

MIN_STORY_CHARS = 300
MIN_BUDGET_LINES = 2
LANGUAGES = ("ar", "fr", "en")
REQUIRED_DOCUMENTS = (DocumentKind.STATUTES, DocumentKind.REGISTRATION_PROOF)

# What a reviewer confirms before approving; every key must be true.
CHECKLIST_KEYS = ("clear_story", "realistic_budget", "images", "legal_documents_current")

DONE, TODO, LATER = "done", "todo", "later"

TITLES: dict[str, Any] = {
    "clear_story": _("A clear story"),
    "realistic_budget": _("A realistic budget"),
    "images": _("Good images"),
    "diaspora": _("Reaching the diaspora"),
    "updates": _("Posting updates"),
    "legal_documents_current": _("Legal documents on file"),
}
ADVICE: dict[str, Any] = {
    "clear_story": _(
        "Say who you are, what problem the project solves, for whom, and what the money will change. A donor far "
        "away must understand it without knowing your town. Write a short summary and a story of at least 300 "
        "characters."
    ),
    "realistic_budget": _(
        "Break the goal down into budget lines that say what each amount pays for: equipment, training, transport. "
        "Ask for what the project really needs: donors trust a detailed, modest budget more than a round figure. "
        "Give at least two lines."
    ),
    "images": _(
        "A cover photo and a few pictures of the place, the team and the people who will benefit make a campaign "
        "far more convincing. Use your own photos and ask for consent before showing anyone, above all children."
    ),
    "diaspora": _(
        "Much of the money comes from Tunisians and Moroccans living abroad. Write the title and the summary in "
        "Arabic and in French or English, and share the campaign with your contacts and the diaspora associations."
    ),
    "updates": _(
        "Plan to post news during and after the campaign: progress, thanks, photos of what the money paid for. "
        "Followers and donors receive every update by e-mail, and regular news brings new donors."
    ),
    "legal_documents_current": _(
        "The organisation's statutes and proof of legal registration must be on file and its verification current: "
        "the reviewers check them before approving the campaign."
    ),
}


@dataclass(frozen=True)
class ReadinessItem:
    key: str
    status: str  # DONE, TODO or LATER (cannot be checked yet)

    @property
    def title(self) -> Any:
        return TITLES[self.key]

    @property
    def advice(self) -> Any:
        return ADVICE[self.key]

    @property
    def done(self) -> bool:
        return self.status == DONE

    @property
    def required(self) -> bool:
        return self.key in CHECKLIST_KEYS


def legal_documents_on_file(organization: Organization) -> bool:
    """Whether the organisation is verified and has its statutes and proof of registration on file (one query)."""
    if organization.status != Organization.Status.VERIFIED:
        return False
    kinds = set(OrganizationDocument.objects.filter(organization=organization).values_list("kind", flat=True))
    return all(kind in kinds for kind in REQUIRED_DOCUMENTS)


def _status(ok: bool) -> str:
    return DONE if ok else TODO


def campaign_readiness(campaign: Campaign | None, *, organization: Organization) -> list[ReadinessItem]:
    """The guide's items with their status for `campaign` (None: a campaign not saved yet). Uses the prefetched
    budget lines and images when the campaign comes from `campaign_get`; one query for the documents, and one
    for the updates of a public campaign."""
    legal = ReadinessItem("legal_documents_current", _status(legal_documents_on_file(organization)))
    if campaign is None or campaign.pk is None:
        return [ReadinessItem(key, TODO if key != "updates" else LATER) for key in TITLES if key != legal.key] + [legal]
    stories = [getattr(campaign, f"story_{code}") for code in LANGUAGES]
    summaries = [getattr(campaign, f"summary_{code}") for code in LANGUAGES]
    clear_story = any(summaries) and any(len(story.strip()) >= MIN_STORY_CHARS for story in stories)
    languages = [
        code for code in LANGUAGES if getattr(campaign, f"title_{code}") and getattr(campaign, f"summary_{code}")
    ]
    updates = _status(campaign.updates.exists()) if campaign.is_public else LATER
    return [
        ReadinessItem("clear_story", _status(clear_story)),
        ReadinessItem("realistic_budget", _status(len(campaign.budget_lines.all()) >= MIN_BUDGET_LINES)),
        ReadinessItem("images", _status(bool(campaign.cover_image) and len(campaign.images.all()) >= 1)),
        ReadinessItem("diaspora", _status(len(languages) >= 2)),
        ReadinessItem("updates", updates),
        legal,
    ]
