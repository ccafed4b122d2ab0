"""PLACEHOLDER: a helper writes this module."""

from django.http import Http404


def hearing_list(request, union_pk):
    raise Http404


def hearing_new(request, union_pk):
    raise Http404


def hearing_detail(request, pk):
    raise Http404


def hearing_edit(request, pk):
    raise Http404


def hearing_submit_view(request, pk):
    raise Http404


def hearing_withdraw_view(request, pk):
    raise Http404


def hearing_record_view(request, item_id):
    raise Http404


def action_item_close_view(request, pk):
    raise Http404
