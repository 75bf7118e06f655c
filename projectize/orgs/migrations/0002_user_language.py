from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="language",
            field=models.CharField(
                blank=True,
                choices=[("zh-hans", "简体中文"), ("en", "English")],
                max_length=16,
                verbose_name="语言",
            ),
        ),
    ]
