import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Area",
            fields=[
                ("code", models.CharField(max_length=12, primary_key=True, serialize=False, verbose_name="区划代码")),
                ("name", models.CharField(max_length=60, verbose_name="名称")),
                ("level", models.PositiveSmallIntegerField(choices=[(1, "区"), (2, "镇(街)"), (3, "村(居)")], verbose_name="层级")),
                ("is_active", models.BooleanField(default=True, verbose_name="现行")),
                ("parent", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="children", to="areas.area", verbose_name="上级")),
                ("successor", models.ForeignKey(blank=True, help_text="撤并的区划：旧数据中的此代码按并入后的区划处理", null=True, on_delete=django.db.models.deletion.PROTECT, related_name="predecessors", to="areas.area", verbose_name="并入")),
            ],
            options={"verbose_name": "行政区划", "verbose_name_plural": "行政区划", "ordering": ["code"]},
        ),
        migrations.AddIndex(
            model_name="area",
            index=models.Index(fields=["code"], name="area_code_prefix_idx", opclasses=["varchar_pattern_ops"]),
        ),
    ]
