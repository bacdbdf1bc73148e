"""Cohorts: the organisations a programme incubates, taken from the selected applications of its calls."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jusoor.calls.models import Application, Call
from jusoor.common.audit import audit_log
from jusoor.incubation.error_codes import IncubationErrorCode
from jusoor.incubation.models import Cohort, CohortMembership
from jusoor.incubation.services.base import error
from jusoor.programmes.models import Programme


@transaction.atomic
def cohort_create_from_selected(
    *, programme: Programme, acting_user: Any, name: str, call: Call | None = None
) -> Cohort:
    """The cohort `name` of the programme (created if missing) with every organisation whose application is selected
    — in `call`, or in any call of the programme. Running it again adds only the organisations selected since."""
    name = (name or "").strip()
    if not name:
        raise error(_("Give the cohort a name."), IncubationErrorCode.NAME_REQUIRED, "name")
    if call is not None and call.programme_id != programme.pk:
        raise error(_("This call belongs to another programme."), IncubationErrorCode.WRONG_PROGRAMME, "call")
    applications = Application.objects.filter(call__programme=programme, status=Application.Status.SELECTED)
    if call is not None:
        applications = applications.filter(call=call)
    selected = list(applications.order_by("id").values_list("id", "organization_id"))
    if not selected:
        raise error(
            _("No application has been selected yet: select organisations before forming a cohort."),
            IncubationErrorCode.NO_SELECTED_APPLICATIONS,
        )
    cohort, created = Cohort.objects.select_for_update().get_or_create(
        programme=programme, name=name, defaults={"call": call, "created_by": acting_user}
    )
    present = set(CohortMembership.objects.filter(cohort=cohort).values_list("organization_id", flat=True))
    now = timezone.now()
    new = []
    for application_id, organization_id in selected:
        if organization_id not in present:
            present.add(organization_id)
            new.append(
                CohortMembership(
                    cohort=cohort, organization_id=organization_id, application_id=application_id, joined_at=now
                )
            )
    CohortMembership.objects.bulk_create(new)
    audit_log(
        actor=acting_user,
        action="incubation.cohort.created" if created else "incubation.cohort.organizations_added",
        target=cohort,
        changes={"organizations": {"old": None, "new": sorted(m.organization_id for m in new)}},
    )
    return cohort
