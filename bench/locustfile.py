"""P1's load: one page, requested as fast as the server answers by signed-in users (headless).

bench/p1.py runs ``locust -f bench/locustfile.py --headless`` with BENCH_P1_PATH (the page) and
BENCH_P1_COOKIES (Cookie headers separated by ``|``: a session and a CSRF cookie made for the chosen
user, one per simulated user, so that no two users share a session row). A redirect to the login page
counts as a failure.
"""

from __future__ import annotations

import itertools
import os

from locust import FastHttpUser, constant, task

PATH = os.environ.get("BENCH_P1_PATH", "/work/")
COOKIES = itertools.cycle([c for c in os.environ.get("BENCH_P1_COOKIES", "").split("|") if c])


class SignedIn(FastHttpUser):
    wait_time = constant(0)

    def on_start(self) -> None:
        self.headers = {"Cookie": next(COOKIES)}

    @task
    def page(self) -> None:
        with self.client.get(PATH, headers=self.headers, allow_redirects=False, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}")
