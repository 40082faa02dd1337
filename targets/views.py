"""Target pages: the dashboard, a town's figures, the workbook of the table, the targets
form and "refresh now". Thin: the figures come from `targets.selectors` (scoped to the
user), the changes go through `targets.services`."""

import io
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import AccessLog
from accounts.services import access_log_write
from areas.models import Level
from canlian.pagination import DeferredJoinPaginator
from canlian.params import int_param
from canlian.workbooks import XLSX
from care.selectors import institutions_visible_to
from registry.scoping import Privacy
from targets import centre as centres
from targets import drilldown, exports, reports, selectors
from targets.forms import TargetsForm
from targets.indicators import INDICATORS
from targets.map import district_map, indicator_or_default
from targets.services import (
    indicators_refresh_on_commit,
    target_areas,
    targets_set,
    targets_split,
    year_figures_missing,
)
from targets.tasks import compute_past_year

VIEW = "targets.view_indicatorvalue"
PAGE_SIZE = 50


def _year(request) -> int:
    this_year = timezone.localdate().year
    year = int_param(request, "year") or this_year
    return year if 2000 <= year <= this_year + 1 else this_year


def _context(request, board, heading: str) -> dict:
    user = request.user
    # The town-by-town comparison on the district's page (a town's page has one town).
    compare = board.home is not None and board.home.level == Level.DISTRICT
    return {
        "board": board,
        "heading": heading,
        "months": exports.MONTH_LABELS,
        "year": board.year,
        "years": selectors.years_available(user),
        "district_user": selectors.is_district_user(user),
        "may_edit": user.has_perm("targets.change_target"),
        "may_refresh": user.has_perm("targets.refresh_indicators"),
        # Figures link to the records behind them only for a user who may see names.
        "may_see_records": user.has_perm("registry.view_personal_data"),
        "compare_towns": compare,
        "charts": exports.chart_data(board, compare_towns=compare),
    }


def _past_year_queue(year: int) -> bool:
    """A past year with records and no figures yet is computed in the background (the
    request does not wait ~20 s at 10^6 persons); True while its figures are missing."""
    if not year_figures_missing(year=year):
        return False
    compute_past_year.enqueue(year=year)
    return year_figures_missing(year=year)


@require_GET
@permission_required(VIEW, raise_exception=True)
def dashboard(request):
    year = _year(request)
    computing = _past_year_queue(year)
    board = selectors.board(request.user, year)
    context = _context(request, board, f"{board.year} 年度目标与指标")
    return render(request, "targets/dashboard.html", {**context, "computing": computing})


@require_GET
@permission_required(VIEW, raise_exception=True)
def town(request, code: str):
    town = selectors.town_for_user(request.user, code)
    year = _year(request)
    computing = _past_year_queue(year)
    board = selectors.board(request.user, year, town=town)
    heading = f"{town.name} {board.year} 年度目标与指标"
    return render(request, "targets/town.html", {**_context(request, board, heading), "computing": computing})


@require_GET
@permission_required("care.view_institution", raise_exception=True)
def centre(request, pk: int):
    """A care institution's figures (`targets.centre`): its members, attendance and
    placements by month, computed live, beside its town's and the district's figure and
    target where the user's scope holds them. Figures only, no name: centre staff (their
    own institution), officers (their town's) and leaders read it; another's answers 404."""
    institution = get_object_or_404(institutions_visible_to(request.user).select_related("area"), pk=pk)
    year = _year(request)
    figures = centres.centre_figures(request.user, institution, year)
    context = {
        "institution": institution,
        "figures": figures,
        "charts": centres.centre_chart_data(figures),
        "areas": centres.context_areas(request.user, institution),
        "months": exports.MONTH_LABELS,
        "year": year,
        "years": selectors.years_available(request.user),
    }
    return render(request, "targets/centre.html", context)


@require_GET
@permission_required(VIEW, raise_exception=True)
def map_page(request):
    """The district's map: the towns coloured by the chosen indicator (figures only), the
    institutions as points, and the same figures in a table under it."""
    year = _year(request)
    indicator = indicator_or_default(request.GET.get("indicator"))
    code = request.GET.get("town")
    town = selectors.town_for_user(request.user, code) if code else None
    district = district_map(request.user, year, indicator, town=town)
    context = {
        "map": district,
        "chart": district.chart_data(),
        "indicators": list(INDICATORS.values()),
        "year": year,
        "years": selectors.years_available(request.user),
    }
    return render(request, "targets/map.html", context)


@require_GET
@permission_required(VIEW, raise_exception=True)
def export(request):
    """The dashboard's table as a workbook: the year's figures against the targets, and the
    months, for every area in the user's scope. Aggregates only; logged like any export."""
    board = selectors.board(request.user, _year(request))
    handle = io.BytesIO()
    rows = exports.board_write(board, handle)
    handle.seek(0)
    access_log_write(user=request.user, action=AccessLog.Action.EXPORT, export="indicators", year=board.year, rows=rows)
    name = f"目标完成情况_{board.year}.xlsx"
    return FileResponse(handle, as_attachment=True, filename=name, content_type=XLSX)


