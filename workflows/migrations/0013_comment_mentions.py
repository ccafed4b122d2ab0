"""The people a comment mentions, chosen with the people picker (issue 25). Comments written before
named people as "@username" in their text: those become mentions, and the text names them by their
full name, so that no username is left on a page."""

import re

from django.conf import settings
from django.db import migrations, models

MENTION = re.compile(r"@([\w.\-]+)")


def mentions_from_text(apps, schema_editor):
    Comment = apps.get_model("workflows", "Comment")
    User = apps.get_model("core", "User")
    for comment in Comment.objects.filter(text__contains="@").iterator(chunk_size=500):
        names = set(MENTION.findall(comment.text))
        people = {u.username: u for u in User.objects.filter(username__in=names)}
        if not people:
            continue

        def by_name(match, people=people):
            person = people.get(match.group(1))
            return f"@{person.full_name}" if person is not None and person.full_name else match.group(0)

        comment.mentions.add(*people.values())
        text = MENTION.sub(by_name, comment.text)
        if text != comment.text:
            comment.text = text
            comment.save(update_fields=["text"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0010_user_name_search_keys"),
        ("workflows", "0012_delegation_from_core"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="mentions",
            field=models.ManyToManyField(
                blank=True, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="mentioned"
            ),
        ),
        migrations.RunPython(mentions_from_text, migrations.RunPython.noop, elidable=True),
    ]
