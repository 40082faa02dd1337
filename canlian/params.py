"""Whole numbers read from a request, one strict rule for every view.

`str.isdigit` accepts "²" (which `int` then refuses: a 500) and `int` accepts "١٢" and
" 12": neither is a number an officer typed or a link carried. Only ASCII digits count,
and only within the range of the database's keys (a bigint), so a number that parses is
one the database can also look up.
"""

from django.http import Http404

MAX_INT = 2**63 - 1
_MAX_DIGITS = len(str(MAX_INT))


def ascii_digits(text: object) -> bool:
    """Whether `text` is a non-empty string of the ASCII digits 0-9 and nothing else."""
    return isinstance(text, str) and text.isascii() and text.isdigit()


def parse_int(text: object) -> int | None:
    """The whole number written in `text` (ASCII digits within the bigint range), or None."""
    if not ascii_digits(text) or len(text) > _MAX_DIGITS:
        return None
    value = int(text)
    return value if value <= MAX_INT else None


def int_param(request, name: str) -> int | None:
    """The GET (or, failing that, POST) parameter `name` as a whole number, or None when it
    is missing or is not one."""
    raw = request.GET.get(name)
    if raw is None and request.method == "POST":
        raw = request.POST.get(name)
    return parse_int(raw)


def int_param_or_404(request, name: str, message: str) -> int:
    """`int_param`, answering 404 with `message` (in Chinese) when it is not a number."""
    value = int_param(request, name)
    if value is None:
        raise Http404(message)
    return value
