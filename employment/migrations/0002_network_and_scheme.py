"""The hub and the three platforms of the "1+3+N" network (the N service points are kept
in the admin and seeded by the demo), and the start-up grant: a one-off benefits scheme
with its rule (employment.benefit_rule) and one rate per kind of support. Local amounts,
unverified: edit them in the admin."""

import datetime

from django.db import migrations

HUB = ("JY00", "蓬江区残疾人就业创业服务枢纽平台", ["guidance", "assessment", "policy"])
PLATFORMS = [
    ("JY01", "职业训练平台", "training", ["assessment", "training"]),
    ("JY02", "就业平台", "employment", ["guidance", "placement", "assisted"]),
    ("JY03", "创业孵化平台", "incubation", ["startup", "incubation"]),
]
SCHEME = {
    "code": "employment_startup",
    "name": "残疾人自主创业及发展生产扶持",
    "short_name": "创业扶持",
    "kind": "one_off",
    "rule": "employment_startup",
    "params": {"exclude_tekun": False, "period_years": 3},
}
RATES = [("自主创业", 500000), ("发展生产", 300000)]


def load(apps, schema_editor):
    ServicePoint = apps.get_model("employment", "ServicePoint")
    code, name, services = HUB
    hub, _ = ServicePoint.objects.update_or_create(
        code=code, defaults={"name": name, "level": "hub", "services": services, "order": 0}
    )
    for order, (code, name, kind, services) in enumerate(PLATFORMS, start=1):
        ServicePoint.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "level": "platform",
                "platform_kind": kind,
                "parent": hub,
                "services": services,
                "order": order,
            },
        )
    Scheme = apps.get_model("benefits", "Scheme")
    Rate = apps.get_model("benefits", "Rate")
    fields = {k: v for k, v in SCHEME.items() if k != "code"}
    scheme, _ = Scheme.objects.update_or_create(code=SCHEME["code"], defaults=fields)
    for variant, fen in RATES:
        Rate.objects.update_or_create(
            scheme=scheme,
            variant=variant,
            valid_from=datetime.date(2020, 1, 1),
            defaults={"amount_fen": fen, "note": "本地标准，未核实"},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("employment", "0001_initial"),
    ]

    # Unapplied, the scheme stays (the service points go with 0001's tables): deleting it
    # from the historical state trips Django's cascade over this app's own foreign keys to
    # it, and `load` is an update_or_create, so applying again finds it as it was.
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
