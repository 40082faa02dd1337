"""The admin opens for the district administrator (configuration) and the system
administrator (users, lockouts) only, and speaks Chinese throughout: every model and app
it lists — django-axes' lockouts and the task queue included — and the columns of every
list the system administrator reads."""

import re

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import translation

from accounts.roles import ADMIN_SITE_ROLES
from accounts.services import user_set_role

CJK = re.compile(r"[\u4e00-\u9fff]")
# A column's title on an admin list (sortable: a link; or not: a span).
COLUMN = re.compile(r'<div class="text">(?:<a [^>]*>|<span>)([^<]*)<')


@pytest.mark.parametrize("role", ["reviewer", "officer", "other_officer", "centre", "leader", "auditor", "counsellor"])
def test_only_the_admin_roles_open_the_admin(login, users, role):
    user = users[role]
    assert user.role not in ADMIN_SITE_ROLES
    user.is_staff = True  # marked staff by mistake: the role still decides
    user.save(update_fields=["is_staff"])
    response = login(user).get(reverse("admin:index"))
    assert response.status_code == 302 and reverse("admin:login") in response.url


@pytest.mark.parametrize("role", ["admin", "sysadmin"])
def test_the_district_and_system_administrators_open_it(login, users, role):
    assert login(users[role]).get(reverse("admin:index")).status_code == 200


def test_a_role_changed_away_takes_the_admin_with_it(login, users, areas):
    user = user_set_role(user=users["admin"], role="town_officer", area=areas["baisha"])
    assert login(user).get(reverse("admin:index")).status_code == 302


def test_every_model_and_app_the_admin_lists_is_named_in_chinese():
    with translation.override("zh-hans"):
        for model in admin.site._registry:
            opts = model._meta
            for name in (opts.verbose_name, opts.verbose_name_plural, opts.app_config.verbose_name):
                assert CJK.search(str(name)), (opts.label, str(name))


@pytest.mark.parametrize("role", ["sysadmin", "admin"])
def test_the_lists_an_administrator_reads_have_chinese_columns(login, users, role):
    client = login(users[role])
    index = client.get(reverse("admin:index")).content.decode()
    assert "登录限制" in index or role == "admin"
    opened = 0
    for model in admin.site._registry:
        opts = model._meta
        response = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        if response.status_code != 200:
            continue
        opened += 1
        html = response.content.decode()
        for header in (h.strip() for h in COLUMN.findall(html)):
            assert not header or CJK.search(header) or header.upper() == "ID", (opts.label, header)
        assert "Select" not in html and "access attempt" not in html, opts.label
    assert opened >= 3
