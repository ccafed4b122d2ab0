"""What the archive indexes of a union's working rules or institution besides its title (S5.3): its
text (each version of the rules is a document of its own, filed when it comes into force)."""

from __future__ import annotations

from .models import RulesDocument


def rules_archive_text(rules: RulesDocument) -> str:
    return rules.text
