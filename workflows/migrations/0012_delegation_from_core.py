"""Delegation comes from core with its table (core_delegation): a change of the models' state only."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0009_delegation_moves_to_workflows"),
        ("workflows", "0011_attachment_random_names"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Delegation",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("starts_on", models.DateField(verbose_name="from")),
                        ("ends_on", models.DateField(verbose_name="until")),
                        ("note", models.CharField(blank=True, max_length=200, verbose_name="note")),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="created at")),
                        ("revoked_at", models.DateTimeField(blank=True, null=True, verbose_name="revoked at")),
                        (
                            "person",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="delegations",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="person",
                            ),
                        ),
                        (
                            "substitute",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="substitutions",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="substitute",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "delegation",
                        "verbose_name_plural": "delegations",
                        "db_table": "core_delegation",
                        "ordering": ["-starts_on", "-id"],
                        "indexes": [
                            models.Index(fields=["person", "starts_on", "ends_on"], name="delegation_person_dates")
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("person", models.F("substitute")), _negated=True),
                                name="delegation_not_to_self",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(("ends_on__gte", models.F("starts_on"))), name="delegation_dates"
                            ),
                        ],
                    },
                ),
            ]
        ),
    ]
