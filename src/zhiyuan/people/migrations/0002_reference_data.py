"""Reference lists every installation starts with; officers may add more in the admin."""

from django.db import migrations

SKILLS = [
    ("medical", "医疗"), ("first_aid", "急救"), ("legal", "法律"), ("foreign_language", "外语"),
    ("driving", "驾驶"), ("psychology", "心理咨询"), ("teaching", "教育辅导"), ("arts", "文艺"),
    ("photography", "摄影摄像"), ("computing", "计算机"), ("sign_language", "手语"), ("finance", "金融"),
]
CATEGORIES = [
    ("community", "社区服务"), ("transport", "交通引导"), ("elderly_disabled", "助老助残"),
    ("poverty", "扶贫济困"), ("culture", "文化宣传"), ("environment", "环境保护"),
    ("health", "医疗卫生"), ("legal_aid", "法律援助"), ("emergency", "应急救援"),
    ("events", "大型活动"), ("children", "关爱儿童"), ("migrant_workers", "关爱外来务工人员"),
]


def forwards(apps, schema_editor):
    for model, rows in (("Skill", SKILLS), ("ServiceCategory", CATEGORIES)):
        Model = apps.get_model("people", model)
        for code, name in rows:
            Model.objects.get_or_create(code=code, defaults={"name": name})


def backwards(apps, schema_editor):
    apps.get_model("people", "Skill").objects.filter(code__in=[c for c, _ in SKILLS]).delete()
    apps.get_model("people", "ServiceCategory").objects.filter(code__in=[c for c, _ in CATEGORIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("people", "0001_volunteer")]
    operations = [migrations.RunPython(forwards, backwards)]