@require_POST
@permission_required("targets.refresh_indicators", raise_exception=True)
def refresh(request):
    """Recompute the year's figures now (a background task)."""
    year = _year(request)
    indicators_refresh_on_commit(year=year)
    messages.success(request, f"已提交 {year} 年度指标的重新计算，完成后刷新页面即可看到最新数值。")
    return redirect(f"{reverse('targets:dashboard')}?year={year}")


def _plain(value: Decimal) -> Decimal:
    """9100.00 → 9100 for the form, 2.50 stays 2.50."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


@require_http_methods(["GET", "POST"])
@permission_required("targets.change_target", raise_exception=True)
def targets_edit(request):
    year = _year(request)
    areas = target_areas()
    current = {
        (t.indicator, t.area_id): _plain(t.value) for t in selectors.targets_visible_to(request.user).filter(year=year)
    }
    form = TargetsForm(request.POST or None, areas=areas, initial=current)
    if request.method == "POST" and form.is_valid():
        values: dict[tuple[str, str], Decimal | None] = form.targets()
        try:
            changed = targets_set(user=request.user, year=year, values=values, note=form.cleaned_data["note"])
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", None) or [str(exc)]))
        else:
            messages.success(request, f"已保存 {year} 年度目标（{changed} 项有变化）。")
            return redirect(f"{reverse('targets:dashboard')}?year={year}")
    district = areas[0].code if areas else ""
    splittable = [i for i in INDICATORS.values() if (i.key, district) in current]
    context = {"form": form, "year": year, "rows": form.rows(), "areas": areas, "splittable": splittable}
    return render(request, "targets/targets_edit.html", context)


@require_POST
@permission_required("targets.change_target", raise_exception=True)
def targets_split_view(request):
    """Split the district's targets of the chosen indicators among the towns by their share
    of certified persons; the page then shows them to adjust by hand."""
    year = _year(request)
    keys = request.POST.getlist("indicator")
    back = f"{reverse('targets:targets_edit')}?year={year}"
    if not keys:
        messages.error(request, "请选择要分解的指标。")
        return redirect(back)
    try:
        changed = targets_split(user=request.user, year=year, keys=keys)
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", None) or [str(exc)]))
    else:
        messages.success(
            request,
            f"已按持证残疾人数占比分解 {len(keys)} 项指标的全区目标（{changed} 个镇(街)目标有变化），可在下表中调整。",
        )
    return redirect(back)


def _report_period(request) -> tuple[int, int | None]:
    month = int_param(request, "month")
    return _year(request), month if month and 1 <= month <= 12 else None


@require_GET
@permission_required(VIEW, raise_exception=True)
def report_page(request):
    """The monthly (?month=N) or annual report as a printable A4 page."""
    year, month = _report_period(request)
    computing = _past_year_queue(year) | _past_year_queue(year - 1)
    report = reports.report_build(request.user, year=year, month=month)
    context = {
        "computing": computing,
        "report": report,
        "headers": reports._headers(report),
        "draft": [] if month else reports.draft_text(report),
        "years": selectors.years_available(request.user),
        "month_choices": range(1, 13),
    }
    return render(request, "targets/report.html", context)


@require_GET
@permission_required(VIEW, raise_exception=True)
def report_export(request):
    """The same report as a workbook, one sheet per section of the seed; logged."""
    year, month = _report_period(request)
    report = reports.report_build(request.user, year=year, month=month)
    handle = io.BytesIO()
    rows = reports.report_write(report, handle)
    handle.seek(0)
    access_log_write(
        user=request.user, action=AccessLog.Action.EXPORT, export="indicator_report", year=year, month=month, rows=rows
    )
    period = f"{year}年{month:02d}月" if month else f"{year}年度"
    return FileResponse(handle, as_attachment=True, filename=f"指标报表_{period}.xlsx", content_type=XLSX)


@require_GET
# A row per person or record: not for a user without access to personal data (a leader),
# who reads the figure only.
@permission_required([VIEW, "registry.view_personal_data"], raise_exception=True)
def records(request, key: str):
    """The persons or records behind one figure (`targets.drilldown`): ?area= a town (or
    the district) in the user's scope, ?year=, ?month= (none: the whole year)."""
    indicator = INDICATORS.get(key)
    if indicator is None:
        raise Http404("没有这个指标")
    area = selectors.area_for_user(request.user, request.GET.get("area", ""))
    year, month = _report_period(request)
    if not drilldown.drillable(indicator, year, month):
        raise Http404("该数值没有可查看的明细")
    listing = drilldown.listing(indicator, area=area, year=year, month=month)
    district = area.level == Level.DISTRICT
    page = DeferredJoinPaginator(listing.rows, PAGE_SIZE).get_page(request.GET.get("page"))
    privacy = Privacy.for_user(request.user)
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "indicator": indicator,
        "listing": listing,
        "area": area,
        "year": year,
        "month": month,
        "page": page,
        "rows": selectors.record_rows(listing, page.object_list, privacy),
        "privacy": privacy,
        "query": params.urlencode(),
        "back": reverse("targets:dashboard") if district else reverse("targets:town", args=[area.code]),
    }
    return render(request, "targets/records.html", context)
