"""A visit's photos: only real images (JPG and PNG by their bytes, not their names) up
to the size limit, stored under MEDIA_ROOT under a random name, and shown only to users
who may see the visit's person."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from outreach.declaration import TINY_PNG
from outreach.models import HomeVisit, VisitPhoto

from .conftest import png


def test_a_photo_is_stored_under_media_root_and_shown_to_the_persons_town(client, users, media, person, visit_for):
    visit = visit_for(person, photos=[png("../../etc/走访.png")])
    photo = VisitPhoto.objects.get()
    assert (photo.visit, photo.content_type, photo.size, photo.original_name) == (
        visit,
        "image/png",
        len(TINY_PNG),
        "走访.png",  # the upload's own name, without its path
    )
    assert photo.file.name.startswith("outreach/visits/") and photo.file.name.endswith(".png")
    assert (media / photo.file.name).read_bytes() == TINY_PNG
    url = reverse("outreach:photo", args=[photo.pk])
    client.force_login(users["officer"])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == TINY_PNG
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}
    client.force_login(users["other_officer"])
    assert client.get(url).status_code == 404
    client.force_login(users["leader"])
    assert client.get(url).status_code == 403


def test_a_file_that_is_not_an_image_is_refused_whatever_its_name(media, person, visit_for):
    fake = SimpleUploadedFile("照片.jpg", b"<html>not a photo</html>", content_type="image/jpeg")
    with pytest.raises(ValidationError) as refused:
        visit_for(person, photos=[png(), fake])
    assert refused.value.messages == ["“照片.jpg”不是照片：只接受 JPG 或 PNG 格式的图片"]
    assert not HomeVisit.objects.exists() and not VisitPhoto.objects.exists()


def test_a_photo_above_the_limit_or_too_many_photos_are_refused(settings, media, person, visit_for):
    settings.OUTREACH_PHOTO_MAX_BYTES = 1048576
    big = SimpleUploadedFile("大.png", TINY_PNG + b"\0" * 1048576, content_type="image/png")
    with pytest.raises(ValidationError, match="“大.png”超过 1 MB"):
        visit_for(person, photos=[big])
    with pytest.raises(ValidationError, match="最多上传 10 张照片"):
        visit_for(person, photos=[png() for _ in range(11)])
    assert not HomeVisit.objects.exists()


def test_a_photo_follows_its_persons_scope_after_a_move(client, users, areas, media, person, visit_for):
    from registry.services import person_update

    visit_for(person, photos=[png()])
    person_update(user=users["admin"], person=person, data={"area": areas["hetang_a"]})
    url = reverse("outreach:photo", args=[VisitPhoto.objects.get().pk])
    visit_page = reverse("outreach:visit_detail", args=[VisitPhoto.objects.get().visit_id])
    client.force_login(users["officer"])
    assert client.get(url).status_code == 404
    # The town that visited still reads its visit, without the photos.
    page = client.get(visit_page).content.decode()
    assert "该人员已不在您的管辖范围内，照片不再显示" in page and url not in page
    client.force_login(users["other_officer"])
    assert client.get(url).status_code == 200
    assert url in client.get(visit_page).content.decode()
