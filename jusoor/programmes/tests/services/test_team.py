import pytest

from jusoor.accounts.tests.factories import UserFactory
from jusoor.common.exceptions import ApplicationError
from jusoor.common.models import AuditEvent
from jusoor.programmes.models import ProgrammeMember
from jusoor.programmes.services.team import team_member_add, team_member_remove, team_member_set_capacity

pytestmark = pytest.mark.django_db


def test_add_by_email_in_several_roles(programme, manager):
    person = UserFactory(email="Salma@Example.org")
    reviewer = team_member_add(
        programme=programme, acting_user=manager, email="salma@example.org", role="reviewer", capacity=25
    )
    team_member_add(programme=programme, acting_user=manager, email="salma@example.org", role="coach", capacity=9)
    roles = set(ProgrammeMember.objects.filter(user=person).values_list("role", "capacity"))
    assert roles == {("reviewer", 25), ("coach", None)}
    assert reviewer.user == person
    event = AuditEvent.objects.filter(action="programmes.team.member_added").order_by("id").first()
    assert event.changes == {
        "user": {"old": None, "new": person.pk},
        "role": {"old": None, "new": "reviewer"},
        "capacity": 25,
    }


@pytest.mark.parametrize(
    ("email", "role", "capacity", "code", "field"),
    [
        ("nobody@example.org", "coach", None, "user_not_found", "email"),
        ("", "coach", None, "user_not_found", "email"),
        ("known@example.org", "king", None, "role_invalid", "role"),
        ("known@example.org", "reviewer", 0, "capacity_invalid", "capacity"),
        ("known@example.org", "reviewer", 10_001, "capacity_invalid", "capacity"),
    ],
)
def test_bad_input_adds_nobody(programme, manager, email, role, capacity, code, field):
    UserFactory(email="known@example.org")
    before = (ProgrammeMember.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ApplicationError) as error:
        team_member_add(programme=programme, acting_user=manager, email=email, role=role, capacity=capacity)
    assert (error.value.code, list(error.value.extra["fields"])) == (code, [field])
    assert (ProgrammeMember.objects.count(), AuditEvent.objects.count()) == before


def test_the_same_role_twice_is_refused(programme, manager):
    with pytest.raises(ApplicationError) as error:
        team_member_add(programme=programme, acting_user=manager, email=manager.email, role="manager")
    assert error.value.code == "already_member"


def test_the_last_manager_stays(programme, manager):
    member = ProgrammeMember.objects.get(user=manager)
    with pytest.raises(ApplicationError) as error:
        team_member_remove(programme=programme, acting_user=manager, member_id=member.pk)
    assert (error.value.code, str(error.value.message)) == (
        "last_manager",
        "A programme keeps at least one manager on its team.",
    )
    other = team_member_add(programme=programme, acting_user=manager, email=UserFactory().email, role="manager")
    team_member_remove(programme=programme, acting_user=manager, member_id=member.pk)
    assert list(ProgrammeMember.objects.filter(programme=programme).values_list("pk", flat=True)) == [other.pk]


def test_a_member_of_another_programme_cannot_be_removed_from_here(programme, manager):
    from jusoor.programmes.tests.factories import MemberFactory

    elsewhere = MemberFactory(role="coach")
    with pytest.raises(ApplicationError) as error:
        team_member_remove(programme=programme, acting_user=manager, member_id=elsewhere.pk)
    assert error.value.code == "member_not_found"
    assert ProgrammeMember.objects.filter(pk=elsewhere.pk).exists()


def test_capacity_changes_are_audited(programme, manager):
    reviewer = team_member_add(
        programme=programme, acting_user=manager, email=UserFactory().email, role="reviewer", capacity=10
    )
    team_member_set_capacity(programme=programme, acting_user=manager, member_id=reviewer.pk, capacity=30)
    reviewer.refresh_from_db()
    assert reviewer.capacity == 30
    event = AuditEvent.objects.get(action="programmes.team.capacity_changed")
    assert event.changes == {"user": reviewer.user_id, "capacity": {"old": 10, "new": 30}}
