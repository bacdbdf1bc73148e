"""10,000 rows are checked and imported with a number of queries that does not grow with the rows.

No timing is asserted (numbers go into closing notes); only the set-based shape of the work is.
"""

import pytest

from jusoor.accounts.models import Role
from jusoor.accounts.tests.factories import RoleGrantFactory
from jusoor.organizations.bulk.checks import check_file
from jusoor.organizations.bulk.parsing import parse_upload
from jusoor.organizations.models import ImportJob, Organization
from jusoor.organizations.services import imports
from jusoor.organizations.tests.factories import OrganizationFactory
from jusoor.organizations.tests.test_bulk_support import csv_bytes, make_references, row

pytestmark = pytest.mark.django_db

ROWS = 10_000
PLACES = ("TN-82", "5231", "Djerba Houmt Souk", "مدنين", "52")


def ten_thousand_rows():
    return csv_bytes(
        row(
            name_ar=f"جمعية التنمية رقم {index}",
            name_fr=f"Association de développement n° {index}",
            kind=("association", "Coopérative", "جمعية")[index % 3],
            territory=PLACES[index % len(PLACES)],
            registry="tn-rne",
            registration_number=f"{index:07d}A",
            founded_on="15/03/2012",
            themes=("health; education", "Santé", "")[index % 3],
            members_count=str(index % 500),
            contact_email=f"contact{index}@example.org",
            contact_phone="+216 75 640 000",
            website="www.example.org",
        )
        for index in range(ROWS)
    )


def test_ten_thousand_rows_are_checked_and_imported_with_bounded_queries(django_assert_max_num_queries):
    make_references()
    for index in range(50):  # existing organisations to compare names with
        OrganizationFactory(
            name_fr=f"Association existante {index}", registry="tn-rne", registration_number=f"{index:07d}Z"
        )
    verifier = RoleGrantFactory(role=Role.VERIFIER).user
    parsed = parse_upload(ten_thousand_rows())

    with django_assert_max_num_queries(15):
        checked = check_file(parsed)
    assert (len(checked.rows), checked.error_count) == (ROWS, 0)

    job = imports.import_job_create(
        acting_user=verifier, original_name="big.csv", data=b"", file_format="csv", encoding="utf-8",
        rows=checked.rows, issues=[issue.as_dict() for issue in checked.issues],
    )  # fmt: skip
    ImportJob.objects.filter(pk=job.pk).update(status="pending", started_by=verifier)

    # claim + lock + job + registrations + 10 INSERTs of 1,000 + 2 theme INSERTs + reindex + constraints + audit
    # + done ≈ 22 (progress is written on its own connection, 10 more statements).
    with django_assert_max_num_queries(30):
        imports.organization_import_run(job_id=job.pk)

    job.refresh_from_db()
    assert (job.status, job.created_count) == ("done", ROWS)
    assert Organization.objects.count() == ROWS + 50
    assert Organization.themes.through.objects.count() == sum((2, 1, 0)[index % 3] for index in range(ROWS))
