import sys

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from benefits.models import Scheme
from benefits.months import MonthError, parse_month


def scheme_arg(code: str) -> Scheme:
    try:
        return Scheme.objects.get(code=code)
    except Scheme.DoesNotExist:
        codes = ", ".join(Scheme.objects.values_list("code", flat=True))
        raise CommandError(f"未知的补贴项目：{code}（可选：{codes}）") from None


def month_arg(raw: str):
    try:
        return parse_month(raw)
    except MonthError as exc:
        raise CommandError(str(exc)) from None


def user_arg(username: str):
    try:
        return get_user_model().objects.get(username=username, is_active=True)
    except get_user_model().DoesNotExist:
        raise CommandError(f"用户不存在或已停用：{username}") from None


def terminal_progress(label: str):
    """A progress callback drawing a bar on stderr (a line per 10% when not a terminal)."""
    state = {"last": -1}

    def draw(done: int, total: int) -> None:
        percent = int(100 * done / total) if total else 100
        if sys.stderr.isatty():
            bar = "#" * (percent // 4)
            sys.stderr.write(f"\r{label} [{bar:<25}] {percent:3d}% ({done}/{total})")
            if done >= total:
                sys.stderr.write("\n")
        elif percent // 10 != state["last"] // 10 or done >= total:
            sys.stderr.write(f"{label} {percent}% ({done}/{total})\n")
        state["last"] = percent
        sys.stderr.flush()

    return draw
