from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_attachment"),
    ]

    operations = [
        migrations.AddField(
            model_name="activitylog",
            name="params",
            field=models.JSONField(blank=True, default=dict, verbose_name="参数"),
        ),
        migrations.AddField(
            model_name="notification",
            name="params",
            field=models.JSONField(blank=True, default=dict, verbose_name="参数"),
        ),
        migrations.AddField(
            model_name="notification",
            name="verb",
            field=models.CharField(blank=True, max_length=64, verbose_name="类型"),
        ),
        migrations.AlterField(
            model_name="notification",
            name="title",
            field=models.CharField(blank=True, max_length=200, verbose_name="标题"),
        ),
    ]
