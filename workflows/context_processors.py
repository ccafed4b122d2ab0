from django.utils.functional import SimpleLazyObject

from workflows.selectors import todo_count


def inbox_badge(request):
    """The to-do count for the navigation badge, computed only when a template shows it.

    The inbox's own to-do tab passes ``inbox_count`` from its summary query, which takes precedence
    over this lazy one: that page pays no extra query for its badge.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"inbox_count": SimpleLazyObject(lambda: todo_count(user=user))}
