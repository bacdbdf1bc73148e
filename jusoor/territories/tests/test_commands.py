from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from jusoor.territories.models import Territory


@pytest.mark.django_db
def test_load_territories_for_one_country():
    out = StringIO()
    call_command("load_territories", "--country", "tn", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[:2] == ["TN governorate: 24", "TN municipality: 350"]
    assert lines[2].startswith("374 territories loaded in ")
    assert Territory.objects.count() == 374


@pytest.mark.django_db
def test_load_territories_rejects_an_unknown_country():
    with pytest.raises(CommandError):
        call_command("load_territories", "--country", "DZ", stdout=StringIO())
    assert Territory.objects.count() == 0
