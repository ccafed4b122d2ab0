"""The badges of the navigation bar on the oversight pages."""

from __future__ import annotations

from django.db import connection

from workflows.selectors import todo_queryset


def nav_counts(*, user) -> dict[str, int]:
    """The navigation badge (to-do count) and bell (unread count) in one query instead of two: the
    oversight pages pass them to the template, which takes them before the lazy context processors."""
    todo_sql, params = todo_queryset(user=user).order_by().values("id").query.sql_with_params()
    sql = (
        f"SELECT (SELECT COUNT(*) FROM ({todo_sql}) t), (SELECT COUNT(*) FROM notifications_notification n"
        " WHERE n.recipient_id = %s AND n.read_at IS NULL)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, user.pk])
        todo, unread = cursor.fetchone()
    return {"inbox_count": todo, "unread_notifications": unread}
