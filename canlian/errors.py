"""What a page shows of a refused action."""


def error_text(exc: Exception) -> str:
    """The Chinese reasons of a ValidationError or PermissionDenied, joined for one line."""
    return "；".join(getattr(exc, "messages", None) or [str(exc)]) or "操作未能完成"
