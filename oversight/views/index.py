"""``/oversight/``: the address the README and the menu give, answered with the first tab the user may
open. Every tab needs the same oversight scope, so that is the stuck approvals; anyone without one
is refused as on the tabs themselves."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from oversight.views.common import scope_or_refuse


@login_required
def index(request):
    scope_or_refuse(request)
    return redirect("oversight:stuck")
