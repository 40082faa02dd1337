"""Parsing an ID-card reading and merging it into a form's values (pure functions)."""

import base64
import datetime
import json

import pytest

from registry.idcard import ReadingError, key_map, reading_apply, reading_merge, reading_parse
from registry.testing import make_id_number

ID = make_id_number(birth="19800101", sequence=123)  # odd sequence: male
FIELDS = ["name", "gender", "id_number", "address"]
JPEG = base64.b64encode(b"\xff\xd8\xff\xe0" + b"\x00" * 40).decode()


def test_a_json_reading_is_mapped_by_the_configured_field_names():
    text = json.dumps(
        {
            "partyName": "陈建国",
            "gender": "男",
            "certNumber": ID,
            "certAddress": "广东省江门市蓬江区白沙大道1号",
            "bornDay": "19800101",
            "identityPic": JPEG,
            "nation": "汉",
        }
    )
    reading = reading_parse(
        text,
        {
            "name": "partyName",
            "id_number": "certNumber",
            "address": "certAddress",
            "birth_date": "bornDay",
            "photo": "identityPic",
        },
    )

    assert reading.values == {
        "id_number": ID,
        "name": "陈建国",
        "gender": "M",
        "address": "广东省江门市蓬江区白沙大道1号",
    }
    assert reading.birth_date == datetime.date(1980, 1, 1)
    assert reading.photo.startswith("data:image/jpeg;base64,")


def test_key_value_lines_with_the_card_labels_and_a_wrapped_json_are_read():
    lines = f"姓名=陈建国\n性别：男\n\n公民身份号码 = {ID}\n住址: 白沙大道1号\n出生=1980年01月01日\n"
    assert reading_parse(lines).values["name"] == "陈建国"
    wrapped = json.dumps({"code": 0, "data": {"name": "陈建国", "id_number": ID.lower()}})
    assert reading_parse(wrapped).values == {"id_number": ID, "name": "陈建国", "gender": "M"}


def test_the_configured_names_take_precedence_over_our_own():
    assert key_map({"id_number": "cardno"})["cardno"] == "id_number"
    assert key_map(None)["公民身份号码"] == "id_number"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "读卡结果为空"),
        ("{不是json", "以“{”开头，但数据不完整或格式有误"),
        ("[1, 2]", "而不是列表"),
        ("姓名=陈建国\n这一行没有等号", "第 2 行不是“字段=值”的格式"),
        ("姓名=陈建国", "没有公民身份号码"),
        (
            f"公民身份号码={ID[:17]}0" if ID[17] != "0" else f"公民身份号码={ID[:17]}1",
            "身份证号有误：身份证号校验位错误",
        ),
        (f"公民身份号码={ID}\n性别=女", "性别与身份证号第 17 位不符"),
        (f"公民身份号码={ID}\n性别=未知", "性别“未知”无法识别"),
        (f"公民身份号码={ID}\n出生=19800102", "出生日期与身份证号不符"),
        (f"公民身份号码={ID}\n出生=1980-13-01", "不是有效日期"),
        (f"公民身份号码={ID}\n姓名=陈 *", "脱敏"),
    ],
)
def test_a_bad_reading_is_refused_with_a_chinese_message(text, message):
    with pytest.raises(ReadingError, match=message):
        reading_parse(text)


def test_a_photo_that_is_not_an_image_is_dropped_not_refused():
    assert reading_parse(f"公民身份号码={ID}\n照片=not base64!").photo == ""
    assert reading_parse(f"公民身份号码={ID}\n照片={base64.b64encode(b'WLT-raw').decode()}").photo == ""


def test_empty_and_equal_fields_are_filled_and_differing_ones_wait_for_confirmation():
    reading = reading_parse(f"姓名=陈建国\n公民身份号码={ID}\n住址=白沙大道1号")
    current = {"name": "陈建囯", "gender": "", "id_number": ID.lower(), "address": ""}

    merge = reading_merge(current, reading, fields=FIELDS)

    assert merge.values == {"name": "陈建囯", "gender": "M", "id_number": ID.lower(), "address": "白沙大道1号"}
    assert merge.filled == ["gender", "address"]
    assert [(c.field, c.old, c.new) for c in merge.conflicts] == [("name", "陈建囯", "陈建国")]


def test_only_the_ticked_conflicts_take_the_reading():
    reading = reading_parse(f"姓名=陈建国\n公民身份号码={ID}\n住址=白沙大道1号")
    current = {"name": "陈建囯", "gender": "M", "id_number": ID, "address": "旧地址"}

    kept = reading_apply(current, reading, fields=FIELDS, accepted=["address"])
    assert kept.values["address"] == "白沙大道1号" and kept.values["name"] == "陈建囯"
    assert [c.field for c in kept.conflicts] == ["name"]


def test_a_field_the_form_does_not_have_is_left_alone():
    reading = reading_parse(f"姓名=陈建国\n公民身份号码={ID}\n住址=白沙大道1号")
    merge = reading_merge({"id_number": ""}, reading, fields=["id_number"])
    assert merge.values == {"id_number": ID}
