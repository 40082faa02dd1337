"""Legal aid pages: the case list, a case taken in for a person, the case page with its
steps and closing, and the legal-education lectures. Cases come only through
`legal.cases_visible_to` (the scope, and protected cases for those permitted)."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from canlian.errors import error_text
from canlian.pagination import DeferredJoinPaginator
from outreach import legal
from outreach.models import Lecture
from outreach.views import PAGE_SIZE, form_act, form_errors, person_rows, query_without_page
from registry.presenters import PersonView
from registry.scoping import Privacy
from registry.selectors import person_for_user

LIST = ["outreach.view_legalcase", "registry.view_personal_data"]


@require_GET
@permission_required(LIST, raise_exception=True)
def case_list(request):
    cases = legal.cases_visible_to(request.user).select_related("person").order_by("-opened_on", "-id")
    if request.GET.get("state") == "open":
        cases = cases.filter(closed_on__isnull=True)
    page = DeferredJoinPaginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": person_rows(request, page.object_list),
        "query": query_without_page(request),
        "open_only": request.GET.get("state") == "open",
        "may_protected": request.user.has_perm(legal.PROTECTED),
    }
    return render(request, "outreach/case_list.html", context)


@require_http_methods(["GET", "POST"])
@permission_required("outreach.add_legalcase", raise_exception=True)
def case_create(request, pk: int):
    person = person_for_user(request.user, pk)
    form = legal.CaseForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                case = legal.case_open(user=request.user, person=person, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, error_text(exc))
            else:
                if case.protected and not request.user.has_perm(legal.PROTECTED):
                    messages.success(request, "已受理该案件。这是受保护的案件，仅限有专门权限的人员查看和办理")
                    return redirect("registry:person_detail", pk=person.pk)
                messages.success(request, f"已受理 {case.opened_on:%Y-%m-%d} 的法律救助案件")
                return redirect("outreach:case_detail", pk=case.pk)
    context = {"form": form, "person": PersonView(person, Privacy.for_user(request.user))}
    return render(request, "outreach/case_form.html", context, status=status)


@require_GET
@permission_required(LIST, raise_exception=True)
def case_detail(request, pk: int):
    case = legal.case_for_user(request.user, pk)
    may_change = request.user.has_perm("outreach.change_legalcase") and case.closed_on is None
    context = {
        "case": case,
        "person": PersonView(case.person, Privacy.for_user(request.user)),
        "steps": list(case.steps.select_related("recorded_by")),
        "step_form": legal.StepForm() if may_change else None,
        "close_form": legal.CloseForm() if may_change else None,
    }
    return render(request, "outreach/case_detail.html", context)


@require_POST
@permission_required("outreach.change_legalcase", raise_exception=True)
def case_step(request, pk: int):
    case = legal.case_for_user(request.user, pk)
    form = legal.StepForm(request.POST)
    form_act(request, form, lambda data: legal.case_step_add(user=request.user, case=case, **data), "已登记办理步骤")
    return redirect("outreach:case_detail", pk=case.pk)


@require_POST
@permission_required("outreach.change_legalcase", raise_exception=True)
def case_close(request, pk: int):
    case = legal.case_for_user(request.user, pk)
    form = legal.CloseForm(request.POST)
    form_act(request, form, lambda data: legal.case_close(user=request.user, case=case, **data), "已结案")
    return redirect("outreach:case_detail", pk=case.pk)


@require_GET
@permission_required("outreach.view_lecture", raise_exception=True)
def lecture_list(request):
    lectures = Lecture.objects.visible_to(request.user).order_by("-held_on", "-id")
    page = DeferredJoinPaginator(lectures, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "attendance": lectures.aggregate(n=Sum("attendance"))["n"] or 0,
        "form": legal.LectureForm(user=request.user) if request.user.has_perm("outreach.add_lecture") else None,
        "query": query_without_page(request),
    }
    return render(request, "outreach/lecture_list.html", context)


@require_POST
@permission_required("outreach.add_lecture", raise_exception=True)
def lecture_create(request):
    form = legal.LectureForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            lecture = legal.lecture_record(user=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, f"未能登记：{error_text(exc)}")
        else:
            messages.success(request, f"已登记 {lecture.held_on:%Y-%m-%d} 的普法讲座“{lecture.topic}”")
    else:
        messages.error(request, f"未能登记：{form_errors(form)}")
    return redirect("outreach:lecture_list")
