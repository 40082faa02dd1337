"""The person page's block of cases and watches, and their timeline entries."""

from django.urls import reverse
from django.utils import timezone

from canlian.declarations import TimelineEntry
from canlian.scoping import in_scope
from care.forms_cases import CaseOpenForm, WatchIssueForm
from care.selectors_cases import person_cases, person_watches


def person_cases_panel(request, person) -> dict:
    user = request.user
    show_cases, show_watches = user.has_perm("care.view_carecase"), user.has_perm("care.view_watchissue")
    if not (show_cases or show_watches):
        return {"show": False}
    cases = person_cases(user, person) if show_cases else []
    watches = person_watches(user, person) if show_watches else []
    may_open = user.has_perm("care.add_carecase") and not any(c.is_open for c in cases)
    may_issue = user.has_perm("care.add_watchissue") and not any(w.ended_on is None for w in watches)
    return {
        "show": True,
        "person": person,
        "today": timezone.localdate(),
        "show_cases": show_cases,
        "show_watches": show_watches,
        "cases": cases,
        "watches": watches,
        "open_form": CaseOpenForm() if may_open and in_scope(user, person) else None,
        "issue_form": WatchIssueForm() if may_issue and in_scope(user, person) else None,
        "may_end": user.has_perm("care.change_watchissue"),
        "may_void_watch": user.has_perm("care.void_watchissue") and in_scope(user, person),
    }


def cases_timeline(person, user):
    """A case's opening, each follow-up and its closure; a watch issued and returned or lost."""
    if user.has_perm("care.view_carecase"):
        for case in person_cases(user, person):
            url = reverse("care:case_detail", args=[case.pk])
            yield TimelineEntry(
                case.opened_on,
                "care_case",
                "个案管理",
                f"开设个案（{case.get_risk_display()}风险）",
                f"个案负责人：{case.keyworker.display_name}",
                url,
            )
            for f in case.standing_follow_ups:
                yield TimelineEntry(
                    f.followed_on, "care_case", "个案管理", f"个案随访：{f.get_contact_display()}", f.findings, url
                )
            if case.closed_on:
                yield TimelineEntry(
                    case.closed_on, "care_case", "个案管理", "结案", case.get_close_reason_display(), url
                )
    if user.has_perm("care.view_watchissue"):
        for w in person_watches(user, person):
            yield TimelineEntry(w.issued_on, "care_watch", "定位手表", f"发放定位手表：{w.device.serial}", w.fee_label)
            if w.ended_on:
                yield TimelineEntry(w.ended_on, "care_watch", "定位手表", f"定位手表{w.get_end_display()}", w.end_note)
