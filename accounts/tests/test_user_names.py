"""A user's name reads family name first with no space (梁志明), wherever it shows: the
model, the pages' header, and the admin's lists, which print the user as a string."""

from django.urls import reverse

from accounts.models import AccessLog, User
from accounts.services import access_log_write, user_create


def test_the_full_name_is_family_name_then_given_name_without_a_space(db):
    user = User(username="liang", last_name="梁", first_name="志明")
    assert user.get_full_name() == "梁志明" and str(user) == "梁志明" and user.display_name == "梁志明"
    assert str(User(username="nameless")) == "nameless"


def test_the_admin_lists_show_chinese_names_in_full_name_order(login, users, person):
    admin = users["admin"]
    admin.is_superuser = admin.is_staff = True
    admin.save(update_fields=["is_superuser", "is_staff"])
    clerk = user_create(username="liang", password="x-Canlian-2026", role="town_officer", area=users["officer"].area)
    clerk.last_name, clerk.first_name = "梁", "志明"
    clerk.save(update_fields=["last_name", "first_name"])
    access_log_write(user=clerk, action=AccessLog.Action.REVEAL, person=person)
    client = login(admin)
    for url in (reverse("admin:accounts_user_changelist"), reverse("admin:canlian_auditentry_changelist")):
        page = client.get(url).content.decode()
        assert "梁志明" in page and "志明 梁" not in page, url
    users_page = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "姓名" in users_page and "Display name" not in users_page
