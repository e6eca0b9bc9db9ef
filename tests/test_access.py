import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from zhiyuan.core import access
from zhiyuan.core.errors import Refused
from zhiyuan.organizations import services
from zhiyuan.organizations.models import Kind, Organization
from zhiyuan.organizations.roles import Perm, Role


def test_a_role_reaches_the_whole_subtree_and_nothing_beside_it(world):
    scope = set(access.organizations(world.east_officer, Perm.ORG_CHANGE))
    assert scope == {world.east, world.east_team}


def test_superuser_acts_everywhere(world):
    assert access.organizations(world.admin, Perm.ORG_CHANGE).count() == Organization.objects.count()


def test_a_member_may_look_but_not_manage(world):
    member = MembershipFactory(organization=world.east, role=Role.MEMBER).user
    assert access.can(member, Perm.ORG_VIEW, world.east_team)
    assert not access.can(member, Perm.ORG_CHANGE, world.east_team)
    assert not access.organizations(member, Perm.CONTACT_CHANGE).exists()


def test_a_liaison_keeps_the_contact_sheet_but_not_the_members(world):
    liaison = MembershipFactory(organization=world.east, role=Role.LIAISON).user
    assert access.can(liaison, Perm.CONTACT_CHANGE, world.east)
    assert not access.can(liaison, Perm.MEMBER_CHANGE, world.east)


def test_roles_in_two_subtrees_add_up(world):
    both = MembershipFactory(organization=world.east_team, role=Role.LEADER).user
    MembershipFactory(user=both, organization=world.west, role=Role.OFFICER)
    assert set(access.organizations(both, Perm.ORG_CHANGE)) == {world.east_team, world.west, world.west_team}


def test_nested_roles_do_not_duplicate_rows(world):
    officer = world.east_officer
    MembershipFactory(user=officer, organization=world.east_team, role=Role.LEADER)
    access.forget(officer)
    assert access.organizations(officer, Perm.ORG_VIEW).count() == 2


def test_inactive_and_anonymous_users_see_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    world.east_officer.is_active = False
    assert not access.organizations(world.east_officer, Perm.ORG_VIEW).exists()
    assert not access.organizations(AnonymousUser(), Perm.ORG_VIEW).exists()


def test_grants_are_read_once_per_user_object(world, django_assert_num_queries):
    officer = world.east_officer
    access.roots(officer, Perm.ORG_VIEW)
    with django_assert_num_queries(0):
        access.roots(officer, Perm.ORG_CHANGE)
        access.can(officer, Perm.MEMBER_CHANGE, world.east_team)


def test_get_or_404_hides_what_is_out_of_scope(world):
    with pytest.raises(Http404):
        access.get_or_404(access.organizations(world.east_officer, Perm.ORG_VIEW), pk=world.west.pk)


def test_moving_a_subtree_moves_its_scope(world):
    # given the east team moves under the west office
    services.organization_update(by=world.admin, organization=world.east_team, parent=world.west)
    deep = OrganizationFactory(parent=Organization.objects.get(pk=world.east_team.pk))
    access.forget(world.east_officer)
    # then the east officer loses it and the west officer gains it, grandchildren included
    assert not access.can(world.east_officer, Perm.ORG_VIEW, Organization.objects.get(pk=deep.pk))
    assert set(access.organizations(world.west_officer, Perm.ORG_VIEW)) >= {world.west_team, deep}


def test_cycles_are_refused(world):
    child = OrganizationFactory(parent=world.east_team)
    with pytest.raises(ValidationError) as exc:
        services.organization_update(by=world.admin, organization=world.east, parent=child)
    assert "parent" in exc.value.error_dict
    with pytest.raises(ValidationError):
        services.organization_update(by=world.admin, organization=world.east, parent=world.east)
    assert Organization.objects.get(pk=world.east.pk).parent_id == world.city.pk


