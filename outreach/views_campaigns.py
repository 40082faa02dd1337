"""Campaign pages: the list, a new campaign, its page of counts per town and community,
starting it, adding persons certified since, the fast delivery entry, a delivery's void
and the remaining list's export. Thin: parse, call a selector or a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from canlian.errors import error_text
from canlian.exporting import export_response
from canlian.scoping import in_scope, is_district_user
from outreach import campaigns, selectors
from outreach.exports import RemainingExporter
from outreach.forms import CampaignForm, DeliveryForm
from outreach.models import Campaign, CampaignDelivery
from registry.presenters import PersonView
from registry.scoping import Privacy, areas_visible_to

VIEW = "outreach.view_campaign"
PERSONAL = "registry.view_personal_data"


@require_GET
@permission_required(VIEW, raise_exception=True)
def campaign_list(request):
    context = {"campaigns": Campaign.objects.all(), "may_create": request.user.has_perm("outreach.add_campaign")}
    return render(request, "outreach/campaign_list.html", context)


@require_http_methods(["GET", "POST"])
@permission_required("outreach.add_campaign", raise_exception=True)
def campaign_create(request):
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = campaigns.campaign_create(user=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, f"已创建活动“{campaign.name}”，启动后生成发放名单")
            return redirect("outreach:campaign_detail", pk=campaign.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "outreach/campaign_form.html", {"form": form}, status=status)


@require_GET
@permission_required(VIEW, raise_exception=True)
def campaign_detail(request, pk: int):
    campaign = selectors.campaign_for_user(request.user, pk)
    town = request.GET.get("town", "")
    if town and not (town.isdigit() and len(town) == 12 and in_scope(request.user, town)):
        town = ""
    rows, total = selectors.campaign_counts(request.user, campaign, town)
    town_name = areas_visible_to(request.user).filter(code=town).values_list("name", flat=True).first() if town else ""
    user = request.user
    context = {
        "campaign": campaign,
        "rows": rows,
        "total": total,
        "town": town,
        "town_name": town_name,
        "may_start": user.has_perm("outreach.start_campaign") and is_district_user(user),
        "may_deliver": campaign.is_started and user.has_perm("outreach.add_campaigndelivery"),
        "may_export": campaign.is_started
        and user.has_perm("outreach.export_campaigntargets")
        and user.has_perm(PERSONAL),
    }
    return render(request, "outreach/campaign_detail.html", context)


def _district_action(request, pk: int, action, done, refused: str):
    campaign = selectors.campaign_for_user(request.user, pk)
    try:
        count = action(user=request.user, campaign=campaign)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, f"{refused}：{error_text(exc)}")
    else:
        messages.success(request, done(campaign, count))
    return redirect("outreach:campaign_detail", pk=campaign.pk)


@require_POST
@permission_required("outreach.start_campaign", raise_exception=True)
def campaign_start(request, pk: int):
    def done(campaign, count):
        return f"已启动“{campaign.name}”，发放名单共 {count:,} 人"

    return _district_action(request, pk, campaigns.campaign_start, done, "未能启动")


@require_POST
@permission_required("outreach.start_campaign", raise_exception=True)
def campaign_targets_add(request, pk: int):
    def done(campaign, count):
        return f"已补充 {count:,} 人到发放名单" if count else "没有需要补充的人员"

    return _district_action(request, pk, campaigns.campaign_targets_add, done, "未能补充名单")


@require_http_methods(["GET", "POST"])
@permission_required(["outreach.add_campaigndelivery", PERSONAL], raise_exception=True)
def delivery_entry(request, pk: int):
    """The fast entry: one ID number after another. A delivery redirects back with the day
    and the deliverer kept, the number field empty and focused for the next; a refusal
    shows why (in an alert read out at once), with the number selected to type over."""
    campaign = selectors.campaign_for_user(request.user, pk)
    initial = {k: request.GET[k] for k in ("delivered_on", "deliverer") if request.GET.get(k)}
    form = DeliveryForm(request.POST or None, initial=initial, user=request.user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                person = campaigns.person_by_id_number(request.user, data["id_number"])
                campaigns.delivery_record(
                    user=request.user,
                    campaign=campaign,
                    person=person,
                    delivered_on=data["delivered_on"],
                    deliverer=data["deliverer"],
                )
            except (ValidationError, PermissionDenied) as exc:
                form.add_error("id_number", error_text(exc))
            else:
                name = PersonView(person, Privacy.for_user(request.user)).name
                messages.success(request, f"已登记：{name} 领取“{campaign.name}”")
                keep = urlencode({"delivered_on": data["delivered_on"].isoformat(), "deliverer": data["deliverer"]})
                return redirect(f"{reverse('outreach:delivery_entry', args=[campaign.pk])}?{keep}")
    privacy = Privacy.for_user(request.user)
    recent = [(d, PersonView(d.person, privacy)) for d in selectors.recent_deliveries(request.user, campaign)]
    may_void = request.user.has_perm("outreach.void_campaigndelivery")
    context = {"campaign": campaign, "form": form, "recent": recent, "may_void": may_void}
    return render(request, "outreach/delivery_entry.html", context, status=status)


@require_GET
@permission_required(["outreach.export_campaigntargets", PERSONAL], raise_exception=True)
def remaining_export(request, pk: int):
    campaign = selectors.campaign_for_user(request.user, pk)
    targets, _form, _data = selectors.remaining_targets(request, campaign)
    exporter = RemainingExporter(
        campaign,
        targets,
        privacy=Privacy.for_user(request.user),
        names=selectors.area_names(areas_visible_to(request.user)),
        filters=dict(request.GET.items()),
    )
    return export_response(request, exporter)


@require_POST
@permission_required("outreach.void_campaigndelivery", raise_exception=True)
def delivery_void(request, pk: int):
    """Void a delivery recorded by mistake (作废, with a reason): the person is on the
    remaining list again and may be given the gift. Back to the person page or the entry."""
    deliveries = CampaignDelivery.objects.standing().visible_to(request.user).select_related("campaign")
    delivery = get_object_or_404(deliveries, pk=pk)
    try:
        campaigns.delivery_void(user=request.user, delivery=delivery, reason=request.POST.get("reason", ""))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, f"未能作废：{error_text(exc)}")
    else:
        messages.success(request, f"已作废 {delivery.delivered_on:%Y-%m-%d} 领取“{delivery.campaign.name}”的发放记录")
    if request.POST.get("back") == "person":
        return redirect("registry:person_detail", pk=delivery.person_id)
    return redirect("outreach:delivery_entry", pk=delivery.campaign_id)
