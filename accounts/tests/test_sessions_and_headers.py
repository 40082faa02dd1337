"""Sessions expire when idle and at browser close; pages of personal data are not cached."""

from datetime import timedelta

from django.urls import reverse

from conftest import PASSWORD


def test_the_session_ends_after_thirty_idle_minutes_and_with_the_browser(client, users, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    response = client.post(reverse("login"), {"username": "officer", "password": PASSWORD})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == "" and cookie["max-age"] == ""  # a browser-session cookie
    assert cookie["httponly"] is True and cookie["samesite"] == "Lax"
    # The requests move the expiry on (test_the_expiry_moves_on_at_most_once_a_minute), so
    # only idleness ends the session.


def test_an_idle_session_is_no_longer_signed_in(client, users):
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client.post(reverse("login"), {"username": "officer", "password": PASSWORD})
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    assert client.get(reverse("registry:person_list")).status_code == 302


def test_pages_and_exports_of_a_signed_in_user_are_not_stored(login, users, person):
    client = login(users["officer"])
    for url in (reverse("registry:person_list"), reverse("registry:person_detail", args=[person.pk])):
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    export = client.get(reverse("registry:person_export"))
    assert export.status_code == 200 and "no-store" in export["Cache-Control"]


def test_the_expiry_moves_on_at_most_once_a_minute(client, users, settings):
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from accounts.middleware import SEEN_KEY

    assert settings.SESSION_RENEW_SECONDS == 60
    client.post(reverse("login"), {"username": "officer", "password": PASSWORD})
    client.get(reverse("registry:person_list"))
    first = Session.objects.get().expire_date
    client.get(reverse("registry:person_list"))
    assert Session.objects.get().expire_date == first  # not written again within the minute
    # A minute on: the next request moves the expiry on.
    session = client.session
    session[SEEN_KEY] -= settings.SESSION_RENEW_SECONDS
    session.save()
    Session.objects.update(expire_date=first - timedelta(minutes=5))
    before = timezone.now()
    client.get(reverse("registry:person_list"))
    moved = Session.objects.get().expire_date
    assert before + timedelta(minutes=30) <= moved <= timezone.now() + timedelta(minutes=30)


def test_a_poll_of_a_job_that_does_not_move_is_not_activity(client, users, settings):
    """A progress panel polls every second; the polls move the expiry on only when the job
    moved on a step, so a page left open on a job stuck in the queue still signs out."""
    from django.contrib.sessions.models import Session

    from accounts.middleware import SEEN_KEY
    from canlian.export_jobs import JOB_KIND
    from canlian.models import Job

    job = Job.objects.create(kind=JOB_KIND, title="名单", state=Job.State.QUEUED, created_by=users["officer"])
    client.post(reverse("login"), {"username": "officer", "password": PASSWORD})
    url = reverse("exports:status", args=[job.pk])

    def stale_then_poll(said: str):
        session = client.session
        session[SEEN_KEY] -= settings.SESSION_RENEW_SECONDS
        session.save()
        before = Session.objects.get().expire_date
        assert client.get(url, {"said": said}, headers={"HX-Request": "true"}).status_code == 200
        return before, Session.objects.get().expire_date

    before, after = stale_then_poll("queued")  # still queued: nothing new
    assert after == before
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, total=100, processed=30)
    before, after = stale_then_poll("queued")  # it moved on: the user is watching it work
    assert after > before
