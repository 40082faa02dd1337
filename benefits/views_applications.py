"""Application and award pages. Thin: fetch within the user's scope (404 outside it),
call the service, render. A refused action (ValidationError, PermissionDenied) is shown
on the page in Chinese."""

import datetime
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Max, QuerySet
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from benefits import services
from benefits.forms_applications import ApplicationFilterForm, ApplicationForm, AwardEndForm, ReasonForm
from benefits.models import Application, ApplicationAttachment, Award, PaymentMonth
from benefits.months import month_label, month_start
from benefits.rules import ineligibility_reasons, persons_as_of, scheme_filter
from canlian.errors import error_text
from canlian.params import int_param_or_404
from canlian.prefix import prefix_filter
from registry.forms_idcard import reader_context, reading_action, reading_check
from registry.models import Person
from registry.presenters import PersonView
from registry.scoping import Privacy
from registry.selectors import person_for_user

PAGE_SIZE = 50
State = Application.State


def applications_visible_to(user) -> QuerySet:
    """The one visibility point for applications: registered in the user's area and below."""
    return Application.objects.visible_to(user)


def application_for_user(user, pk: int) -> Application:
    """The application if the user may see it; 404 otherwise, as for one that does not exist."""
    queryset = applications_visible_to(user).select_related(
        "person__area__parent", "scheme", "submitted_by", "town_reviewed_by", "decided_by"
    )
    return get_object_or_404(queryset, pk=pk)


# An application is a row per person with its notes: a user without access to personal data
# (a leader) reads the figures instead.
ROW_PERMS = ["benefits.view_application", "registry.view_personal_data"]


