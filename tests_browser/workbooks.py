"""The workbook an officer uploads in the browser tests: two good rows, two bad ones, built
with the registry tests' own workbook helpers."""

from registry.testing import make_id_number
from registry.tests.workbooks import person_row as registry_row
from registry.tests.workbooks import write_workbook

__all__ = ["BAD_ROWS", "GOOD_ROWS", "MIXED_ROWS", "person_row", "write_workbook"]


def person_row(name, birth, sequence, town, community, category=4, grade=2, **cells) -> dict:
    """A valid row (header → text) of a person of `town` / `community`; `cells` override
    columns by header."""
    return registry_row(
        name=name, birth=birth, sequence=sequence, category=category, grade=grade,
        **{"镇街": town, "村居": community, **cells},
    )  # fmt: skip


def _wrong_check_digit(id_number: str) -> str:
    return id_number[:-1] + ("1" if id_number[-1] == "0" else "0")


# Both in the officer's town (白沙街道), one with Chinese names for category and grade.
GOOD_ROWS = [
    person_row("王小明", "19700315", 135, "白沙街道", "紫沙社区", **{"残疾类别": "肢体", "残疾等级": "二级"}),
    person_row("刘桂芳", "19821102", 246, "白沙街道", "丰乐社区", category=1, grade=3),
]
BAD_ROWS = [
    # The last digit of the ID does not match its checksum.
    person_row(
        "赵大勇",
        "19660708",
        357,
        "白沙街道",
        "紫沙社区",
        **{"公民身份号码": _wrong_check_digit(make_id_number(birth="19660708", sequence=357))},
    ),
    # A village of the other town (荷塘镇): not the officer's to import.
    person_row("钟玉兰", "19750421", 468, "荷塘镇", "塔岗村"),
]
MIXED_ROWS = [GOOD_ROWS[0], BAD_ROWS[0], GOOD_ROWS[1], BAD_ROWS[1]]
