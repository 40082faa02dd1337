from django.urls import reverse


def test_a_refused_page_explains_in_chinese(login, users):
    response = login(users["leader"]).get(reverse("registry:person_create"))
    html = response.content.decode()
    assert response.status_code == 403 and "没有权限" in html and 'lang="zh-CN"' in html


def test_a_missing_record_says_it_may_be_outside_the_jurisdiction(login, users):
    response = login(users["officer"]).get(reverse("registry:person_detail", args=[999999]))
    assert response.status_code == 404 and "不在您的管辖范围内" in response.content.decode()
