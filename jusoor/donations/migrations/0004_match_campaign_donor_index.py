import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0001_initial"),
        ("donations", "0003_failed_campaign_choices"),
    ]

    operations = [
        migrations.AddField(
            model_name="match",
            name="campaign",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="campaigns.campaign"
            ),
        ),
        migrations.RunSQL(
            "UPDATE donations_match m SET campaign_id = d.campaign_id FROM donations_donation d "
            "WHERE d.id = m.donation_id",
            migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name="match",
            name="campaign",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="campaigns.campaign"
            ),
        ),
        migrations.AddIndex(
            model_name="match",
            index=models.Index(fields=["campaign", "status"], name="donations_m_campaig_0acd0a_idx"),
        ),
        migrations.AddIndex(
            model_name="donation",
            index=models.Index(fields=["campaign", "status", "email"], name="donation_campaign_donors"),
        ),
    ]
