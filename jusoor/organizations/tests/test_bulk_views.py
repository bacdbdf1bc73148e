"""Import pages end to end (upload → preview → import task run eagerly → status → report), permissions,
the htmx status fragment and the templates to download."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.translation import gettext

from jusoor.accounts.models import Role
from jusoor.accounts.tests.factories import RoleGrantFactory
from jusoor.common.models import AuditEvent
from jusoor.organizations.bulk.columns import IMPORT_COLUMN_NAMES
from jusoor.organizations.models import ImportJob, Membership, Organization, Registry
from jusoor.organizations.tests.factories import OrganizationFactory
from jusoor.organizations.tests.test_bulk_support import (
    csv_bytes,
    make_references,
    read_csv,
    read_xlsx,
    row,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db


def registry_labels(value):
    labels = []
    for language in ("ar", "fr", "en"):
        with translation.override(language):
            labels.append(str(Registry(value).label))
    return labels


def translated(language, message):
    with translation.override(language):
        return gettext(message)


IMPORT_URL = "/en/staff/organisations/import/"


@pytest.fixture
def refs():
    return make_references()


@pytest.fixture
def verifier():
    return RoleGrantFactory(role=Role.VERIFIER).user


def upload(client, content, name="organisations.csv"):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, content, content_type="application/octet-stream")})


def test_upload_preview_import_and_report(client, verifier, refs, django_capture_on_commit_callbacks):
    client.force_login(verifier)
    content = csv_bytes(
        [
            row(themes="santé; Education", registry="tn-rne", registration_number="1234567A"),
            row(name_ar="جمعية النور", name_fr="", territory="مدنين", themes=""),
            row(name_ar="", name_fr="Coopérative Djerba", kind="Coopérative", territory="5231"),
        ],
        encoding="cp1256",
        delimiter=";",
    )

    # Upload: checked, kept as a preview; nothing written yet.
    response = upload(client, content)
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/en/staff/organisations/import/{job.pk}/"
    assert (job.status, job.total, job.error_count, job.warning_count, job.encoding) == (
        "preview", 3, 0, 1, "windows-1256",
    )  # fmt: skip
    assert job.file.name.startswith("organisations/imports/") and job.file.name != "organisations.csv"
    assert Organization.objects.count() == 0

    page = client.get(response["Location"]).content.decode()
    assert "جمعية النور" in page and "Coopérative Djerba" in page
    assert "names several territories" in page  # the warning, with its row number
    assert 'style="' not in page
    assert "Import 3 organisations</button>" in page

    # Import: the task runs after commit (eagerly in tests), all rows in one transaction.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/staff/organisations/import/{job.pk}/")
    assert response.status_code == 302
    job.refresh_from_db()
    created = list(Organization.objects.order_by("pk"))
    assert (job.status, job.processed, job.created_count, job.created_ids) == ("done", 3, 3, [o.pk for o in created])
    assert job.started_by == verifier
    assert [o.name_ar for o in created] == ["جمعية الأمل", "جمعية النور", ""]
    assert [o.territory for o in created] == [refs["medenine"], refs["medenine"], refs["djerba"]]
    assert [o.kind for o in created] == [refs["association"], refs["association"], refs["cooperative"]]
    assert {o.status for o in created} == {"unverified"}
    assert set(created[0].themes.all()) == {refs["health"], refs["education"]}
    assert all(o.search_text for o in created)  # indexed for search
    assert Membership.objects.count() == 0  # no owner
    audit = AuditEvent.objects.get(action="organizations.import.completed")
    assert (audit.actor, audit.target_id, audit.changes["organizations"]) == (
        verifier, str(job.pk), {"old": 0, "new": 3},
    )  # fmt: skip

    page = client.get(f"/en/staff/organisations/import/{job.pk}/").content.decode()
    assert "hx-trigger" not in page  # finished: nothing to poll
    assert f"/en/staff/organisations/import/{job.pk}/report/" in page

    report = client.get(f"/en/staff/organisations/import/{job.pk}/report/")
    assert report["Content-Type"] == "text/csv; charset=utf-8"
    lines = read_csv(report.content)
    assert lines[0] == ["row", "result", "organization_id", "name", "messages"]
    assert [line[0] for line in lines[1:]] == ["2", "3", "4"]
    assert [line[2] for line in lines[1:]] == [str(o.pk) for o in created]
    assert lines[2][3] == "جمعية النور"
    assert "territory:" in lines[2][4]

    # Starting again (double click, back button) does nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/en/staff/organisations/import/{job.pk}/")
    assert Organization.objects.count() == 3


def test_a_file_with_errors_shows_them_and_cannot_be_imported(
    client, verifier, refs, django_capture_on_commit_callbacks
):
    OrganizationFactory(registry="tn-rne", registration_number="1234567A", name_fr="Déjà inscrite")
    client.force_login(verifier)
    response = upload(client, csv_bytes([row(), row(name_fr="B", registry="tn-rne", registration_number="1234567A")]))
    job = ImportJob.objects.get()
    assert (job.status, job.error_count) == ("preview", 1)

    page = client.get(response["Location"]).content.decode()
    assert "An organisation with this registration number is already registered: Déjà inscrite." in page
    assert "disabled" in page
    assert f'action="/en/staff/organisations/import/{job.pk}/"' not in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/staff/organisations/import/{job.pk}/")
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == "preview"
    assert Organization.objects.count() == 1

    lines = read_csv(client.get(f"/en/staff/organisations/import/{job.pk}/report/").content)
    assert [line[:3] for line in lines[1:]] == [["2", "ready", ""], ["3", "error", ""]]
    assert lines[2][4].startswith("registration_number: An organisation with this registration number")


def test_a_refused_file_is_explained_on_the_upload_page(client, verifier, refs):
    client.force_login(verifier)
    response = upload(client, csv_bytes([row(name_ar="", name_fr="École À Tunis")], encoding="latin-1"))
    assert response.status_code == 400
    assert "Windows-1256" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_xlsx_upload_is_checked_too(client, verifier, refs):
    client.force_login(verifier)
    values = {**dict.fromkeys(IMPORT_COLUMN_NAMES), **row(territory="TN-82")}
    response = upload(client, xlsx_bytes([[values[name] for name in IMPORT_COLUMN_NAMES]]), name="orgs.xlsx")
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert (job.file_format, job.total, job.error_count) == ("xlsx", 1, 0)
    assert job.file.name.endswith(".xlsx")


def test_the_status_fragment_polls_while_the_import_waits_or_runs(client, verifier, refs):
    job = ImportJob.objects.create(
        created_by=verifier, status="running", original_name="a.csv", file_format="csv", total=3000, processed=1000
    )
    client.force_login(verifier)
    fragment = client.get(f"/en/staff/organisations/import/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert fragment.startswith('<section id="import-job-status"')
    assert f'hx-get="/en/staff/organisations/import/{job.pk}/"' in fragment
    assert 'hx-trigger="every 2s"' in fragment
    assert '<progress class="w-100" max="3000" value="1000"' in fragment
    assert f'href="/en/staff/organisations/import/{job.pk}/"' in fragment  # refresh link without JavaScript
    assert "style=" not in fragment

    ImportJob.objects.filter(pk=job.pk).update(
        status="failed", failure={"code": "integrity", "params": {"detail": "x"}}
    )
    fragment = client.get(f"/en/staff/organisations/import/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in fragment
    assert "The import was cancelled and nothing was written: the database refused the data (x)." in fragment


def test_anonymous_users_go_to_the_login_page(client, refs):
    for url in (IMPORT_URL, f"{IMPORT_URL}template/?format=csv", f"{IMPORT_URL}1/", f"{IMPORT_URL}1/report/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/en/accounts/login/")
    response = upload(client, csv_bytes([row()]))
    assert response.status_code == 302
    assert ImportJob.objects.count() == 0


def test_ordinary_users_are_refused_and_nothing_is_written(
    client, user, verifier, refs, django_capture_on_commit_callbacks
):
    job = ImportJob.objects.create(
        created_by=verifier, original_name="a.csv", file_format="csv", total=1,
        rows=[{"row": 2, "ok": True}],
    )  # fmt: skip
    client.force_login(user)
    assert upload(client, csv_bytes([row()])).status_code == 403
    assert client.get(IMPORT_URL).status_code == 403
    assert client.get(f"{IMPORT_URL}template/?format=xlsx").status_code == 403
    assert client.get(f"{IMPORT_URL}{job.pk}/report/").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"{IMPORT_URL}{job.pk}/").status_code == 403
    job.refresh_from_db()
    assert (ImportJob.objects.count(), job.status, Organization.objects.count()) == (1, "preview", 0)


def test_platform_admins_need_two_factor_authentication(client, refs):
    admin = RoleGrantFactory(role=Role.PLATFORM_ADMIN).user
    client.force_login(admin)
    assert client.get(IMPORT_URL)["Location"] == "/en/accounts/2fa/totp/activate/"
    TOTP.activate(admin, generate_totp_secret())
    assert client.get(IMPORT_URL).status_code == 200


def test_csv_template_is_one_header_row(client, verifier):
    client.force_login(verifier)
    response = client.get(f"{IMPORT_URL}template/?format=csv")
    assert response["Content-Disposition"] == 'attachment; filename="organisations-template.csv"'
    assert read_csv(response.content) == [list(IMPORT_COLUMN_NAMES)]


def test_xlsx_template_has_the_header_then_help_sheets(client, verifier, refs):
    client.force_login(verifier)
    response = client.get(f"{IMPORT_URL}template/?format=xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert read_xlsx(response.content) == [list(IMPORT_COLUMN_NAMES)]
    columns = read_xlsx(response.content, sheet=1)
    assert [line[0] for line in columns[1:]] == list(IMPORT_COLUMN_NAMES)
    values = read_xlsx(response.content, sheet=2)
    assert values[0] == ["List", "Identifier", "ar", "fr", "en"]
    assert ["Kind", "association", "جمعية", "Association", "Association"] in values
    assert ["Theme", "health", "الصحة", "Santé", "Health"] in values
    assert ["Registry", "tn-rne", *registry_labels("tn-rne")] in values


def test_the_upload_page_lists_the_columns_and_templates(client, verifier):
    client.force_login(verifier)
    page = client.get(IMPORT_URL).content.decode()
    assert all(name in page for name in IMPORT_COLUMN_NAMES)
    assert f"{IMPORT_URL}template/?format=xlsx" in page
    assert 'style="' not in page


ENCODING_REFUSAL = (
    "The characters of this file could not be read safely, so nothing was imported (Arabic or accented letters would "
    "have been garbled). Save it as CSV in UTF-8, or in Windows-1256 (Arabic), and upload it again."
)
DUPLICATE = "An organisation with this registration number is already registered: %(name)s."


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_bad_encoding_and_duplicates_give_translated_messages(client, verifier, refs, language):
    OrganizationFactory(registry="tn-rne", registration_number="1234567A", name_fr="Déjà inscrite")
    client.force_login(verifier)
    url = f"/{language}/staff/organisations/import/"
    response = client.post(
        url, {"file": SimpleUploadedFile("a.csv", csv_bytes([row(name_ar="", name_fr="École")], encoding="latin-1"))}
    )
    message = translated(language, ENCODING_REFUSAL)
    assert message != ENCODING_REFUSAL
    assert message.replace("’", "&rsquo;") in response.content.decode().replace("’", "&rsquo;")

    data = csv_bytes([row(registry="tn-rne", registration_number="1234567A")])
    response = client.post(url, {"file": SimpleUploadedFile("b.csv", data)})
    page = client.get(response["Location"]).content.decode()
    message = translated(language, DUPLICATE)
    assert message != DUPLICATE
    assert message % {"name": "Déjà inscrite"} in page.replace("&#x27;", "'")
    assert Organization.objects.count() == 1
