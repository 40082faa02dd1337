"""The partner county of the Guangdong–Guangxi cooperation (粤桂协作: 天等县, Guangxi). Its
persons are not in the district's registry, so each record holds the name, ID number and
county as given: the persons placed in jobs here (`PartnerPlacement`) and the assistive
devices sent there (`PartnerDevice`). Seen and kept by the district only."""

from django.db import models

DEFAULT_COUNTY = "广西壮族自治区崇左市天等县"


class PartnerPlacement(models.Model):
    name = models.CharField("姓名", max_length=40)
    id_number = models.CharField("公民身份号码", max_length=18)
    county = models.CharField("所在县", max_length=40, default=DEFAULT_COUNTY)
    employer = models.ForeignKey(
        "employment.Employer", verbose_name="用人单位", on_delete=models.PROTECT, related_name="partner_placements"
    )
    job_title = models.CharField("岗位", max_length=60)
    started_on = models.DateField("入职日期")
    wage_fen = models.PositiveIntegerField("月工资（分）")
    note = models.CharField("备注", max_length=200, blank=True)
    recorded_by = models.ForeignKey("accounts.User", verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "协作地区人员就业"
        verbose_name_plural = "协作地区人员就业"
        ordering = ["-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["id_number", "employer", "started_on"], name="employment_partner_once"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.started_on}"


class PartnerDevice(models.Model):
    name = models.CharField("受助人姓名", max_length=40)
    id_number = models.CharField("公民身份号码", max_length=18)
    county = models.CharField("所在县", max_length=40, default=DEFAULT_COUNTY)
    device = models.CharField("辅助器具", max_length=60)
    quantity = models.PositiveSmallIntegerField("数量", default=1)
    sent_on = models.DateField("发放日期")
    note = models.CharField("备注", max_length=200, blank=True)
    recorded_by = models.ForeignKey("accounts.User", verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "协作地区辅助器具"
        verbose_name_plural = "协作地区辅助器具"
        ordering = ["-sent_on", "-id"]

    def __str__(self) -> str:
        return f"{self.name} {self.device}"
