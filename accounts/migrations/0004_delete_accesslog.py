from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_accesslog_to_audit")]

    operations = [migrations.DeleteModel(name="AccessLog")]
