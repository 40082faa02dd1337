"""What the security settings page reads: the settings in force, the lockouts, and who
holds which role."""

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import password_validation
from django.db.models import Count, Q, Sum
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role


def security_settings_in_force() -> list[tuple[str, str]]:
    """(what, its value) of each security setting, in words."""
    minutes = settings.AXES_COOLOFF_TIME * 60
    hsts = settings.SECURE_HSTS_SECONDS
    yes = {True: "是", False: "否"}
    return [
        ("密码规则", "；".join(password_validation.password_validators_help_texts())),
        ("同一用户名登录失败上限（不论来源地址）", f"{settings.AXES_FAILURE_LIMIT} 次"),
        ("同一地址登录失败上限（不论用户名）", f"{settings.AXES_IP_FAILURE_LIMIT} 次"),
        ("锁定时长", f"{minutes:g} 分钟"),
        ("会话空闲超时", f"{settings.SESSION_COOKIE_AGE // 60} 分钟"),
        ("关闭浏览器即退出", yes[settings.SESSION_EXPIRE_AT_BROWSER_CLOSE]),
        ("登录凭据仅经加密连接传送", yes[settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE]),
        ("未加密的访问转到加密连接", yes[settings.SECURE_SSL_REDIRECT]),
        ("浏览器强制加密访问的期限", f"{hsts // 86400} 天" if hsts else "未启用"),
        ("调试模式", "开启（仅供开发，生产环境必须关闭）" if settings.DEBUG else "关闭"),
    ]


def lockouts() -> list[dict]:
    """The user names and addresses locked out now, most failures first."""
    since = timezone.now() - timezone.timedelta(hours=settings.AXES_COOLOFF_TIME)
    recent = AccessAttempt.objects.filter(attempt_time__gte=since)
    found = []
    for field, label, limit in (
        ("username", "用户名", settings.AXES_FAILURE_LIMIT),
        ("ip_address", "地址", settings.AXES_IP_FAILURE_LIMIT),
    ):
        rows = (
            recent.values(field)
            .annotate(failures=Sum("failures_since_start"))
            .filter(failures__gte=limit)
            .order_by("-failures")
        )
        found += [{"kind": label, "value": row[field], "failures": row["failures"]} for row in rows]
    return found


def accounts_by_role() -> list[dict]:
    """Each role with its count of active and inactive accounts, and the superusers."""
    counts = {
        row["role"]: row
        for row in User.objects.values("role").annotate(
            active=Count("id", filter=Q(is_active=True)), inactive=Count("id", filter=Q(is_active=False))
        )
    }
    none = {"active": 0, "inactive": 0}
    return [{"label": label, **none, **counts.get(value, {})} for value, label in [*Role.choices, ("", "未分配角色")]]


def security_overview() -> dict:
    return {
        "settings_in_force": security_settings_in_force(),
        "lockouts": lockouts(),
        "roles": accounts_by_role(),
        "superusers": list(User.objects.filter(is_superuser=True).order_by("username")),
    }
