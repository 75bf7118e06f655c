from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0003_password_record"),
    ]

    operations = [
        migrations.AlterField(
            model_name="organization",
            name="kind",
            field=models.CharField(
                choices=[
                    ("committee", "镇党委"),
                    ("party_committee", "党委"),
                    ("general_branch", "党总支"),
                    ("branch", "党支部"),
                    ("residential", "居民区党组织"),
                    ("village", "村党组织"),
                    ("enterprise_party", "两新企业党组织"),
                    ("social_party", "社会组织党组织"),
                    ("institution", "机关事业单位党组织"),
                    ("stationed", "驻区单位党组织"),
                    ("enterprise", "企业"),
                    ("social_org", "社会组织"),
                ],
                max_length=32,
                verbose_name="类型",
            ),
        ),
    ]
