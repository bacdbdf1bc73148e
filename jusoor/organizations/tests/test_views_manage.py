import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.files.uploadedfile import SimpleUploadedFile

from jusoor.accounts.models import Role
from jusoor.accounts.tests.factories import RoleGrantFactory
from jusoor.common.models import AuditEvent
from jusoor.organizations.models import Membership, MembershipRole, Organization, OrganizationDocument
from jusoor.organizations.tests.factories import MembershipFactory, OrganizationFactory, OrganizationKindFactory
from jusoor.territories.models import Territory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def medenine():
    governorate = Territory.objects.create(
        code="TN-82",
        code_system="iso3166-2",
        country="TN",
        kind="governorate",
        name_ar="مدنين",
        name_fr="Médenine",
        name_en="Medenine",
    )
    return governorate


def form_data(**overrides):
    data = {
        "name_ar": "جمعية أطفال مدنين",
        "name_fr": "",
        "name_en": "",
        "primary_language": "ar",
        "kind": OrganizationKindFactory().pk,
        "country": "TN",
        "territory": "TN-82",
        "registry": "tn-rne",
        "registration_number": "1234567a",
        "contact_phone": "+216 75 640 000",
        "operating_territory_codes": "",
    }
    data.update(overrides)
    return data


def test_create_in_arabic_makes_an_owner_and_goes_to_documents(client, user, medenine):
    client.force_login(user)
    response = client.post("/ar/organisations/new/", form_data())
    organization = Organization.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/ar/organisations/{organization.pk}/documents/"
    assert (organization.name_ar, organization.territory, organization.registration_number) == (
        "جمعية أطفال مدنين",
        medenine,
        "1234567A",
    )
    assert organization.contact_phone == "+21675640000"
    assert Membership.objects.get().role == "owner"


