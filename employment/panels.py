"""The person page's block of employment (就业创业) and the person's timeline entries."""

from django.urls import reverse
from django.utils import timezone

from canlian.declarations import TimelineEntry
from canlian.scoping import in_scope
from employment.forms import AssessmentForm, StatusForm
from employment.selectors import current_status, person_records


def person_employment(request, person) -> dict:
    """The block's context (`employment/_person_employment.html`) for a person the page
    already showed (so in the user's scope)."""
    user = request.user
    if not user.has_perm("employment.view_employmentevent"):
        return {"show": False}
    records = person_records(user, person)
    today = timezone.localdate()
    own = in_scope(user, person)
    return {
        "show": True,
        "person": person,
        "current": current_status(person),
        **records,
        "status_form": StatusForm(prefix="status", initial={"changed_on": today})
        if own and user.has_perm("employment.add_employmentevent")
        else None,
        "assessment_form": AssessmentForm(prefix="assessment", initial={"assessed_on": today})
        if own and user.has_perm("employment.add_assessment")
        else None,
        "may_startup": own and user.has_perm("employment.add_startupsupport"),
        "may_place": own and user.has_perm("employment.add_jobplacement"),
        "may_void_status": user.has_perm("employment.void_employmentevent"),
        "may_void_assessment": user.has_perm("employment.void_assessment"),
        "may_void_placement": user.has_perm("employment.void_jobplacement"),
        "startup_names": user.has_perm("employment.view_startupsupport"),
    }


def timeline(person, user):
    """Status events, assessments, enrolments (and completions), start-up supports (and
    their review and follow-ups) and placements (and their end): six queries."""
    if not user.has_perm("employment.view_employmentevent"):
        return
    for e in person.employment_events.standing().select_related("point"):
        yield TimelineEntry(
            e.changed_on, "employment_status", "就业状态", f"就业状态：{e.get_status_display()}", e.point.name
        )
    for a in person.employment_assessments.standing().select_related("point"):
        yield TimelineEntry(
            a.assessed_on,
            "employment_assessment",
            "职业能力评估",
            f"职业能力评估：{a.get_result_display()}",
            f"建议{a.get_path_display()}，评估人 {a.assessor}",
        )
    for e in person.course_enrolments.standing().select_related("course"):
        url = reverse("employment:course_detail", args=[e.course_id])
        yield TimelineEntry(
            e.enrolled_on, "employment_training", "职业培训", f"报名培训：{e.course.name}", e.course.code, url
        )
        if e.completed_on:
            detail = f"证书 {e.certificate_number}" if e.certificate_number else ""
            yield TimelineEntry(
                e.completed_on, "employment_training", "职业培训", f"培训结业：{e.course.name}", detail, url
            )
    if user.has_perm("employment.view_startupsupport"):
        for s in person.startup_supports.standing():
            url = reverse("employment:startup_detail", args=[s.pk])
            title = f"申请创业扶持（{s.get_kind_display()}）"
            yield TimelineEntry(s.applied_on, "employment_startup", "创业扶持", title, s.business, url)
            if s.reviewed_on:
                yield TimelineEntry(
                    s.reviewed_on,
                    "employment_startup",
                    "创业扶持",
                    f"创业扶持审核：{s.get_state_display()}",
                    s.opinion,
                    url,
                )
        for f in person.startup_followups.standing():
            url = reverse("employment:startup_detail", args=[f.support_id])
            title = f"创业扶持{f.get_milestone_display()}：{f.get_business_state_display()}"
            yield TimelineEntry(f.visited_on, "employment_startup", "创业扶持", title, f.note, url)
    for p in person.job_placements.standing().select_related("employer"):
        url = reverse("employment:employer_detail", args=[p.employer_id])
        yield TimelineEntry(p.started_on, "employment_job", "就业安置", f"入职：{p.employer.name}", p.job_title, url)
        if p.ended_on:
            yield TimelineEntry(p.ended_on, "employment_job", "就业安置", f"离职：{p.employer.name}", p.end_reason, url)
