"""The audit log keeps the client's address of each entry written answering a request:
REMOTE_ADDR, or the first address of X-Forwarded-For only behind a trusted proxy; none
from a command. An export's entry keeps how many persons it held and the digest of their
ids, and the audit page shows both, in Chinese."""

import hashlib

import pytest
from django.test import RequestFactory
from django.urls import reverse

from canlian.audit import audit_write, client_address, persons_digest
from canlian.export_jobs import JOB_KIND
from canlian.models import AuditEntry, Job

EXPORT = reverse("registry:person_export")


def test_the_digest_is_the_sha256_of_the_sorted_distinct_ids():
    assert persons_digest([12, 3, 12]) == hashlib.sha256(b"3\n12").hexdigest()
    assert persons_digest([3, 12]) == persons_digest([12, 3])


@pytest.mark.parametrize(
    ("trusted", "meta", "address"),
    [
        (False, {"REMOTE_ADDR": "10.1.2.3", "HTTP_X_FORWARDED_FOR": "8.8.8.8"}, "10.1.2.3"),
        (True, {"REMOTE_ADDR": "10.1.2.3", "HTTP_X_FORWARDED_FOR": "172.16.0.9, 10.1.2.3"}, "172.16.0.9"),
        (True, {"REMOTE_ADDR": "10.1.2.3"}, "10.1.2.3"),
        (True, {"REMOTE_ADDR": "10.1.2.3", "HTTP_X_FORWARDED_FOR": "not-an-address"}, None),
    ],
)
def test_the_client_address(settings, trusted, meta, address):
    settings.TRUSTED_PROXY = trusted
    assert client_address(RequestFactory().get("/", **meta)) == address


def test_an_export_is_logged_with_the_address_and_its_persons(login, users, person, other_person, client, settings):
    settings.TRUSTED_PROXY = False
    response = login(users["officer"]).get(EXPORT, REMOTE_ADDR="10.20.30.40", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert response.status_code == 200
    log = AuditEntry.objects.get(action="registry.export")
    # The officer's town holds the one person, not the other town's.
    assert (log.ip_address, log.data["person_count"], log.data["person_digest"]) == (
        "10.20.30.40",
        1,
        persons_digest([person.pk]),
    )


def test_a_background_exports_download_is_logged_with_its_persons(
    login, users, person, other_person, settings, tmp_path
):
    settings.EXPORT_BACKGROUND_ROWS = 1
    settings.MEDIA_ROOT = tmp_path
    client = login(users["admin"])
    client.get(EXPORT)
    job = Job.objects.get(kind=JOB_KIND)
    assert client.get(reverse("exports:download", args=[job.pk])).status_code == 200
    log = AuditEntry.objects.get(action="registry.export")
    assert (log.data["job"], log.data["person_count"], log.data["person_digest"], log.ip_address) == (
        job.pk,
        2,
        persons_digest([person.pk, other_person.pk]),
        "127.0.0.1",
    )


def test_a_command_writes_no_address(users):
    entry = audit_write(action="canlian.export", user=users["admin"])
    assert entry.ip_address is None


def test_the_audit_page_shows_the_address_and_the_persons_in_chinese(login, users, person):
    login(users["officer"]).get(EXPORT, REMOTE_ADDR="10.20.30.40")
    html = login(users["auditor"]).get(reverse("audit:entry_list")).content.decode()
    assert "客户端地址" in html and "10.20.30.40" in html
    assert "涉及人数：1" in html and f"人员摘要：{persons_digest([person.pk])}" in html
