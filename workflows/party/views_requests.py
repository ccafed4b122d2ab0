"""PLACEHOLDER: a helper writes this module."""

from django.http import Http404


def catalogue(request, union_pk):
    raise Http404


def request_list(request, union_pk):
    raise Http404


def request_new(request, union_pk):
    raise Http404


def request_detail(request, pk):
    raise Http404


def request_edit(request, pk):
    raise Http404


def request_submit_view(request, pk):
    raise Http404


def request_withdraw_view(request, pk):
    raise Http404


def carried_out_view(request, pk):
    raise Http404
