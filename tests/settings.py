"""The test settings: Wuyi's settings plus a document kind that exists only here (tests/kind_example),
the proof that a new kind needs no edit to shared code."""

from config.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.kind_example"]  # noqa: F405
