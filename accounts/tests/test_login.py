from django.urls import reverse

from conftest import PASSWORD


def test_login_with_the_right_password_lands_on_the_home_page_which_is_the_work_list(client, users):
    response = client.post(reverse("login"), {"username": "officer", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home")).url == reverse("worklist:list")


def test_a_wrong_password_gets_a_chinese_message(client, users):
    response = client.post(reverse("login"), {"username": "officer", "password": "wrong"})
    assert response.status_code == 200 and "用户名或密码不正确" in response.content.decode()


def test_five_failures_lock_the_account_even_for_the_right_password(client, users, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "officer", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "officer", "password": PASSWORD})
    assert response.status_code == 429 and "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lockout_is_per_user_name(client, users, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "officer", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "leader", "password": PASSWORD})
    assert response.status_code == 302


def test_the_navigation_marks_one_current_page(client, users):
    client.force_login(users["officer"])
    html = client.get(reverse("registry:persons_import")).content.decode()
    assert html.count('aria-current="page"') == 1
    assert 'aria-current="page" href="/persons/import/"' in html
