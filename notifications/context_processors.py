from django.utils.functional import SimpleLazyObject

from notifications.selectors import bell_figures


def bell(request):
    """The unread count for the navigation bell and whether the 监督 menu shows, computed together
    (one query) and only when a template shows them. A page that knows either passes it itself (the
    oversight pages, the home page), which takes precedence over these lazy ones."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    figures: dict = {}

    def figure(name: str):
        if not figures:
            figures.update(bell_figures(user=user))
        return figures[name]

    return {
        "unread_notifications": SimpleLazyObject(lambda: figure("unread")),
        "may_oversee": SimpleLazyObject(lambda: figure("oversee")),
    }
