"""The people sync's report in words, for the command's output (the admin page shows it as a table)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .services import SyncReport


def report_lines(report: SyncReport) -> list[str]:
    if not report.ok:
        head = _("Nothing was changed: %(count)s problems in the file.") % {"count": len(report.problems)}
    elif report.dry_run:
        head = _("Dry run: nothing was changed. Applying the file would do this:")
    else:
        head = _("Applied:")
    lines = [head]
    lines.append(
        _(
            "%(rows)s rows: %(created)s new people, %(updated)s changed, %(deactivated)s left "
            "(%(seats)s seats ended), %(unchanged)s unchanged."
        )
        % {
            "rows": report.rows,
            "created": len(report.created),
            "updated": len(report.updated),
            "deactivated": len(report.deactivated),
            "seats": report.seats_ended,
            "unchanged": report.unchanged,
        }
    )
    for line in report.created:
        lines.append(_("new: %(number)s %(name)s") % {"number": line.employee_number, "name": line.name})
    for line in report.updated:
        changes = "; ".join(f"{name}: {before or '—'} → {after}" for name, before, after in line.changes)
        lines.append(
            _("changed: %(number)s %(name)s (%(changes)s)")
            % {"number": line.employee_number, "name": line.name, "changes": changes}
        )
    for line in report.deactivated:
        lines.append(
            _("left: %(number)s %(name)s, %(seats)s seats ended")
            % {"number": line.employee_number, "name": line.name, "seats": line.seats}
        )
    for line in report.disabled_in_wuyi:
        lines.append(
            _(
                "disabled in Wuyi though active in the file (re-enable in the administration if right): "
                "%(number)s %(name)s"
            )
            % {"number": line.employee_number, "name": line.name}
        )
    return lines + report.problems
