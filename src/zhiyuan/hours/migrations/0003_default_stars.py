"""The default star thresholds (REGULATIONS.md §3: 100/300/600/1000/1500 hours), editable in the admin."""

from django.db import migrations

DEFAULTS = [(1, 100), (2, 300), (3, 600), (4, 1000), (5, 1500)]


def forwards(apps, schema_editor):
    StarThreshold = apps.get_model("hours", "StarThreshold")
    for stars, hours in DEFAULTS:
        StarThreshold.objects.get_or_create(organization=None, stars=stars, defaults={"hours": hours})


def backwards(apps, schema_editor):
    apps.get_model("hours", "StarThreshold").objects.filter(organization=None).delete()


class Migration(migrations.Migration):
    dependencies = [("hours", "0002_checkin_recognition")]
    operations = [migrations.RunPython(forwards, backwards)]
