"""Attachments of an application: PDF/JPG/PNG only, size-limited, checked by content, and
downloadable only inside the user's scope and by users who may see personal data."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import Role
from accounts.services import user_create
from benefits.forms_applications import ATTACHMENT_MAX_BYTES
from benefits.models import Application, ApplicationAttachment

PDF = b"%PDF-1.4\n%test\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16
JPG = b"\xff\xd8\xff\xe0" + b"\0" * 16


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def post_application(client, person, scheme, files, title="身份证复印件"):
    return client.post(
        reverse("benefits:application_create") + f"?person={person.pk}",
        {
            "scheme": scheme.pk,
            "applied_on": "2024-03-15",
            "applicant": "self",
            "attachment_title": title,
            "attachments": files,
        },
    )


def test_an_application_is_taken_with_several_attachments_sharing_a_numbered_title(login, users, person, nursing):
    response = post_application(login(users["officer"]), person, nursing, [upload("id.pdf", PDF), upload("b.png", PNG)])
    assert response.status_code == 302
    titles = sorted(ApplicationAttachment.objects.values_list("title", flat=True))
    assert titles == ["身份证复印件（1）", "身份证复印件（2）"]
    assert {a.uploaded_by for a in ApplicationAttachment.objects.all()} == {users["officer"]}


def test_a_single_attachment_keeps_its_title(login, users, person, nursing):
    post_application(login(users["officer"]), person, nursing, [upload("hukou.jpg", JPG)], title="户口簿")
    assert ApplicationAttachment.objects.get().title == "户口簿"


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("a.exe", PDF, "不是 PDF、JPG 或 PNG 文件"),
        ("a.docx", b"PK\x03\x04", "不是 PDF、JPG 或 PNG 文件"),
        ("a.pdf", b"MZ\x90\x00 not a pdf", "内容与扩展名 .pdf 不符"),
        ("big.pdf", PDF + b"\0" * ATTACHMENT_MAX_BYTES, "超过 5 MB"),
    ],
)
def test_an_attachment_that_is_not_a_small_pdf_jpg_or_png_is_refused(
    login, users, person, nursing, name, content, message
):
    response = post_application(login(users["officer"]), person, nursing, [upload(name, content)])
    assert response.status_code == 400 and message in response.content.decode()
    assert not Application.objects.exists() and not ApplicationAttachment.objects.exists()


def test_attachments_need_a_title(login, users, person, nursing):
    response = post_application(login(users["officer"]), person, nursing, [upload("a.pdf", PDF)], title="")
    assert response.status_code == 400 and "上传附件时请填写附件说明" in response.content.decode()


@pytest.fixture
def attachment(login, users, person, nursing):
    post_application(login(users["officer"]), person, nursing, [upload("id.pdf", PDF)])
    return ApplicationAttachment.objects.get()


def download_url(attachment):
    return reverse("benefits:application_attachment", args=[attachment.application_id, attachment.pk])


def test_the_officer_of_the_town_downloads_the_attachment(login, users, attachment):
    response = login(users["officer"]).get(download_url(attachment))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]


def test_the_detail_page_links_the_attachment_for_the_officer(login, users, attachment):
    page = login(users["officer"]).get(reverse("benefits:application_detail", args=[attachment.application_id]))
    assert download_url(attachment) in page.content.decode()


def test_another_towns_officer_gets_404_for_the_attachment(login, users, attachment):
    assert login(users["other_officer"]).get(download_url(attachment)).status_code == 404


def test_an_attachment_of_another_application_answers_404(login, users, attachment, other_person, living):
    other = Application.objects.create(
        person=other_person,
        scheme=living,
        area_code=other_person.area_id,
        applied_on="2024-03-01",
        applicant="self",
        submitted_by=users["other_officer"],
    )
    url = reverse("benefits:application_attachment", args=[other.pk, attachment.pk])
    assert login(users["reviewer"]).get(url).status_code == 404


def test_a_leader_gets_403_for_the_attachment(login, users, attachment):
    assert login(users["leader"]).get(download_url(attachment)).status_code == 403


def test_a_user_without_personal_data_neither_sees_nor_downloads_attachments(login, areas, attachment):
    viewer = user_create(username="leader2", password="x-Canlian-2026", role=Role.LEADER, area=areas["district"])
    viewer.user_permissions.add(Permission.objects.get(codename="view_application"))
    client = login(viewer)
    page = client.get(reverse("benefits:application_detail", args=[attachment.application_id]))
    assert page.status_code == 403 and download_url(attachment) not in page.content.decode()
    assert client.get(download_url(attachment)).status_code == 403
