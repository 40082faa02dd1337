"""三员分立 (GB/T 22239-2019): the system administrator manages users and sees no business
data, the audit administrator reads and changes nothing, the business roles manage no
users, and no one raises their own permissions."""

import pytest
from django.urls import reverse

from accounts.models import User
from accounts.roles import ROLE_PERMISSIONS, Role
from canlian.models import AuditEntry

USERS = reverse("admin:accounts_user_changelist")
ADD = reverse("admin:accounts_user_add")
NEW = "Kite-river-pencil-47"


def _change(user):
    return reverse("admin:accounts_user_change", args=[user.pk])


def _password(user):
    return reverse("admin:auth_user_password_change", args=[user.pk])


def _form(user, **changes):
    data = {
        "username": user.username,
        "last_name": user.last_name,
        "first_name": user.first_name,
        "email": user.email,
        "is_active": "on" if user.is_active else "",
        "role": user.role,
        "area": user.area_id or "",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "08:00:00",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_only_the_system_administrator_role_administers_users():
    administer = {"accounts.add_user", "accounts.change_user"}
    holders = {role for role, perms in ROLE_PERMISSIONS.items() if administer & set(perms)}
    assert holders == {Role.SYSTEM_ADMIN}


def test_no_role_may_both_prepare_and_approve_a_payroll():
    for role, perms in ROLE_PERMISSIONS.items():
        assert not {"benefits.prepare_payroll", "benefits.approve_payroll"} <= set(perms), role


def test_the_system_administrator_sees_no_business_data(login, users, person):
    client = login(users["sysadmin"])
    assert client.get(reverse("home")).url == reverse("admin:index")
    assert client.get(reverse("registry:person_list")).status_code == 403
    assert client.get(reverse("registry:person_detail", args=[person.pk])).status_code == 403
    assert client.get(reverse("audit:entry_list")).status_code == 403
    index = client.get(reverse("admin:index")).content.decode()
    assert USERS in index and reverse("admin:registry_person_changelist") not in index


@pytest.mark.parametrize("role", ["admin", "reviewer", "officer", "leader", "auditor", "centre"])
def test_the_business_and_audit_roles_cannot_add_users_or_reset_passwords(login, users, role):
    client = login(users[role])
    # The district administrator opens the admin but not its users (403); the others are
    # sent to the admin's login (302).
    refused = 403 if role == "admin" else 302
    assert client.get(ADD).status_code == refused
    response = client.post(_password(users["reviewer"]), {"password1": NEW, "password2": NEW})
    assert response.status_code == refused
    users["reviewer"].refresh_from_db()
    assert not users["reviewer"].check_password(NEW)
    assert not User.objects.filter(username="second_reviewer").exists()


def test_the_district_administrator_keeps_the_admin_for_configuration_but_not_users(login, users):
    client = login(users["admin"])
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:benefits_scheme_changelist")).status_code == 200
    assert client.get(USERS).status_code == 403
    assert client.get(ADD).status_code == 403
    assert client.get(_password(users["reviewer"])).status_code == 403


@pytest.mark.parametrize("role", ["reviewer", "officer", "leader", "auditor"])
def test_other_roles_cannot_open_the_admin_even_if_marked_staff(login, users, role):
    user = users[role]
    User.objects.filter(pk=user.pk).update(is_staff=True)
    user.refresh_from_db()
    response = login(user).get(reverse("admin:index"))
    assert response.status_code == 302 and reverse("admin:login") in response.url


def test_the_system_administrator_adds_a_user_with_a_role_and_it_is_audited(login, users, areas):
    client = login(users["sysadmin"])
    response = client.post(
        ADD,
        {
            "username": "newofficer",
            "usable_password": "true",
            "password1": NEW,
            "password2": NEW,
            "role": Role.TOWN_OFFICER,
            "area": areas["baisha"].pk,
        },
    )
    assert response.status_code == 302
    made = User.objects.get(username="newofficer")
    assert made.role == Role.TOWN_OFFICER and not made.is_staff and not made.is_superuser
    assert list(made.groups.values_list("name", flat=True)) == ["镇(街)残联专干"]
    entry = AuditEntry.objects.get(action="accounts.user.created")
    assert entry.user == users["sysadmin"] and entry.data["username"] == "newofficer"


def test_a_new_users_password_is_checked_too(login, users, areas):
    response = login(users["sysadmin"]).post(
        ADD,
        {"username": "baisha", "usable_password": "true", "password1": "baisha2026", "password2": "baisha2026"},
    )
    assert response.status_code == 200 and not User.objects.filter(username="baisha").exists()


def test_the_system_administrator_cannot_change_their_own_role_or_powers(login, users):
    me = users["sysadmin"]
    response = login(me).post(
        _change(me), _form(me, role=Role.DISTRICT_ADMIN, is_superuser="on", last_name="苏", first_name="改名")
    )
    assert response.status_code == 302
    me.refresh_from_db()
    assert (me.role, me.is_superuser, me.first_name) == (Role.SYSTEM_ADMIN, False, "改名")
    assert list(me.groups.values_list("name", flat=True)) == ["系统管理员"]


def test_no_superuser_box_groups_or_single_permissions_for_a_non_superuser(login, users):
    client = login(users["sysadmin"])
    page = client.get(_change(users["officer"])).content.decode()
    assert 'name="is_superuser"' not in page and 'name="user_permissions"' not in page
    assert 'name="groups"' not in page and 'name="is_staff"' not in page
    response = client.post(_change(users["officer"]), _form(users["officer"], is_superuser="on"))
    assert response.status_code == 302
    users["officer"].refresh_from_db()
    assert not users["officer"].is_superuser


def test_the_system_administrator_resets_a_password_and_it_is_audited(login, users):
    response = login(users["sysadmin"]).post(
        _password(users["officer"]), {"password1": NEW, "password2": NEW, "usable_password": "true"}
    )
    assert response.status_code == 302
    users["officer"].refresh_from_db()
    assert users["officer"].check_password(NEW)
    entry = AuditEntry.objects.get(action="accounts.user.password_reset")
    assert entry.user == users["sysadmin"] and entry.object_id == str(users["officer"].pk)


def test_a_superusers_account_is_beyond_the_system_administrator(login, users):
    root = User.objects.create_superuser(username="root", password=NEW)
    client = login(users["sysadmin"])
    other = "Other-pass-9876!"
    assert client.post(_password(root), {"password1": other, "password2": other}).status_code == 403
    assert client.post(_change(root), _form(root, is_active="")).status_code == 403
    root.refresh_from_db()
    assert root.check_password(NEW) and root.is_active


def test_changing_a_users_role_is_audited_with_the_fields(login, users, areas):
    response = login(users["sysadmin"]).post(
        _change(users["leader"]), _form(users["leader"], role=Role.DISTRICT_REVIEWER)
    )
    assert response.status_code == 302
    users["leader"].refresh_from_db()
    assert users["leader"].role == Role.DISTRICT_REVIEWER
    assert list(users["leader"].groups.values_list("name", flat=True)) == ["区残联审核员"]
    entry = AuditEntry.objects.get(action="accounts.user.changed")
    assert entry.data["fields"] == ["role"]


def test_the_audit_administrator_reads_the_security_settings(login, users, client, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        client.post(reverse("login"), {"username": "officer", "password": "wrong"})
    page = login(users["auditor"]).get(reverse("accounts:security"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "会话空闲超时" in html and "30 分钟" in html and "密码至少需要 12 个字符" in html
    assert "<td>officer</td>" in html
    assert reverse("accounts:security") in login(users["auditor"]).get(reverse("audit:entry_list")).content.decode()


@pytest.mark.parametrize("role", ["admin", "sysadmin", "officer", "leader"])
def test_the_security_settings_are_the_auditors_alone(login, users, role):
    assert login(users[role]).get(reverse("accounts:security")).status_code == 403