def test_paths_stay_consistent_after_moves(world):
    a = OrganizationFactory(parent=world.east_team)
    b = OrganizationFactory(parent=a)
    services.organization_update(by=world.admin, organization=a, parent=world.west_team)
    for org in Organization.objects.all():
        expected = (org.parent.path if org.parent else "/") + f"{org.pk}/"
        assert org.path == expected, org.name
    assert Organization.objects.get(pk=b.pk).path.startswith(Organization.objects.get(pk=world.west.pk).path)


def test_deleting_an_organisation_with_children_or_members_is_refused(world):
    with pytest.raises(Refused, match="下级组织"):
        services.organization_delete(by=world.admin, organization=world.east)
    MembershipFactory(organization=world.west_team)
    with pytest.raises(Refused, match="成员"):
        services.organization_delete(by=world.admin, organization=world.west_team)
    empty = OrganizationFactory(parent=world.east)
    services.organization_delete(by=world.east_officer, organization=empty)
    assert not Organization.objects.filter(pk=empty.pk).exists()


def test_only_a_platform_admin_creates_a_root(world):
    with pytest.raises(access.PermissionDenied):
        services.organization_create(by=world.east_officer, name="新顶级", kind=Kind.OFFICE, parent=None)
    assert services.organization_create(by=world.admin, name="新顶级", kind=Kind.OFFICE, parent=None).path


def test_an_officer_cannot_create_under_or_reference_another_subtree(world):
    with pytest.raises(ValidationError):
        services.organization_create(by=world.east_officer, name="x", kind=Kind.TEAM, parent=world.west)
    with pytest.raises(ValidationError) as exc:
        services.organization_create(
            by=world.east_officer, name="x", kind=Kind.TEAM, parent=world.east, parent_agency=world.west
        )
    assert "parent_agency" in exc.value.error_dict


def test_grid_network_kinds_nest_strictly(world):
    grid = OrganizationFactory(parent=world.east, kind=Kind.GRID)
    with pytest.raises(ValidationError):
        services.organization_create(by=world.admin, name="1层", kind=Kind.FLOOR, parent=grid)
    building = services.organization_create(by=world.admin, name="1号楼", kind=Kind.BUILDING, parent=grid)
    assert services.organization_create(by=world.admin, name="1层", kind=Kind.FLOOR, parent=building).pk


def test_parent_agency_only_for_volunteer_bodies(world):
    agency = OrganizationFactory(parent=world.city, kind=Kind.AGENCY, name="市妇联")
    with pytest.raises(ValidationError):
        services.organization_create(
            by=world.admin, name="x", kind=Kind.UNIT, parent=world.city, parent_agency=agency
        )
    brigade = services.organization_create(
        by=world.admin, name="巾帼志愿服务支队", kind=Kind.BRIGADE, parent=world.city, parent_agency=agency
    )
    assert brigade.parent_agency == agency


def test_changes_are_audited_with_their_author(world):
    services.organization_update(
        by=world.east_officer, organization=world.east_team, address="郑东新区某路1号"
    )
    record = Organization.history.filter(id=world.east_team.pk).latest("history_date")
    assert record.history_user == world.east_officer
    assert record.address == "郑东新区某路1号"


def test_person_lookup_by_mobile_refuses_a_different_name(world):
    person = services.person_find_or_create(by=world.admin, full_name="张某明", mobile="13800000001")
    assert (
        services.person_find_or_create(by=world.admin, full_name="张某明", mobile="138 0000 0001") == person
    )
    with pytest.raises(ValidationError):
        services.person_find_or_create(by=world.admin, full_name="李某", mobile="13800000001")
    assert not person.has_usable_password()


def test_username_from_pinyin_is_unique(db):
    admin = UserFactory(is_superuser=True)
    a = services.person_find_or_create(by=admin, full_name="张伟")
    b = services.person_find_or_create(by=admin, full_name="张伟")
    assert (a.username, b.username) == ("zhangwei", "zhangwei2")
