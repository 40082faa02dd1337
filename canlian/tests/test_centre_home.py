"""Centre staff start on their work list (care declares their case follow-ups); their page
says what they see (their centre's members) and links their work (members, attendance),
not the person list."""

from django.urls import reverse


def test_centre_staff_are_sent_from_home_to_their_work_list(login, users):
    response = login(users["centre"]).get(reverse("home"))
    assert response.status_code == 302 and response.url == reverse("worklist:list")


def test_the_centre_page_says_what_they_will_see_and_their_centre(login, users):
    html = login(users["centre"]).get(reverse("centre_home")).content.decode()
    for promised in ("会员名单", "每日考勤", "个案管理"):
        assert promised in html
    assert "所属区划：白沙街道" in html


def test_the_person_list_says_centre_staff_see_their_members_only(login, users, person):
    html = login(users["centre"]).get(reverse("registry:person_list")).content.decode()
    # Not yet working at any institution: no one.
    assert "共 0 人" in html and "只看到本中心的在册会员" in html


def test_a_role_without_work_or_a_page_of_its_own_still_starts_on_the_person_list(login, users):
    # Officers and administrators start on their work list (canlian/tests/test_worklist.py).
    response = login(users["leader"]).get(reverse("home"))
    assert response.url == reverse("registry:person_list")
    html = login(users["officer"]).get(reverse("registry:person_list")).content.decode()
    assert "只看到本中心的在册会员" not in html
