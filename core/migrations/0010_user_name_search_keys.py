"""The people picker's search keys on every person: the name in pinyin and its initials (issue 25),
filled for the people who exist already; User.save() keeps them in step from now on."""

from django.db import migrations, models

from core.pinyin import name_search_keys

BATCH = 2000


def fill_keys(apps, schema_editor):
    User = apps.get_model("core", "User")
    batch = []
    for person in User.objects.exclude(full_name="").only("id", "full_name").iterator(chunk_size=BATCH):
        person.name_pinyin, person.name_initials = name_search_keys(person.full_name)
        batch.append(person)
        if len(batch) >= BATCH:
            User.objects.bulk_update(batch, ["name_pinyin", "name_initials"])
            batch = []
    if batch:
        User.objects.bulk_update(batch, ["name_pinyin", "name_initials"])


class Migration(migrations.Migration):
    dependencies = [("core", "0009_delegation_moves_to_workflows")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="name_pinyin",
            field=models.CharField(
                blank=True,
                db_default="",
                default="",
                editable=False,
                max_length=300,
                verbose_name="name in pinyin",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="name_initials",
            field=models.CharField(
                blank=True,
                db_default="",
                default="",
                editable=False,
                max_length=100,
                verbose_name="pinyin initials",
            ),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="user",
            index=models.Index(
                fields=["name_pinyin"], name="user_name_pinyin", opclasses=["varchar_pattern_ops"]
            ),
        ),
        migrations.AddIndex(
            model_name="user",
            index=models.Index(
                fields=["name_initials"], name="user_name_initials", opclasses=["varchar_pattern_ops"]
            ),
        ),
    ]
