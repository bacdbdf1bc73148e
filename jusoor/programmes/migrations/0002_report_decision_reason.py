from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="indicatorreport",
            name="decision_reason",
            field=models.TextField(blank=True, verbose_name="reason for the decision"),
        ),
    ]
