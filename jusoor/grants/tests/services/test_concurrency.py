"""Two managers award at the same moment against the last 100,000 MAD of the envelope: one wins, the other gets
the envelope error, the envelope is never exceeded."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection

from jusoor.common.exceptions import ApplicationError
from jusoor.finance.selectors import ledger_problems
from jusoor.grants.models import Grant
from jusoor.grants.selectors import programme_envelope
from jusoor.grants.services.awards import grant_award
from jusoor.organizations.tests.factories import OrganizationFactory


@pytest.mark.django_db(transaction=True)
def test_two_awards_against_the_last_part_of_the_envelope(scene):
    programme = scene.programme
    programme.budget_envelope = Decimal("160000")
    programme.save(update_fields=["budget_envelope"])
    grant_award(programme=programme, organization=scene.org, amount="60000", acting_user=scene.manager)
    organizations = [OrganizationFactory(), OrganizationFactory()]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def award(organization):
        try:
            barrier.wait()
            grant_award(programme=programme, organization=organization, amount="60000", acting_user=scene.manager)
            outcomes.append("awarded")
        except ApplicationError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=award, args=(org,)) for org in organizations]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["awarded", "grant_beyond_envelope"]
    assert Grant.objects.count() == 2
    envelope = programme_envelope(programme)
    assert (envelope.consumed, envelope.remaining) == (Decimal("120000.000"), Decimal("40000.000"))
    assert ledger_problems() == []