@permission_required(ROW_PERMS, raise_exception=True)
def application_list(request):
    form = ApplicationFilterForm(request.GET or None, user=request.user)
    queryset = applications_visible_to(request.user).select_related("person__area__parent", "scheme")
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    if data.get("scheme"):
        queryset = queryset.filter(scheme_id=data["scheme"])
    if data.get("state"):
        queryset = queryset.filter(state=data["state"])
    if data.get("town"):
        queryset = queryset.filter(prefix_filter("area_code", data["town"][:9]))
    privacy = Privacy.for_user(request.user)
    page = Paginator(queryset.order_by("-applied_on", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(application, PersonView(application.person, privacy)) for application in page.object_list]
    params = request.GET.copy()
    params.pop("page", None)
    context = {"form": form, "page": page, "rows": rows, "query": params.urlencode(), "privacy": privacy}
    return render(request, "benefits/application_list.html", context)


@permission_required("benefits.add_application", raise_exception=True)
def application_create(request):
    person = person_for_user(request.user, int_param_or_404(request, "person", "未指定申请人"))
    form = ApplicationForm(request.POST or None, request.FILES or None)
    reading = None
    if request.method == "POST" and reading_action(request.POST):
        # The card at the window checked against the applicant; the form comes back as typed.
        reading = reading_check(person, request.POST)
        form = ApplicationForm(initial={name: form[name].value() for name in form.fields if name != "attachments"})
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = services.application_submit(
                user=request.user,
                person=person,
                scheme=data["scheme"],
                applied_on=data["applied_on"],
                applicant=data["applicant"],
                variant=data["variant"],
                note=data["note"],
                attachments=form.attachment_pairs(),
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, f"已受理{application.scheme.name}申请，待镇街初审")
            return redirect("benefits:application_detail", pk=application.pk)
    privacy = Privacy.for_user(request.user)
    context = {"form": form, "person": PersonView(person, privacy), "reading": reading, **reader_context()}
    failed = form.errors or (reading and (reading.error or reading.other_card))
    return render(request, "benefits/application_form.html", context, status=400 if failed else 200)


@permission_required(ROW_PERMS, raise_exception=True)
def application_detail(request, pk: int):
    return _render_detail(request, application_for_user(request.user, pk))


def _render_detail(request, application: Application, *, error: str = "", reason: str = "", status: int = 200):
    user = request.user
    privacy = Privacy.for_user(user)
    today = datetime.date.today()
    state = application.state
    may_decide = user.has_perm("benefits.decide_application") and state == State.DISTRICT_REVIEW
    own_work = user.pk in (application.submitted_by_id, application.town_reviewed_by_id)
    context = {
        "application": application,
        "person": PersonView(application.person, privacy),
        "privacy": privacy,
        "steps": application.steps.select_related("user"),
        "attachments": application.attachments.select_related("uploaded_by") if privacy.personal else [],
        "attachment_count": application.attachments.count(),
        "award": Award.objects.filter(application=application).first(),
        "eligibility": _eligibility_now(application, today),
        "can_town_review": user.has_perm("benefits.town_review_application") and state == State.SUBMITTED,
        "can_end_notice": user.has_perm("benefits.town_review_application") and state == State.NOTICE,
        "notice_over": state == State.NOTICE and application.notice_until and today >= application.notice_until,
        "can_decide": may_decide and not own_work,
        "decide_blocked_own_work": may_decide and own_work,
        "error": error,
        "reason": reason,
    }
    return render(request, "benefits/application_detail.html", context, status=status)


def _eligibility_now(application: Application, today: datetime.date) -> dict:
    """Whether the scheme's rule holds for the person this month, and if not, why; to
    help the reviewer (the payroll checks it again every month)."""
    month = month_start(today)
    person = persons_as_of(month, Person.objects.filter(pk=application.person_id)).get()
    try:
        rule = scheme_filter(application.scheme, month)
    except ValueError:  # a scheme without a known rule
        return {"month": month, "eligible": None, "reasons": []}
    eligible = persons_as_of(month, Person.objects.filter(pk=application.person_id)).filter(rule).exists()
    reasons = [] if eligible else ineligibility_reasons(person, application.scheme, month)
    return {"month": month, "eligible": eligible, "reasons": reasons}


def _act(request, pk: int, action) -> object:
    """Run a review action on an application inside the user's scope; a refusal is shown
    on the detail page with the reason the user typed kept."""
    application = application_for_user(request.user, pk)
    form = ReasonForm(request.POST)
    reason = form.data.get("reason", "")
    if not form.is_valid():
        return _render_detail(request, application, error="意见不能超过 200 字", reason=reason, status=400)
    try:
        message = action(application, form.cleaned_data["reason"])
    except ValidationError as exc:
        return _render_detail(request, application, error=error_text(exc), reason=reason, status=400)
    except PermissionDenied as exc:
        return _render_detail(request, application, error=error_text(exc), reason=reason, status=403)
    messages.success(request, message)
    return redirect("benefits:application_detail", pk=pk)


@require_POST
@permission_required("benefits.view_application", raise_exception=True)
def application_town_review(request, pk: int):
    approve = request.POST.get("decision") == "approve"

    def action(application, reason):
        services.application_town_review(user=request.user, application=application, approve=approve, reason=reason)
        return "初审通过，已开始公示" if approve else "已退回申请"

    return _act(request, pk, action)


@require_POST
@permission_required("benefits.view_application", raise_exception=True)
def application_end_notice(request, pk: int):
    objection = request.POST.get("decision") == "objection"

    def action(application, reason):
        if objection and not reason.strip():
            raise ValidationError("公示有异议时须填写异议内容")
        services.application_end_notice(
            user=request.user, application=application, objection=reason if objection else ""
        )
        return "公示有异议，已退回申请" if objection else "公示期满无异议，已报区残联审核"

    return _act(request, pk, action)


@require_POST
@permission_required("benefits.view_application", raise_exception=True)
def application_decide(request, pk: int):
    approve = request.POST.get("decision") == "approve"

    def action(application, reason):
        decided = services.application_decide(
            user=request.user, application=application, approve=approve, reason=reason
        )
        if approve:
            return f"已批准，自 {month_label(decided.award.start_month)} 起发放"
        return "已作出不予批准的决定"

    return _act(request, pk, action)


@permission_required("benefits.view_application", raise_exception=True)
def attachment_download(request, pk: int, attachment_pk: int):
    application = application_for_user(request.user, pk)
    if not request.user.has_perm("registry.view_personal_data"):
        raise PermissionDenied("您没有查看申请材料的权限")
    attachment = get_object_or_404(ApplicationAttachment, pk=attachment_pk, application=application)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("附件文件不存在") from None
    title = attachment.title.replace("/", "-").replace("\\", "-")
    filename = f"{title}{Path(attachment.file.name).suffix}"
    return FileResponse(handle, as_attachment=True, filename=filename)


@require_POST
@permission_required("benefits.change_award", raise_exception=True)
def award_end(request, pk: int):
    award = get_object_or_404(Award.objects.visible_to(request.user).select_related("scheme"), pk=pk)
    form = AwardEndForm(request.POST)
    if not form.is_valid():
        errors = [error for field_errors in form.errors.values() for error in field_errors]
        messages.error(request, f"未能终止{award.scheme.name}：{'；'.join(errors)}")
        return redirect("registry:person_detail", pk=award.person_id)
    end_month = form.cleaned_data["end_month"]
    try:
        services.award_end(user=request.user, award=award, end_month=end_month, reason=form.cleaned_data["reason"])
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, f"未能终止{award.scheme.name}：{error_text(exc)}")
        return redirect("registry:person_detail", pk=award.person_id)
    messages.success(request, f"{award.scheme.name}已终止，最后发放月份 {month_label(end_month)}")
    paid_until = (
        PaymentMonth.objects.paid()
        .filter(scheme=award.scheme, person_id=award.person_id, month__gt=end_month)
        .aggregate(last=Max("month"))["last"]
    )
    if paid_until:
        messages.warning(
            request,
            f"注意：该人员的{award.scheme.name}已发放至 {month_label(paid_until)}，"
            f"晚于终止月份，请核实多发的款项是否需要追回",
        )
    return redirect("registry:person_detail", pk=award.person_id)