@pytest.mark.parametrize(
    ("lang", "overrides", "message"),
    [
        ("fr", {"territory": "TN-99"}, "Code de territoire inconnu : TN-99."),
        ("ar", {"territory": "TN-99"}, "رمز وحدة ترابية غير معروف: TN-99."),
        ("fr", {"registration_number": "12AB"}, "Ce numéro n’a pas le format attendu (par exemple 1234567A)."),
        ("fr", {"name_ar": ""}, "Indiquez le nom de l’organisation dans au moins une langue."),
        ("fr", {"contact_phone": "12"}, "Saisissez le numéro au format international"),
    ],
)
def test_bad_input_is_refused_with_a_translated_message(client, user, medenine, lang, overrides, message):
    client.force_login(user)
    response = client.post(f"/{lang}/organisations/new/", form_data(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'").replace("&rsquo;", "’")
    assert Organization.objects.count() == 0


def test_duplicate_registration_is_refused(client, user, medenine):
    OrganizationFactory(registry="tn-rne", registration_number="1234567A")
    client.force_login(user)
    response = client.post("/fr/organisations/new/", form_data())
    assert response.status_code == 400
    assert "Une organisation avec ce numéro d’immatriculation est déjà enregistrée." in response.content.decode()
    assert Organization.objects.count() == 1


def test_anonymous_creation_goes_to_login(client):
    response = client.get("/fr/organisations/new/")
    assert response.status_code == 302
    assert response["Location"].startswith("/fr/accounts/login/")


def test_a_stranger_cannot_edit_and_nothing_changes(client, user):
    organization = OrganizationFactory(name_fr="Avant")
    client.force_login(user)
    assert client.get(f"/fr/organisations/{organization.pk}/edit/").status_code == 403
    response = client.post(f"/fr/organisations/{organization.pk}/edit/", form_data(name_fr="Après", territory=""))
    assert response.status_code == 403
    organization.refresh_from_db()
    assert organization.name_fr == "Avant"
    assert AuditEvent.objects.count() == 0


def test_hidden_organisation_is_404_for_the_public(client):
    organization = OrganizationFactory(status="unverified")
    assert client.get(f"/fr/organisations/{organization.pk}/").status_code == 404
    assert client.get("/fr/organisations/999999/").status_code == 404


def test_upload_check_and_submit_then_verifier_decides(client, user_factory, django_capture_on_commit_callbacks):
    organization = OrganizationFactory(status="unverified")
    owner = MembershipFactory(organization=organization, role=MembershipRole.OWNER).user
    client.force_login(owner)
    url = f"/fr/organisations/{organization.pk}/documents/"
    disguised = SimpleUploadedFile("statuts.pdf", b"MZ\x90\x00" + b"\x00" * 60, content_type="application/pdf")
    response = client.post(url, {"kind": "statutes", "file": disguised})
    assert response.status_code == 400
    assert "Ce fichier n’est pas un document accepté." in response.content.decode()
    for kind in ("statutes", "registration_proof"):
        upload = SimpleUploadedFile(f"{kind}.pdf", PDF, content_type="application/pdf")
        assert client.post(url, {"kind": kind, "file": upload}).status_code == 302
    assert OrganizationDocument.objects.count() == 2
    assert client.post(url, {"action": "submit"}).status_code == 302
    organization.refresh_from_db()
    assert organization.status == "pending"

    verifier = RoleGrantFactory(role=Role.VERIFIER).user
    client.force_login(verifier)
    document = OrganizationDocument.objects.first()
    download = client.get(f"/fr/organisations/{organization.pk}/documents/{document.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/fr/organisations/{organization.pk}/verification/", {"action": "verify", "reason": "Conforme"}
        )
    assert response.status_code == 302
    organization.refresh_from_db()
    assert (organization.status, organization.status_changed_by) == ("verified", verifier)


def test_documents_are_private(client, user):
    organization = OrganizationFactory(status="verified")
    owner = MembershipFactory(organization=organization, role=MembershipRole.OWNER).user
    client.force_login(owner)
    upload = SimpleUploadedFile("statuts.pdf", PDF, content_type="application/pdf")
    client.post(f"/fr/organisations/{organization.pk}/documents/", {"kind": "statutes", "file": upload})
    document = OrganizationDocument.objects.get()
    url = f"/fr/organisations/{organization.pk}/documents/{document.pk}/"
    client.force_login(user)
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302


def test_platform_admin_must_have_two_factor_to_verify(client):
    organization = OrganizationFactory(status="pending")
    admin = RoleGrantFactory(role=Role.PLATFORM_ADMIN).user
    client.force_login(admin)
    url = f"/fr/organisations/{organization.pk}/verification/"
    assert client.get(url)["Location"] == "/fr/accounts/2fa/totp/activate/"
    TOTP.activate(admin, generate_totp_secret())
    assert client.get(url).status_code == 200


def test_member_cannot_verify_own_organisation(client):
    organization = OrganizationFactory(status="pending")
    owner = MembershipFactory(organization=organization, role=MembershipRole.OWNER).user
    client.force_login(owner)
    response = client.post(f"/fr/organisations/{organization.pk}/verification/", {"action": "verify", "reason": "x"})
    assert response.status_code == 403
    organization.refresh_from_db()
    assert organization.status == "pending"


def test_profile_shows_contact_only_to_partners(client, user_factory):
    organization = OrganizationFactory(contact_email="secret@assoc.tn", contact_phone="+21671000000")
    url = f"/fr/organisations/{organization.pk}/"
    assert "secret@assoc.tn" not in client.get(url).content.decode()
    client.force_login(user_factory())
    assert "secret@assoc.tn" not in client.get(url).content.decode()
    partner = MembershipFactory(organization=OrganizationFactory(status="verified")).user
    client.force_login(partner)
    assert "secret@assoc.tn" in client.get(url).content.decode()


def test_profile_query_count_is_constant(client, django_assert_max_num_queries):
    organization = OrganizationFactory()
    with django_assert_max_num_queries(10):
        assert client.get(f"/fr/organisations/{organization.pk}/").status_code == 200


def board_post(rows):
    data = {
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "30",
    }
    for index, (name, role) in enumerate(rows):
        data[f"form-{index}-full_name"] = name
        data[f"form-{index}-role"] = role
    return data


def test_admin_replaces_the_board_and_it_shows_on_the_profile(client):
    organization = OrganizationFactory()
    admin = MembershipFactory(organization=organization, role=MembershipRole.ADMIN).user
    client.force_login(admin)
    url = f"/fr/organisations/{organization.pk}/board/"
    response = client.post(
        url, board_post([("Leila Haddad", "president"), ("", "member"), ("Sami Ben Amor", "treasurer")])
    )
    assert response.status_code == 302
    assert list(organization.board.values_list("full_name", "role", "position")) == [
        ("Leila Haddad", "president", 0),
        ("Sami Ben Amor", "treasurer", 1),
    ]
    event = AuditEvent.objects.get(action="organizations.board.replaced")
    assert event.changes == {"board": {"old": [], "new": ["Leila Haddad (president)", "Sami Ben Amor (treasurer)"]}}
    assert "Leila Haddad" in client.get(f"/fr/organisations/{organization.pk}/").content.decode()


def test_a_member_cannot_change_the_board(client):
    organization = OrganizationFactory()
    member = MembershipFactory(organization=organization, role=MembershipRole.MEMBER).user
    client.force_login(member)
    response = client.post(f"/fr/organisations/{organization.pk}/board/", board_post([("X", "president")]))
    assert response.status_code == 403
    assert organization.board.count() == 0
