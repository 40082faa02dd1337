import datetime

import pytest

from registry.identifiers import (
    IdentifierError,
    mask_id,
    mask_phone,
    normalize,
    parse_certificate,
    parse_id_number,
)

PUBLISHED_VALID = ["11010519491231002X", "34052419800101001X"]


@pytest.mark.parametrize("number", PUBLISHED_VALID)
def test_published_valid_ids_are_accepted(number):
    parsed = parse_id_number(number)
    assert parsed.number == number


def test_birth_date_and_gender_come_from_the_id():
    parsed = parse_id_number("11010519491231002X")
    assert parsed.birth_date == datetime.date(1949, 12, 31)
    assert parsed.gender == "F"  # sequence 002 is even


def test_unknown_address_code_is_only_a_warning():
    # 340524 is not in python-stdnum's table at all; stdnum.validate rejects the number.
    parsed = parse_id_number("34052419800101001X")
    assert parsed.warnings and "340524" in parsed.warnings[0]


def test_a_code_created_after_the_birth_year_is_normal():
    # 蓬江区 440703 exists since 1994; a person born in 1950 got their number later.
    from stdnum.cn import ric

    body = "44070319500101123"
    number = body + ric.calc_check_digit(body + "0")
    with pytest.raises(ric.InvalidComponent):
        ric.validate(number)
    assert parse_id_number(number).warnings == []


@pytest.mark.parametrize(
    "raw",
    [
        "11010519491231002x",
        " 110105 19491231 002X ",
        "１１０１０５１９４９１２３１００２Ｘ",
        "110105\u300019491231002X",
    ],
)
def test_lower_case_x_full_width_and_spaces_are_normalised(raw):
    assert parse_id_number(raw).number == "11010519491231002X"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("110105194912310021", "校验位错误：末位应为 X"),
        ("11010519491231002", "应为 18 位，实际为 17 位"),
        ("110105194912310020X", "应为 18 位"),
        ("110105491331002", "15 位旧身份证号中的出生日期 1949-13-31 不是有效日期"),
        ("1101051949123100AX", "前 17 位应为数字"),
        ("", "不能为空"),
        ("4.40703198001011E+17", "存成了数字"),
    ],
)
def test_near_misses_are_rejected_with_a_reason(raw, reason):
    with pytest.raises(IdentifierError, match=reason):
        parse_id_number(raw)


def test_an_impossible_birth_date_is_rejected():
    from stdnum.cn import ric

    body = "11010519491331002"  # month 13
    with pytest.raises(IdentifierError, match="出生日期不是有效日期"):
        parse_id_number(body + ric.calc_check_digit(body + "0"))


def test_a_number_cell_is_rejected_as_excel_damage():
    with pytest.raises(IdentifierError, match="存成了数字"):
        parse_id_number(440703198001011230.0)


def test_a_birth_date_in_the_future_is_rejected():
    body = "44070320991231001"
    from stdnum.cn import ric

    number = body + ric.calc_check_digit(body + "0")
    with pytest.raises(IdentifierError, match="不合理"):
        parse_id_number(number, today=datetime.date(2026, 11, 28))


def test_certificate_is_the_id_plus_category_and_grade():
    cert = parse_certificate("11010519491231002X42", id_number="11010519491231002X", category=4, grade=2)
    assert cert.number == "11010519491231002X42" and cert.suffix == ""


def test_certificate_with_a_local_suffix_is_accepted_and_flagged():
    cert = parse_certificate("11010519491231002x42b1", id_number="11010519491231002X", category=4, grade=2)
    assert cert.number == "11010519491231002X42B1" and cert.suffix == "B1"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("34052419800101001X42", "前 18 位与身份证号不一致"),
        ("11010519491231002X52", "第 19 位为 5，与残疾类别 4（肢体）不符"),
        ("11010519491231002X43", "第 20 位为 3，与残疾等级 2（二级）不符"),
        ("11010519491231002X4", "应为 20 位"),
        ("", "不能为空"),
    ],
)
def test_certificate_near_misses_are_rejected(raw, reason):
    with pytest.raises(IdentifierError, match=reason):
        parse_certificate(raw, id_number="11010519491231002X", category=4, grade=2)


def test_masks_keep_the_region_and_last_four():
    assert mask_id("44070319800101123X") == "440703********123X"
    assert mask_phone("13812345678") == "138****5678"
    assert normalize("ａｂ c") == "AB C".replace(" ", "")
