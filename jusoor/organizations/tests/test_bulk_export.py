"""Directory export: the directory's filters, public fields only, labels in the request's language."""

import pytest

from jusoor.organizations.bulk import export
from jusoor.organizations.bulk.columns import EXPORT_COLUMN_NAMES
from jusoor.organizations.services.search_index import organization_reindex
from jusoor.organizations.tests.factories import OrganizationFactory
from jusoor.organizations.tests.test_bulk_support import make_references, read_csv, read_xlsx

pytestmark = pytest.mark.django_db

HEADER = [
    "id", "url", "name_ar", "name_fr", "name_en", "primary_language", "acronym", "kind", "registry",
    "registration_number", "founded_on", "country", "territory", "territory_name", "themes", "members_count",
    "volunteers_count", "website", "description", "status",
]  # fmt: skip


@pytest.fixture
def organizations():
    refs = make_references()
    hope = OrganizationFactory(
        name_ar="جمعية الأمل", name_fr="Association Espoir", name_en="Hope", acronym="AEM",
        kind=refs["cooperative"], registry="tn-rne", registration_number="1234567A", territory=refs["djerba"],
        members_count=120, website="https://example.org", description="=HYPERLINK(\"http://evil\")",
        contact_email="secret@example.org", contact_phone="+21675640000",
    )  # fmt: skip
    hope.themes.set([refs["health"], refs["education"]])
    other = OrganizationFactory(name_ar="جمعية", name_fr="Autre", country="MA", contact_email="hidden@example.org")
    hidden = OrganizationFactory(name_fr="Pas encore vérifiée", status="unverified")
    organization_reindex()
    return {"hope": hope, "other": other, "hidden": hidden}


def test_csv_has_public_fields_in_the_request_language(client, organizations):
    response = client.get("/fr/organisations/export/?format=csv&country=TN")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="organisations-')
    content = b"".join(response.streaming_content)
    lines = read_csv(content)
    hope = organizations["hope"]
    assert lines == [
        HEADER,
        [
            str(hope.pk), f"http://testserver/fr/organisations/{hope.pk}/", "جمعية الأمل", "Association Espoir", "Hope",
            "ar", "AEM", "Coopérative", "tn-rne", "1234567A", "", "TN", "5231", "Djerba Houmt Souk",
            "Éducation; Santé", "120", "", "https://example.org", "'=HYPERLINK(\"http://evil\")", "Vérifiée",
        ],
    ]  # fmt: skip
    assert b"secret@example.org" not in content and b"+216" not in content


def test_csv_lists_what_the_directory_lists(client, organizations):
    lines = read_csv(b"".join(client.get("/ar/organisations/export/").streaming_content))
    names = {line[3] for line in lines[1:]}
    assert names == {"Association Espoir", "Autre"}  # the unverified one is not public
    hope = next(line for line in lines if line[3] == "Association Espoir")
    assert (hope[7], hope[13], hope[14]) == ("تعاضدية", "جربة حومة السوق", "التعليم; الصحة")


def test_xlsx_parses_back_with_text_never_formulas(client, organizations):
    response = client.get("/en/organisations/export/?format=xlsx&q=Espoir")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    rows = read_xlsx(response.content)
    assert rows[0] == HEADER
    assert len(rows) == 2
    values = dict(zip(HEADER, rows[1], strict=True))
    assert (values["id"], values["kind"], values["themes"], values["members_count"]) == (
        organizations["hope"].pk, "Cooperative", "Education; Health", 120,
    )  # fmt: skip
    assert values["description"] == '=HYPERLINK("http://evil")'  # stored as text: the XML has no formula
    assert b"secret@example.org" not in response.content
    assert b"<f>" not in _sheet_xml(response.content)


def _sheet_xml(content):
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read("xl/worksheets/sheet1.xml")


def test_xlsx_is_capped_with_a_message(client, organizations, monkeypatch):
    monkeypatch.setattr(export, "XLSX_MAX_ROWS", 1)
    response = client.get("/en/organisations/export/?format=xlsx&country=", follow=True)
    assert response.redirect_chain == [("/en/organisations/", 302)]
    assert "An XLSX export holds 1 organisations at most." in response.content.decode()
    response = client.get("/en/organisations/export/?format=csv")
    assert len(read_csv(b"".join(response.streaming_content))) == 3  # CSV has no limit


def test_bad_filters_or_format_go_back_to_the_directory(client, organizations):
    response = client.get("/en/organisations/export/?format=csv&kind=nope&q=x")
    assert (response.status_code, response["Location"]) == (302, "/en/organisations/?q=x&kind=nope")
    response = client.get("/en/organisations/export/?format=pdf")
    assert (response.status_code, response["Location"]) == (302, "/en/organisations/")


def test_the_export_header_matches_the_rows_and_never_has_private_columns():
    assert list(EXPORT_COLUMN_NAMES) == HEADER
    assert not {"contact_email", "contact_phone", "address"} & set(HEADER)


def test_export_queries_do_not_grow_with_the_organisations(client, organizations, django_assert_max_num_queries):
    for index in range(30):
        OrganizationFactory(name_fr=f"Association {index}").themes.set([organizations["hope"].themes.first()])
    with django_assert_max_num_queries(12):
        content = b"".join(client.get("/en/organisations/export/?format=csv").streaming_content)
    assert len(read_csv(content)) == 33
