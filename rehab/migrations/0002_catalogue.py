"""The district's catalogue of 32 subsidised basic rehabilitation service items (DOMAIN.md:
the list is local data). A starting list in the shape of Guangdong's basic rehabilitation
service catalogue; the names and the count are unverified: the district administrator
edits, adds and switches off items in the admin."""

from django.db import migrations

ITEMS = [
    ("KF01", "低视力助视器验配", "visual"),
    ("KF02", "低视力康复训练", "visual"),
    ("KF03", "盲人定向行走训练", "visual"),
    ("KF04", "盲人生活自理能力训练", "visual"),
    ("KF05", "助听器验配及听力跟踪", "hearing_speech"),
    ("KF06", "人工耳蜗术后听觉言语训练", "hearing_speech"),
    ("KF07", "听觉言语康复训练", "hearing_speech"),
    ("KF08", "言语语言康复训练", "hearing_speech"),
    ("KF09", "运动功能训练", "physical"),
    ("KF10", "日常生活活动能力训练", "physical"),
    ("KF11", "物理因子治疗", "physical"),
    ("KF12", "作业治疗", "physical"),
    ("KF13", "脑瘫儿童康复训练", "physical"),
    ("KF14", "脊髓损伤康复训练", "physical"),
    ("KF15", "截肢者康复训练", "physical"),
    ("KF16", "中医传统康复（针灸、推拿）", "physical"),
    ("KF17", "家庭康复指导（上门服务）", "physical"),
    ("KF18", "智力残疾认知能力训练", "intellectual"),
    ("KF19", "智力残疾生活自理能力训练", "intellectual"),
    ("KF20", "智力残疾社会适应能力训练", "intellectual"),
    ("KF21", "精神障碍基本药物治疗（服药补助）", "mental"),
    ("KF22", "精神障碍社区康复训练", "mental"),
    ("KF23", "心理疏导与危机干预", "mental"),
    ("KF24", "精神障碍者家属照护培训", "mental"),
    ("KF25", "孤独症儿童行为干预训练", "autism"),
    ("KF26", "孤独症儿童社交沟通训练", "autism"),
    ("KF27", "孤独症儿童家长培训", "autism"),
    ("KF28", "轮椅适配", "assistive"),
    ("KF29", "助行器具适配（拐杖、助行架）", "assistive"),
    ("KF30", "假肢装配", "assistive"),
    ("KF31", "矫形器装配", "assistive"),
    ("KF32", "生活自助具适配（洗浴椅、坐便椅等）", "assistive"),
]


def load(apps, schema_editor):
    RehabItem = apps.get_model("rehab", "RehabItem")
    for code, name, kind in ITEMS:
        RehabItem.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})


def unload(apps, schema_editor):
    apps.get_model("rehab", "RehabItem").objects.filter(code__in=[code for code, _, _ in ITEMS]).delete()


class Migration(migrations.Migration):
    dependencies = [("rehab", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
