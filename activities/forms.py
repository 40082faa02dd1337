"""Forms of the activity pages. They check input only; the services decide."""

import datetime

from django import forms
from django.db.models import Q

from activities.models import ActivityKind, Association, FiveOne, Organiser, Position
from activities.services import centres_to_name
from areas.models import Area, Level
from care.models import Institution
from registry.scoping import areas_visible_to


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _styled(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
            continue
        widget.attrs.setdefault("class", "form-select" if isinstance(widget, forms.Select) else "form-control")


def _date(label: str, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        error_messages={"required": f"请填写{label}", "invalid": f"{label}格式不正确"},
    )


def _count(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        initial=0,
        required=False,
        error_messages={"invalid": f"{label}应为整数", "min_value": f"{label}不能为负数"},
    )


class ActivityForm(forms.Form):
    name = forms.CharField(label="活动名称", max_length=100, error_messages={"required": "请填写活动名称"})
    kind = forms.ChoiceField(
        label="活动类型", choices=[("", "请选择"), *ActivityKind.choices], error_messages={"required": "请选择活动类型"}
    )
    five_one = forms.ChoiceField(
        label="“五个一”项目",
        required=False,
        choices=[("", "不适用"), *FiveOne.choices],
        help_text="文化进家园活动必选：参加者完成五个一中的哪一项",
    )
    organiser = forms.ChoiceField(
        label="主办方", choices=[("", "请选择"), *Organiser.choices], error_messages={"required": "请选择主办方"}
    )
    town = forms.ChoiceField(
        label="主办镇(街)", required=False, help_text="镇(街)主办的活动必选；康园中心主办的活动计入中心所在的镇(街)"
    )
    association = forms.ModelChoiceField(
        label="主办协会",
        required=False,
        queryset=Association.objects.order_by("order", "code"),
        empty_label="不适用",
        help_text="专门协会主办的活动必选",
    )
    centre = forms.ModelChoiceField(
        label="主办康园中心",
        required=False,
        queryset=Institution.objects.none(),
        empty_label="请选择",
        help_text="康园中心主办的活动必选；活动计入该中心所在的镇(街)",
        error_messages={"invalid_choice": "所选康园中心不存在或不在您的管辖范围内，请重新选择"},
    )
    starts_on = _date("开始日期")
    ends_on = _date("结束日期", required=False)
    online = forms.BooleanField(label="线上活动", required=False)
    place = forms.CharField(label="活动地点", required=False, max_length=100, help_text="线上活动可填写平台名称")
    volunteers = _count("志愿者人数")
    family_members = _count("家属人数")
    online_viewers = _count("线上观看人数")
    description = forms.CharField(label="活动内容", required=False, max_length=2000, widget=forms.Textarea({"rows": 3}))

    def __init__(self, *args, user, activity=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.activity = activity
        towns = areas_visible_to(user).filter(level=Level.TOWN, is_active=True).order_by("code")
        self.fields["town"].choices = [("", "请选择"), *[(a.code, a.name) for a in towns]]
        self.fields["ends_on"].help_text = "一天的活动可不填"
        self.fields["association"].label_from_instance = lambda a: a.name
        # The active centres the user may name (`services.centres_to_name`), and the one the
        # activity names even if since switched off or outside the user's towns.
        current = Q(pk=activity.centre_id) if activity is not None and activity.centre_id else Q(pk__in=[])
        named = Q(pk__in=centres_to_name(user).filter(is_active=True).values("pk"))
        field = self.fields["centre"]
        field.queryset = Institution.objects.filter(named | current).order_by("code")
        field.label_from_instance = lambda c: c.name
        if activity is not None and not activity.centre_id and activity.centre_name:
            field.help_text = f"原登记为“{activity.centre_name}”，未关联康园中心：请选择对应的康园中心"
        _styled(self)

    @classmethod
    def initial_of(cls, activity) -> dict:
        initial = {name: getattr(activity, name) for name in cls.base_fields if hasattr(activity, name)}
        initial["town"] = activity.area_id if not activity.is_district_wide else ""
        initial["association"] = activity.association_id
        initial["centre"] = activity.centre_id
        return initial

    def service_fields(self) -> dict:
        """The cleaned data as `activity_create` / `activity_update` take it."""
        data = dict(self.cleaned_data)
        town = data.pop("town", "")
        data["area"] = Area.objects.filter(code=town).first() if town else None
        for name in ("volunteers", "family_members", "online_viewers"):
            data[name] = data.get(name) or 0
        # The text of before the link stays until a centre is chosen (the form has no field
        # for it: a new activity picks its centre).
        data["centre_name"] = self.activity.centre_name if self.activity is not None else ""
        return data


class ParticipantForm(forms.Form):
    """Add a participant: by ID number, or by a name whose matches the page then lists
    (each with its own button, which posts `person`)."""

    query = forms.CharField(label="公民身份号码或姓名", required=False, max_length=40)
    person = forms.IntegerField(required=False, widget=forms.HiddenInput)
    attended_on = _date("参加日期", required=False)
    note = forms.CharField(label="备注", required=False, max_length=200)

    def __init__(self, *args, activity=None, **kwargs):
        super().__init__(*args, **kwargs)
        if activity is not None and not self.is_bound:
            self.initial.setdefault("attended_on", min(activity.starts_on, datetime.date.today()))
        _styled(self)

    def clean(self):
        data = super().clean()
        if not data.get("person") and not (data.get("query") or "").strip():
            raise forms.ValidationError("请填写参加人员的公民身份号码或姓名")
        return data


class FiveOneForm(forms.Form):
    item = forms.ChoiceField(
        label="“五个一”项目",
        choices=[("", "请选择"), *FiveOne.choices],
        error_messages={"required": "请选择“五个一”项目"},
    )
    done_on = _date("完成日期")
    note = forms.CharField(label="备注", required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        # Its own ids: the person page holds other apps' forms (rehab's also has an item).
        kwargs.setdefault("auto_id", "five-one-%s")
        super().__init__(*args, **kwargs)
        self.fields["done_on"].initial = datetime.date.today()
        _styled(self)


class MemberForm(forms.Form):
    id_number = forms.CharField(
        label="公民身份号码", max_length=20, error_messages={"required": "请填写会员的公民身份号码"}
    )
    position = forms.ChoiceField(label="职务", choices=Position.choices, initial=Position.MEMBER)
    joined_on = _date("入会日期")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["joined_on"].initial = datetime.date.today()
        _styled(self)


class MembershipEndForm(forms.Form):
    left_on = _date("离会日期")
