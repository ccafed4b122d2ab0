from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from notifications.selectors import notifications_page
from notifications.services import notifications_mark_read


@login_required
def notification_list(request):
    before = request.GET.get("before")
    before_id = int(before) if before and before.isdigit() else None
    page = notifications_page(user=request.user, before_id=before_id, size=30)
    next_before = page[-1].id if len(page) == 30 else None
    return render(request, "notifications/list.html", {"notifications": page, "next_before": next_before})


@login_required
@require_POST
def notification_mark_read(request):
    ids = [int(x) for x in request.POST.getlist("id") if x.isdigit()] or None
    notifications_mark_read(recipient=request.user, ids=ids)
    return redirect("notifications:list")
