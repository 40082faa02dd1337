"""Builders of valid identifiers, for tests, demo data and the benchmark."""

from stdnum.cn import ric


def make_id_number(*, region: str = "440703", birth: str = "19800101", sequence: int = 123) -> str:
    body = f"{region}{birth}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")


def make_certificate(id_number: str, category: int, grade: int) -> str:
    return f"{id_number}{category}{grade}"
