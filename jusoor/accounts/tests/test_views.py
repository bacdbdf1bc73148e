import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from jusoor.accounts.models import Role, User
from jusoor.accounts.tests.factories import RoleGrantFactory, UserFactory
from jusoor.common.audit import audit_log
from jusoor.common.models import AuditEvent

pytestmark = pytest.mark.django_db


def profile_data(**overrides):
    data = {"full_name": "Mehdi Jlassi", "preferred_language": "fr", "country_of_residence": "FR", "phone": ""}
    data.update(overrides)
    return data


def test_profile_requires_login(client):
    response = client.get("/fr/account/profile/")
    assert response.status_code == 302
    assert response["Location"] == "/fr/accounts/login/?next=/fr/account/profile/"


def test_profile_update_normalises_phone_to_e164(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post("/fr/account/profile/", profile_data(phone="+216 71 123 456"))
    assert response.status_code == 302
    assert response["Location"] == "/fr/account/profile/"
    user.refresh_from_db()
    assert (user.full_name, user.country_of_residence, user.phone) == ("Mehdi Jlassi", "FR", "+21671123456")


def test_changing_the_preferred_language_redirects_to_that_language(client):
    user = UserFactory(preferred_language="fr")
    client.force_login(user)
    response = client.post("/fr/account/profile/", profile_data(preferred_language="ar"))
    assert response["Location"] == "/ar/account/profile/"


@pytest.mark.parametrize(
    ("lang", "phone", "message"),
    [
        (
            "fr",
            "71 123",
            "Saisissez le numéro au format international, en commençant par + et l&#x27;indicatif du pays.",
        ),
        ("ar", "abc", "أدخل رقم الهاتف بالصيغة الدولية، مبتدئًا بـ + ثم رمز البلد."),
        ("fr", "+216 12", "Ce numéro de téléphone n&#x27;est pas valide."),
        ("en", "+33 1 23", "This phone number is not valid."),
        ("en", "+33 1", "Enter the phone number in international format, starting with + and the country code."),
    ],
)
def test_bad_phone_gets_a_translated_message_and_changes_nothing(client, lang, phone, message):
    user = UserFactory(phone="")
    client.force_login(user)
    response = client.post(f"/{lang}/account/profile/", profile_data(phone=phone, full_name="Changed"))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert User.objects.get(pk=user.pk).full_name == user.full_name
    assert AuditEvent.objects.count() == 0


def test_too_long_name_gets_a_translated_message(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post("/fr/account/profile/", profile_data(full_name="x" * 151))
    assert response.status_code == 400
    assert (
        "Assurez-vous que cette valeur comporte au plus 150 caractères (actuellement 151)." in response.content.decode()
    )


def test_unknown_country_is_refused(client):
    user = UserFactory(country_of_residence="TN")
    client.force_login(user)
    response = client.post("/en/account/profile/", profile_data(country_of_residence="XX"))
    assert response.status_code == 400
    assert User.objects.get(pk=user.pk).country_of_residence == "TN"


def with_totp(user):
    TOTP.activate(user, generate_totp_secret())
    return user


def test_audit_log_anonymous_goes_to_login(client):
    response = client.get("/fr/staff/audit/")
    assert response.status_code == 302
    assert response["Location"].startswith("/fr/accounts/login/")


@pytest.mark.parametrize("role", [Role.PROGRAMME_MANAGER, Role.REVIEWER, Role.COACH, Role.DONOR, Role.FINANCE_OFFICER])
def test_audit_log_is_forbidden_to_other_roles(client, role):
    user = with_totp(RoleGrantFactory(role=role).user)
    client.force_login(user)
    assert client.get("/fr/staff/audit/").status_code == 403


def test_audit_log_requires_two_factor_for_admins(client):
    admin = RoleGrantFactory(role=Role.PLATFORM_ADMIN).user
    client.force_login(admin)
    response = client.get("/fr/staff/audit/")
    assert response.status_code == 302
    assert response["Location"] == "/fr/accounts/2fa/totp/activate/"


def test_finance_officer_without_two_factor_is_sent_to_set_it_up_too(client):
    officer = RoleGrantFactory(role=Role.FINANCE_OFFICER).user
    client.force_login(officer)
    assert client.get("/fr/staff/audit/")["Location"] == "/fr/accounts/2fa/totp/activate/"


def test_audit_log_lists_and_filters_with_a_constant_number_of_queries(client, django_assert_max_num_queries):
    admin = with_totp(RoleGrantFactory(role=Role.PLATFORM_ADMIN).user)
    users = UserFactory.create_batch(30)
    for user in users:
        audit_log(actor=user, action="accounts.profile.updated", target=user, changes={"a": {"old": 1, "new": 2}})
    audit_log(actor=admin, action="accounts.role.granted", target=users[0])
    client.force_login(admin)
    with django_assert_max_num_queries(12):
        response = client.get("/fr/staff/audit/")
    assert response.status_code == 200
    assert len(response.context["events"]) == 31
    response = client.get("/fr/staff/audit/?action=accounts.role")
    assert [e.action for e in response.context["events"]] == ["accounts.role.granted"]
    response = client.get(f"/fr/staff/audit/?actor={users[3].email}")
    assert [e.actor_id for e in response.context["events"]] == [users[3].pk]


def test_audit_log_query_count_does_not_grow_with_rows(client, django_assert_num_queries):
    admin = with_totp(RoleGrantFactory(role=Role.PLATFORM_ADMIN).user)
    client.force_login(admin)
    audit_log(actor=admin, action="x.y.z", target=admin)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/fr/staff/audit/")
    for user in UserFactory.create_batch(20):
        audit_log(actor=user, action="x.y.z", target=user)
    with django_assert_num_queries(len(few)):
        client.get("/fr/staff/audit/")


def test_django_admin_needs_staff_and_two_factor(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    response = client.get("/fr/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/fr/admin/login/?next=/fr/admin/"
    assert client.get(response["Location"])["Location"] == "/fr/accounts/login/?next=/fr/admin/"
    with_totp(staff)
    assert client.get("/fr/admin/").status_code == 200
    assert client.get("/fr/admin/common/auditevent/").status_code == 200
    assert client.get("/fr/admin/territories/territory/").status_code == 200


def test_django_admin_is_closed_to_non_staff_even_with_two_factor(client):
    user = with_totp(UserFactory())
    client.force_login(user)
    assert client.get("/fr/admin/").status_code == 302


def test_the_profile_records_the_commune_by_its_code_and_refuses_other_places(client):
    from jusoor.territories.models import Territory

    governorate = Territory.objects.create(
        code="TN-82",
        code_system="iso3166-2",
        country="TN",
        kind="governorate",
        name_ar="مدنين",
        name_fr="Médenine",
        name_en="Medenine",
    )
    commune = Territory.objects.create(
        code="8211",
        code_system="tn-municipality",
        country="TN",
        kind="municipality",
        parent=governorate,
        name_ar="مدنين",
        name_fr="Médenine",
        name_en="Medenine",
    )
    user = UserFactory()
    client.force_login(user)
    refused = client.post("/en/account/profile/", profile_data(commune="TN-82"))
    assert refused.status_code == 400
    assert "Choose a commune or municipality from the list (unknown: TN-82)." in refused.content.decode()
    user.refresh_from_db()
    assert user.commune is None
    assert client.post("/en/account/profile/", profile_data(commune="8211")).status_code == 302
    user.refresh_from_db()
    assert user.commune == commune
    assert client.post("/en/account/profile/", profile_data(commune="")).status_code == 302
    user.refresh_from_db()
    assert user.commune is None
