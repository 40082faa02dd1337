"""The home page: where each role starts."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from accounts.roles import Role
from canlian.worklist import has_work


@login_required
def home(request):
    # Whoever has some kind of work (an app's declared work-list kinds) starts on it.
    if has_work(request.user):
        return redirect("worklist:list")
    if request.user.role == Role.CENTRE_STAFF:
        return redirect("centre_home")
    if request.user.role == Role.SYSTEM_ADMIN:
        # 三员分立: the system administrator manages users (the admin), no business data.
        return redirect("admin:index")
    if request.user.role == Role.AUDIT_ADMIN:
        # 三员分立: the audit administrator reads the audit log and no business data.
        return redirect("audit:entry_list")
    return redirect("registry:person_list")


@login_required
def centre_home(request):
    """Centre staff's start page: what they see (their institutions' members, through the
    scope providers) and the pages of their work (the navigation's entries they may use)."""
    from care.selectors import institutions_visible_to

    institutions = institutions_visible_to(request.user).filter(is_active=True).order_by("code")
    return render(request, "centre_home.html", {"area": request.user.area, "institutions": institutions})
