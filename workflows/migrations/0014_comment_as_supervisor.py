"""Supervisory comments (督导意见, issue 25): a comment written by a supervisor of an upper union who
sees the document from above, not as a member of its union. Comments written before are marked by the
author's seats on the day they were written."""

from django.db import migrations, models

SUPERVISOR = "supervisor"


def mark_supervisory(apps, schema_editor):
    Comment = apps.get_model("workflows", "Comment")
    Seat = apps.get_model("core", "Seat")
    Union = apps.get_model("core", "Union")
    parents = dict(Union.objects.values_list("id", "parent_id"))
    marked = []
    for comment in Comment.objects.only("id", "author_id", "union_id", "created_at").iterator(chunk_size=500):
        day = comment.created_at.date()
        seats = Seat.objects.filter(person_id=comment.author_id, start_date__lte=day).exclude(end_date__lt=day)
        unions = set(seats.values_list("union_id", flat=True))
        if comment.union_id in unions:
            continue  # a member of the document's union
        above, parent = set(), parents.get(comment.union_id)
        while parent is not None and parent not in above:
            above.add(parent)
            parent = parents.get(parent)
        if seats.filter(role=SUPERVISOR, union_id__in=above).exists():
            marked.append(comment.pk)
    Comment.objects.filter(pk__in=marked).update(as_supervisor=True)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0010_user_name_search_keys"),
        ("workflows", "0013_comment_mentions"),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="as_supervisor",
            field=models.BooleanField(default=False, verbose_name="supervisory comment"),
        ),
        migrations.RunPython(mark_supervisory, migrations.RunPython.noop, elidable=True),
    ]
