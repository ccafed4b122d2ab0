"""Reads for the oversight pages, one module per page (``stuck``, ``scorecard``, ``efficiency``) on top
of ``scope`` (whose unions a user oversees) and ``nav`` (the badges of the navigation bar).

Each selector costs one SQL query, whatever the number of unions, processes and tasks: counts,
buckets, medians and trends are computed by PostgreSQL (GROUP BY, window functions, percentile_cont,
generate_series), never by looping in Python. For the whole province the figures of the pages are
kept in ``oversight.rollups`` instead of being counted per request.
"""
