from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from core.http import refuse
from core.selectors import union_access
from workflows.document_pages import trail_context
from workflows.visibility import document_visible

from .models import Notice


@login_required
def notice_detail(request, pk: int):
    notice = Notice.objects.select_related("union", "current_version").filter(pk=pk).first()
    if notice is None:
        raise Http404
    if not document_visible(user=request.user, union=notice.union, process_id=notice.process_id):
        refuse(request, union=notice.union, reason="document not visible")
    access = union_access(user=request.user, union=notice.union)
    context = trail_context(request, document=notice, document_type="notice", access=access)
    return render(request, "kind_example/detail.html", context)
