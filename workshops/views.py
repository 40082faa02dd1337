"""The workshop pages: the list (figures only), one workshop (projects, members, products),
the month's entry (one row per member, the whole month saved at once), its workbook, the
monthly totals per workshop and project, the sales with their entry, stock, and the
membership actions posted from the person page or the workshop page. Thin: parse, call a
service or a selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from benefits.months import add_months
from canlian.errors import error_text
from canlian.exporting import export_response
from canlian.params import int_param, parse_int
from registry.presenters import PersonView
from registry.scoping import Privacy
from registry.selectors import person_for_user
from workshops import selectors, services
from workshops.exports import MonthSheetExporter
from workshops.forms import EndForm, JoinForm, RestockForm, SaleForm, month_param, parse_days, parse_yuan
from workshops.models import Channel, Membership, Product, month_end

PERSONAL = "registry.view_personal_data"


def _workshop(request, pk: int):
    return get_object_or_404(
        selectors.workshops_visible_to(request.user).select_related("area", "service_point"), pk=pk
    )


def _form_errors(form) -> str:
    return "；".join(e for errors in form.errors.values() for e in errors)


@require_GET
@permission_required("workshops.view_workshop", raise_exception=True)
def workshop_list(request):
    """Workshops with their members today and this month's income and sales; no person
    named (leaders read it too)."""
    today = timezone.localdate()
    workshops = selectors.workshops_visible_to(request.user).select_related("area", "service_point").order_by("code")
    figures = selectors.workshop_figures(workshops, today)
    rows = [{"workshop": w, **figures[w.pk]} for w in workshops]
    return render(request, "workshops/workshop_list.html", {"rows": rows, "today": today})


@require_GET
@permission_required(["workshops.view_workshop", "workshops.view_membership", PERSONAL], raise_exception=True)
def workshop_detail(request, pk: int):
    workshop = _workshop(request, pk)
    today = timezone.localdate()
    privacy = Privacy.for_user(request.user)
    members = (
        selectors.members_on([workshop.pk], today)
        .visible_to(request.user)
        .select_related("person", "project")
        .order_by("person__name", "pk")
    )
    context = {
        "workshop": workshop,
        "today": today,
        "projects": list(workshop.projects.order_by("id")),
        "members": [{"membership": m, "person": PersonView(m.person, privacy)} for m in members],
        "products": list(selectors.products_of(request.user, workshop)),
        "end_form": EndForm() if request.user.has_perm("workshops.change_membership") else None,
    }
    return render(request, "workshops/workshop_detail.html", context)


@require_GET
@permission_required("workshops.add_workmonth", raise_exception=True)
def month_start(request):
    """车间月报: the user's workshops, with how much of last month is entered (a month is
    entered after it ends, so last month is the one due)."""
    today = timezone.localdate()
    month = add_months(today.replace(day=1), -1)
    workshops = selectors.workshops_visible_to(request.user).filter(is_active=True).order_by("code")
    figures = selectors.month_progress(workshops, month)
    rows = [{"workshop": w, **figures[w.pk]} for w in workshops]
    return render(
        request, "workshops/month_start.html", {"rows": rows, "month": month, "current": today.replace(day=1)}
    )


def _posted_entries(request) -> tuple[dict[int, services.Entry], dict[int, tuple[str, str]], list[str]]:
    """The month's entries of the form (person id -> Entry), what was posted for each (to
    show the form again as it was sent) and the cells that could not be read."""
    entries, posted, errors = {}, {}, []
    for raw in request.POST.getlist("person"):
        pk = parse_int(raw)
        if pk is None:
            raise ValidationError("月报表内容有误，请刷新页面后重新登记")
        days, income = request.POST.get(f"days-{pk}", ""), request.POST.get(f"income-{pk}", "")
        name = request.POST.get(f"name-{pk}", "")
        posted[pk] = (days, income)
        try:
            entries[pk] = services.Entry(
                parse_days(days, what=f"{name}的工作天数"), parse_yuan(income, what=f"{name}的收入")
            )
        except ValidationError as exc:
            errors.extend(exc.messages)
    return entries, posted, errors


@require_http_methods(["GET", "POST"])
@permission_required(["workshops.view_workmonth", PERSONAL], raise_exception=True)
def month_entry(request, pk: int):
    workshop = _workshop(request, pk)
    today = timezone.localdate()
    source = request.POST if request.method == "POST" else request.GET
    month = month_param(source.get("month"), add_months(today.replace(day=1), -1))
    if month is None:
        raise Http404("月份格式不正确")
    error, posted, status = "", {}, 200
    if request.method == "POST":
        if not request.user.has_perm("workshops.add_workmonth"):
            raise PermissionDenied("您没有登记车间月报的权限")
        try:
            entries, posted, errors = _posted_entries(request)
            if errors:
                raise ValidationError(errors)
            saved = services.month_save(user=request.user, workshop=workshop, month=month, entries=entries)
        except (ValidationError, PermissionDenied) as exc:
            error, status = error_text(exc), 400
        else:
            messages.success(request, f"已保存 {month:%Y-%m} 的月报：{saved.summary}")
            return redirect(f"{reverse('workshops:month_entry', args=[workshop.pk])}?month={month:%Y-%m}")
    sheet = selectors.month_sheet(request.user, workshop, month, Privacy.for_user(request.user))
    lines = []
    for row in sheet.rows:
        pk_ = row.membership.person_id
        if pk_ in posted:
            days, income = posted[pk_]
        elif row.entry is not None:
            days, income = str(row.entry.work_days), f"{row.entry.income_fen / 100:.2f}"
        else:
            days, income = "", ""
        lines.append({"row": row, "days": days, "income": income})
    entered = sheet.entered > 0
    context = {
        "workshop": workshop,
        "sheet": sheet,
        "month": month,
        "lines": lines,
        "entered": entered,
        "error": error,
        "refusal": services.month_refusal(workshop, month, today),
        "previous": add_months(month, -1),
        "next": add_months(month, 1) if month < today.replace(day=1) else None,
        "may_save": request.user.has_perm("workshops.add_workmonth")
        and (not entered or request.user.has_perm("workshops.change_workmonth")),
        "income_yuan": f"{sheet.income_fen / 100:.2f}",
    }
    return render(request, "workshops/month_entry.html", context, status=status)


@require_GET
@permission_required(["workshops.export_workmonth", PERSONAL], raise_exception=True)
def month_export(request, pk: int):
    workshop = _workshop(request, pk)
    month = month_param(request.GET.get("month"), add_months(timezone.localdate().replace(day=1), -1))
    if month is None:
        raise Http404("月份格式不正确")
    sheet = selectors.month_sheet(request.user, workshop, month, Privacy.for_user(request.user))
    return export_response(request, MonthSheetExporter(sheet))


@require_GET
@permission_required("workshops.view_workshop", raise_exception=True)
def month_totals(request, pk: int):
    """The year's monthly totals of a workshop: sales by channel and by project, income
    paid to members (figures only)."""
    workshop = _workshop(request, pk)
    today = timezone.localdate()
    year = int_param(request, "year") or today.year
    if not 2000 <= year <= today.year:
        raise Http404("年份不正确")
    months = selectors.month_totals(workshop, year)
    projects = list(workshop.projects.order_by("id"))
    has_unassigned = any(None in m.by_project for m in months)
    context = {
        "workshop": workshop,
        "year": year,
        "years": list(range(today.year, today.year - 5, -1)),
        "channels": Channel.choices,
        "projects": projects,
        "has_unassigned": has_unassigned,
        "rows": [
            {
                "m": m,
                "channels": [m.by_channel[c] for c, _ in Channel.choices],
                "projects": [m.by_project.get(p.pk, 0) for p in projects]
                + ([m.by_project.get(None, 0)] if has_unassigned else []),
            }
            for m in months
            if m.month <= today
        ],
        "total_sales": sum(m.sales_fen for m in months),
        "total_income": sum(m.income_fen for m in months),
    }
    return render(request, "workshops/month_totals.html", context)


@require_http_methods(["GET", "POST"])
@permission_required("workshops.view_sale", raise_exception=True)
def sales(request, pk: int):
    """A month's sales of a workshop, the catalogue with its stock, and the sale's entry."""
    workshop = _workshop(request, pk)
    today = timezone.localdate()
    month = month_param(request.GET.get("month"), today)
    if month is None:
        raise Http404("月份格式不正确")
    products = selectors.products_of(request.user, workshop).filter(is_active=True)
    form, status = None, 200
    if request.user.has_perm("workshops.add_sale"):
        form = SaleForm(request.POST or None, products=products)
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("您没有登记销售的权限")
        if form.is_valid():
            data = form.cleaned_data
            try:
                sale = services.sale_record(
                    user=request.user,
                    workshop=workshop,
                    channel=data["channel"],
                    sold_on=data["sold_on"],
                    amount_fen=data["amount"],
                    product=data["product"],
                    quantity=data["quantity"] or 0,
                    note=data["note"],
                )
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, error_text(exc))
            else:
                messages.success(request, f"已登记销售：{sale.get_channel_display()} {sale.amount_fen / 100:.2f} 元")
                return redirect(f"{reverse('workshops:sales', args=[workshop.pk])}?month={sale.sold_on:%Y-%m}")
        status = 400
    rows = (
        selectors.sales_visible_to(request.user)
        .filter(workshop=workshop, sold_on__gte=month, sold_on__lte=month_end(month))
        .select_related("product", "project")
        .order_by("-sold_on", "-id")
    )
    rows = list(rows)
    context = {
        "workshop": workshop,
        "month": month,
        "sales": rows,
        "total_yuan": f"{sum(s.amount_fen for s in rows) / 100:.2f}",
        "products": list(selectors.products_of(request.user, workshop)),
        "form": form,
        "restock_form": RestockForm() if request.user.has_perm("workshops.restock_product") else None,
        "may_void": request.user.has_perm("workshops.void_sale"),
        "previous": add_months(month, -1),
        "next": add_months(month, 1) if month < today.replace(day=1) else None,
    }
    return render(request, "workshops/sales.html", context, status=status)


@require_POST
@permission_required("workshops.restock_product", raise_exception=True)
def restock(request, pk: int):
    product = get_object_or_404(Product.objects.visible_to(request.user), pk=pk)
    form = RestockForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"未入库：{_form_errors(form)}")
    else:
        try:
            product = services.product_restock(
                user=request.user, product=product, quantity=form.cleaned_data["quantity"]
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, f"未入库：{error_text(exc)}")
        else:
            messages.success(request, f"“{product.name}”已入库，现有库存 {product.stock}{product.unit}")
    return redirect("workshops:sales", pk=product.workshop_id)


@require_POST
@permission_required("workshops.add_membership", raise_exception=True)
def join(request, pk: int):
    """The person of the page joins a workshop."""
    person = person_for_user(request.user, pk)
    form = JoinForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            made = services.membership_start(
                user=request.user, workshop=data["workshop"], person=person, started_on=data["started_on"]
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, f"未能登记：{error_text(exc)}")
        else:
            messages.success(request, f"已登记进入车间：{made.workshop.name}（{made.started_on:%Y-%m-%d} 起）")
    else:
        messages.error(request, f"未能登记：{_form_errors(form)}")
    return redirect("registry:person_detail", pk=pk)


@require_POST
@permission_required("workshops.void_sale", raise_exception=True)
def sale_void(request, pk: int):
    sale = get_object_or_404(selectors.sales_visible_to(request.user), pk=pk)
    try:
        services.sale_void(user=request.user, sale=sale, reason=request.POST.get("reason", ""))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, f"未能作废：{error_text(exc)}")
    else:
        messages.success(request, "已作废该销售记录" + ("，数量已退回库存" if sale.product_id else ""))
    return redirect(f"{reverse('workshops:sales', args=[sale.workshop_id])}?month={sale.sold_on:%Y-%m}")


def _membership(request, pk: int) -> Membership:
    return get_object_or_404(Membership.objects.standing().visible_to(request.user).select_related("workshop"), pk=pk)


@require_POST
@permission_required("workshops.change_membership", raise_exception=True)
def membership_end(request, pk: int):
    membership = _membership(request, pk)
    form = EndForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"未能办理离开：{_form_errors(form)}")
    else:
        data = form.cleaned_data
        try:
            services.membership_end(
                user=request.user, membership=membership, ended_on=data["ended_on"], note=data["note"]
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, f"未能办理离开：{error_text(exc)}")
        else:
            messages.success(request, f"已办理离开车间（最后一天 {data['ended_on']:%Y-%m-%d}）")
    return redirect("workshops:workshop_detail", pk=membership.workshop_id)


@require_POST
@permission_required("workshops.void_membership", raise_exception=True)
def membership_void(request, pk: int):
    membership = _membership(request, pk)
    try:
        services.membership_void(user=request.user, membership=membership, reason=request.POST.get("reason", ""))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, f"未能作废：{error_text(exc)}")
    else:
        messages.success(request, "已作废该车间成员登记")
    return redirect("registry:person_detail", pk=membership.person_id)
