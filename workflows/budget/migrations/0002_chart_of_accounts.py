"""Load the 2021 chart of accounts (财会〔2021〕7号) from the fixture, with the historical model.

`loaddata` would use the current model classes, which may no longer match this point in the
migration history; this reads the JSON itself. Idempotent (update_or_create); reversing leaves the
accounts in place (budget lines may refer to them).
"""

import json
from pathlib import Path

from django.db import migrations

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "chart_of_accounts_2021.json"


def _ordered(entries):
    """Parents before children, whatever the order in the file."""
    by_code = {str(e["pk"]): e for e in entries if e["model"] == "budget.account"}
    done, ordered = set(), []

    def visit(code, trail=()):
        if code in done:
            return
        if code in trail:
            raise ValueError(f"chart of accounts: cycle through {code}")
        parent = by_code[code]["fields"].get("parent")
        if parent is not None:
            if str(parent) not in by_code:
                raise ValueError(f"chart of accounts: {code} has unknown parent {parent}")
            visit(str(parent), (*trail, code))
        done.add(code)
        ordered.append(by_code[code])

    for code in sorted(by_code):
        visit(code)
    return ordered


def load_chart(apps, schema_editor):
    Account = apps.get_model("budget", "Account")
    with FIXTURE.open(encoding="utf-8") as f:
        entries = json.load(f)
    for entry in _ordered(entries):
        fields = entry["fields"]
        parent = fields.get("parent")
        Account.objects.using(schema_editor.connection.alias).update_or_create(
            code=str(entry["pk"]),
            defaults={
                "name": fields["name"],
                "name_en": fields.get("name_en", ""),
                "kind": fields["kind"],
                "parent_id": str(parent) if parent is not None else None,
                "postable": fields.get("postable", True),
            },
        )


class Migration(migrations.Migration):
    dependencies = [("budget", "0001_initial")]

    operations = [migrations.RunPython(load_chart, migrations.RunPython.noop)]
