from django.contrib.auth.models import Group

from accounts.roles import ROLE_PERMISSIONS, Role


def test_every_role_is_a_group_with_exactly_its_permissions(db):
    for role, perms in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=Role(role).label)
        got = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert got == set(perms)


def test_a_user_has_the_permissions_of_their_role(users):
    assert users["officer"].has_perm("registry.reveal_identifiers")
    assert not users["leader"].has_perm("registry.reveal_identifiers")
    assert not users["leader"].has_perm("registry.view_personal_data")
    assert not users["reviewer"].has_perm("registry.change_person")
    assert list(users["officer"].groups.values_list("name", flat=True)) == ["镇(街)残联专干"]
