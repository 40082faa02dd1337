"""The schemes of the seed with their rates. The two subsidies' rates are Guangdong's
(DOMAIN.md); the other amounts are local and unverified: edit them in the admin."""

import datetime

from django.db import migrations

SCHEMES = [
    ("living", "困难残疾人生活补贴", "生活补贴", "monthly", "living",
     {"exclude_tekun": True, "economic": ["dibao", "near_dibao"]},
     [("2020-01", "", 17500), ("2021-01", "", 18100), ("2025-01", "", 20900), ("2026-01", "", 21700)],
     "国发〔2015〕52号；广东省标准"),
    ("nursing", "重度残疾人护理补贴", "护理补贴", "monthly", "nursing",
     {"exclude_tekun": True, "grades": [1, 2], "extended_categories": [5, 6]},
     [("2020-01", "", 23500), ("2021-01", "", 24300), ("2025-01", "", 28000), ("2026-01", "", 29000)],
     "国发〔2015〕52号；广东省标准"),
    ("fuel", "机动轮椅车燃油补贴", "燃油补贴", "annual", "fuel", {"exclude_tekun": False},
     [("2020-01", "", 30000)], "本地标准，未核实"),
    ("education", "残疾学生教育资助", "教育资助", "annual", "all_holders", {"exclude_tekun": False},
     [("2020-01", "学前", 100000), ("2020-01", "小学", 100000), ("2020-01", "初中", 150000),
      ("2020-01", "高中/中职", 200000), ("2020-01", "大学", 500000)], "本地标准，未核实"),
    ("insurance", "重大疾病和意外伤害保险", "意外伤害保险", "annual", "all_holders", {"exclude_tekun": False},
     [("2020-01", "", 5000)], "本地标准，未核实"),
    ("basic_insurance", "城乡居民基本医疗和养老保险代缴", "医保养老代缴", "annual", "basic_insurance",
     {"exclude_tekun": False}, [("2020-01", "", 38000)], "本地标准，未核实"),
    ("hardship", "临时困难救助", "临时救助", "one_off", "manual", {"exclude_tekun": False}, [], ""),
    ("house_repair", "危房改造资助", "危房改造", "one_off", "manual", {"exclude_tekun": False}, [], ""),
    ("home_adaptation", "居家无障碍改造", "无障碍改造", "one_off", "manual", {"exclude_tekun": False}, [], ""),
]


def load(apps, schema_editor):
    Scheme = apps.get_model("benefits", "Scheme")
    Rate = apps.get_model("benefits", "Rate")
    for code, name, short, kind, rule, params, rates, note in SCHEMES:
        scheme, _ = Scheme.objects.update_or_create(
            code=code, defaults={"name": name, "short_name": short, "kind": kind, "rule": rule, "params": params}
        )
        for month, variant, fen in rates:
            Rate.objects.update_or_create(
                scheme=scheme, variant=variant,
                valid_from=datetime.date.fromisoformat(month + "-01"),
                defaults={"amount_fen": fen, "note": note},
            )


def unload(apps, schema_editor):
    apps.get_model("benefits", "Scheme").objects.filter(code__in=[s[0] for s in SCHEMES]).delete()


class Migration(migrations.Migration):
    dependencies = [("benefits", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
