"""Login throttling: per user name across addresses, per address across user names."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from conftest import PASSWORD


def _login(client, username, password, address):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_failures_for_one_user_name_from_many_addresses_lock_that_name(client, users, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "officer", "wrong", f"10.0.0.{n + 1}")
    response = _login(client, "officer", PASSWORD, "10.9.9.9")
    assert response.status_code == 429 and "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_user_name_below_the_limit_still_signs_in_and_its_failures_are_cleared(client, users, settings):
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "officer", "wrong", f"10.0.0.{n + 1}")
    assert _login(client, "officer", PASSWORD, "10.9.9.9").status_code == 302
    assert not AccessAttempt.objects.filter(username="officer").exists()


@pytest.fixture
def spray_limit(settings):
    settings.AXES_IP_FAILURE_LIMIT = 8
    return 8


def test_spraying_one_password_over_many_names_locks_the_address(client, users, spray_limit):
    for n in range(spray_limit):
        _login(client, f"guess{n}", "Spring2026!", "10.1.1.1")
    assert _login(client, "leader", PASSWORD, "10.1.1.1").status_code == 429
    # The same user from another address is not held back by the sprayer's address.
    assert _login(client, "leader", PASSWORD, "10.2.2.2").status_code == 302


def test_an_address_below_its_limit_is_not_locked_by_other_names_failures(client, users, spray_limit):
    for n in range(spray_limit - 1):
        _login(client, f"guess{n}", "Spring2026!", "10.1.1.1")
    assert _login(client, "leader", PASSWORD, "10.1.1.1").status_code == 302


def test_a_success_does_not_clear_the_failures_a_sprayer_left_on_the_address(client, users, spray_limit):
    for n in range(spray_limit - 1):
        _login(client, f"guess{n}", "Spring2026!", "10.1.1.1")
    assert _login(client, "officer", PASSWORD, "10.1.1.1").status_code == 302
    client.post(reverse("logout"))
    _login(client, "guess-last", "Spring2026!", "10.1.1.1")
    assert _login(client, "leader", PASSWORD, "10.1.1.1").status_code == 429
